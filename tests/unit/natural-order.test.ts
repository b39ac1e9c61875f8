// The core's first screen of points (common/naturalOrder.ts) must be exactly the grid's first rows in its default
// order, or a large network would first paint rows that then jump.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstPointsInGridOrder, naturalKey } from '../../common/naturalOrder.js';
import { buildRowModel, DEFAULT_SORT } from '../../renderer/src/model/rows.js';
import { network } from '../support/rendererFixtures.js';
import { rowModelInput } from '../support/rowModelInput.js';

describe('natural order', () => {
  it('orders numbers by value', () => {
    assert.ok(naturalKey('Bay 9') < naturalKey('Bay 10'));
    assert.ok(naturalKey('a-2') < naturalKey('A-11'));
    assert.ok(naturalKey('Site 100') > naturalKey('Site 20'));
    assert.equal(naturalKey('X'), 'x');
  });

  it('the first points in grid order are the default grid’s first point rows', () => {
    const { points, sites } = network(3_000, 120);
    const model = buildRowModel(rowModelInput(points, sites, { sort: DEFAULT_SORT }));
    const gridOrder = model.rows.filter((r) => r.kind === 'point').map((r) => r.key);
    for (const limit of [1, 25, 400, 2_999, 5_000]) {
      const first = firstPointsInGridOrder(points.values(), [...sites.values()], limit).map((p) => p.id);
      assert.deepEqual(first, gridOrder.slice(0, limit), `limit ${limit}`);
    }
  });
});
