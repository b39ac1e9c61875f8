// Stations over real OCPP-J (ocpp-rpc RPCClient, 1.6 and 2.0.1): reports, ChangeAvailability delivery,
// offline stations, heartbeats, unknown stations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import type { DeliveryState } from '../../common/status.js';
import type { Point } from '../../common/model.js';
import type { MutateReply } from '../../common/protocol.js';
import {
  connectStation,
  consoleAs,
  setStatus,
  startTestBackend,
  type TestBackend,
  type TestConsole,
  type TestStation,
} from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';

describe('backend: stations over OCPP-J', () => {
  let b: TestBackend;
  let op: TestConsole;
  const stations: TestStation[] = [];
  const station = async (...args: Parameters<typeof connectStation>) => {
    const s = await connectStation(...args);
    stations.push(s);
    return s;
  };
  const point = (id: string): Point => b.store.points.get(id)!;
  const waitDelivery = (id: string, state: DeliveryState, timeoutMs = 5000) =>
    waitFor(
      `${id} delivery ${state} (is ${point(id).delivery.state})`,
      () => point(id).delivery.state === state,
      timeoutMs,
    );
  const edit = async (pointId: string, status: string, reason: string | null = 'test') => {
    const r = await op.request<MutateReply>('mutate', {
      mutations: [setStatus([{ pointId, baseVersion: point(pointId).operator.version }], { status, reason })],
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.data.outcomes[0].result, 'applied', JSON.stringify(r.data.outcomes[0]));
  };

  before(async () => {
    b = await startTestBackend({ changeAvailabilityTimeoutMs: 400 });
    op = await consoleAs(b.url, 'operator');
  });
  after(async () => {
    op.close();
    for (const s of stations) await s.close().catch(() => undefined);
    await b.dispose();
  });

  it('marks a station connected, stores its reports, and keeps connector 0 off the points', async () => {
    const st = await station(b.ocppUrl, 'ST16', 'ocpp1.6');
    const boot = await st.boot();
    assert.equal(boot.status, 'Accepted');
    assert.equal(boot.interval, 60);
    await st.status(1, 'Available');
    await st.status(2, 'Charging');
    await st.status(0, 'Unavailable');
    await st.status(0, 'Faulted', { errorCode: 'PowerMeterFailure' });
    assert.equal(point('ST16-1').reported.status, 'Available');
    assert.equal(point('ST16-2').reported.status, 'Occupied');
    assert.equal(point('ST16-1').stationConnected, true);
    assert.equal(b.store.stations.get('ST16')!.status, 'Faulted');
    assert.equal(b.store.stations.get('ST16')!.error_code, 'PowerMeterFailure');
    assert.equal(b.store.points.byStation('ST16').length, 2, 'connector 0 is not a point');
    const audit = b.store.audit.history('ST16-2', 10);
    assert.ok(audit.some((e) => e.fact === 'reported' && e.to === 'Occupied' && e.actor === 'station:ST16'));
    assert.ok(audit.some((e) => e.fact === 'connection' && e.to === 'connected'));
  });

  it('1.6: sends ChangeAvailability to the connector; Accepted, then confirmed by the StatusNotification', async () => {
    const st = stations[0];
    await edit('ST16-1', 'Maintenance');
    await waitFor('ChangeAvailability', () => st.received.length === 1);
    assert.deepEqual(st.received[0], { connectorId: 1, type: 'Inoperative' });
    await waitDelivery('ST16-1', 'accepted');
    await st.status(1, 'Unavailable');
    await waitDelivery('ST16-1', 'confirmed');
    const states = b.store.audit
      .history('ST16-1', 20)
      .filter((e) => e.fact === 'delivery')
      .map((e) => e.to)
      .reverse();
    assert.deepEqual(states, ['sentToStation', 'accepted', 'confirmed']);
  });

  it('1.6: Scheduled while charging, confirmed when the session ends', async () => {
    const st = stations[0];
    st.answer = 'Scheduled';
    await edit('ST16-2', 'OutOfService');
    await waitDelivery('ST16-2', 'scheduled');
    await st.status(2, 'Finishing');
    assert.equal(point('ST16-2').delivery.state, 'scheduled');
    await st.status(2, 'Unavailable');
    await waitDelivery('ST16-2', 'confirmed');
  });

  it('1.6: Rejected', async () => {
    const st = stations[0];
    st.answer = 'Rejected';
    await edit('ST16-2', 'Available', null);
    await waitDelivery('ST16-2', 'rejected');
    assert.deepEqual(st.received.at(-1), { connectorId: 2, type: 'Operative' });
    st.answer = 'Accepted';
  });

  it('2.0.1: sends ChangeAvailability to the EVSE; Accepted, then confirmed', async () => {
    const st = await station(b.ocppUrl, 'ST201', 'ocpp2.0.1');
    await st.boot();
    await st.status(1, 'Available');
    await st.status(2, 'Available');
    await st.status(2, 'Available', { connectorId: 2 });
    await edit('ST201-2', 'Faulted', 'broken connector');
    await waitFor('ChangeAvailability', () => st.received.length === 1);
    assert.deepEqual(st.received[0], { operationalStatus: 'Inoperative', evse: { id: 2 } });
    await waitDelivery('ST201-2', 'accepted');
    await st.status(2, 'Unavailable', { connectorId: 1 });
    await st.status(2, 'Unavailable', { connectorId: 2 });
    await waitDelivery('ST201-2', 'confirmed');
    assert.equal(point('ST201-1').reported.status, 'Available');
  });

  it('2.0.1: no reply in time is noReply', async () => {
    const st = stations[1];
    st.answer = 'never';
    await edit('ST201-1', 'Maintenance');
    await waitDelivery('ST201-1', 'sentToStation');
    await waitDelivery('ST201-1', 'noReply', 3000);
    st.answer = 'Accepted';
  });

  it('offline station: stationOffline, then delivered when it reconnects', async () => {
    await stations[1].close();
    await waitFor('ST201 offline', () => !point('ST201-1').stationConnected);
    // The change it never answered now waits for the station to come back.
    assert.equal(point('ST201-1').delivery.state, 'stationOffline');
    await edit('ST201-2', 'Available', null);
    await waitDelivery('ST201-2', 'stationOffline');
    const again = await station(b.ocppUrl, 'ST201', 'ocpp2.0.1');
    await again.boot();
    await waitFor('re-asserted statuses', () => again.received.length >= 2);
    assert.deepEqual(
      again.received.map((r) => JSON.stringify(r)).sort(),
      [
        { operationalStatus: 'Inoperative', evse: { id: 1 } },
        { operationalStatus: 'Operative', evse: { id: 2 } },
      ]
        .map((r) => JSON.stringify(r))
        .sort(),
    );
    // EVSE 2 still reports Unavailable: Operative is accepted, then confirmed by the next report
    await waitDelivery('ST201-2', 'accepted');
    await again.status(2, 'Available');
    await waitDelivery('ST201-2', 'confirmed');
    // EVSE 1 reported Available: Inoperative is accepted and waits for the Unavailable report
    await waitDelivery('ST201-1', 'accepted');
    await again.status(1, 'Unavailable');
    await waitDelivery('ST201-1', 'confirmed');
    assert.equal(point('ST201-1').stationConnected, true);
  });

  it('shows a disconnected station as not connected, with audit rows', async () => {
    const before = point('ST16-1');
    await stations[0].close();
    await waitFor('ST16 offline', () => !point('ST16-1').stationConnected);
    const after = point('ST16-1');
    assert.ok(after.seq > before.seq && after.version === before.version + 1);
    const last = b.store.audit.history('ST16-1', 1)[0];
    assert.equal(last.fact, 'connection');
    assert.equal(last.to, 'disconnected');
  });

  it('refuses an unknown station', async () => {
    await assert.rejects(connectStation(b.ocppUrl, 'STRANGER', 'ocpp1.6'));
    assert.equal(b.store.stations.get('STRANGER'), null);
  });
});

describe('backend: heartbeats and unknown stations', () => {
  let b: TestBackend;
  before(async () => {
    b = await startTestBackend({
      heartbeatIntervalSec: 0.5,
      liveness: { pingIntervalMs: 200 },
      acceptUnknownStations: true,
    });
  });
  after(async () => {
    await b.dispose();
  });

  it('marks a station that stops talking and answers no ping offline', async () => {
    const clock = new ManualClock();
    const quiet = await startTestBackend({ clock, heartbeatIntervalSec: 0.5, liveness: { pingIntervalMs: 200 } });
    const st = await connectStation(quiet.ocppUrl, 'ST16', 'ocpp1.6', { answerPings: false });
    const online = () => quiet.store.points.get('ST16-1')!.stationConnected;
    try {
      await st.boot();
      await st.status(1, 'Available');
      for (let i = 0; i < 4; i++) {
        clock.advance(300);
        await st.client.call('Heartbeat', {});
      }
      assert.equal(online(), true, 'heartbeats keep it online');
      await waitFor('offline after silence', () => {
        clock.advance(200);
        return !online();
      });
    } finally {
      await st.close();
      await quiet.dispose();
    }
  });

  it('registers an unknown station with the flag, points from its reports', async () => {
    const st = await connectStation(b.ocppUrl, 'NEW-1', 'ocpp2.0.1');
    const c = await consoleAs(b.url, 'viewer');
    try {
      await st.boot();
      await st.status(1, 'Available');
      await st.status(3, 'Occupied', { connectorId: 2 });
      const r = await c.request('sync', { networkId: null, sinceSeq: null });
      assert.ok(r.ok);
      const data = r.data as { sites: { id: string; name: string }[]; points: Point[] };
      assert.ok(data.sites.some((s) => s.name === 'Unassigned'));
      const mine = data.points.filter((p) => p.stationId === 'NEW-1');
      assert.deepEqual(
        mine.map((p) => p.id),
        ['NEW-1-1', 'NEW-1-3'],
      );
      assert.equal(mine[0].siteId, 'unassigned');
      assert.equal(mine[1].reported.status, 'Occupied');
      assert.deepEqual(
        mine[1].connectors.map((x) => x.id),
        [2],
      );
      assert.equal(mine[0].protocol, 'ocpp2.0.1');
    } finally {
      c.close();
      await st.close();
    }
  });
});
