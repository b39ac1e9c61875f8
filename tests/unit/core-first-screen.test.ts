// The core's kept first screen (the first points of the grid's default order) over a real SQLite cache file:
// it must follow every change that can move a point in that order, and always hand out the points as they are now.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { Point, Site } from '../../common/model.js';
import { firstPointsInGridOrder } from '../../common/naturalOrder.js';
import { FirstScreenOrder } from '../../electron/core/cache/firstScreenOrder.js';
import { CACHE_MIGRATIONS } from '../../electron/core/cache/migrations.js';
import { NetworkCache } from '../../electron/core/cache/networkCache.js';
import { Db } from '../../node/db.js';
import { migrate } from '../../node/migrations.js';
import { openSqlite } from '../../node/sqlite.js';
import { tempDir } from '../support/tempDir.js';
import { point as viewPoint, site } from '../support/rendererFixtures.js';

function point(id: string, over: Partial<Point> = {}): Point {
  const { pending: _pending, ...rest } = viewPoint(id, over);
  return rest;
}

function openCache(): NetworkCache {
  const db = openSqlite(path.join(tempDir('first-screen').path, 'cache.sqlite'));
  migrate(db, CACHE_MIGRATIONS);
  return new NetworkCache(new Db(db, { log: () => undefined }));
}

const NOW = '2026-11-30T09:00:00.000Z';
const sites: Site[] = [site('s-b', 'Beta'), site('s-a', 'Alpha'), site('s-c', 'Gamma')];
const points: Point[] = [
  point('b1', { siteId: 's-b', label: 'Bay 1' }),
  point('b2', { siteId: 's-b', label: 'Bay 2' }),
  point('a10', { siteId: 's-a', label: 'Bay 10' }),
  point('a9', { siteId: 's-a', label: 'Bay 9' }),
  point('c1', { siteId: 's-c', label: 'Bay 1' }),
];

function setUp() {
  const cache = openCache();
  cache.replaceAll('net-1', 1, sites, points, NOW);
  const order = new FirstScreenOrder(cache);
  const ids = (limit = 3) => order.points(limit).map((p) => p.id);
  const expected = (limit = 3) => firstPointsInGridOrder(cache.points(), cache.sites(), limit).map((p) => p.id);
  return { cache, order, ids, expected };
}

test('the first screen is the first points of the grid order, and asked again gives the same points', () => {
  const { ids, expected } = setUp();
  assert.deepEqual(ids(), ['a9', 'a10', 'b1']);
  assert.deepEqual(ids(), expected());
  assert.deepEqual(ids(4), ['a9', 'a10', 'b1', 'b2'], 'another size is chosen anew');
});

test('a status change is shown in the kept first screen (the points are read as they are now)', () => {
  const { cache, order, ids } = setUp();
  ids();
  const layout = cache.layoutVersion();
  const a9 = cache.point('a9')!;
  cache.applyChanges(
    [],
    [{ ...a9, seq: 2, operator: { ...a9.operator, status: 'Maintenance', reason: 'Cable', version: 1 } }],
    2,
    NOW,
  );
  assert.equal(cache.layoutVersion(), layout, 'a status change does not move a point');
  const first = order.points(3);
  assert.deepEqual(
    first.map((p) => p.id),
    ['a9', 'a10', 'b1'],
  );
  assert.equal(first[0].operator.status, 'Maintenance');
  assert.equal(order.isCurrent(3), true);

  cache.applyChanges([site('s-a', 'Alpha'), site('s-b', 'Beta')], [], 3, NOW);
  assert.equal(cache.layoutVersion(), layout, 'sites sent again unchanged do not move anything');
  assert.equal(order.isCurrent(3), true);
  cache.applyChanges([site('s-b', 'Aardvark')], [], 4, NOW);
  assert.equal(order.isCurrent(3), false, 'a renamed site does');
});

test('a relabelled point, a new point, a renamed site and a new snapshot each change the first screen', () => {
  const { cache, ids, expected } = setUp();
  ids();
  const b2 = cache.point('b2')!;
  cache.applyChanges([], [{ ...b2, seq: 2, label: 'Bay 0' }], 2, NOW);
  assert.deepEqual(ids(), ['a9', 'a10', 'b2']);

  cache.applyChanges([], [point('a1', { siteId: 's-a', label: 'Bay 1', seq: 3 })], 3, NOW);
  assert.deepEqual(ids(), ['a1', 'a9', 'a10']);

  cache.applyChanges([site('s-a', 'Zeta')], [], 4, NOW);
  assert.deepEqual(ids(), ['b2', 'b1', 'c1']);

  const a1 = cache.point('a1')!;
  cache.applyChanges([], [{ ...a1, seq: 5, siteId: 's-b' }], 5, NOW);
  assert.deepEqual(ids(), ['b2', 'a1', 'b1'], 'a point moved to another site');

  cache.replaceAll('net-2', 10, [site('s-x', 'Xenon')], [point('x1', { siteId: 's-x', label: 'Bay 1' })], NOW);
  assert.deepEqual(ids(), ['x1']);
  assert.deepEqual(ids(), expected());
});
