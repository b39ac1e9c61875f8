// The console's network cache on a real SQLite file: live changes show at once and are written behind, together
// with the sync position they bring; whatever a crash leaves on disk is an older but consistent state.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Point, Site } from '../../common/model.js';
import { CACHE_MIGRATIONS } from '../../electron/core/cache/migrations.js';
import { NetworkCache } from '../../electron/core/cache/networkCache.js';
import { migrate, openSqlite } from '../../node/sqlite.js';
import { network } from '../../renderer/test-support/fixtures.js';
import { waitFor } from '../support/waitFor.js';

function openCache(file: string, options: ConstructorParameters<typeof NetworkCache>[1] = {}) {
  const db = openSqlite(file);
  migrate(db, CACHE_MIGRATIONS);
  return { db, cache: new NetworkCache(db, options) };
}

function seeded(writeDelayMs = 60_000, log?: (line: string) => void) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'vb-netcache-')), 'cache.sqlite');
  const { points, sites } = network(200, 10);
  const all = [...points.values()].map(({ pending: _pending, ...p }) => p as Point);
  const opened = openCache(file, { writeDelayMs, log });
  opened.cache.replaceAll('net-1', 100, [...sites.values()], all, '2026-11-29T10:00:00.000Z');
  return { file, all, ...opened };
}

const changed = (p: Point, seq: number): Point => ({ ...p, seq, reported: { ...p.reported, status: 'Faulted', at: '2026-11-29T10:00:05.000Z' } });

test('a snapshot is written at once; live changes show at once and reach the file with their position', () => {
  const { file, all, db, cache } = seeded();
  const next = [changed(all[0], 101), changed(all[1], 102)];
  const result = cache.applyChanges([], next, 102, '2026-11-29T10:00:06.000Z');
  assert.deepEqual(result.map((p) => p.id), [all[0].id, all[1].id]);
  assert.equal(cache.point(all[0].id)?.reported.status, 'Faulted');
  assert.equal(cache.position().seq, 102);

  // What a crash now would leave: the snapshot and its position, consistent with each other.
  const before = openCache(file);
  assert.equal(before.cache.position().seq, 100);
  assert.equal(before.cache.point(all[0].id)?.seq, all[0].seq);
  before.db.close();

  cache.flush();
  const after = openCache(file);
  assert.equal(after.cache.position().seq, 102);
  assert.equal(after.cache.position().lastSyncAt, '2026-11-29T10:00:06.000Z');
  assert.equal(after.cache.point(all[0].id)?.reported.status, 'Faulted');
  assert.equal(after.cache.point(all[1].id)?.seq, 102);
  after.db.close();
  db.close();
});

test('queued changes are written by themselves after the delay, in one go', async () => {
  const { file, all, db, cache } = seeded(30);
  for (let i = 0; i < 20; i++) cache.applyChanges([], [changed(all[i], 101 + i)], 101 + i, new Date().toISOString());
  await waitFor('the write', () => {
    const other = openCache(file);
    const seq = other.cache.position().seq;
    other.db.close();
    return seq === 120 ? true : null;
  });
  const other = openCache(file);
  assert.equal(other.cache.point(all[19].id)?.seq, 120);
  other.db.close();
  db.close();
});

test('an older change is skipped, and a snapshot replaces what was queued', () => {
  const { file, all, db, cache } = seeded();
  assert.deepEqual(cache.applyChanges([], [{ ...all[2], seq: 1 }], 101, new Date().toISOString()), []);
  cache.applyChanges([], [changed(all[3], 102)], 102, new Date().toISOString());
  const site: Site = { id: 'site-new', name: 'New site', city: 'Leeds', address: '' };
  cache.replaceAll('net-2', 500, [site], [all[4]], '2026-11-29T11:00:00.000Z');
  cache.flush();
  const other = openCache(file);
  assert.deepEqual(other.cache.position(), { networkId: 'net-2', seq: 500, lastSyncAt: '2026-11-29T11:00:00.000Z' });
  assert.equal(other.cache.pointCount(), 1);
  assert.equal(other.cache.point(all[3].id), null);
  other.db.close();
  db.close();
});

test('a write that fails keeps the changes in memory and queued, and goes through once it can', async () => {
  const lines: string[] = [];
  const { file, all, db, cache } = seeded(20, (line) => lines.push(line));
  // Another writer holding the file: SQLite gives up after its busy timeout (set short here), as on a full disk.
  db.pragma('busy_timeout = 10');
  const blocker = openSqlite(file);
  blocker.exec('BEGIN IMMEDIATE');
  cache.applyChanges([], [changed(all[5], 101)], 101, new Date().toISOString());
  await waitFor('the failed write to be logged', () => (lines.length > 0 ? true : null));
  assert.match(lines[0], /could not write the network cache, will try again/);
  assert.equal(cache.point(all[5].id)?.seq, 101);
  blocker.exec('ROLLBACK');
  blocker.close();
  await waitFor('the retry', () => {
    const other = openCache(file);
    const seq = other.cache.position().seq;
    other.db.close();
    return seq === 101 ? true : null;
  });
  db.close();
});
