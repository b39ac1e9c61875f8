import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { MutationOutcome, OperatorState, StatusEdit } from '../../common/model.js';
import { CACHE_MIGRATIONS } from '../../electron/core/cache/migrations.js';
import { COUNT_CONFLICTS_SQL, COUNT_UNANSWERED_SQL, Outbox } from '../../electron/core/cache/outbox.js';
import { Db } from '../../node/db.js';
import { migrate } from '../../node/migrations.js';
import { openSqlite } from '../../node/sqlite.js';
import { tempDir } from '../support/tempDir.js';

function openOutbox(file = path.join(tempDir('outbox').path, 'cache.sqlite')) {
  const db = new Db(openSqlite(file), { log: () => undefined });
  migrate(db.raw, CACHE_MIGRATIONS);
  return { db, outbox: new Outbox(db), file };
}

const maintenance: StatusEdit = { status: 'Maintenance', reason: 'Cable replacement', note: null, until: null };
const available: StatusEdit = { status: 'Available', reason: null, note: null, until: null };

function outcome(
  mutationId: string,
  points: MutationOutcome['points'],
  result: MutationOutcome['result'] = 'applied',
): MutationOutcome {
  return { mutationId, result, duplicate: false, reason: null, points, processedAt: new Date().toISOString() };
}

test('a queued edit survives closing and reopening the database, with its id and base version', () => {
  const { db, outbox, file } = openOutbox();
  const id = outbox.enqueue(maintenance, [{ pointId: 'ST-1-1', serverVersion: 4 }], '2026-01-01T00:00:00.000Z');
  db.close();
  const reopened = openOutbox(file);
  const batch = reopened.outbox.nextBatch(10);
  assert.equal(batch.length, 1);
  assert.equal(batch[0].mutationId, id);
  assert.deepEqual(batch[0].targets, [{ pointId: 'ST-1-1', baseVersion: 4 }]);
  assert.equal(reopened.outbox.overlays().get('ST-1-1')?.state, 'queued');
  assert.equal(reopened.outbox.counts().queued, 1);
});

test('mutation ids are unique and keep counting across restarts', () => {
  const { db, outbox, file } = openOutbox();
  const first = outbox.enqueue(available, [{ pointId: 'A', serverVersion: 0 }], new Date().toISOString());
  db.close();
  const second = openOutbox(file).outbox.enqueue(
    available,
    [{ pointId: 'B', serverVersion: 0 }],
    new Date().toISOString(),
  );
  assert.notEqual(first, second);
  assert.equal(first.split('-')[0], second.split('-')[0]);
  assert.match(second, /^[A-Za-z0-9]+-2$/);
});

test('a second edit of the same point waits for the first and is rebased on its outcome', () => {
  const { outbox } = openOutbox();
  const first = outbox.enqueue(maintenance, [{ pointId: 'P', serverVersion: 2 }], new Date().toISOString());
  const second = outbox.enqueue(available, [{ pointId: 'P', serverVersion: 2 }], new Date().toISOString());
  assert.deepEqual(
    outbox.nextBatch(10).map((m) => m.mutationId),
    [first],
  );
  assert.equal(outbox.overlays().get('P')?.mutationId, second, 'the row shows the latest edit');

  outbox.markSending([first]);
  outbox.recordOutcomes([
    outcome(first, [{ pointId: 'P', result: 'applied', reason: null, current: null, operatorVersion: 3 }]),
  ]);
  const batch = outbox.nextBatch(10);
  assert.deepEqual(
    batch.map((m) => m.mutationId),
    [second],
  );
  assert.deepEqual(batch[0].targets, [{ pointId: 'P', baseVersion: 3 }]);
  assert.equal(outbox.counts().queued, 1);
});

test('a conflict stays visible with their value until a person resolves it', () => {
  const { outbox } = openOutbox();
  const id = outbox.enqueue(maintenance, [{ pointId: 'P', serverVersion: 1 }], new Date().toISOString());
  const theirs: OperatorState = {
    status: 'OutOfService',
    reason: 'Vandalism',
    note: null,
    until: null,
    by: 'alice',
    at: new Date().toISOString(),
    version: 2,
  };
  outbox.markSending([id]);
  outbox.recordOutcomes([
    outcome(
      id,
      [{ pointId: 'P', result: 'conflict', reason: 'changed by alice', current: theirs, operatorVersion: 2 }],
      'conflict',
    ),
  ]);
  const overlay = outbox.overlays().get('P');
  assert.equal(overlay?.state, 'conflict');
  assert.equal(overlay?.theirs?.by, 'alice');
  assert.deepEqual(outbox.counts(), { queued: 0, conflicts: 1 });
  assert.equal(outbox.nextBatch(10).length, 0, 'a conflict is not resent by itself');
  assert.deepEqual(outbox.conflictsOf(id), [{ pointId: 'P', theirs }]);
  outbox.discard(id);
  assert.equal(outbox.overlays().size, 0);
});

test('a mutation refused as a whole marks every point failed, and a replayed outcome changes nothing', () => {
  const { outbox } = openOutbox();
  const id = outbox.enqueue(
    maintenance,
    [
      { pointId: 'A', serverVersion: 0 },
      { pointId: 'B', serverVersion: 0 },
    ],
    new Date().toISOString(),
  );
  outbox.markSending([id]);
  const refused = { ...outcome(id, [], 'rejected'), reason: 'forbidden: a operator may not bulk edit' };
  assert.deepEqual(outbox.recordOutcomes([refused]).sort(), ['A', 'B']);
  assert.equal(outbox.overlays().get('A')?.state, 'failed');
  assert.match(outbox.overlays().get('B')?.error ?? '', /forbidden/);
  assert.deepEqual(outbox.recordOutcomes([refused]), [], 'an outcome that arrives twice is ignored');
});

test('edits in flight when the connection drops are queued again', () => {
  const { outbox } = openOutbox();
  const id = outbox.enqueue(maintenance, [{ pointId: 'A', serverVersion: 0 }], new Date().toISOString());
  outbox.markSending([id]);
  assert.equal(outbox.overlays().get('A')?.state, 'sending');
  outbox.requeueInFlight();
  assert.equal(outbox.overlays().get('A')?.state, 'queued');
  assert.equal(outbox.nextBatch(10)[0].mutationId, id);
});

test("the overlays of some points equal those points' part of every overlay, read one by one or filtered", () => {
  const { outbox } = openOutbox();
  const at = new Date().toISOString();
  for (let i = 0; i < 400; i++) outbox.enqueue(maintenance, [{ pointId: `P${i % 300}`, serverVersion: 0 }], at);
  const all = outbox.overlays();
  assert.equal(all.size, 300);
  const few = ['P1', 'P299', 'P7', 'unknown'];
  assert.deepEqual(
    [...outbox.overlays(few)].sort(),
    few
      .filter((id) => all.has(id))
      .map((id) => [id, all.get(id)])
      .sort(),
  );
  const many = Array.from({ length: 280 }, (_, i) => `P${i * 2}`);
  const manyOverlays = outbox.overlays(many);
  assert.deepEqual([...manyOverlays.keys()].sort(), many.filter((id) => all.has(id)).sort());
  for (const [id, overlay] of manyOverlays) assert.deepEqual(overlay, all.get(id));
  assert.equal(outbox.overlays(['P1']).get('P1')?.mutationId, all.get('P1')?.mutationId, 'the latest edit wins');
});

test('the outbox is counted from its small indexes, not by reading every queued edit', () => {
  const { db, outbox } = openOutbox();
  const at = new Date().toISOString();
  for (let i = 0; i < 50; i++) outbox.enqueue(maintenance, [{ pointId: `P-${i}`, serverVersion: 1 }], at);
  const plan = (sql: string) =>
    (db.raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
  assert.match(plan(COUNT_UNANSWERED_SQL), /COVERING INDEX outbox_unanswered/);
  assert.match(plan(COUNT_CONFLICTS_SQL), /COVERING INDEX outbox_points_conflict/);
  assert.deepEqual(outbox.counts(), { queued: 50, conflicts: 0 });
});
