// Alerts raised by the backend's rules on a clock the test moves, from real OCPP-J stations: hold-offs, flapping,
// maintenance windows, self-resolving, and people acknowledging, assigning and resolving them.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Alert, Alerts } from '../../common/alerts.js';
import { CONSOLE_EVENTS } from '../../common/protocol.js';
import type { TestBackend, TestConsole, TestStation } from '../support/backendHarness.js';
import { ClockedBackend, MINUTE as MIN, NO_PINGS, SECOND as S } from '../support/clockedBackend.js';
import { waitFor } from '../support/waitFor.js';

describe('alerts', () => {
  let f: ClockedBackend;
  let b: TestBackend;
  let operator: TestConsole;
  let station: TestStation;
  let heard: Alerts[];

  beforeEach(async () => {
    f = await ClockedBackend.start({ liveness: NO_PINGS });
    b = f.backend;
    operator = await f.console('operator');
    heard = [];
    operator.socket.on(CONSOLE_EVENTS.alerts, (a: Alerts) => heard.push(a));
    station = await f.online('ST16', 'ocpp1.6');
    f.clock.advance(S);
  });
  afterEach(() => f.close());

  const open = (): Alert[] => b.store.alerts.current(new Date(0).toISOString()).filter((a) => a.state !== 'resolved');
  const all = (): Alert[] => b.store.alerts.current(new Date(0).toISOString());
  const fault = (evse = 1) => station.status(evse, 'Faulted', { errorCode: 'GroundFailure', vendorErrorCode: 'E42' });
  const pass = (ms: number) => f.pass(ms);

  it('a Faulted point raises one alert, only after the hold-off, with the evidence; it resolves itself on recovery', async () => {
    await fault();
    await pass(2 * MIN - 2 * S);
    assert.equal(open().length, 0, 'not before the hold-off');
    await pass(3 * S);
    assert.equal(open().length, 1);
    const a = open()[0];
    assert.equal(a.kind, 'pointFaulted');
    assert.equal(a.pointId, 'ST16-1');
    assert.match(a.evidence, /GroundFailure/);
    assert.match(a.evidence, /E42/);
    await pass(10 * MIN);
    assert.equal(all().length, 1, 'one alert, however long it lasts');
    await station.status(1, 'Available');
    await pass(2 * S);
    assert.equal(open().length, 0);
    assert.equal(all()[0].resolvedBy, 'system');
    const history = await operator.request('history', { pointId: 'ST16-1', limit: 20 });
    assert.ok(history.ok);
    assert.deepEqual(
      history.data.entries.filter((e: { fact: string }) => e.fact === 'alert').map((e: { to: string }) => e.to),
      ['resolved', 'raised: pointFaulted'],
      'both in the point’s history',
    );
    await waitFor('the console heard', () => heard.some((m) => m.alerts.some((x) => x.state === 'resolved')));
  });

  it('a one-second boot fault raises nothing', async () => {
    await fault();
    f.clock.advance(S);
    await station.status(1, 'Available');
    await pass(5 * MIN);
    assert.equal(all().length, 0);
  });

  it('a flapping point raises one alert that says so, and it resolves only after a calm window', async () => {
    for (let i = 0; i < 5; i++) {
      await fault(2);
      await pass(10 * S);
      await station.status(2, 'Available');
      await pass(50 * S);
    }
    assert.equal(all().length, 1, 'collapsed into one');
    const a = all()[0];
    assert.equal(a.raises, 5);
    assert.match(a.evidence, /flapping: 5 times in 10 min/);
    assert.equal(a.state, 'open', 'not resolved at the first good moment');
    await pass(10 * MIN);
    assert.equal(all()[0].state, 'resolved');
  });

  it('a point in a running maintenance window raises nothing', async () => {
    await f.planWindow(['ST16-1'], f.clock.now() - MIN, f.clock.now() + 60 * MIN);
    await fault();
    await pass(10 * MIN);
    assert.equal(all().length, 0);
  });

  it('a station offline past the hold-off raises one station alert; back online, it resolves', async () => {
    await station.close();
    await waitFor('offline', () => !b.store.points.get('ST16-1')!.stationConnected);
    await pass(2 * MIN + S);
    const a = open();
    assert.equal(a.length, 1);
    assert.equal(a[0].kind, 'stationOffline');
    assert.equal(a[0].stationId, 'ST16');
    station = await f.station('ST16', 'ocpp1.6');
    await station.boot();
    await pass(S);
    assert.equal(open().length, 0);
  });

  it('acknowledge, assign and resolve are recorded with who and when; viewers may not; stale versions conflict', async () => {
    await fault();
    await pass(2 * MIN + S);
    let a = open()[0];
    const viewer = await f.console('viewer');
    try {
      const refused = await viewer.request('alertAction', { id: a.id, version: a.version, action: 'acknowledge' });
      assert.equal(refused.ok, false);
      assert.equal(refused.error.code, 'forbidden');
      const listed = await viewer.request('alerts', {});
      assert.ok(listed.ok, 'viewers see alerts');
      assert.equal(listed.data.alerts.length, 1);
    } finally {
      viewer.close();
    }
    const ack = await operator.request('alertAction', { id: a.id, version: a.version, action: 'acknowledge' });
    assert.ok(ack.ok, JSON.stringify(ack));
    a = ack.data.alert;
    assert.equal(a.state, 'acknowledged');
    assert.equal(a.acknowledgedBy, 'operator');
    assert.ok(a.acknowledgedAt);
    const stale: any = await operator.request('alertAction', {
      id: a.id,
      version: a.version - 1,
      action: 'assign',
      assignee: 'sam',
    });
    assert.equal(stale.error.code, 'conflict');
    const assigned: any = await operator.request('alertAction', {
      id: a.id,
      version: a.version,
      action: 'assign',
      assignee: 'sam',
    });
    assert.equal(assigned.data.alert.assignedTo, 'sam');
    const noNote: any = await operator.request('alertAction', {
      id: a.id,
      version: assigned.data.alert.version,
      action: 'resolve',
    });
    assert.equal(noNote.error.code, 'invalid');
    const resolved: any = await operator.request('alertAction', {
      id: a.id,
      version: assigned.data.alert.version,
      action: 'resolve',
      note: 'socket replaced',
    });
    assert.equal(resolved.data.alert.state, 'resolved');
    assert.equal(resolved.data.alert.resolvedBy, 'operator');
    assert.equal(resolved.data.alert.resolution, 'socket replaced');
  });

  it('a change its station did not confirm raises an alert at once; confirmed, it resolves', async () => {
    station.trigger = 'acceptSilently';
    await f.edit(operator, 'ST16-2', { status: 'OutOfService', reason: 'test' });
    await waitFor('accepted', () => b.store.points.get('ST16-2')!.delivery.state === 'accepted');
    await pass(61 * S);
    await waitFor('not confirmed', () => b.store.points.get('ST16-2')!.delivery.state === 'notConfirmed');
    await pass(S);
    assert.deepEqual(
      open().map((a) => a.kind),
      ['changeNotConfirmed'],
    );
    await station.status(2, 'Unavailable');
    await waitFor('confirmed', () => b.store.points.get('ST16-2')!.delivery.state === 'confirmed');
    await pass(S);
    assert.equal(open().length, 0);
  });
});
