// mutate and history: applied, duplicate replay, conflicts, invalid and forbidden edits, bulk speed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MutateReply } from '../../common/protocol.js';
import { historyReplySchema, mutateReplySchema } from '../../common/protocol.js';
import {
  consoleAs,
  mutationId,
  setStatus,
  smallNetwork,
  startTestBackend,
  type TestBackend,
  type TestConsole,
} from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';

async function mutate(c: TestConsole, ...mutations: unknown[]): Promise<MutateReply> {
  const r = await c.request<MutateReply>('mutate', { mutations }, 30_000);
  assert.ok(r.ok, JSON.stringify(r));
  return mutateReplySchema.parse(r.data);
}

describe('backend: mutations', () => {
  let b: TestBackend;
  let op: TestConsole;
  let op2: TestConsole;
  let viewer: TestConsole;
  let sup: TestConsole;
  before(async () => {
    // 500 stations x 10 points = 5,000 extra points for the bulk test (none connected).
    b = await startTestBackend({ network: smallNetwork(500, 10) });
    op = await consoleAs(b.url, 'operator');
    op2 = await consoleAs(b.url, 'admin');
    viewer = await consoleAs(b.url, 'viewer');
    sup = await consoleAs(b.url, 'supervisor');
  });
  after(async () => {
    for (const c of [op, op2, viewer, sup]) c.close();
    await b.dispose();
  });

  it('applies an edit: new operator state, versions, seq, audit row', async () => {
    const before = b.store.points.get('ST16-1')!;
    const m = setStatus([{ pointId: 'ST16-1', baseVersion: before.operator.version }], {
      status: 'Maintenance',
      reason: 'cable swap',
      note: 'bay 1',
      until: '2030-01-01T18:00:00Z',
    });
    const { outcomes } = await mutate(op, m);
    assert.equal(outcomes[0].result, 'applied');
    assert.equal(outcomes[0].duplicate, false);
    assert.deepEqual(outcomes[0].points, [
      {
        pointId: 'ST16-1',
        result: 'applied',
        reason: null,
        current: null,
        operatorVersion: before.operator.version + 1,
      },
    ]);
    const after = b.store.points.get('ST16-1')!;
    assert.equal(after.operator.status, 'Maintenance');
    assert.equal(after.operator.reason, 'cable swap');
    assert.equal(after.operator.until, '2030-01-01T18:00:00Z');
    assert.equal(after.operator.by, 'operator');
    assert.equal(after.operator.version, before.operator.version + 1);
    assert.ok(after.version > before.version && after.seq > before.seq);
    // the station is not connected: the delivery says so
    await waitFor('stationOffline', () => b.store.points.get('ST16-1')!.delivery.state === 'stationOffline');
    const h = await op.request('history', { pointId: 'ST16-1', limit: 10 });
    assert.ok(h.ok);
    const entries = historyReplySchema.parse(h.data).entries;
    const opRows = entries.filter((e) => e.fact === 'operator');
    assert.equal(opRows.length, 1);
    assert.equal(opRows[0].actor, 'user:operator');
    assert.equal(opRows[0].from, 'Available');
    assert.equal(opRows[0].to, 'Maintenance');
    assert.equal(opRows[0].mutationId, m.id);
    assert.equal(entries[0].fact, 'delivery', 'newest first');
  });

  it('answers a replayed id with the original outcome and applies nothing again', async () => {
    const p = b.store.points.get('ST16-2')!;
    const m = setStatus([{ pointId: 'ST16-2', baseVersion: p.operator.version }], {
      status: 'OutOfService',
      reason: 'broken screen',
    });
    const first = (await mutate(op, m)).outcomes[0];
    const seqAfterFirst = b.store.points.get('ST16-2')!.operator.version;
    const again = (await mutate(op, m)).outcomes[0];
    assert.equal(again.duplicate, true);
    assert.deepEqual({ ...again, duplicate: false }, first);
    // even with different content the id is spent (for the user who sent it: ids are scoped per user, security-attacks)
    const changed = { ...m, edit: { ...m.edit, status: 'Maintenance' } };
    const third = (await mutate(op, changed)).outcomes[0];
    assert.equal(third.duplicate, true);
    assert.equal(third.result, 'applied');
    assert.equal(b.store.points.get('ST16-2')!.operator.version, seqAfterFirst);
    assert.equal(b.store.points.get('ST16-2')!.operator.status, 'OutOfService');
    const rows = b.store.audit.history('ST16-2', 100).filter((e) => e.fact === 'operator');
    assert.equal(rows.length, 1);
  });

  it('answers a conflict when two consoles edit from the same base', async () => {
    const base = b.store.points.get('ST201-1')!.operator.version;
    const mine = setStatus([{ pointId: 'ST201-1', baseVersion: base }], { status: 'Maintenance', reason: 'firmware' });
    const theirs = setStatus([{ pointId: 'ST201-1', baseVersion: base }], {
      status: 'OutOfService',
      reason: 'vandalism',
    });
    const r1 = (await mutate(op, mine)).outcomes[0];
    const r2 = (await mutate(op2, theirs)).outcomes[0];
    assert.equal(r1.result, 'applied');
    assert.equal(r2.result, 'conflict');
    const point = r2.points[0];
    assert.equal(point.result, 'conflict');
    assert.equal(point.current?.status, 'Maintenance');
    assert.equal(point.current?.by, 'operator');
    assert.equal(point.current?.version, base + 1);
    assert.equal(b.store.points.get('ST201-1')!.operator.status, 'Maintenance');
  });

  it('does not treat a station report between base and edit as a conflict', async () => {
    const base = b.store.points.get('ST201-2')!;
    b.store.points.setReported(
      'ST201',
      2,
      { status: 'Occupied', errorCode: null, info: null, at: new Date().toISOString() },
      'station:ST201',
    );
    const now = b.store.points.get('ST201-2')!;
    assert.ok(now.version > base.version, 'the point changed');
    const r = (
      await mutate(
        op,
        setStatus([{ pointId: 'ST201-2', baseVersion: base.operator.version }], {
          status: 'OutOfService',
          reason: 'test',
        }),
      )
    ).outcomes[0];
    assert.equal(r.result, 'applied');
  });

  it('answers unchanged for an edit that is already there', async () => {
    const p = b.store.points.get('ST201-2')!;
    const r = (
      await mutate(
        op,
        setStatus([{ pointId: 'ST201-2', baseVersion: p.operator.version }], {
          status: 'OutOfService',
          reason: 'test',
        }),
      )
    ).outcomes[0];
    assert.equal(r.result, 'applied');
    assert.equal(r.points[0].result, 'unchanged');
    assert.equal(b.store.points.get('ST201-2')!.operator.version, p.operator.version);
  });

  it('rejects an invalid edit with a clear error, changes nothing, and records the id as rejected', async () => {
    const seq = b.store.seq;
    const bad = setStatus([{ pointId: 'ST16-1', baseVersion: 0 }], { status: 'OutOfService', reason: null });
    const r = await op.request('mutate', { mutations: [bad] });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, 'invalid');
      assert.match(r.error.message, /mutations\.0\.edit\.reason/);
      assert.match(r.error.message, /reason is required/);
    }
    assert.equal(b.store.seq, seq, 'nothing changed');
    // the id is spent: a replay answers the recorded rejection, so a queue cannot get stuck on it
    const replay = await op.request<MutateReply>('mutate', {
      mutations: [{ ...bad, edit: { ...bad.edit, reason: 'now valid' } }],
    });
    assert.ok(replay.ok);
    if (replay.ok) {
      assert.equal(replay.data.outcomes[0].duplicate, true);
      assert.equal(replay.data.outcomes[0].result, 'rejected');
      assert.match(replay.data.outcomes[0].reason ?? '', /invalid/);
    }
    const r2 = await op.request('mutate', {
      mutations: [
        setStatus([{ pointId: 'ST16-1', baseVersion: 0 }], { status: 'Available', until: '2030-01-01T00:00:00Z' }),
      ],
    });
    assert.equal(r2.ok, false);
    if (!r2.ok) assert.match(r2.error.message, /until/);
    const r3 = await op.request('mutate', {
      mutations: [setStatus([{ pointId: 'ST16-1', baseVersion: 0 }], { status: 'Occupied' })],
    });
    assert.equal(r3.ok, false);
    const r4 = await op.request('mutate', { mutations: [] });
    assert.equal(r4.ok, false);
    assert.equal(b.store.seq, seq);
  });

  it('rejects unknown points and gives per-point outcomes (partial)', async () => {
    const p = b.store.points.get('BULK0-1')!;
    const r = (
      await mutate(
        sup,
        setStatus(
          [
            { pointId: 'BULK0-1', baseVersion: p.operator.version },
            { pointId: 'NOPE-1', baseVersion: 0 },
          ],
          { status: 'Maintenance', reason: 'x' },
        ),
      )
    ).outcomes[0];
    assert.equal(r.result, 'partial');
    assert.equal(r.points[1].result, 'rejected');
    assert.equal(r.points[1].reason, 'unknown point');
  });

  it('refuses edits a role may not make, and records them as rejected', async () => {
    const p = b.store.points.get('BULK1-1')!;
    const m = setStatus([{ pointId: 'BULK1-1', baseVersion: p.operator.version }], {
      status: 'Maintenance',
      reason: 'x',
    });
    const r = (await mutate(viewer, m)).outcomes[0];
    assert.equal(r.result, 'rejected');
    assert.match(r.reason ?? '', /^forbidden: /);
    assert.equal(r.points[0].result, 'notAllowed');
    assert.equal(b.store.points.get('BULK1-1')!.operator.status, 'Available');
    assert.equal((await mutate(viewer, m)).outcomes[0].duplicate, true, 'the refused id is spent for its sender');
    const bulk = setStatus(
      [1, 2].map((e) => ({ pointId: `BULK1-${e}`, baseVersion: 0 })),
      { status: 'Maintenance', reason: 'x' },
    );
    const rb = (await mutate(op, bulk)).outcomes[0];
    assert.equal(rb.result, 'rejected', 'an operator may not bulk-edit');
    assert.equal((await mutate(sup, { ...bulk, id: mutationId() })).outcomes[0].result, 'applied', 'a supervisor may');
  });

  // Its speed is a benchmark's figure (bench/scale.bench.ts, bulk change), not a timed test's: this one logs it.
  it('applies a bulk edit of 5,000 points in one transaction', async () => {
    const targets = [];
    for (let s = 0; s < 500; s++)
      for (let e = 1; e <= 10; e++)
        targets.push({ pointId: `BULK${s}-${e}`, baseVersion: b.store.points.row(`BULK${s}-${e}`)!.op_version });
    const m = setStatus(targets, { status: 'OutOfService', reason: 'site closed' });
    const t0 = performance.now();
    const r = await mutate(sup, m);
    const ms = performance.now() - t0;
    const outcome = r.outcomes[0];
    assert.equal(outcome.points.length, 5000);
    assert.ok(outcome.points.every((p) => p.result === 'applied' || p.result === 'unchanged'));
    assert.equal(outcome.result, 'applied');
    console.log(`# bulk edit of 5,000 points: ${ms.toFixed(0)} ms round trip`);
    await waitFor(
      'all offline deliveries',
      () => b.store.points.get('BULK499-10')!.delivery.state === 'stationOffline',
    );
  });

  it('answers history newest first, and notFound for an unknown point', async () => {
    const h = await op.request('history', { pointId: 'ST201-1' });
    assert.ok(h.ok);
    const entries = historyReplySchema.parse(h.data).entries;
    const seqs = entries.map((e) => e.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((x, y) => y - x),
    );
    const missing = await op.request('history', { pointId: 'NOPE' });
    assert.equal(missing.ok, false);
    if (!missing.ok) assert.equal(missing.error.code, 'notFound');
    await waitFor('quiet', () => true);
  });
});
