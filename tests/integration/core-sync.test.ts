// The console core against the real backend (socket.io on a free loopback port, demo stations over OCPP-J),
// with a real SQLite cache file.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConsoleApiError } from '../../common/consoleApi.js';
import { dispatch } from '../../electron/core/api/dispatch.js';
import { CACHE_FILE } from '../../electron/core/consoleCore.js';
import { openConsole, startQuietDemoBackend, userOf, waitLive, type Backend } from '../support/consoles.js';
import { startTcpProxy } from '../support/tcpProxy.js';
import { waitFor } from '../support/waitFor.js';
import { firstPointsInGridOrder } from '../../common/naturalOrder.js';

describe('console core against a real backend', () => {
  let backend: Backend;

  before(async () => {
    backend = await startQuietDemoBackend();
  });
  after(async () => {
    await backend.stop();
  });

  test('first sync fills an empty cache file; a restart without a backend shows the cache at once, with its age', async () => {
    const first = openConsole(backend.url, userOf(backend, 'operator'));
    await waitLive(first);
    const network = first.core.getNetwork();
    assert.ok(network.points.length >= 100, `expected the demo network, got ${network.points.length} points`);
    assert.ok(network.sites.length >= 10);
    assert.ok(network.lastSyncAt);
    assert.ok(existsSync(path.join(first.dataDir, CACHE_FILE)));
    await first.close();

    // Nothing listens on this port: the console starts from its cache alone.
    const offline = openConsole('http://127.0.0.1:9', userOf(backend, 'operator'), first.dataDir);
    const cached = offline.core.getNetwork();
    assert.equal(cached.points.length, network.points.length);
    assert.equal(cached.lastSyncAt, network.lastSyncAt);
    // A first screen: the first points in the grid's default order, and how many there are in all.
    const firstScreen = offline.core.getNetwork({ limit: 7 });
    assert.equal(firstScreen.points.length, 7);
    assert.equal(firstScreen.total, network.points.length);
    assert.deepEqual(
      firstScreen.points.map((p) => p.id),
      firstPointsInGridOrder(cached.points, cached.sites, 7).map((p) => p.id),
    );
    await waitFor('the console to say it is offline', () =>
      offline.core.connection().state === 'offline' || offline.core.connection().state === 'signedOut' ? true : null,
    );
    assert.equal(offline.core.connection().lastSyncAt, network.lastSyncAt);
    await offline.close();
  });

  test('an edit is saved locally, applied by the backend, confirmed by the station, and shown on another console', async () => {
    const mine = openConsole(backend.url, userOf(backend, 'operator'));
    const theirs = openConsole(backend.url, userOf(backend, 'supervisor'));
    await Promise.all([waitLive(mine), waitLive(theirs)]);
    const point = mine.core
      .getNetwork()
      .points.find((p) => p.stationConnected && p.reported.status === 'Available' && p.operator.status === 'Available');
    assert.ok(point, 'an idle, connected point');

    const { mutationId } = await mine.core.setStatus({
      pointIds: [point.id],
      edit: { status: 'OutOfService', reason: 'Display broken', note: 'Ticket 4411', until: null },
    });
    assert.ok(mutationId);
    const optimistic = mine.lastPoint(point.id);
    assert.equal(optimistic?.pending?.edit.status, 'OutOfService', 'the row shows the edit before the backend answers');

    await waitFor('the station to confirm', () => {
      const cached = mine.core.cache.point(point.id);
      return cached?.operator.status === 'OutOfService' && cached.delivery.state === 'confirmed';
    });
    const confirmed = mine.core.cache.point(point.id)!;
    assert.equal(confirmed.operator.status, 'OutOfService');
    assert.equal(confirmed.operator.reason, 'Display broken');
    assert.equal(confirmed.reported.status, 'Unavailable');
    assert.equal(mine.core.connection().queued, 0);
    await waitFor(
      'the other console to show it',
      () => theirs.core.cache.point(point.id)?.operator.status === 'OutOfService',
    );
    assert.equal(theirs.lastPoint(point.id)?.operator.by, userOf(backend, 'operator').username);

    const history = await mine.core.getHistory({ pointId: point.id });
    assert.ok(
      history.entries.some((e) => e.fact === 'operator' && e.to === 'OutOfService' && e.mutationId === mutationId),
    );

    await Promise.all([mine.close(), theirs.close()]);
  });

  test('a burst of changes arrives as one batch and is applied to the cache together', async () => {
    const watcher = openConsole(backend.url, userOf(backend, 'operator'));
    const bulk = openConsole(backend.url, userOf(backend, 'supervisor'));
    await Promise.all([waitLive(watcher), waitLive(bulk)]);
    const targets = bulk.core
      .getNetwork()
      .points.filter((p) => p.operator.status === 'Available')
      .slice(0, 60)
      .map((p) => p.id);
    const seqBefore = watcher.core.cache.position().seq;
    const eventsBefore = watcher.events.length;
    await bulk.core.setStatus({
      pointIds: targets,
      edit: { status: 'Maintenance', reason: 'Site-wide inspection', note: null, until: null },
    });
    await waitFor('the watcher to have them all', () =>
      targets.every((id) => watcher.core.cache.point(id)?.operator.status === 'Maintenance'),
    );
    const batches = watcher.events.slice(eventsBefore).filter((e) => e.name === 'points');
    const firstWithTargets = batches.find((e) =>
      (e.payload as { points: { id: string }[] }).points.some((p) => targets.includes(p.id)),
    );
    const ids = new Set((firstWithTargets!.payload as { points: { id: string }[] }).points.map((p) => p.id));
    assert.ok(
      targets.every((id) => ids.has(id)),
      'all 60 operator changes came in one batch and were shown together',
    );
    assert.ok(watcher.core.cache.position().seq >= seqBefore + 60);
    await Promise.all([watcher.close(), bulk.close()]);
  });

  test('a bad call gets a clear error and queues nothing', async () => {
    const console = openConsole(backend.url, userOf(backend, 'operator'));
    await waitLive(console);
    const pointId = console.core.getNetwork().points[0].id;
    const bad = [
      {
        method: 'setStatus',
        params: { pointIds: [pointId], edit: { status: 'Maintenance', reason: '', note: null, until: null } },
        message: /reason/,
      },
      {
        method: 'setStatus',
        params: { pointIds: [pointId], edit: { status: 'Exploded', reason: 'x', note: null, until: null } },
        message: /status/,
      },
      {
        method: 'setStatus',
        params: { pointIds: [], edit: { status: 'Available', reason: null, note: null, until: null } },
        message: /pointIds/,
      },
      {
        method: 'setStatus',
        params: { pointIds: ['nope'], edit: { status: 'Available', reason: null, note: null, until: null } },
        message: /unknown point/,
      },
      { method: 'deleteEverything', params: {}, message: /unknown method/ },
      { method: 'getNetwork', params: { extra: 1 }, message: /params|extra|Unrecognized/i },
      { method: 'getNetwork', params: { limit: 0 }, message: /limit/ },
      { method: 'getNetwork', params: { limit: 'all' }, message: /limit/ },
    ];
    for (const call of bad) {
      await assert.rejects(dispatch(console.core, call.method, call.params), (error: unknown) => {
        assert.ok(error instanceof ConsoleApiError, `${call.method}: ${String(error)}`);
        assert.match(error.message, call.message);
        return true;
      });
    }
    assert.equal(console.core.listOutbox().items.length, 0);
    await console.close();
  });

  test('edits made while the line is cut go through once it is back, exactly once, after catching up', async () => {
    const proxy = await startTcpProxy(backend.port);
    const roaming = openConsole(proxy.url, userOf(backend, 'operator'));
    const watcher = openConsole(backend.url, userOf(backend, 'supervisor'));
    await Promise.all([waitLive(roaming), waitLive(watcher)]);
    const idle = roaming.core
      .getNetwork()
      .points.filter((p) => p.operator.status === 'Available' && p.stationConnected);
    const [a, b, c] = idle;

    await proxy.cut();
    await waitFor('the console to notice', () => roaming.core.connection().state !== 'live');
    // Meanwhile someone else changes another point: the console must catch up on it.
    await watcher.core.setStatus({
      pointIds: [c.id],
      edit: { status: 'Maintenance', reason: 'Planned service', note: null, until: null },
    });
    await roaming.core.setStatus({
      pointIds: [a.id],
      edit: { status: 'Maintenance', reason: 'Cable check', note: null, until: null },
    });
    await roaming.core.setStatus({
      pointIds: [b.id],
      edit: { status: 'Faulted', reason: 'RFID reader dead', note: null, until: null },
    });
    await roaming.core.setStatus({
      pointIds: [a.id],
      edit: { status: 'OutOfService', reason: 'Cable cut', note: null, until: null },
    });
    assert.equal(roaming.core.connection().queued, 3);
    assert.equal(roaming.lastPoint(a.id)?.pending?.state, 'queued');

    await proxy.restore();
    await waitFor(
      'the outbox to drain',
      () => roaming.core.connection().state === 'live' && roaming.core.connection().queued === 0,
      30_000,
    );
    await waitFor(
      'the deltas to arrive',
      () =>
        roaming.core.cache.point(a.id)?.operator.status === 'OutOfService' &&
        roaming.core.cache.point(c.id)?.operator.status === 'Maintenance',
    );
    assert.equal(roaming.core.connection().conflicts, 0, 'my own successive edits of a point do not conflict');
    assert.equal(roaming.core.cache.point(a.id)?.operator.status, 'OutOfService');
    assert.equal(roaming.core.cache.point(b.id)?.operator.status, 'Faulted');
    assert.equal(
      roaming.core.cache.point(c.id)?.operator.status,
      'Maintenance',
      'caught up on the change made meanwhile',
    );
    await waitFor('the watcher to see them', () => watcher.core.cache.point(a.id)?.operator.status === 'OutOfService');

    const history = (await watcher.core.getHistory({ pointId: a.id })).entries.filter((e) => e.fact === 'operator');
    assert.deepEqual(history.map((e) => e.to).reverse(), ['Maintenance', 'OutOfService'], 'each edit once, in order');

    await Promise.all([roaming.close(), watcher.close(), proxy.close()]);
  });

  test('two consoles editing the same point offline: exactly one conflict, shown to the later one, resolvable', async () => {
    const proxyA = await startTcpProxy(backend.port);
    const proxyB = await startTcpProxy(backend.port);
    const first = openConsole(proxyA.url, userOf(backend, 'operator'));
    const second = openConsole(proxyB.url, userOf(backend, 'supervisor'));
    await Promise.all([waitLive(first), waitLive(second)]);
    const point = first.core.getNetwork().points.find((p) => p.operator.status === 'Available' && p.stationConnected)!;
    await Promise.all([proxyA.cut(), proxyB.cut()]);
    await waitFor(
      'both offline',
      () => first.core.connection().state !== 'live' && second.core.connection().state !== 'live',
    );
    await first.core.setStatus({
      pointIds: [point.id],
      edit: { status: 'Maintenance', reason: 'Firmware update', note: null, until: null },
    });
    await second.core.setStatus({
      pointIds: [point.id],
      edit: { status: 'OutOfService', reason: 'Bay flooded', note: null, until: null },
    });

    await proxyA.restore();
    await waitFor(
      'the first edit applied',
      () => first.core.connection().queued === 0 && first.core.cache.point(point.id)?.operator.status === 'Maintenance',
    );
    await proxyB.restore();
    await waitFor('the second to see a conflict', () => second.core.connection().conflicts === 1);
    assert.equal(first.core.connection().conflicts, 0);
    const pending = second.core.getNetwork().points.find((p) => p.id === point.id)!.pending!;
    assert.equal(pending.state, 'conflict');
    assert.equal(pending.edit.status, 'OutOfService');
    assert.equal(pending.theirs?.status, 'Maintenance');
    assert.equal(pending.theirs?.by, userOf(backend, 'operator').username);

    second.core.resolveConflict({ mutationId: pending.mutationId, choice: 'keepMine' });
    await waitFor(
      'mine re-sent on the new base',
      () =>
        second.core.cache.point(point.id)?.operator.status === 'OutOfService' &&
        second.core.connection().conflicts === 0,
    );
    await waitFor(
      'the first console to follow',
      () => first.core.cache.point(point.id)?.operator.status === 'OutOfService',
    );

    await Promise.all([first.close(), second.close(), proxyA.close(), proxyB.close()]);
  });
});
