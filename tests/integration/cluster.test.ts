// Several backend instances on one PostgreSQL (docs/cluster.md), with real consoles (socket.io) and real OCPP-J
// stations: a change made through one instance reaches the station held by another and every instance's consoles,
// in order and without gaps; one instance leads; when an instance is killed (SIGKILL), its stations are marked
// offline, reconnect to another instance and are sent their operator status again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONSOLE_EVENTS, LOGIN_PATH, type Changes, type Liveness } from '../../common/protocol.js';
import type { Point } from '../../common/model.js';
import type { MutateReply } from '../../common/protocol.js';
import {
  connectConsole,
  connectStation,
  seedStore,
  setStatus,
  smallNetwork,
  startTestBackend,
  tokenFor,
  type TestBackend,
  type TestConsole,
  type TestStation,
} from '../support/backendHarness.js';
import { startBackendProcess, type BackendProcess } from '../support/backendProcess.js';
import type { BackendOptions } from '../../backend/server.js';
import { Store } from '../../backend/store/index.js';
import { tempDir } from '../support/tempDir.js';
import { disposeStoreOf, onPostgres, storeLocationFor, testStore } from '../support/testStore.js';
import { waitFor } from '../support/waitFor.js';

const skip = onPostgres ? false : 'needs PostgreSQL: runs in the step "node (backend on PostgreSQL)"';

/** The last state of each point a console was sent, and whether its batches were contiguous and in order. */
function seen(c: TestConsole): { points: Map<string, Point>; problems: string[] } {
  const points = new Map<string, Point>();
  const problems: string[] = [];
  let last: Changes | null = null;
  for (const batch of c.changes) {
    if (last && batch.fromSeq !== last.toSeq + 1) problems.push(`gap or overlap: ${last.toSeq} then ${batch.fromSeq}`);
    let prev = batch.fromSeq - 1;
    for (const p of batch.points) {
      if (p.seq <= prev || p.seq > batch.toSeq) problems.push(`point ${p.id} seq ${p.seq} out of order`);
      prev = p.seq;
      points.set(p.id, p);
    }
    last = batch;
  }
  return { points, problems };
}

async function edit(c: TestConsole, pointId: string, baseVersion: number, status: string): Promise<void> {
  const r = await c.request<MutateReply>('mutate', {
    mutations: [setStatus([{ pointId, baseVersion }], { status, reason: 'cluster test' })],
  });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.data.outcomes[0].result, 'applied', JSON.stringify(r.data.outcomes[0]));
}

/** n instances on one seeded store. */
async function startInstances(dataDir: string, n: number, opts: Partial<BackendOptions>): Promise<TestBackend[]> {
  await seedStore(dataDir, smallNetwork());
  const started: TestBackend[] = [];
  for (let i = 0; i < n; i++) started.push(await startTestBackend({ dataDir, network: null, ...opts }));
  return started;
}

function everyConsoleSeesConfirmed(consoles: TestConsole[], pointId: string, status: string): Promise<unknown> {
  return waitFor(
    `every console sees ${pointId} confirmed ${status}`,
    () =>
      consoles.every((c) => {
        const p = seen(c).points.get(pointId);
        return p?.operator.status === status && p.delivery.state === 'confirmed';
      }),
    15_000,
  );
}

/** The station reports what it was told before it answers, as many stations do: the change is then confirmed. */
function confirmsChanges(st: TestStation): void {
  st.beforeAnswer = async (params) => {
    const evse = Number(params.connectorId ?? params.evse?.id ?? 1);
    await st.status(
      evse,
      params.type === 'Inoperative' || params.operationalStatus === 'Inoperative' ? 'Unavailable' : 'Available',
    );
  };
}

describe('cluster: three instances on one PostgreSQL', { skip }, () => {
  const tmp = tempDir('cluster');
  const instances: TestBackend[] = [];
  const consoles: TestConsole[] = [];
  const stations: TestStation[] = [];

  before(async () => {
    instances.push(...(await startInstances(tmp.path, 3, { clusterCheckMs: 100 })));
    for (const b of instances) consoles.push(await connectConsole(b.url, await tokenFor(b.url, 'operator')));
  });
  after(async () => {
    for (const c of consoles) c.close();
    for (const s of stations) await s.close().catch(() => undefined);
    for (const b of instances) await b.stop().catch(() => undefined);
    disposeStoreOf(tmp.path);
    tmp.remove();
  });

  it('one instance leads', async () => {
    await waitFor('a leader', () => instances.some((b) => b.cluster?.isLeader));
    assert.equal(instances.filter((b) => b.cluster?.isLeader).length, 1);
    assert.equal(new Set(instances.map((b) => b.cluster?.instance)).size, 3);
  });

  it('a change made on one instance is sent once by the instance holding the station, and every console sees it', async () => {
    const [a, b] = instances;
    const st = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
    stations.push(st);
    confirmsChanges(st);
    await st.boot();
    await st.status(1, 'Available');
    await st.status(2, 'Available');
    await waitFor('ST16 connected, seen by instance A', () => a.store.points.get('ST16-1')?.stationConnected);

    await edit(consoles[0], 'ST16-1', a.store.points.get('ST16-1')!.operator.version, 'OutOfService');
    await waitFor('the ChangeAvailability at the station', () => st.received.length === 1);
    await everyConsoleSeesConfirmed(consoles, 'ST16-1', 'OutOfService');
    // A second change: the station gets it after the first, and the first was not sent again meanwhile.
    await edit(consoles[2], 'ST16-1', a.store.points.get('ST16-1')!.operator.version, 'Available');
    await waitFor('the second ChangeAvailability', () => st.received.length >= 2);
    await waitFor(
      'every console sees ST16-1 confirmed Available',
      () =>
        consoles.every(
          (c) =>
            seen(c).points.get('ST16-1')?.delivery.state === 'confirmed' &&
            seen(c).points.get('ST16-1')?.operator.status === 'Available',
        ),
      15_000,
    );
    assert.deepEqual(
      st.received.map((r) => r.type),
      ['Inoperative', 'Operative'],
    );
    for (const c of consoles) assert.deepEqual(seen(c).problems, []);
    const finals = consoles.map((c) => JSON.stringify(seen(c).points.get('ST16-1')));
    assert.equal(new Set(finals).size, 1, 'every console ends with the same ST16-1');
  });

  it('a re-send asked on an instance that does not hold the station is sent by the one that does, once', async () => {
    const [a] = instances;
    const st = stations[0];
    st.answer = 'Rejected';
    const sentBefore = st.received.length;
    await edit(consoles[0], 'ST16-2', a.store.points.get('ST16-2')!.operator.version, 'Maintenance');
    await waitFor('rejected by the station', () => a.store.points.get('ST16-2')!.delivery.state === 'rejected');
    st.answer = 'Accepted';
    const r = await consoles[0].request<{ result: string; message: string }>('deliveryAction', {
      pointId: 'ST16-2',
      action: 'resend',
      operatorVersion: a.store.points.get('ST16-2')!.operator.version,
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.data.result, 'resent', r.data.message);
    await waitFor('confirmed after the re-send', () => a.store.points.get('ST16-2')!.delivery.state === 'confirmed');
    // Later changes on other points make every instance read the saved rows again: the re-send is not repeated.
    await edit(consoles[1], 'ST16-1', a.store.points.get('ST16-1')!.operator.version, 'OutOfService');
    await waitFor('the later change at the station', () => st.received.length === sentBefore + 3);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      st.received.slice(sentBefore).map((c) => [c.connectorId, c.type]),
      [
        [2, 'Inoperative'],
        [2, 'Inoperative'],
        [1, 'Inoperative'],
      ],
    );
  });

  it('a change that went with a connection while its station is connected again elsewhere is sent again there, once', async () => {
    const [a] = instances;
    const st = stations[0];
    // The station holds its answer (as one busy with a session does), so B's send waits for it.
    let release = () => undefined as void;
    const held = new Promise<void>((r) => (release = r));
    const confirm = st.beforeAnswer;
    st.beforeAnswer = async (params) => {
      await held;
      await confirm?.(params);
    };
    const sentBefore = st.received.length;
    await edit(consoles[1], 'ST16-2', a.store.points.get('ST16-2')!.operator.version, 'Available');
    await waitFor('sent by B', () => st.received.length === sentBefore + 1);
    await waitFor(
      'B is waiting for the answer',
      () => a.store.points.get('ST16-2')!.delivery.state === 'sentToStation',
    );
    // What A does when it finds the station's earlier connection gone (a sweep of a dead instance, or its own
    // connection closing) while the station is already connected to B again.
    a.delivery.stationOffline('ST16');
    await waitFor('saved for B to send again', () => a.store.points.get('ST16-2')!.delivery.state === 'saved');
    assert.match(
      a.store.points.get('ST16-2')!.delivery.detail ?? '',
      /^sent again: the connection it went out on closed/,
    );
    // B sends a station one command at a time: the second after the first is answered.
    st.beforeAnswer = confirm;
    release();
    await waitFor('B sends it again', () => st.received.length === sentBefore + 2);
    await waitFor(
      'every console sees ST16-2 confirmed Available',
      () => consoles.every((c) => seen(c).points.get('ST16-2')?.delivery.state === 'confirmed'),
      15_000,
    );
    // A later change goes to the station after anything B still held for it: a third send of ST16-2 would come first.
    await edit(consoles[2], 'ST16-1', a.store.points.get('ST16-1')!.operator.version, 'Available');
    await waitFor('the later change at the station', () => st.received.length >= sentBefore + 3);
    assert.deepEqual(
      st.received.slice(sentBefore).map((c) => [c.connectorId, c.type]),
      [
        [2, 'Operative'],
        [2, 'Operative'],
        [1, 'Operative'],
      ],
      'ST16-2 sent again once, not more',
    );
  });

  it('a station that moved to another instance stays connected when its old connection closes late; changes reach it', async () => {
    const [a, b] = instances;
    // The station loses its line to A and connects to B before A notices (a half-open connection found by ping, or
    // a load balancer that moved it): A's close comes after B holds it.
    const old = await connectStation(a.ocppUrl, 'ST201', 'ocpp2.0.1');
    await old.boot();
    await old.status(1, 'Available');
    await old.status(2, 'Available');
    await waitFor('ST201 connected through A', () => b.store.points.get('ST201-1')?.stationConnected);
    const moved = await connectStation(b.ocppUrl, 'ST201', 'ocpp2.0.1');
    stations.push(moved);
    confirmsChanges(moved);
    await moved.boot();
    await moved.status(1, 'Available');
    await waitFor('ST201 held by B', () => a.store.stations.get('ST201')?.held_by === b.cluster?.instance);
    await old.close();
    await waitFor('A saw its connection close', () => a.logs.some((l) => /station ST201 offline/.test(l)));

    await waitFor('every console sees ST201 connected', () =>
      consoles.every((c) => seen(c).points.get('ST201-1')?.stationConnected === true),
    );
    assert.equal(a.store.points.get('ST201-1')!.stationConnected, true, 'the store has ST201 connected (held by B)');
    await edit(consoles[0], 'ST201-1', a.store.points.get('ST201-1')!.operator.version, 'OutOfService');
    await everyConsoleSeesConfirmed(consoles, 'ST201-1', 'OutOfService');
    assert.deepEqual(
      moved.received.map((r) => [r.evse?.id, r.operationalStatus]),
      [[1, 'Inoperative']],
    );
  });

  it('when the leader stops, another instance takes the lead', async () => {
    const leader = instances.find((b) => b.cluster?.isLeader)!;
    await leader.stop();
    instances.splice(instances.indexOf(leader), 1);
    await waitFor('a new leader', () => instances.some((b) => b.cluster?.isLeader), 10_000);
    assert.equal(instances.filter((b) => b.cluster?.isLeader).length, 1);
  });
});

describe('cluster: station liveness on every instance', { skip }, () => {
  const tmp = tempDir('cluster-liveness');
  const instances: TestBackend[] = [];
  const consoles: TestConsole[] = [];
  let st: TestStation | null = null;

  before(async () => {
    instances.push(
      ...(await startInstances(tmp.path, 2, {
        clusterCheckMs: 100,
        liveness: { pingIntervalMs: 300, silentAfterMs: 8000, offlineAfterMs: 600_000 },
        livenessFanout: { stateFlushMs: 50 },
        alertRules: { offlineHoldOffMs: 500 },
      })),
    );
    for (const b of instances) consoles.push(await connectConsole(b.url, await tokenFor(b.url, 'operator')));
  });
  after(async () => {
    for (const c of consoles) c.close();
    await st?.close().catch(() => undefined);
    for (const b of instances) await b.stop().catch(() => undefined);
    disposeStoreOf(tmp.path);
    tmp.remove();
  });

  const livenessOf = async (c: TestConsole, stationId: string): Promise<string | undefined> => {
    const r = await c.request<Liveness>('liveness', {});
    assert.ok(r.ok, JSON.stringify(r));
    return r.data.stations.find(([id]) => id === stationId)?.[1];
  };
  const everyConsoleSays = (state: string) =>
    waitFor(`every console says ST16 is ${state}`, async () => {
      const states = await Promise.all(consoles.map((c) => livenessOf(c, 'ST16')));
      if (states.every((s) => s === state)) return true;
      throw new Error(`the consoles say ${states.join(', ')}`);
    });

  it('consoles on an instance that does not hold the station see it Online, Silent and Offline as its holder does; the leader alerts', async () => {
    await waitFor('a leader', () => instances.some((b) => b.cluster?.isLeader));
    const leader = instances.find((b) => b.cluster?.isLeader)!;
    const holder = instances.find((b) => b !== leader)!;
    const offlineAlert = () => leader.store.alerts.openFor('station:ST16:offline');
    // A station that sends its messages but does not answer the backend's pings: Silent once it stops talking.
    st = await connectStation(holder.ocppUrl, 'ST16', 'ocpp1.6', { answerPings: false });
    await st.boot();
    await st.status(1, 'Available');
    await everyConsoleSays('online');
    await everyConsoleSays('silent');
    await waitFor('the leader alerts on the silent station another instance holds', () => offlineAlert());
    assert.match(offlineAlert()!.evidence, /silent/);
    await st.status(1, 'Available');
    await everyConsoleSays('online');
    await waitFor('the alert resolved', () => offlineAlert() === null);
    await st.close();
    await everyConsoleSays('offline');
    assert.equal(await livenessOf(consoles[0], 'ST201'), 'offline', 'a station never connected stays Offline');
  });
});

describe('cluster: a station that leaves the leader for another instance between two checks', { skip }, () => {
  const tmp = tempDir('cluster-moved-alert');
  const instances: TestBackend[] = [];
  let st: TestStation | null = null;
  before(async () => {
    // Checks 3 s apart: the station is gone from the leader and back on the other instance before the next one.
    instances.push(
      ...(await startInstances(tmp.path, 2, { clusterCheckMs: 3000, alertRules: { offlineHoldOffMs: 300 } })),
    );
  });
  after(async () => {
    await st?.close().catch(() => undefined);
    for (const b of instances) await b.stop().catch(() => undefined);
    disposeStoreOf(tmp.path);
    tmp.remove();
  });

  it('its offline alert on the leader resolves once the leader reads it is connected elsewhere', async () => {
    await waitFor('a leader', () => instances.some((b) => b.cluster?.isLeader), 15_000);
    const leader = instances.find((b) => b.cluster?.isLeader)!;
    const other = instances.find((b) => b !== leader)!;
    const alert = () => leader.store.alerts.openFor('station:ST16:offline');
    const onLeader = await connectStation(leader.ocppUrl, 'ST16', 'ocpp1.6');
    await onLeader.boot();
    await onLeader.status(1, 'Available');
    await onLeader.close();
    await waitFor('the leader saw it go', () => leader.store.stations.get('ST16')?.connected === 0);
    st = await connectStation(other.ocppUrl, 'ST16', 'ocpp1.6');
    await st.boot();
    await st.status(1, 'Available');
    await waitFor('the leader raises the offline alert after its hold-off', () => alert());
    await waitFor('and resolves it at its next read', () => alert() === null, 15_000);
  });
});

describe('cluster: alert rules changed through an instance that does not lead', { skip }, () => {
  const tmp = tempDir('cluster-rules');
  const instances: TestBackend[] = [];
  before(async () => {
    instances.push(...(await startInstances(tmp.path, 2, { clusterCheckMs: 100 })));
  });
  after(async () => {
    for (const b of instances) await b.stop().catch(() => undefined);
    disposeStoreOf(tmp.path);
    tmp.remove();
  });

  it('apply on the leader, which runs them', async () => {
    await waitFor('a leader', () => instances.some((b) => b.cluster?.isLeader));
    const leader = instances.find((b) => b.cluster?.isLeader)!;
    const other = instances.find((b) => b !== leader)!;
    const supervisor = await connectConsole(other.url, await tokenFor(other.url, 'supervisor'));
    try {
      const rules = { ...leader.alerts.rules, offlineHoldOffMs: 7 * 60_000 };
      const r = await supervisor.request(CONSOLE_EVENTS.alertAction, { action: 'setRules', rules, version: 0 });
      assert.ok(r.ok, JSON.stringify(r));
      await waitFor('the leader runs the new rules', () => leader.alerts.rules.offlineHoldOffMs === 7 * 60_000);
    } finally {
      supervisor.close();
    }
  });
});

describe('cluster: password guesses spread over the instances', { skip }, () => {
  const tmp = tempDir('cluster-login');
  const instances: TestBackend[] = [];
  before(async () => {
    instances.push(
      ...(await startInstances(tmp.path, 2, {
        loginLimits: { perUser: 3, perAddress: 1000, baseLockMs: 60_000, maxLockMs: 60_000 },
      })),
    );
  });
  after(async () => {
    for (const b of instances) await b.stop().catch(() => undefined);
    disposeStoreOf(tmp.path);
    tmp.remove();
  });

  const signIn = async (b: TestBackend, password: string) =>
    (
      await fetch(b.url + LOGIN_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'operator', password }),
      })
    ).status;

  it('are counted together: a username locked through one instance is locked on every one', async () => {
    const [a, b] = instances;
    assert.equal(await signIn(a, 'guess-1'), 401);
    assert.equal(await signIn(b, 'guess-2'), 401);
    assert.equal(await signIn(a, 'guess-3'), 401);
    assert.equal(
      await signIn(b, 'operator-pass-1'),
      429,
      'the third guess, made on the other instance, locked it here',
    );
    assert.equal(await signIn(a, 'operator-pass-1'), 429);
  });
});

describe('cluster: the seq each instance reads', { skip }, () => {
  const tmp = tempDir('cluster-seq');
  const stores: Store[] = [];
  before(async () => {
    await seedStore(tmp.path, smallNetwork());
    stores.push(testStore(tmp.path), testStore(tmp.path));
  });
  after(() => {
    for (const s of stores) s.close();
    disposeStoreOf(tmp.path);
    tmp.remove();
  });

  it("reports other instances' changes also when a write here moved the seq past them first", () => {
    const [a, b] = stores;
    b.changes.refresh();
    const at = new Date().toISOString();
    assert.ok(a.points.setConnection('ST16', true, at, 'test'), 'instance A commits a change');
    // Instance B writes before it looked: its write reads the seq A committed, under the lock, and goes past it.
    assert.ok(b.points.setConnection('ST201', true, at, 'test'), 'instance B commits a change');
    assert.equal(b.changes.current, a.changes.current + b.points.byStation('ST201').length);
    // What A committed must still reach B's listeners of other instances' changes (the routed ChangeAvailability).
    assert.equal(b.changes.refresh(), true);
    assert.equal(b.changes.refresh(), false, 'and only once');
    // B's own changes alone are not other instances' changes.
    assert.ok(b.points.setConnection('ST201', false, at, 'test'));
    assert.equal(b.changes.refresh(), false);
  });

  it('a station connected again elsewhere is not marked offline by a late sweep: stationOffline only while it is away', () => {
    const [leader, holder] = stores;
    const at = new Date().toISOString();
    const opVersion = holder.points.get('ST16-1')!.operator.version;
    // The leader's sweep marked the dead instance's station offline; before it marks what waited on the station,
    // the station reconnects to another instance, which sends it the change again.
    holder.points.setConnection('ST16', false, at, 'test');
    holder.points.setConnection('ST16', true, at, 'test');
    const sending = { pointId: 'ST16-1', opVersion, actor: 'system' };
    holder.points.setDelivery([{ ...sending, state: 'sentToStation', detail: 'ChangeAvailability Inoperative' }]);
    const late = { ...sending, state: 'stationOffline' as const, detail: 'station offline' };
    assert.equal(leader.points.setDelivery([late]), 0);
    assert.equal(leader.points.get('ST16-1')!.delivery.state, 'sentToStation');
    // Or, when the change may have gone with the old connection, what the caller says instead.
    const instead = { state: 'saved' as const, detail: 'sent again' };
    assert.equal(leader.points.setDelivery([{ ...late, ifStationConnected: instead }]), 1);
    assert.deepEqual(
      [leader.points.get('ST16-1')!.delivery.state, leader.points.get('ST16-1')!.delivery.detail],
      ['saved', 'sent again'],
    );
    // Away again: now it is marked.
    holder.points.setConnection('ST16', false, at, 'test');
    assert.equal(leader.points.setDelivery([late]), 1);
    assert.equal(holder.points.get('ST16-1')!.delivery.state, 'stationOffline');
  });
});

describe('cluster: an instance killed with SIGKILL', { skip }, () => {
  const tmp = tempDir('cluster-kill');
  const processes: BackendProcess[] = [];
  let watcher: TestConsole;
  let st: TestStation;

  before(async () => {
    await seedStore(tmp.path, smallNetwork());
    const location = storeLocationFor(tmp.path);
    const url = 'postgresUrl' in location ? location.postgresUrl : '';
    for (let i = 0; i < 2; i++) processes.push(await startBackendProcess(['--store', url, '--port', '0']));
  });
  after(async () => {
    watcher?.close();
    await st?.close().catch(() => undefined);
    for (const p of processes) await p.kill();
    disposeStoreOf(tmp.path);
    tmp.remove();
  });

  it('its stations are marked offline, reconnect to another instance and are told their status again', async () => {
    const [survivor, doomed] = processes;
    watcher = await connectConsole(survivor.url, await tokenFor(survivor.url, 'operator'));
    st = await connectStation(doomed.ocppUrl, 'ST16', 'ocpp1.6');
    confirmsChanges(st);
    await st.boot();
    await st.status(1, 'Available');
    await waitFor('ST16 connected', () => seen(watcher).points.get('ST16-1')?.stationConnected);
    const version = seen(watcher).points.get('ST16-1')!.operator.version;
    await edit(watcher, 'ST16-1', version, 'Maintenance');
    await waitFor(
      'Maintenance confirmed through the other instance',
      () => {
        const p = seen(watcher).points.get('ST16-1');
        return p?.operator.status === 'Maintenance' && p.delivery.state === 'confirmed';
      },
      15_000,
    );
    assert.equal(st.received.length, 1);

    await doomed.kill();
    await waitFor('ST16 shown offline', () => seen(watcher).points.get('ST16-1')?.stationConnected === false, 15_000);

    const again = await connectStation(survivor.ocppUrl, 'ST16', 'ocpp1.6');
    confirmsChanges(again);
    await st.close().catch(() => undefined);
    st = again;
    await again.boot();
    await waitFor('the status sent again after the reconnect', () => again.received.length === 1, 15_000);
    assert.equal(again.received[0].type, 'Inoperative');
    await waitFor(
      'ST16 connected and Maintenance confirmed again',
      () => {
        const p = seen(watcher).points.get('ST16-1');
        return p?.stationConnected && p.operator.status === 'Maintenance' && p.delivery.state === 'confirmed';
      },
      15_000,
    );
    assert.deepEqual(seen(watcher).problems, []);
    assert.match(survivor.output(), /cluster: instance \d+ leads/);
  });
});

describe('cluster: the command line when the store connection is lost', { skip }, () => {
  const tmp = tempDir('cluster-lost-cli');
  let instance: BackendProcess | null = null;
  let other: TestBackend | null = null;
  after(async () => {
    await instance?.kill();
    await other?.stop();
    disposeStoreOf(tmp.path);
    tmp.remove();
  });

  it('stops with an error (its supervisor starts it again), and another instance takes the lead', async () => {
    await seedStore(tmp.path, smallNetwork());
    const location = storeLocationFor(tmp.path);
    const url = 'postgresUrl' in location ? location.postgresUrl : '';
    instance = await startBackendProcess(['--store', url, '--port', '0']);
    await waitFor('the first instance leads', () => /cluster: instance \d+ leads/.test(instance!.output()), 15_000);
    const admin = new Store({ postgresUrl: url, log: () => undefined });
    try {
      const theirs = admin.db
        .prepare<{ pid: number }>(
          'connections',
          'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        )
        .all()
        .map((r) => Number(r.pid));
      other = await startTestBackend({ dataDir: tmp.path, network: null, clusterCheckMs: 100 });
      assert.equal(other.cluster?.isLeader, false);
      for (const pid of theirs) admin.db.exec(`SELECT pg_terminate_backend(${pid})`);
    } finally {
      admin.close();
    }
    const code = await Promise.race([
      instance.exited,
      new Promise((r) => setTimeout(() => r('still running'), 20_000)),
    ]);
    assert.equal(code, 1, instance.output());
    assert.match(instance.output(), /the store's connection is lost/);
    assert.match(instance.output(), /store connection lost: stopping/);
    await waitFor('the other instance leads', () => other?.cluster?.isLeader === true, 10_000);
  });
});
