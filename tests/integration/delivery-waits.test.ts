// Every wait ends, and only fresh reports confirm: real OCPP-J stations (1.6 and 2.0.1) that never confirm, answer
// Scheduled for good, or confirm from a stale report, against a backend whose waits run on a clock the test moves.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ManualClock } from '../../common/clock.js';
import type { AuditEntry, Point, StationProtocol } from '../../common/model.js';
import type { DeliveryState } from '../../common/status.js';
import {
  connectStation,
  consoleAs,
  startTestBackend,
  type TestBackend,
  type TestConsole,
  type TestStation,
} from '../support/backendHarness.js';
import { ClockedBackend, NO_PINGS } from '../support/clockedBackend.js';
import { waitFor } from '../support/waitFor.js';

const CONFIRM_MS = 30_000;
const ASKED_MS = 30_000;
const SCHEDULED_MS = 4 * 3600_000;

describe('delivery: every wait ends', () => {
  let f: ClockedBackend;
  let clock: ManualClock;
  let b: TestBackend;
  let operator: TestConsole;
  let station: TestStation | null = null;

  beforeEach(async () => {
    f = await ClockedBackend.start({
      changeAvailabilityTimeoutMs: 2000,
      deliveryWaits: { confirmAfterMs: CONFIRM_MS, triggerAnswerMs: ASKED_MS, scheduledLimitMs: SCHEDULED_MS },
      liveness: NO_PINGS,
    });
    ({ clock, backend: b } = f);
    operator = await f.console('operator');
  });
  afterEach(async () => {
    station = null;
    await f.close();
  });

  const point = (id: string): Point => f.point(id);
  const state = (id: string): DeliveryState => point(id).delivery.state;
  const waitState = (id: string, s: DeliveryState) => waitFor(`${id} ${s} (is ${state(id)})`, () => state(id) === s);

  async function edit(pointId: string, status: string, reason: string | null = 'test') {
    const outcome = await f.edit(operator, pointId, { status, reason });
    assert.equal(outcome.points[0].result, 'applied', JSON.stringify(outcome));
  }

  const online = (id: string, protocol: StationProtocol, reports: Record<number, string>) =>
    f.online(id, protocol, reports);

  /**
   * A barrier instead of a pause: the station's Heartbeat is answered after whatever the backend did when the clock
   * moved (a TriggerMessage goes out on the same connection first), and delivery updates land at the end of a turn.
   */
  async function settled(st: TestStation): Promise<void> {
    await st.client.call('Heartbeat', {});
    await new Promise((r) => setImmediate(r));
  }

  async function history(pointId: string): Promise<AuditEntry[]> {
    const r = await operator.request('history', { pointId, limit: 50 });
    assert.ok(r.ok);
    return r.data.entries as AuditEntry[];
  }

  for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as StationProtocol[]) {
    const sid = protocol === 'ocpp1.6' ? 'ST16' : 'ST201';
    const pid = `${sid}-1`;

    it(`${protocol}: a station that never confirms is asked (TriggerMessage), then the change is "not confirmed"`, async () => {
      station = await online(sid, protocol, { 1: 'Available' });
      station.trigger = 'acceptSilently';
      await edit(pid, 'OutOfService');
      await waitState(pid, 'accepted');
      clock.advance(CONFIRM_MS - 1);
      assert.equal(station.triggers.length, 0, 'not asked before the wait is over');
      clock.advance(1);
      await waitFor('TriggerMessage', () => station!.triggers.length === 1);
      assert.deepEqual(
        station.triggers[0],
        protocol === 'ocpp1.6'
          ? { requestedMessage: 'StatusNotification', connectorId: 1 }
          : { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } },
      );
      await waitFor('asked, said so', () => point(pid).delivery.detail?.includes('TriggerMessage'));
      assert.equal(state(pid), 'accepted');
      clock.advance(ASKED_MS);
      await waitState(pid, 'notConfirmed');
      assert.match(point(pid).delivery.detail!, /did not confirm within 30 s: expected Unavailable/);
      const steps = (await history(pid)).filter((e) => e.fact === 'delivery').map((e) => e.to);
      assert.deepEqual(steps.slice(0, 3), ['notConfirmed', 'accepted', 'accepted'], 'each step is in the history');
    });

    it(`${protocol}: asked, the station reports a status that contradicts the change: not confirmed at once`, async () => {
      station = await online(sid, protocol, { 1: 'Available' });
      station.trigger = 'report';
      station.reportAs = () => 'Available';
      await edit(pid, 'Maintenance');
      await waitState(pid, 'accepted');
      clock.advance(CONFIRM_MS);
      await waitState(pid, 'notConfirmed');
      assert.match(point(pid).delivery.detail!, /station said Available: expected Unavailable/);
    });
  }

  it('a station that refuses to report is not confirmed at once', async () => {
    station = await online('ST16', 'ocpp1.6', { 1: 'Available', 2: 'Available' });
    station.trigger = 'reject';
    await edit('ST16-2', 'OutOfService');
    await waitState('ST16-2', 'accepted');
    clock.advance(CONFIRM_MS);
    await waitState('ST16-2', 'notConfirmed');
    assert.match(point('ST16-2').delivery.detail!, /would not report its status \(TriggerMessage: Rejected\)/);
  });

  it('asked, the station confirms: confirmed, and no timer is left behind', async () => {
    station = await online('ST201', 'ocpp2.0.1', { 2: 'Available' });
    station.trigger = 'report';
    station.reportAs = () => 'Unavailable';
    await edit('ST201-2', 'OutOfService');
    await waitState('ST201-2', 'accepted');
    clock.advance(CONFIRM_MS);
    await waitFor('both connectors asked', () => station!.triggers.length === 2);
    await waitState('ST201-2', 'confirmed');
    assert.equal(b.delivery.awaitingConfirmation, 0);
  });

  it('2.0.1, two connectors asked: judged once both answered (an old report of one does not outweigh the other)', async () => {
    station = await online('ST201', 'ocpp2.0.1', {});
    await station.status(2, 'Available', { connectorId: 1 });
    await station.status(2, 'Available', { connectorId: 2 });
    station.trigger = 'report';
    station.reportAs = () => 'Unavailable';
    await edit('ST201-2', 'OutOfService');
    await waitState('ST201-2', 'accepted');
    clock.advance(CONFIRM_MS);
    await waitState('ST201-2', 'confirmed');
    const steps = (await history('ST201-2')).filter((e) => e.fact === 'delivery').map((e) => e.to);
    assert.ok(!steps.includes('notConfirmed'), `never called not confirmed on the way: ${steps.join(', ')}`);
  });

  it('a change confirmed before, sent again on a reconnect and accepted with no new report, stays confirmed', async () => {
    station = await online('ST16', 'ocpp1.6', { 1: 'Available' });
    station.beforeAnswer = async (params) => station!.status(params.connectorId, 'Unavailable');
    await edit('ST16-1', 'OutOfService');
    await waitState('ST16-1', 'confirmed');
    await station.close();
    await waitFor('offline', () => !point('ST16-1').stationConnected);
    clock.advance(60_000);
    station = await f.station('ST16', 'ocpp1.6');
    station.trigger = 'reject'; // RemoteTrigger is optional in 1.6
    await station.client.call('Heartbeat', {}); // back without a boot: re-assert after its first message
    await waitFor('sent again', () => station!.received.length === 1);
    await waitFor('confirmed again', () =>
      /again on reconnecting \(confirmed before\)/.test(point('ST16-1').delivery.detail ?? ''),
    );
    assert.equal(state('ST16-1'), 'confirmed');
    clock.advance(CONFIRM_MS + ASKED_MS);
    await settled(station);
    assert.equal(state('ST16-1'), 'confirmed', 'no false alarm');
    assert.equal(station.triggers.length, 0, 'nobody asked it');
  });

  it('Scheduled and never applied: flagged not confirmed after the limit, with how long it waited', async () => {
    station = await online('ST201', 'ocpp2.0.1', { 1: 'Occupied' });
    station.answer = 'Scheduled';
    await edit('ST201-1', 'Maintenance');
    await waitState('ST201-1', 'scheduled');
    clock.advance(SCHEDULED_MS - 60_000);
    await settled(station);
    assert.equal(state('ST201-1'), 'scheduled', 'still scheduled within the limit');
    await station.status(1, 'Occupied'); // a new session: still not applied
    clock.advance(60_000);
    await waitState('ST201-1', 'notConfirmed');
    assert.match(point('ST201-1').delivery.detail!, /scheduled 4\.0 h ago and still not applied/);
    // The station applies it at last: a fresh report still confirms.
    await station.status(1, 'Unavailable');
    await waitState('ST201-1', 'confirmed');
  });

  it('Scheduled again after a reconnect: the limit still counts from the first time', async () => {
    station = await online('ST201', 'ocpp2.0.1', { 1: 'Occupied' });
    station.answer = 'Scheduled';
    await edit('ST201-1', 'Maintenance');
    await waitState('ST201-1', 'scheduled');
    clock.advance(3 * 3600_000);
    await station.close();
    await waitFor('offline', () => !point('ST201-1').stationConnected);
    station = await f.station('ST201', 'ocpp2.0.1');
    station.answer = 'Scheduled';
    await station.boot();
    await waitFor('scheduled again', () => station!.received.length === 1 && state('ST201-1') === 'scheduled');
    clock.advance(3600_000);
    await waitState('ST201-1', 'notConfirmed');
    assert.match(point('ST201-1').delivery.detail!, /scheduled 4\.0 h ago/);
  });

  it('a stale report from before a reconnect does not confirm; the fresh boot report decides', async () => {
    station = await online('ST16', 'ocpp1.6', { 1: 'Unavailable' });
    await station.close();
    await waitFor('offline', () => !point('ST16-1').stationConnected);
    clock.advance(5 * 60_000); // away for five minutes
    await edit('ST16-1', 'OutOfService');
    assert.equal(state('ST16-1'), 'stationOffline');
    station = await f.station('ST16', 'ocpp1.6');
    station.trigger = 'acceptSilently';
    await station.boot();
    await waitState('ST16-1', 'accepted');
    assert.equal(point('ST16-1').reported.status, 'Unavailable', 'the last report is still the stale one');
    await station.status(1, 'Available'); // its fresh boot report says otherwise
    clock.advance(CONFIRM_MS + ASKED_MS);
    await waitState('ST16-1', 'notConfirmed');
  });

  it('1.6: a report sent before the ChangeAvailability reply still confirms', async () => {
    station = await online('ST16', 'ocpp1.6', { 2: 'Available' });
    station.beforeAnswer = async (params) => station!.status(params.connectorId, 'Unavailable');
    await edit('ST16-2', 'Maintenance');
    await waitState('ST16-2', 'confirmed');
    assert.match(point('ST16-2').delivery.detail!, /accepted Inoperative and reported so/);
    assert.equal(b.delivery.awaitingConfirmation, 0);
  });
});

describe('delivery: a report still in the commit window when the station accepts', () => {
  it('a report from before the command, committed after the reply, does not confirm it', async () => {
    // A window much longer than the exchange: the report waits in it while the command goes out and is accepted.
    const f = await ClockedBackend.start({ stationCommitWindowMs: 1_000, liveness: NO_PINGS });
    try {
      const operator = await f.console('operator');
      const station = await f.online('ST16', 'ocpp1.6', { 2: 'Available' });
      station.trigger = 'acceptSilently';
      f.clock.advance(1);
      const reportedAt = f.clock.now();
      // Not awaited: its answer comes once the window ends. The report arrives before the command is sent.
      const reported = station.status(2, 'Unavailable');
      await waitFor('the report received', () => f.backend.ocpp.reportedSince('ST16', 2, reportedAt));
      f.clock.advance(1);
      const outcome = await f.edit(operator, 'ST16-2', { status: 'Maintenance', reason: 'test' });
      assert.equal(outcome.points[0].result, 'applied');
      await reported;
      await waitFor('the reply recorded', () => ['accepted', 'confirmed'].includes(f.point('ST16-2').delivery.state));
      await station.client.call('Heartbeat', {});
      assert.equal(f.point('ST16-2').reported.status, 'Unavailable', 'the report is stored');
      assert.equal(f.point('ST16-2').delivery.state, 'accepted', 'not confirmed by a report from before the command');
    } finally {
      await f.close();
    }
  });
});

describe('delivery: a person re-sends or withdraws a stuck change', () => {
  let f: ClockedBackend;
  let clock: ManualClock;
  let b: TestBackend;
  let operator: TestConsole;
  let viewer: TestConsole;
  let station: TestStation;

  beforeEach(async () => {
    f = await ClockedBackend.start({ deliveryWaits: { confirmAfterMs: CONFIRM_MS, triggerAnswerMs: ASKED_MS } });
    ({ clock, backend: b } = f);
    operator = await f.console('operator');
    viewer = await f.console('viewer');
    station = await f.online('ST16', 'ocpp1.6', { 1: 'Available' });
    station.trigger = 'acceptSilently';
    await f.edit(operator, 'ST16-1', { status: 'OutOfService', reason: 'broken screen' });
    await waitFor('accepted', () => b.store.points.get('ST16-1')!.delivery.state === 'accepted');
    clock.advance(CONFIRM_MS + ASKED_MS);
    await waitFor('not confirmed', () => b.store.points.get('ST16-1')!.delivery.state === 'notConfirmed');
  });
  afterEach(() => f.close());

  const point = () => b.store.points.get('ST16-1')!;

  it('re-send: the station gets the change again and this time confirms it', async () => {
    station.beforeAnswer = async () => station.status(1, 'Unavailable');
    const r = await operator.request('deliveryAction', {
      pointId: 'ST16-1',
      action: 'resend',
      operatorVersion: point().operator.version,
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.data.result, 'resent');
    await waitFor('confirmed', () => point().delivery.state === 'confirmed');
    assert.equal(station.received.length, 2);
  });

  it('withdraw: back to the status before, as a normal change (versioned, audited, sent)', async () => {
    const before = point().operator.version;
    const r = await operator.request('deliveryAction', {
      pointId: 'ST16-1',
      action: 'withdraw',
      operatorVersion: before,
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.data.result, 'withdrawn');
    assert.equal(point().operator.status, 'Available');
    assert.equal(point().operator.version, before + 1);
    assert.match(point().operator.reason!, /Withdrawn: Out of Service was not confirmed/);
    await waitFor('Operative sent', () => station.received.at(-1)?.type === 'Operative');
  });

  it('a stale version is a conflict; a viewer may not; a settled change has nothing to re-send', async () => {
    const stale = await operator.request('deliveryAction', { pointId: 'ST16-1', action: 'resend', operatorVersion: 0 });
    assert.ok(stale.ok);
    assert.equal(stale.data.result, 'conflict');
    const refused = await viewer.request('deliveryAction', {
      pointId: 'ST16-1',
      action: 'withdraw',
      operatorVersion: point().operator.version,
    });
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, 'forbidden');
    assert.equal(point().operator.status, 'OutOfService', 'nothing changed');
    const bad = await operator.request('deliveryAction', { pointId: 'ST16-1', action: 'explode', operatorVersion: 1 });
    assert.equal(bad.ok, false);
    assert.equal(bad.error.code, 'invalid');
    await station.status(1, 'Unavailable');
    await waitFor('confirmed', () => point().delivery.state === 'confirmed');
    const settled = await operator.request('deliveryAction', {
      pointId: 'ST16-1',
      action: 'resend',
      operatorVersion: point().operator.version,
    });
    assert.ok(settled.ok);
    assert.equal(settled.data.result, 'nothingToDo');
  });
});

describe('history reads right', () => {
  it('connection entries say connected → disconnected and back', async () => {
    const b = await startTestBackend();
    const c = await consoleAs(b.url, 'viewer');
    try {
      const st = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
      await st.boot();
      await st.close();
      await waitFor('offline', () => !b.store.points.get('ST16-1')!.stationConnected);
      const r = await c.request('history', { pointId: 'ST16-1', limit: 10 });
      assert.ok(r.ok);
      const connection = (r.data.entries as AuditEntry[])
        .filter((e) => e.fact === 'connection')
        .map((e) => `${e.from} → ${e.to}`);
      assert.deepEqual(connection, ['connected → disconnected', 'disconnected → connected']);
    } finally {
      c.close();
      await b.dispose();
    }
  });

  it('a point learned from a report has its connector type and power as not reported', async () => {
    const b = await startTestBackend({ acceptUnknownStations: true });
    try {
      const st = await connectStation(b.ocppUrl, 'NEW-9', 'ocpp2.0.1');
      await st.boot();
      await st.status(1, 'Available');
      await st.close();
      assert.deepEqual(b.store.points.get('NEW-9-1')!.connectors, [{ id: 1, type: null, maxKw: null }]);
    } finally {
      await b.dispose();
    }
  });
});
