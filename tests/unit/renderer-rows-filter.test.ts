// The row model's filter stage on its own: which filters keep every row (the selector then skips filtering and keeps
// the unfiltered model for when a filter is cleared), and the editors' limits taken from the schema.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NOTE_MAX, REASON_MAX, statusEditSchema } from '../../common/model.js';
import { EMPTY_FILTER, filterRows, isNoFilter, rowDataOf } from '../../renderer/src/model/rows.js';
import { point, site } from '../support/rendererFixtures.js';

describe('the filter stage', () => {
  it('says a filter keeps every row only when nothing in it filters (blank text counts as none)', () => {
    assert.equal(isNoFilter(EMPTY_FILTER), true);
    assert.equal(isNoFilter({ ...EMPTY_FILTER, text: '   ' }), true);
    assert.equal(isNoFilter({ ...EMPTY_FILTER, text: 'bay' }), false);
    assert.equal(isNoFilter({ ...EMPTY_FILTER, statuses: new Set(['Faulted']) }), false);
    assert.equal(isNoFilter({ ...EMPTY_FILTER, siteIds: new Set(['s1']) }), false);
    assert.equal(isNoFilter({ ...EMPTY_FILTER, deliveries: new Set(['notConfirmed']) }), false);
    assert.equal(isNoFilter({ ...EMPTY_FILTER, onlyIds: new Set() }), false, 'an empty overdue set keeps nothing');
  });

  it('matches every word in any order against site, city, point, station and ids', () => {
    const s = site('s1', 'Harbour Car Park', 'Leeds');
    const rows = [
      rowDataOf(point('a', { label: 'Bay 1', stationId: 'VB-001' }), s),
      rowDataOf(point('b', { label: 'Bay 2', stationId: 'VB-002' }), s),
    ];
    assert.deepEqual(
      filterRows(rows, { ...EMPTY_FILTER, text: 'leeds vb-002' }).map((d) => d.point.id),
      ['b'],
    );
    assert.deepEqual(
      filterRows(rows, { ...EMPTY_FILTER, text: 'HARBOUR bay' }).map((d) => d.point.id),
      ['a', 'b'],
    );
    assert.deepEqual(filterRows(rows, { ...EMPTY_FILTER, text: 'york' }), []);
  });
});

describe('the editors’ limits', () => {
  it('are the schema’s: one character more is refused', () => {
    const edit = { status: 'Maintenance' as const, reason: 'r', note: null, until: null };
    assert.ok(statusEditSchema.safeParse({ ...edit, reason: 'x'.repeat(REASON_MAX) }).success);
    assert.equal(statusEditSchema.safeParse({ ...edit, reason: 'x'.repeat(REASON_MAX + 1) }).success, false);
    assert.ok(statusEditSchema.safeParse({ ...edit, note: 'x'.repeat(NOTE_MAX) }).success);
    assert.equal(statusEditSchema.safeParse({ ...edit, note: 'x'.repeat(NOTE_MAX + 1) }).success, false);
  });
});
