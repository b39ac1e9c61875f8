// The simulated stations against a real ocpp-rpc RPCServer on 127.0.0.1 (strict mode, both protocols). What the
// simulation does over time runs on a ManualClock: hours of sessions, faults, dropouts and heartbeats in seconds.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import { ManualClock } from '../../common/clock.js';
import type { DemoStation } from '../../backend/demo/network.js';
import { generateDemoNetwork } from '../../backend/demo/network.js';
import { startSimulatedNetwork } from '../../backend/demo/simulator.js';
import type { SimulatedNetwork, SimulatorOptions } from '../../backend/demo/simulator.js';
import { waitFor } from '../support/waitFor.js';

interface Rec {
  identity: string;
  method: string;
  params: any;
  reply: any;
}

/** A minimal central system: answers what stations send and records it. */
class CentralSystem extends EventEmitter {
  server = new RPCServer({ protocols: ['ocpp1.6', 'ocpp2.0.1'], strictMode: true });
  url = '';
  recs: Rec[] = [];
  clients = new Map<string, any>();
  closed: string[] = [];
  private txId = 100;

  async start(port = 0): Promise<void> {
    this.server.on('client', (client: any) => {
      const identity: string = client.identity;
      this.clients.set(identity, client);
      client.once('close', () => {
        if (this.clients.get(identity) === client) this.clients.delete(identity);
        this.closed.push(identity);
        this.emit('rec');
      });
      const record = (method: string, reply: (params: any) => Record<string, unknown>) =>
        client.handle(method, async ({ params }: { params: any }) => {
          const answer = reply(params);
          this.recs.push({ identity, method, params, reply: answer });
          this.emit('rec');
          return answer;
        });
      record('BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
      record('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
      record('StatusNotification', () => ({}));
      record('StartTransaction', () => ({ transactionId: ++this.txId, idTagInfo: { status: 'Accepted' } }));
      record('StopTransaction', () => ({}));
      record('TransactionEvent', () => ({}));
      record('NotifyEvent', () => ({}));
    });
    const http = await this.server.listen(port, '127.0.0.1');
    this.url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp`;
  }

  /** Resolves with the first record from index `from` on that matches. */
  waitFor(pred: (r: Rec) => boolean, from = 0, timeoutMs = 3000): Promise<Rec> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.recs.slice(from).find(pred);
        if (hit) {
          cleanup();
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `timed out waiting; recent: ${JSON.stringify(this.recs.slice(Math.max(from, this.recs.length - 5)))}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('rec', check);
      };
      this.on('rec', check);
      check();
    });
  }

  /** Whether a record from index `from` on matches. */
  saw(pred: (r: Rec) => boolean, from = 0): boolean {
    return this.recs.slice(from).some(pred);
  }

  /** The last status a station reported for a connector (1.6) or EVSE (2.0.1). */
  status(identity: string, id: number): string | undefined {
    for (let i = this.recs.length - 1; i >= 0; i--) {
      const r = this.recs[i];
      if (r.identity !== identity || r.method !== 'StatusNotification') continue;
      if (r.params.connectorStatus !== undefined ? r.params.evseId === id : r.params.connectorId === id) {
        return r.params.connectorStatus ?? r.params.status;
      }
    }
    return undefined;
  }

  call(identity: string, method: string, params: unknown): Promise<any> {
    const client = this.clients.get(identity);
    if (!client) throw new Error(`${identity} not connected`);
    return client.call(method, params);
  }

  async stop(): Promise<void> {
    await this.server.close({ force: true });
  }
}

const isStatus = (identity: string, id: number, status: string) => (r: Rec) =>
  r.identity === identity &&
  r.method === 'StatusNotification' &&
  (r.params.connectorStatus !== undefined
    ? r.params.evseId === id && r.params.connectorStatus === status
    : r.params.connectorId === id && r.params.status === status);
const isMethod = (identity: string, method: string) => (r: Rec) => r.identity === identity && r.method === method;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Moves the simulation's clock, then waits until every call the stations made has been answered (no pause). */
async function step(net: SimulatedNetwork, clock: ManualClock, ms: number): Promise<void> {
  clock.advance(ms);
  await waitFor('the stations’ calls answered', () => !net.busy(), 5000, 1);
}

/** Runs `ms` of simulated time in steps. */
async function run(net: SimulatedNetwork, clock: ManualClock, ms: number, stepMs = MINUTE): Promise<void> {
  for (let ran = 0; ran < ms; ran += stepMs) await step(net, clock, stepMs);
}

/** Runs simulated time in steps until `done` holds, for at most `maxMs`. */
async function runUntil(
  net: SimulatedNetwork,
  clock: ManualClock,
  what: string,
  done: () => boolean,
  { stepMs = MINUTE, maxMs = 24 * HOUR } = {},
): Promise<void> {
  for (let ran = 0; !done(); ran += stepMs) {
    if (ran >= maxMs) assert.fail(`${what}: not within ${maxMs / MINUTE} simulated minutes`);
    await step(net, clock, stepMs);
  }
}

const S16: DemoStation = {
  id: 'T16-A',
  siteId: 'site-t',
  protocol: 'ocpp1.6',
  vendor: 'Alfen',
  model: 'Eve Double Pro-line',
  evses: [
    { evseId: 1, label: 'Bay 1', connectors: [{ id: 1, type: 'Type2', maxKw: 22 }] },
    { evseId: 2, label: 'Bay 2', connectors: [{ id: 1, type: 'Type2', maxKw: 22 }] },
  ],
};
const S201: DemoStation = {
  id: 'T201-A',
  siteId: 'site-t',
  protocol: 'ocpp2.0.1',
  vendor: 'ABB',
  model: 'Terra 54 CJG',
  evses: [
    {
      evseId: 1,
      label: 'Bay 3',
      connectors: [
        { id: 1, type: 'CCS2', maxKw: 50 },
        { id: 2, type: 'CHAdeMO', maxKw: 50 },
      ],
    },
    { evseId: 2, label: 'Bay 4', connectors: [{ id: 1, type: 'Type2', maxKw: 43 }] },
  ],
};

describe('demo simulator over real OCPP-J', () => {
  const cs = new CentralSystem();
  let net: SimulatedNetwork | null = null;
  const lines: string[] = [];
  /** Tests driven only by the control methods must not see a single failed or lost message. */
  let strict = true;
  const start = async (extra: Partial<SimulatorOptions> = {}) => {
    lines.length = 0;
    net = await startSimulatedNetwork({
      url: cs.url,
      stations: [S16, S201],
      timeScale: 10,
      seed: 7,
      log: (l) => lines.push(l),
      ...extra,
    });
    return net;
  };

  before(() => cs.start());
  afterEach(async () => {
    const failures = lines.filter((l) => /failed|lost/.test(l));
    const wasStrict = strict;
    strict = true;
    await net?.stop();
    net = null;
    // The server has seen the closes before the next test starts.
    await waitFor('the stations gone from the central system', () => cs.clients.size === 0, 5000, 5);
    if (wasStrict) assert.deepEqual(failures, []);
  });
  after(() => cs.stop());

  test('boots and reports every status, with each protocol’s message shapes', async () => {
    const from = cs.recs.length;
    const sim = await start();
    assert.deepEqual(sim.stationIds(), ['T16-A', 'T201-A']);
    const boot16 = await cs.waitFor(isMethod('T16-A', 'BootNotification'), from);
    assert.equal(boot16.params.chargePointVendor, 'Alfen');
    const boot201 = await cs.waitFor(isMethod('T201-A', 'BootNotification'), from);
    assert.deepEqual([boot201.params.reason, boot201.params.chargingStation.model], ['PowerUp', 'Terra 54 CJG']);
    for (const id of [0, 1, 2]) await cs.waitFor(isStatus('T16-A', id, 'Available'), from);
    for (const id of [1, 2]) await cs.waitFor(isStatus('T201-A', id, 'Available'), from);
    // EVSE 1 of the 2.0.1 station has two connectors: both report.
    const evse1 = cs.recs
      .slice(from)
      .filter((r) => r.identity === 'T201-A' && r.method === 'StatusNotification' && r.params.evseId === 1);
    assert.deepEqual(evse1.map((r) => r.params.connectorId).sort(), [1, 2]);
    // Boot comes first.
    const first16 = cs.recs.slice(from).find((r) => r.identity === 'T16-A');
    assert.equal(first16?.method, 'BootNotification');
  });

  test('with all behaviour off nothing happens on its own: six hours bring only heartbeats, every 5 minutes', async () => {
    const clock = new ManualClock();
    await start({ clock });
    await cs.waitFor(isStatus('T201-A', 2, 'Available'));
    const from = cs.recs.length;
    await run(net!, clock, 6 * HOUR, 5 * MINUTE);
    const since = cs.recs.slice(from);
    assert.deepEqual([...new Set(since.map((r) => r.method))], ['Heartbeat']);
    for (const id of ['T16-A', 'T201-A']) assert.equal(since.filter((r) => r.identity === id).length, 6 * 12, id);
  });

  test('1.6: Inoperative on an idle point → Accepted, then Unavailable; again → Accepted and reported again; Operative → Available', async () => {
    await start();
    await cs.waitFor(isStatus('T16-A', 2, 'Available'));
    let from = cs.recs.length;
    const asked = Date.now();
    assert.deepEqual(await cs.call('T16-A', 'ChangeAvailability', { connectorId: 1, type: 'Inoperative' }), {
      status: 'Accepted',
    });
    const report = await cs.waitFor(isStatus('T16-A', 1, 'Unavailable'), from);
    // Shortly after the reply (200–500 ms at timeScale 1; this network runs 10× faster).
    assert.ok(
      Date.parse(report.params.timestamp) - asked >= 15,
      `reported ${Date.parse(report.params.timestamp) - asked} ms after the request`,
    );
    from = cs.recs.length;
    assert.deepEqual(await cs.call('T16-A', 'ChangeAvailability', { connectorId: 1, type: 'Inoperative' }), {
      status: 'Accepted',
    });
    await cs.waitFor(isStatus('T16-A', 1, 'Unavailable'), from);
    await assert.rejects(net!.startSession('T16-A-1'), /inoperative/);
    from = cs.recs.length;
    assert.deepEqual(await cs.call('T16-A', 'ChangeAvailability', { connectorId: 1, type: 'Operative' }), {
      status: 'Accepted',
    });
    await cs.waitFor(isStatus('T16-A', 1, 'Available'), from);
    assert.equal(cs.status('T16-A', 2), 'Available');
  });

  test('1.6: on a charging point → Scheduled, applied when the session ends', async () => {
    await start();
    await cs.waitFor(isStatus('T16-A', 2, 'Available'));
    let from = cs.recs.length;
    await net!.startSession('T16-A-1');
    await cs.waitFor(isStatus('T16-A', 1, 'Preparing'), from);
    const start16 = await cs.waitFor(isMethod('T16-A', 'StartTransaction'), from);
    assert.equal(start16.params.connectorId, 1);
    await cs.waitFor(isStatus('T16-A', 1, 'Charging'), from);
    assert.deepEqual(await cs.call('T16-A', 'ChangeAvailability', { connectorId: 1, type: 'Inoperative' }), {
      status: 'Scheduled',
    });
    // Asked for its status now, it still charges: the change waits for the session.
    from = cs.recs.length;
    assert.deepEqual(
      await cs.call('T16-A', 'TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 1 }),
      { status: 'Accepted' },
    );
    await cs.waitFor(isStatus('T16-A', 1, 'Charging'), from);
    assert.equal(cs.status('T16-A', 1), 'Charging');
    from = cs.recs.length;
    await net!.endSession('T16-A-1');
    const stop = await cs.waitFor(isMethod('T16-A', 'StopTransaction'), from);
    assert.equal(stop.params.transactionId, start16.reply.transactionId);
    assert.ok(stop.params.meterStop >= start16.params.meterStart);
    await cs.waitFor(isStatus('T16-A', 1, 'Finishing'), from);
    await cs.waitFor(isStatus('T16-A', 1, 'Unavailable'), from);
    from = cs.recs.length;
    assert.deepEqual(await cs.call('T16-A', 'ChangeAvailability', { connectorId: 1, type: 'Operative' }), {
      status: 'Accepted',
    });
    await cs.waitFor(isStatus('T16-A', 1, 'Available'), from);
  });

  test('1.6: connectorId 0 makes the whole station Inoperative', async () => {
    await start();
    await cs.waitFor(isStatus('T16-A', 2, 'Available'));
    let from = cs.recs.length;
    assert.deepEqual(await cs.call('T16-A', 'ChangeAvailability', { connectorId: 0, type: 'Inoperative' }), {
      status: 'Accepted',
    });
    for (const id of [0, 1, 2]) await cs.waitFor(isStatus('T16-A', id, 'Unavailable'), from);
    from = cs.recs.length;
    assert.deepEqual(await cs.call('T16-A', 'ChangeAvailability', { connectorId: 0, type: 'Operative' }), {
      status: 'Accepted',
    });
    for (const id of [0, 1, 2]) await cs.waitFor(isStatus('T16-A', id, 'Available'), from);
    assert.deepEqual(await cs.call('T16-A', 'ChangeAvailability', { connectorId: 9, type: 'Operative' }), {
      status: 'Rejected',
    });
  });

  test('2.0.1: Inoperative, Scheduled during a session, Operative back', async () => {
    await start();
    await cs.waitFor(isStatus('T201-A', 2, 'Available'));
    let from = cs.recs.length;
    assert.deepEqual(
      await cs.call('T201-A', 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } }),
      { status: 'Accepted' },
    );
    await cs.waitFor(isStatus('T201-A', 2, 'Unavailable'), from);
    from = cs.recs.length;
    await net!.startSession('T201-A-1');
    const started = await cs.waitFor(
      (r) => isMethod('T201-A', 'TransactionEvent')(r) && r.params.eventType === 'Started',
      from,
    );
    assert.equal(started.params.evse.id, 1);
    await cs.waitFor((r) => isMethod('T201-A', 'TransactionEvent')(r) && r.params.eventType === 'Updated', from);
    await cs.waitFor(isStatus('T201-A', 1, 'Occupied'), from);
    assert.deepEqual(
      await cs.call('T201-A', 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } }),
      { status: 'Scheduled' },
    );
    // Asked for its status now, it is still in its session: the change waits for it.
    from = cs.recs.length;
    assert.deepEqual(
      await cs.call('T201-A', 'TriggerMessage', { requestedMessage: 'StatusNotification', evse: { id: 1 } }),
      { status: 'Accepted' },
    );
    await cs.waitFor(isStatus('T201-A', 1, 'Occupied'), from);
    assert.equal(cs.status('T201-A', 1), 'Occupied');
    from = cs.recs.length;
    await net!.endSession('T201-A-1');
    const ended = await cs.waitFor(
      (r) => isMethod('T201-A', 'TransactionEvent')(r) && r.params.eventType === 'Ended',
      from,
    );
    assert.equal(ended.params.transactionInfo.transactionId, started.params.transactionInfo.transactionId);
    await cs.waitFor(isStatus('T201-A', 1, 'Unavailable'), from);
    from = cs.recs.length;
    assert.deepEqual(await cs.call('T201-A', 'ChangeAvailability', { operationalStatus: 'Operative' }), {
      status: 'Accepted',
    });
    for (const id of [1, 2]) await cs.waitFor(isStatus('T201-A', id, 'Available'), from);
  });

  test('Inoperative survives a reconnect; disconnect and reconnect are real', async () => {
    await start();
    await cs.waitFor(isStatus('T201-A', 2, 'Available'));
    let from = cs.recs.length;
    await cs.call('T16-A', 'ChangeAvailability', { connectorId: 2, type: 'Inoperative' });
    await cs.call('T201-A', 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } });
    await cs.waitFor(isStatus('T16-A', 2, 'Unavailable'), from);
    await cs.waitFor(isStatus('T201-A', 1, 'Unavailable'), from);
    const closedBefore = cs.closed.length;
    await net!.disconnect('T16-A');
    await net!.disconnect('T201-A');
    await waitFor('both closes seen by the central system', () => cs.closed.length - closedBefore === 2, 5000, 5);
    assert.equal(cs.clients.has('T16-A'), false);
    await assert.rejects(net!.startSession('T16-A-1'), /not connected/);
    from = cs.recs.length;
    await net!.reconnect('T16-A');
    await net!.reconnect('T201-A');
    await cs.waitFor(isMethod('T16-A', 'BootNotification'), from);
    await cs.waitFor(isStatus('T16-A', 2, 'Unavailable'), from);
    await cs.waitFor(isStatus('T16-A', 1, 'Available'), from);
    await cs.waitFor(isStatus('T201-A', 1, 'Unavailable'), from);
    await cs.waitFor(isStatus('T201-A', 2, 'Available'), from);
  });

  test('faults stay until recovered; TriggerMessage reports again; unknown calls get NotImplemented', async () => {
    await start();
    await cs.waitFor(isStatus('T201-A', 2, 'Available'));
    let from = cs.recs.length;
    await net!.fault('T16-A-2', 'GroundFailure');
    const faulted = await cs.waitFor(isStatus('T16-A', 2, 'Faulted'), from);
    assert.equal(faulted.params.errorCode, 'GroundFailure');
    await net!.fault('T201-A-2');
    await cs.waitFor(isStatus('T201-A', 2, 'Faulted'), from);
    const event = await cs.waitFor(isMethod('T201-A', 'NotifyEvent'), from);
    assert.equal(event.params.eventData[0].techCode, 'OtherError');
    assert.equal(event.params.eventData[0].component.evse.id, 2);
    from = cs.recs.length;
    assert.deepEqual(await cs.call('T16-A', 'ChangeAvailability', { connectorId: 2, type: 'Operative' }), {
      status: 'Accepted',
    });
    await cs.waitFor(isStatus('T16-A', 2, 'Faulted'), from);
    from = cs.recs.length;
    assert.deepEqual(
      await cs.call('T16-A', 'TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 2 }),
      { status: 'Accepted' },
    );
    await cs.waitFor(isStatus('T16-A', 2, 'Faulted'), from);
    assert.deepEqual(
      await cs.call('T201-A', 'TriggerMessage', { requestedMessage: 'StatusNotification', evse: { id: 2 } }),
      { status: 'Accepted' },
    );
    await cs.waitFor(isStatus('T201-A', 2, 'Faulted'), from);
    from = cs.recs.length;
    await net!.recover('T16-A-2');
    await net!.recover('T201-A-2');
    await cs.waitFor(isStatus('T16-A', 2, 'Available'), from);
    await cs.waitFor(isStatus('T201-A', 2, 'Available'), from);
    await assert.rejects(cs.call('T16-A', 'GetConfiguration', {}), (err: any) => err.rpcErrorCode === 'NotImplemented');
    await assert.rejects(
      cs.call('T201-A', 'GetVariables', { getVariableData: [{ component: { name: 'X' }, variable: { name: 'Y' } }] }),
      (err: any) => err.rpcErrorCode === 'NotImplemented',
    );
  });

  test('remote start and stop, and triggered heartbeats and boots, in both protocols', async () => {
    await start();
    await cs.waitFor(isStatus('T201-A', 2, 'Available'));
    let from = cs.recs.length;
    assert.deepEqual(await cs.call('T16-A', 'RemoteStartTransaction', { connectorId: 2, idTag: 'TAG-1' }), {
      status: 'Accepted',
    });
    const started16 = await cs.waitFor(isMethod('T16-A', 'StartTransaction'), from);
    assert.deepEqual([started16.params.connectorId, started16.params.idTag], [2, 'TAG-1']);
    await cs.waitFor(isStatus('T16-A', 2, 'Charging'), from);
    await waitFor('the start answered', () => !net!.busy());
    assert.deepEqual(await cs.call('T16-A', 'RemoteStartTransaction', { connectorId: 2, idTag: 'TAG-1' }), {
      status: 'Rejected',
    });
    assert.deepEqual(await cs.call('T16-A', 'RemoteStopTransaction', { transactionId: 999 }), { status: 'Rejected' });
    assert.deepEqual(
      await cs.call('T16-A', 'RemoteStopTransaction', { transactionId: started16.reply.transactionId }),
      { status: 'Accepted' },
    );
    await cs.waitFor(isMethod('T16-A', 'StopTransaction'), from);
    await cs.waitFor(isStatus('T16-A', 2, 'Available'), from);

    from = cs.recs.length;
    assert.deepEqual(
      await cs.call('T201-A', 'RequestStartTransaction', {
        remoteStartId: 1,
        idToken: { idToken: 'TAG-2', type: 'ISO14443' },
      }),
      { status: 'Accepted' },
    );
    const started = await cs.waitFor(
      (r) => isMethod('T201-A', 'TransactionEvent')(r) && r.params.eventType === 'Started',
      from,
    );
    assert.equal(started.params.evse.id, 1, 'the first free EVSE');
    const transactionId = started.params.transactionInfo.transactionId;
    await cs.waitFor((r) => isMethod('T201-A', 'TransactionEvent')(r) && r.params.eventType === 'Updated', from);
    await waitFor('the start answered', () => !net!.busy());
    assert.deepEqual(await cs.call('T201-A', 'RequestStopTransaction', { transactionId }), { status: 'Accepted' });
    await cs.waitFor((r) => isMethod('T201-A', 'TransactionEvent')(r) && r.params.eventType === 'Ended', from);

    from = cs.recs.length;
    for (const [id, evse] of [
      ['T16-A', { connectorId: 9 }],
      ['T201-A', { evse: { id: 9 } }],
    ] as const) {
      assert.deepEqual(await cs.call(id, 'TriggerMessage', { requestedMessage: 'StatusNotification', ...evse }), {
        status: 'Rejected',
      });
      assert.deepEqual(await cs.call(id, 'TriggerMessage', { requestedMessage: 'Heartbeat' }), { status: 'Accepted' });
      await cs.waitFor(isMethod(id, 'Heartbeat'), from);
      assert.deepEqual(await cs.call(id, 'TriggerMessage', { requestedMessage: 'BootNotification' }), {
        status: 'Accepted',
      });
      await cs.waitFor(isMethod(id, 'BootNotification'), from);
    }
    assert.equal(cs.recs.slice(from).find(isMethod('T201-A', 'BootNotification'))!.params.reason, 'Triggered');
  });

  test('a fault during a session ends the transaction', async () => {
    await start();
    await cs.waitFor(isStatus('T16-A', 2, 'Available'));
    const from = cs.recs.length;
    await net!.startSession('T16-A-2');
    await net!.fault('T16-A-2', 'HighTemperature');
    const stop = await cs.waitFor(isMethod('T16-A', 'StopTransaction'), from);
    assert.equal(stop.params.reason, 'EmergencyStop');
    assert.equal(cs.status('T16-A', 2), 'Faulted');
    await assert.rejects(net!.startSession('T16-A-2'), /faulted/);
  });

  test('behaviour on, at real rates on a manual clock: sessions, faults and dropouts happen on their own; a generated network boots', async () => {
    const stations = generateDemoNetwork({ seed: 3, sites: 2, pointsTarget: 16 }).stations;
    const from = cs.recs.length;
    const closedBefore = cs.closed.length;
    strict = false;
    const clock = new ManualClock();
    const sim = await start({
      stations,
      clock,
      timeScale: 1,
      behaviour: { sessions: true, faults: true, dropouts: true },
    });
    const booted = new Set(
      cs.recs
        .slice(from)
        .filter((r) => r.method === 'BootNotification')
        .map((r) => r.identity),
    );
    assert.equal(booted.size, stations.length);
    await runUntil(sim, clock, 'a session started', () =>
      cs.saw(
        (r) => r.method === 'StartTransaction' || (r.method === 'TransactionEvent' && r.params.eventType === 'Started'),
        from,
      ),
    );
    await runUntil(sim, clock, 'a session ended', () =>
      cs.saw(
        (r) => r.method === 'StopTransaction' || (r.method === 'TransactionEvent' && r.params.eventType === 'Ended'),
        from,
      ),
    );
    const isFaulted = (r: Rec) =>
      r.method === 'StatusNotification' && (r.params.status ?? r.params.connectorStatus) === 'Faulted';
    await runUntil(sim, clock, 'a fault', () => cs.saw(isFaulted, from), { maxMs: 3 * 24 * HOUR });
    const faulted = cs.recs.slice(from).find(isFaulted)!;
    const id = faulted.params.evseId ?? faulted.params.connectorId;
    await runUntil(
      sim,
      clock,
      'the fault recovered',
      () =>
        cs.saw(
          (r) =>
            r.identity === faulted.identity &&
            r.method === 'StatusNotification' &&
            (r.params.evseId ?? r.params.connectorId) === id &&
            (r.params.status ?? r.params.connectorStatus) !== 'Faulted',
          cs.recs.indexOf(faulted) + 1,
        ),
      { maxMs: HOUR },
    );
    await runUntil(sim, clock, 'a dropout', () => cs.closed.length > closedBefore, { maxMs: 3 * 24 * HOUR });
    // Back by itself after each dropout (20 s to 3 minutes): one boot more than it was dropped.
    const dropped = cs.closed[closedBefore];
    const boots = () => cs.recs.slice(from).filter(isMethod(dropped, 'BootNotification')).length;
    await runUntil(
      sim,
      clock,
      'the dropped station back',
      () => boots() === cs.closed.filter((id) => id === dropped).length + 1,
      {
        stepMs: 10 * SECOND,
        maxMs: 4 * MINUTE,
      },
    );
  });

  test('a station whose connection the backend drops comes back by itself, after its backoff', async () => {
    const clock = new ManualClock();
    const sim = await start({ clock });
    await cs.waitFor(isStatus('T16-A', 2, 'Available'));
    await cs.call('T16-A', 'ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
    await step(sim, clock, SECOND); // its report follows the reply a moment later
    await cs.waitFor(isStatus('T16-A', 1, 'Unavailable'));
    const from = cs.recs.length;
    await cs.clients.get('T16-A').close({ code: 1012, reason: 'restarting' });
    // The first backoff is 0.75–1.25 s: not back before, back after.
    await waitFor('the station saw the close', () => lines.includes('T16-A: connection closed'));
    await run(sim, clock, 700, 100);
    assert.equal(cs.saw(isMethod('T16-A', 'BootNotification'), from), false, 'not before its backoff');
    await runUntil(sim, clock, 'back', () => cs.saw(isMethod('T16-A', 'BootNotification'), from), {
      stepMs: 100,
      maxMs: 600,
    });
    await cs.waitFor(isStatus('T16-A', 1, 'Unavailable'), from);
    await cs.waitFor(isStatus('T16-A', 2, 'Available'), from);
  });

  test('a backend that is not up yet: start-up still resolves and stations connect once it is', async () => {
    strict = false;
    const probe = new RPCServer({ protocols: ['ocpp1.6'] });
    const http = await probe.listen(0, '127.0.0.1');
    const port = (http.address() as AddressInfo).port;
    await probe.close({ force: true });
    const later = new CentralSystem();
    const clock = new ManualClock();
    try {
      const sim = await startSimulatedNetwork({
        url: `ws://127.0.0.1:${port}/ocpp`,
        stations: [S16],
        timeScale: 10,
        clock,
        log: (l) => lines.push(l),
      });
      net = sim;
      assert.ok(lines.some((l) => /connect failed/.test(l)));
      await later.start(port);
      await runUntil(sim, clock, 'connected once it is up', () => later.saw(isStatus('T16-A', 2, 'Available')), {
        stepMs: 250,
        maxMs: 30 * SECOND,
      });
    } finally {
      await net?.stop();
      net = null;
      await later.stop();
    }
  });

  test('stop() leaves no timers or sockets behind', async () => {
    strict = false;
    const from = cs.recs.length;
    const clock = new ManualClock();
    const sim = await start({ clock, timeScale: 1, behaviour: { sessions: true, faults: true, dropouts: true } });
    await cs.waitFor(isMethod('T16-A', 'BootNotification'), from);
    await cs.waitFor(isMethod('T201-A', 'BootNotification'), from);
    await run(sim, clock, HOUR); // sessions, faults and their timers under way
    await sim.stop();
    net = null;
    // The central system's listening socket is ours; nothing of the simulator remains once its sockets have closed.
    const left = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r.startsWith('TCP'));
    await waitFor(
      "the simulator's sockets closed",
      () => left().every((r) => !r.startsWith('TCP') || r === 'TCPServerWrap'),
      5000,
      5,
    );
    assert.ok(
      left().every((r) => r === 'TCPServerWrap'),
      `left: ${left().join(', ')}`,
    );
    // Nor on its clock: a day later no timer of it has run (one would try to connect, or to start a session).
    const said = lines.length;
    const heard = cs.recs.length;
    clock.advance(24 * HOUR);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(lines.slice(said), []);
    assert.equal(cs.recs.length, heard);
  });
});
