// The expected end (bulk dialog and editor) is typed on the sites' clock when the selected points share one zone, and
// says so; points at sites in different zones fall back to this computer's clock, and the field says that too. (The
// bulk dialog itself imports CSS, which Node cannot: its wiring is checked in tests/e2e/planned-bulk-until.spec.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { UntilField } from '../../renderer/src/components/edit/UntilField.js';
import { zoneOfPoints } from '../../renderer/src/components/planned/windowZone.js';
import { point, site } from '../support/rendererFixtures.js';

const sites = new Map([
  ['s-blr', { ...site('s-blr', 'Bengaluru Hub'), timeZone: 'Asia/Kolkata' }],
  ['s-blr2', { ...site('s-blr2', 'Bengaluru Mall'), timeZone: 'Asia/Kolkata' }],
  ['s-nyc', { ...site('s-nyc', 'Brooklyn Yard'), timeZone: 'America/New_York' }],
]);
const points = new Map(
  [point('A', { siteId: 's-blr' }), point('B', { siteId: 's-blr2' }), point('C', { siteId: 's-nyc' })].map((p) => [
    p.id,
    p,
  ]),
);

const render = (pointIds: string[]) =>
  renderToStaticMarkup(
    createElement(UntilField, {
      idPrefix: 'bulk',
      status: 'Maintenance',
      until: '',
      hint: 'optional; Maintenance and Out of Service only',
      quick: [],
      onChange: () => undefined,
      zone: zoneOfPoints(pointIds, points, sites),
      nowMs: Date.parse('2026-12-04T06:00:00Z'),
    }),
  );

const untilLabel = (html: string) => /<label for="bulk-until">(.*?)<\/label>/s.exec(html)?.[1].replace(/<[^>]+>/g, '');

test('points at two sites of one zone: the expected end is on that zone’s clock, named beside the field', () => {
  assert.match(untilLabel(render(['A', 'B']))!, /^Expected end \(Kolkata time; optional/);
});

test('points in different zones: this computer’s clock, and the field says why', () => {
  assert.match(
    untilLabel(render(['A', 'C']))!,
    /^Expected end \(your time \([^)]+\): the points are at sites in different time zones; optional/,
  );
});
