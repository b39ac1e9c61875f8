// Issue 15, the backend's console and HTTP doors under attack: authorization per request, mutation ids scoped to
// their user, the sign-in slow-down under parallel guesses. Real backend on a free loopback port, real socket.io
// consoles, real HTTP; each test fails without its rule (see docs/security.md, "Backend: console and HTTP attacks").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MutateReply } from '../../common/protocol.js';
import {
  connectConsole,

  setStatus,
  smallNetwork,
  startTestBackend,
  tokenFor,
  type TestBackend,
  type TestConsole,
} from '../../backend/testing/harness.js';
import { openConsole, startQuietDemoBackend, userOf, waitLive } from '../support/consoles.js';
import { startTcpProxy } from '../support/tcpProxy.js';
import { waitFor } from '../support/waitFor.js';

describe('security attacks: authorization per request and mutation ids', () => {
  let b: TestBackend;
  let op: TestConsole;
  let viewer: TestConsole;
  let sup: TestConsole;
  before(async () => {
    // 60 stations x 10 points = 600 extra points (none connected).
    b = await startTestBackend({ network: smallNetwork(60, 10) });
    op = await connectConsole(b.url, await tokenFor(b.url, 'operator'));
    viewer = await connectConsole(b.url, await tokenFor(b.url, 'viewer'));
    sup = await connectConsole(b.url, await tokenFor(b.url, 'supervisor'));
  });
  after(async () => {
    for (const c of [op, viewer, sup]) c?.close();
    await b?.dispose();
  });

  const oneEach = (from: number, n: number, status = 'OutOfService') =>
    Array.from({ length: n }, (_, i) => {
      const pointId = `BULK${Math.floor((from + i) / 10)}-${((from + i) % 10) + 1}`;
      return setStatus([{ pointId, baseVersion: b.store.points.row(pointId)!.op_version }], { status, reason: 'split bulk' });
    });

  it('an operator cannot bulk-edit by splitting: 500 one-point edits in one request are refused whole, nothing recorded', async () => {
    const seq = b.store.seq;
    const mutations = oneEach(0, 500);
    const r = await op.request('mutate', { mutations });
    assert.equal(r.ok, false, JSON.stringify(r).slice(0, 300));
    assert.equal(!r.ok && r.error.code, 'invalid');
    assert.match(!r.ok ? r.error.message : '', /^mutate: role operator may change one point per request \(this one touches 500\)/);
    assert.equal(b.store.seq, seq, 'nothing changed');
    assert.equal(mutations.filter((m) => b.store.mutations.previous(m.id) !== null).length, 0, 'no id spent: each can still be sent alone');
    // Two edits of two points are already a bulk edit.
    const two = await op.request('mutate', { mutations: oneEach(500, 2) });
    assert.equal(!two.ok && two.error.code, 'invalid');
    // The same ids one per request are the operator's to make; a supervisor may send many in one.
    const alone = await op.request<MutateReply>('mutate', { mutations: [mutations[0]] });
    assert.ok(alone.ok && alone.data.outcomes[0].result === 'applied');
    const many = await sup.request<MutateReply>('mutate', { mutations: oneEach(100, 300, 'Maintenance') });
    assert.ok(many.ok && many.data.outcomes.every((o) => o.result === 'applied'), 'a supervisor may change many at once');
  });

  it('two edits of the same point in one request are still one point: an operator may send them together', async () => {
    const pointId = 'BULK50-1';
    const v = b.store.points.row(pointId)!.op_version;
    const first = setStatus([{ pointId, baseVersion: v }], { status: 'Maintenance', reason: 'a' });
    const second = setStatus([{ pointId, baseVersion: v + 1 }], { status: 'OutOfService', reason: 'b' });
    const r = await op.request<MutateReply>('mutate', { mutations: [first, second] });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.data.outcomes.map((o) => o.result), ['applied', 'applied']);
  });

  it("another user's id never collides: a viewer who pre-sends an operator's future ids does not spend them", async () => {
    const pointId = 'BULK55-1';
    const m = setStatus([{ pointId, baseVersion: b.store.points.row(pointId)!.op_version }], { status: 'OutOfService', reason: 'real' }, 'install42-7');
    const squat = await viewer.request<MutateReply>('mutate', { mutations: [{ ...m, edit: { ...m.edit, reason: 'squat' } }] });
    assert.ok(squat.ok && squat.data.outcomes[0].result === 'rejected', 'the viewer is refused');
    const real = await op.request<MutateReply>('mutate', { mutations: [m] });
    assert.ok(real.ok, JSON.stringify(real));
    assert.equal(real.data.outcomes[0].duplicate, false, 'not answered as a duplicate of the viewer’s');
    assert.equal(real.data.outcomes[0].result, 'applied');
    assert.equal(b.store.points.get(pointId)!.operator.status, 'OutOfService');
    // A replay by the same user gets the original outcome, and the id stays spent for good.
    const again = await op.request<MutateReply>('mutate', { mutations: [{ ...m, edit: { ...m.edit, status: 'Maintenance' } }] });
    assert.ok(again.ok && again.data.outcomes[0].duplicate === true);
    assert.deepEqual({ ...again.data.outcomes[0], duplicate: false }, real.data.outcomes[0]);
    assert.equal(b.store.points.get(pointId)!.operator.status, 'OutOfService');
    const viewerAgain = await viewer.request<MutateReply>('mutate', { mutations: [m] });
    assert.ok(viewerAgain.ok && viewerAgain.data.outcomes[0].duplicate && viewerAgain.data.outcomes[0].result === 'rejected', 'the viewer gets its own outcome back');
    // Kept across a restart (it is in the store).
    assert.equal(b.store.mutations.previous('install42-7', 'operator')?.result, 'applied');
    assert.equal(b.store.mutations.previous('install42-7', 'viewer')?.result, 'rejected');
  });
});

describe("security attacks: an operator's offline queue still goes through", () => {
  it('250 queued one-point edits replayed by the real console core: every one applied once (one per request, paced)', { timeout: 120_000 }, async () => {
    const backend = await startQuietDemoBackend();
    const line = await startTcpProxy(backend.port);
    const offline = openConsole(line.url, userOf(backend, 'operator'));
    try {
      await waitLive(offline);
      await line.cut();
      await waitFor('offline', () => offline.core.connection().state !== 'live');
      // 150 points, 100 of them edited twice: 250 requests, beyond the per-connection burst of 200.
      const points = offline.core.getNetwork().points.slice(0, 150);
      assert.equal(points.length, 150, 'the demo network has enough points');
      const edit = (id: string, status: 'Maintenance' | 'OutOfService') =>
        offline.core.setStatus({ pointIds: [id], edit: { status, reason: 'Queued offline', note: null, until: null } }).mutationId;
      const ids = [...points.map((p) => edit(p.id, 'Maintenance')), ...points.slice(0, 100).map((p) => edit(p.id, 'OutOfService'))];
      assert.equal(offline.core.connection().queued, 250);
      await line.restore();
      await waitFor('the outbox to drain', () => offline.core.connection().state === 'live' && offline.core.connection().queued === 0, 60_000, 50);
      const operator = userOf(backend, 'operator').username;
      for (const id of ids) assert.equal(backend.store.mutations.previous(id, operator)?.result, 'applied', id);
      points.forEach((p, i) => {
        const entries = backend.store.audit.history(p.id, 10).filter((e) => e.fact === 'operator');
        assert.deepEqual(entries.map((e) => e.to).reverse(), i < 100 ? ['Maintenance', 'OutOfService'] : ['Maintenance'], `${p.id}: each edit once, in order`);
      });
    } finally {
      await offline.close();
      await line.close();
      await backend.stop();
    }
  });
});


