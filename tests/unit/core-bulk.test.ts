// Bulk changes and their undo, in the console core against the real backend (socket.io on a free loopback port,
// demo stations over OCPP-J) with a real SQLite cache file.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConsoleApiError, type EventPayload } from '../../common/consoleApi.js';
import type { MutationOutcome, OperatorState } from '../../common/model.js';
import { dispatch } from '../../electron/core/api/dispatch.js';
import {
  openConsole,
  startQuietDemoBackend,
  userOf,
  waitLive,
  type Backend,
  type TestConsole,
} from '../support/consoles.js';
import { startTcpProxy } from '../support/tcpProxy.js';
import { waitFor } from '../support/waitFor.js';

const outcomeOf = (c: TestConsole, mutationId: string): MutationOutcome | null => {
  for (const e of c.events) {
    if (e.name === 'outcome' && (e.payload as EventPayload<'outcome'>).outcome.mutationId === mutationId)
      return (e.payload as EventPayload<'outcome'>).outcome;
  }
  return null;
};

const op = (c: TestConsole, id: string): OperatorState => c.core.cache.point(id)!.operator;

describe('bulk changes and undo', () => {
  let backend: Backend;
  const used = new Set<string>();
  /** Idle, connected points with no operator status, not used by another test. */
  const fresh = (c: TestConsole, n: number) => {
    const points = c.core
      .getNetwork()
      .points.filter(
        (p) =>
          !used.has(p.id) &&
          p.stationConnected &&
          p.operator.status === 'Available' &&
          p.reported.status === 'Available',
      )
      .slice(0, n);
    assert.equal(points.length, n, `${n} idle points`);
    for (const p of points) used.add(p.id);
    return points;
  };

  before(async () => {
    backend = await startQuietDemoBackend();
  });
  after(async () => {
    await backend.stop();
  });

  test('edits made in one turn share one sync, and are shown as saved only once on disk', async () => {
    const c = openConsole(backend.url, userOf(backend, 'supervisor'));
    await waitLive(c);
    const points = fresh(c, 3);
    const syncsBefore = c.core.editSyncs;
    const eventsBefore = c.events.length;
    const saves = points.map((p) =>
      c.core.setStatus({
        pointIds: [p.id],
        edit: { status: 'Maintenance', reason: 'Group commit', note: null, until: null },
      }),
    );
    const pendingShown = () =>
      c.events
        .slice(eventsBefore)
        .some(
          (e) =>
            e.name === 'points' &&
            (e.payload as EventPayload<'points'>).points.some((p) => p.pending?.edit.reason === 'Group commit'),
        );
    assert.equal(pendingShown(), false, 'nothing shown as saved before the sync');
    assert.equal(c.core.listOutbox().items.length >= 3, true, 'yet queued at once');
    const saved = await Promise.all(saves);
    assert.equal(c.core.editSyncs, syncsBefore + 1, 'one sync for the three');
    assert.equal(new Set(saved.map((s) => s.mutationId)).size, 3);
    assert.ok(pendingShown(), 'shown as saved once on disk');
    await waitFor('all three applied', () => points.every((p) => op(c, p.id).status === 'Maintenance'));
    await c.close();
  });

  test('undo restores each point’s previous operator state (mixed), as one action with its own outcomes', async () => {
    const c = openConsole(backend.url, userOf(backend, 'supervisor'));
    await waitLive(c);
    const [a, b, d, e, f, g] = fresh(c, 6);
    // Mixed previous states: two in Maintenance (one reason), one Out of Service until tomorrow, the rest Available.
    const until = new Date(Date.now() + 86_400_000).toISOString();
    await c.core.setStatus({
      pointIds: [a.id, b.id],
      edit: { status: 'Maintenance', reason: 'Firmware update', note: 'T-1', until: null },
    });
    await c.core.setStatus({
      pointIds: [d.id],
      edit: { status: 'OutOfService', reason: 'Bay flooded', note: null, until },
    });
    await waitFor(
      'the earlier states applied',
      () =>
        op(c, a.id).status === 'Maintenance' &&
        op(c, b.id).status === 'Maintenance' &&
        op(c, d.id).status === 'OutOfService',
    );

    const all = [a, b, d, e, f, g].map((p) => p.id);
    const { mutationId, queued } = await c.core.setStatus({
      pointIds: all,
      edit: { status: 'Faulted', reason: 'Storm damage', note: null, until: null },
    });
    assert.equal(queued, 6);
    const bulkOutcome = await waitFor('the bulk outcome', () => outcomeOf(c, mutationId));
    assert.equal(bulkOutcome.points.length, 6, 'one outcome per point');
    assert.ok(bulkOutcome.points.every((p) => p.result === 'applied'));
    await waitFor('all Faulted', () => all.every((id) => op(c, id).status === 'Faulted'));

    const undo = (await dispatch(c.core, 'undoBulk', { mutationId })) as Awaited<ReturnType<typeof c.core.undoBulk>>;
    assert.equal(undo.mutations.length, 3, 'one restoring edit per distinct previous state');
    assert.deepEqual(undo.skipped, []);
    const byStatus = new Map(undo.mutations.map((m) => [m.edit.status, m]));
    assert.deepEqual(new Set(byStatus.get('Maintenance')!.pointIds), new Set([a.id, b.id]));
    assert.deepEqual(byStatus.get('OutOfService')!.pointIds, [d.id]);
    assert.deepEqual(new Set(byStatus.get('Available')!.pointIds), new Set([e.id, f.id, g.id]));

    for (const m of undo.mutations) {
      const outcome = await waitFor(`the undo outcome ${m.mutationId}`, () => outcomeOf(c, m.mutationId));
      assert.equal(outcome.result, 'applied');
      assert.equal(outcome.points.length, m.pointIds.length);
    }
    await waitFor(
      'the previous states back',
      () =>
        op(c, a.id).status === 'Maintenance' &&
        op(c, d.id).status === 'OutOfService' &&
        op(c, g.id).status === 'Available',
    );
    for (const id of [a.id, b.id])
      assert.deepEqual([op(c, id).reason, op(c, id).note, op(c, id).until], ['Firmware update', 'T-1', null]);
    assert.deepEqual([op(c, d.id).reason, op(c, d.id).until], ['Bay flooded', until]);
    for (const id of [e.id, f.id, g.id]) assert.equal(op(c, id).reason, null);
    await waitFor('the stations confirm', () =>
      [d.id, g.id].every((id) => c.core.cache.point(id)?.delivery.state === 'confirmed'),
    );

    // Undone once only; and the undo itself can be undone (back to Faulted).
    await assert.rejects(dispatch(c.core, 'undoBulk', { mutationId }), /already undone/);
    const redo = c.core.undoBulk({ mutationIds: undo.mutationIds });
    assert.equal(redo.mutations.length, 1);
    assert.equal(redo.mutations[0].edit.status, 'Faulted');
    await waitFor('Faulted again', () => all.every((id) => op(c, id).status === 'Faulted'));
    await c.close();
  });

  test('undo does not overwrite someone else’s later change: that point answers conflict, the rest are restored', async () => {
    const mine = openConsole(backend.url, userOf(backend, 'supervisor'));
    const theirs = openConsole(backend.url, userOf(backend, 'operator'));
    await Promise.all([waitLive(mine), waitLive(theirs)]);
    const points = fresh(mine, 3);
    const ids = points.map((p) => p.id);
    const { mutationId } = await mine.core.setStatus({
      pointIds: ids,
      edit: { status: 'Maintenance', reason: 'Cleaning', note: null, until: null },
    });
    await waitFor(
      'applied',
      () =>
        ids.every((id) => op(mine, id).status === 'Maintenance') &&
        ids.every((id) => theirs.core.cache.point(id)?.operator.status === 'Maintenance'),
    );
    await theirs.core.setStatus({
      pointIds: [ids[0]],
      edit: { status: 'Faulted', reason: 'Cable cut', note: null, until: null },
    });
    await waitFor('their change seen', () => op(mine, ids[0]).status === 'Faulted');

    const undo = mine.core.undoBulk({ mutationId });
    assert.equal(undo.mutations.length, 1);
    const outcome = await waitFor('the undo outcome', () => outcomeOf(mine, undo.mutationIds[0]));
    assert.equal(outcome.result, 'partial');
    assert.equal(outcome.points.find((p) => p.pointId === ids[0])?.result, 'conflict');
    assert.equal(outcome.points.find((p) => p.pointId === ids[0])?.current?.status, 'Faulted');
    await waitFor(
      'the others restored',
      () => op(mine, ids[1]).status === 'Available' && op(mine, ids[2]).status === 'Available',
    );
    assert.equal(op(mine, ids[0]).status, 'Faulted', 'their change stands');
    await Promise.all([mine.close(), theirs.close()]);
  });

  test('offline: a bulk change queues, survives a restart, replays exactly once; its undo (also offline) too', async () => {
    const line = await startTcpProxy(backend.port);
    const supervisor = userOf(backend, 'supervisor');
    let c = openConsole(line.url, supervisor);
    await waitLive(c);
    const points = fresh(c, 8);
    const ids = points.map((p) => p.id);
    await line.cut();
    await waitFor('offline', () => c.core.connection().state !== 'live');

    const { mutationId } = await c.core.setStatus({
      pointIds: ids,
      edit: { status: 'OutOfService', reason: 'Site closed', note: null, until: null },
    });
    assert.equal(c.core.connection().queued, 1, 'a bulk change is one queued mutation');
    assert.ok(ids.every((id) => c.lastPoint(id)?.pending?.state === 'queued'));
    const dataDir = c.dataDir;
    await c.close();

    // Restarted while still offline: the queue and the undo memory are both still there.
    c = openConsole(line.url, supervisor, dataDir);
    assert.equal(c.core.connection().queued, 1);
    assert.equal(c.core.bulk.describe(mutationId)?.points.length, 8);
    await line.restore();
    await waitFor(
      'the queue to drain',
      () => c.core.connection().state === 'live' && c.core.connection().queued === 0,
      30_000,
    );
    await waitFor('applied', () => ids.every((id) => op(c, id).status === 'OutOfService'));

    // Offline again: undo queues too, and replays once.
    await line.cut();
    await waitFor('offline', () => c.core.connection().state !== 'live');
    const undo = c.core.undoBulk({ mutationId });
    assert.equal(undo.mutations.length, 1);
    assert.equal(c.core.connection().queued, 1);
    await line.restore();
    await waitFor(
      'the undo to drain',
      () => c.core.connection().state === 'live' && c.core.connection().queued === 0,
      30_000,
    );
    await waitFor('restored', () => ids.every((id) => op(c, id).status === 'Available'));

    for (const id of ids) {
      const history = (await c.core.getHistory({ pointId: id })).entries.filter((e) => e.fact === 'operator');
      assert.deepEqual(
        history.map((e) => [e.mutationId, e.to]).reverse(),
        [
          [mutationId, 'OutOfService'],
          [undo.mutationIds[0], 'Available'],
        ],
        `${id}: the bulk change once, then its undo once`,
      );
    }
    await c.close();
    await line.close();
  });

  test('undo while the bulk change is still queued: both replay in order, exactly once', async () => {
    const line = await startTcpProxy(backend.port);
    const c = openConsole(line.url, userOf(backend, 'supervisor'));
    await waitLive(c);
    const ids = fresh(c, 3).map((p) => p.id);
    await line.cut();
    await waitFor('offline', () => c.core.connection().state !== 'live');
    const { mutationId } = await c.core.setStatus({
      pointIds: ids,
      edit: { status: 'Maintenance', reason: 'Inspection', note: null, until: null },
    });
    const undo = c.core.undoBulk({ mutationId });
    assert.equal(c.core.connection().queued, 2);
    await line.restore();
    await waitFor('drained', () => c.core.connection().state === 'live' && c.core.connection().queued === 0, 30_000);
    assert.equal(outcomeOf(c, mutationId)?.result, 'applied');
    assert.equal(
      outcomeOf(c, undo.mutationIds[0])?.result,
      'applied',
      'the undo is based on the version the bulk produced: no conflict',
    );
    await waitFor('back to Available', () =>
      ids.every((id) => op(c, id).status === 'Available' && op(c, id).version === 2),
    );
    await c.close();
    await line.close();
  });

  test('bad params and refusals get clear errors and queue nothing', async () => {
    const c = openConsole(backend.url, userOf(backend, 'operator'));
    await waitLive(c);
    const [p, q] = fresh(c, 2);
    const bad: { params: unknown; message: RegExp; code: string }[] = [
      { params: {}, message: /undoBulk: mutationId: give either mutationId or mutationIds/, code: 'invalid' },
      {
        params: { mutationId: 'abcdefgh-1', mutationIds: ['abcdefgh-1'] },
        message: /either mutationId or mutationIds/,
        code: 'invalid',
      },
      { params: { mutationId: '' }, message: /mutationId/, code: 'invalid' },
      { params: { mutationId: 'x; DROP TABLE outbox' }, message: /mutationId: a mutation id/, code: 'invalid' },
      { params: { mutationIds: [] }, message: /mutationIds/, code: 'invalid' },
      { params: { mutationId: 'abcdefgh-1', extra: true }, message: /extra|Unrecognized/i, code: 'invalid' },
      { params: { mutationId: 'nosuch-42' }, message: /no change nosuch-42 is remembered/, code: 'notFound' },
    ];
    for (const call of bad) {
      await assert.rejects(dispatch(c.core, 'undoBulk', call.params), (error: unknown) => {
        assert.ok(error instanceof ConsoleApiError, String(error));
        assert.equal(error.code, call.code, error.message);
        assert.match(error.message, call.message);
        return true;
      });
    }
    // An operator may not bulk edit: refused at once, nothing queued.
    await assert.rejects(
      dispatch(c.core, 'setStatus', {
        pointIds: [p.id, q.id],
        edit: { status: 'Maintenance', reason: 'x', note: null, until: null },
      }),
      (error: unknown) =>
        error instanceof ConsoleApiError && error.code === 'forbidden' && /several points/.test(error.message),
    );
    assert.equal(c.core.listOutbox().items.length, 0);

    // An edit that changed nothing cannot be undone, and says why.
    const { mutationId } = await c.core.setStatus({
      pointIds: [p.id],
      edit: { status: 'Available', reason: null, note: null, until: null },
    });
    await waitFor('its outcome', () => outcomeOf(c, mutationId));
    await assert.rejects(dispatch(c.core, 'undoBulk', { mutationId }), /nothing to undo.*already had that status/);
    assert.equal(c.core.listOutbox().items.length, 0);
    await c.close();
  });
});
