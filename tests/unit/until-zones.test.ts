// The editor's expected end ("until") on a site's clock: what is typed is read in the site's zone (the spring
// change's skipped hour lands after it, the autumn's repeated hour is the first), the quick choices are the site's
// 18:00 and 08:00, and the field names the site's clock and shows the viewer's own beside it where they differ.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { quickUntilOptions, UntilField, untilInputToIso } from '../../renderer/src/components/edit/UntilField.js';
import type { ZoneChoice } from '../../renderer/src/components/planned/windowZone.js';
import { viewerTimeZone } from '../../renderer/src/model/windows.js';

const amsterdam: ZoneChoice = { tz: 'Europe/Amsterdam', label: 'Amsterdam time', site: true };
const kolkata: ZoneChoice = { tz: 'Asia/Kolkata', label: 'Kolkata time', site: true };

describe('the expected end on the site clock', () => {
  it('is read in the site zone, across both daylight-saving changes', () => {
    assert.equal(untilInputToIso('2026-12-04T18:00', kolkata), '2026-12-04T12:30:00.000Z');
    // Amsterdam, 29 March 2026: 02:30 does not exist; it is read after the change (03:30 CEST).
    assert.equal(untilInputToIso('2026-03-29T02:30', amsterdam), '2026-03-29T01:30:00.000Z');
    // 25 October 2026: 02:30 comes twice; the first (CEST) is taken.
    assert.equal(untilInputToIso('2026-10-25T02:30', amsterdam), '2026-10-25T00:30:00.000Z');
    assert.equal(untilInputToIso('', amsterdam), null);
    assert.equal(untilInputToIso('not a date', amsterdam), null);
  });

  it("offers the site's 18:00 today and 08:00 tomorrow, tomorrow being the site's next day", () => {
    // 10:20 UTC is 15:50 in Kolkata: today 18:00 there is 12:30 UTC.
    const q = quickUntilOptions(Date.parse('2026-12-04T10:20:00.000Z'), true, 'Asia/Kolkata');
    assert.deepEqual(
      q.map((o) => [o.label, o.iso]),
      [
        ['+1 h', '2026-12-04T11:20:00.000Z'],
        ['+4 h', '2026-12-04T14:20:00.000Z'],
        ['Today 18:00', '2026-12-04T12:30:00.000Z'],
        ['Tomorrow 08:00', '2026-12-05T02:30:00.000Z'],
      ],
    );
    // 19:00 UTC is already the 5th in Kolkata (00:30): no "today 18:00", and tomorrow is the 6th there.
    const late = quickUntilOptions(Date.parse('2026-12-04T19:00:00.000Z'), true, 'Asia/Kolkata');
    assert.deepEqual(
      late.map((o) => o.label),
      ['+1 h', '+4 h', 'Today 18:00', 'Tomorrow 08:00'],
    );
    assert.equal(late[2].iso, '2026-12-05T12:30:00.000Z');
    assert.equal(late[3].iso, '2026-12-06T02:30:00.000Z');
    // The evening before the spring change: tomorrow 08:00 is summer time (06:00 UTC), 23 hours' day or not.
    const spring = quickUntilOptions(Date.parse('2026-03-28T20:00:00.000Z'), true, 'Europe/Amsterdam');
    assert.deepEqual(spring.map((o) => [o.label, o.iso]).slice(2), [['Tomorrow 08:00', '2026-03-29T06:00:00.000Z']]);
  });

  it("names the site's clock, and shows the viewer's own beside it only where they differ", () => {
    const render = (zone: ZoneChoice, until: string) =>
      renderToStaticMarkup(
        createElement(UntilField, {
          idPrefix: 'editor',
          status: 'Maintenance',
          until,
          hint: 'optional',
          quick: [],
          onChange: () => undefined,
          zone,
          nowMs: Date.parse('2026-12-04T10:20:00.000Z'),
        }),
      );
    const viewer = viewerTimeZone();
    const html = render(kolkata, '2026-12-04T18:00');
    assert.match(html, /Kolkata time; optional/);
    if (viewer !== 'Asia/Kolkata') assert.match(html, /data-testid="editor-until-echo">18:00 Kolkata \(/);
    const same: ZoneChoice = { tz: viewer, label: 'your time', site: false };
    assert.doesNotMatch(render(same, '2026-12-04T18:00'), /editor-until-echo/);
  });
});
