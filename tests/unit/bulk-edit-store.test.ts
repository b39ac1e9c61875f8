// A bulk edit in the store, on the test's engine: its statements do not grow with the points (on PostgreSQL each one
// is a round trip), and every per-point guarantee stays: versions and conflicts, seqs in the targets' order, the audit
// rows in the same transaction and order, the history recorder's hook, a mutation id applied at most once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Auth } from '../../backend/auth.js';
import { HistoryRecorder } from '../../backend/history/recorder.js';
import { seedNetwork } from '../../backend/seed.js';
import type { Store } from '../../backend/store/index.js';
import { MutationsRepo, STATION_OFFLINE_DETAIL } from '../../backend/store/mutations.js';
import type { Statement, StoreDb } from '../../node/db.js';
import { ManualClock } from '../../common/clock.js';
import type { Mutation } from '../../common/model.js';
import { mutationId, setStatus, smallNetwork } from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { testStore } from '../support/testStore.js';

/** The store's own connection, counting every run of a statement prepared through it. */
function counted(db: StoreDb): { db: StoreDb; runs: () => number } {
  let n = 0;
  const wrap = <Row>(s: Statement<Row>): Statement<Row> => ({
    name: s.name,
    run: (...p) => (n++, s.run(...p)),
    get: (...p) => (n++, s.get(...p)),
    all: (...p) => (n++, s.all(...p)),
    iterate: (...p) => (n++, s.iterate(...p)),
  });
  const wrapped: StoreDb = {
    dialect: db.dialect,
    prepare: (name, sql) => wrap(db.prepare(name, sql)),
    prepareRaw: (name, sql) => wrap(db.prepareRaw(name, sql)),
    preparePluck: (name, sql) => wrap(db.preparePluck(name, sql)),
    tx: (name, fn) => db.tx(name, fn),
    durableTx: (name, fn) => db.durableTx(name, fn),
    exec: (sql) => db.exec(sql),
    get inTransaction() {
      return db.inTransaction;
    },
    close: () => db.close(),
  };
  return { db: wrapped, runs: () => n };
}

describe('a bulk edit in the store', () => {
  const tmp = tempDir('bulk-store');
  const clock = new ManualClock();
  let store: Store;
  let recorder: HistoryRecorder;
  const actor = { username: 'supervisor', role: 'supervisor' as const };
  before(async () => {
    store = testStore(tmp.path);
    // 50 stations x 10 points, none connected; ST16 connected.
    await seedNetwork(store, new Auth(store.users), smallNetwork(50, 10));
    store.points.setConnection('ST16', true, new Date(clock.now()).toISOString(), 'station:ST16');
    recorder = new HistoryRecorder(store, clock, () => undefined);
    recorder.start();
  });
  after(() => {
    recorder.stop();
    store.close();
    tmp.remove();
  });

  it('runs the same few statements for 500 points as for one, and keeps every per-point guarantee', () => {
    // BULK0-1 changed by someone else first: the bulk edit based on version 0 conflicts there.
    const first = store.mutations.process(
      setStatus([{ pointId: 'BULK0-1', baseVersion: 0 }], { status: 'Maintenance', reason: 'earlier' }) as Mutation,
      { username: 'operator', role: 'operator' },
    );
    assert.equal(first.outcome.result, 'applied');

    const bulkIds: string[] = [];
    for (let s = 0; s < 50; s++) for (let e = 1; e <= 10; e++) bulkIds.push(`BULK${s}-${e}`);
    const targets = [
      { pointId: 'ST16-1', baseVersion: 0 },
      ...bulkIds.map((pointId) => ({ pointId, baseVersion: 0 })),
      { pointId: 'NOPE-1', baseVersion: 0 },
      { pointId: 'BULK3-3', baseVersion: 0 },
    ];
    const m = setStatus(targets, { status: 'OutOfService', reason: 'site closed', note: 'see ticket' }) as Mutation;
    const { db, runs } = counted(store.db);
    const repo = new MutationsRepo(db, store.changes);
    const seqBefore = store.seq;
    const before = new Map(bulkIds.map((id) => [id, store.points.get(id)!]));
    const at = runs();
    const r = repo.processAll([m], actor)[0];
    const statements = runs() - at;
    // Its id looked up, the points read, updated and audited, its outcome recorded: 5, whatever the points.
    assert.ok(statements <= 5, `${statements} statements for ${targets.length} targets`);

    assert.equal(r.outcome.result, 'partial');
    const byId = new Map(r.outcome.points.map((p) => [p.pointId, p]));
    assert.equal(r.outcome.points.length, targets.length);
    assert.equal(byId.get('BULK0-1')?.result, 'conflict');
    assert.equal(byId.get('BULK0-1')?.current?.status, 'Maintenance');
    assert.equal(byId.get('BULK0-1')?.operatorVersion, 1);
    assert.equal(byId.get('NOPE-1')?.result, 'rejected');
    assert.deepEqual(
      r.outcome.points.filter((p) => p.pointId === 'BULK3-3').map((p) => p.result),
      ['applied', 'rejected'],
      'a point named twice is applied once',
    );
    // Only the connected station's point is to be sent; the others wait for their station.
    assert.deepEqual(r.applied, [
      { pointId: 'ST16-1', stationId: 'ST16', evseId: 1, opVersion: 1, status: 'OutOfService' },
    ]);

    // Seqs in the targets' order, one per point applied, none skipped.
    const appliedIds = ['ST16-1', ...bulkIds.filter((id) => id !== 'BULK0-1')];
    assert.equal(store.seq, seqBefore + appliedIds.length);
    appliedIds.forEach((id, i) => {
      const p = store.points.get(id)!;
      assert.equal(p.seq, seqBefore + 1 + i, id);
      assert.equal(p.operator.status, 'OutOfService');
      assert.equal(p.operator.reason, 'site closed');
      assert.equal(p.operator.note, 'see ticket');
      assert.equal(p.operator.by, 'supervisor');
      assert.equal(p.operator.version, 1);
      if (id !== 'ST16-1') {
        assert.equal(p.version, before.get(id)!.version + 1);
        assert.deepEqual(p.delivery, { state: 'stationOffline', detail: STATION_OFFLINE_DETAIL, at: p.operator.at });
      }
    });
    assert.deepEqual(store.points.get('ST16-1')!.delivery.state, 'saved');
    assert.equal(store.points.get('ST16-1')!.delivery.detail, null);
    assert.equal(store.points.get('BULK0-1')!.operator.status, 'Maintenance', 'the conflict changed nothing');

    // The audit rows: the operator's, then (station away) the delivery's, with the change's seq and mutation id.
    const p = store.points.get('BULK7-4')!;
    assert.deepEqual(
      store.audit
        .history('BULK7-4', 5)
        .map((e) => [e.seq, e.actor, e.fact, e.from, e.to, e.reason, e.note, e.mutationId]),
      [
        [p.seq, 'system', 'delivery', 'confirmed', 'stationOffline', STATION_OFFLINE_DETAIL, null, m.id],
        [p.seq, 'user:supervisor', 'operator', 'Available', 'OutOfService', 'site closed', 'see ticket', m.id],
      ],
    );
    assert.deepEqual(
      store.audit
        .history('ST16-1', 5)
        .filter((e) => e.mutationId === m.id)
        .map((e) => e.fact),
      ['operator'],
      'a point sent to its station has no delivery row yet',
    );
    assert.equal(store.audit.history('BULK0-1', 5).filter((e) => e.mutationId === m.id).length, 0);

    // The history recorder's hook saw every point of the edit, in the same transaction.
    for (const id of ['ST16-1', 'BULK7-4', 'BULK49-10']) {
      const n = store.history.numberOf(id, clock.now());
      assert.equal(store.history.open(n)?.status, 'OutOfService', id);
    }
    assert.equal(store.history.open(store.history.numberOf('BULK0-1', clock.now()))?.status, 'Maintenance');

    // The same id again: its first outcome, nothing applied twice.
    const seqAfter = store.seq;
    const again = repo.processAll([m], actor)[0];
    assert.equal(again.outcome.duplicate, true);
    assert.deepEqual(again.applied, []);
    assert.equal(store.seq, seqAfter);
    assert.equal(store.audit.history('BULK7-4', 5).length, 2);
  });

  it('rolls the whole bulk edit back with a failure in its transaction', () => {
    const targets = ['BULK10-1', 'BULK10-2'].map((pointId) => ({
      pointId,
      baseVersion: store.points.get(pointId)!.operator.version,
    }));
    const seqBefore = store.seq;
    const m = setStatus(targets, { status: 'Available' }, mutationId()) as Mutation;
    const unhook = store.changes.beforeCommit(() => {
      throw new Error('disk full');
    });
    try {
      assert.throws(() => store.mutations.processAll([m], actor), /disk full/);
    } finally {
      unhook();
    }
    assert.equal(store.seq, seqBefore);
    assert.equal(store.points.get('BULK10-1')!.operator.status, 'OutOfService');
    assert.equal(store.audit.history('BULK10-2', 10).length, 2);
    assert.equal(store.mutations.previous(m.id, actor.username), null, 'the id is not spent');
    assert.equal(store.mutations.wasProcessed(m.id), false);
    assert.equal(store.mutations.processAll([m], actor)[0].outcome.result, 'applied');
    assert.equal(store.mutations.wasProcessed(m.id), true, 'processed, for whichever user');
    assert.equal(store.points.get('BULK10-2')!.operator.status, 'Available');
  });
});
