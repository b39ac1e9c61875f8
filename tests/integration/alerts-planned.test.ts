// The rules about what people asked of a point, from real OCPP-J stations on a clock the test moves: a change the
// station Scheduled and did not apply in time, and maintenance overdue (past its expected end, or not back after its
// window ended while the station was away).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DEFAULT_ALERT_RULES, type Alert } from '../../common/alerts.js';
import type { TestBackend, TestConsole, TestStation } from '../support/backendHarness.js';
import { ClockedBackend, MINUTE as MIN, NO_PINGS, SECOND as S } from '../support/clockedBackend.js';
import { waitFor } from '../support/waitFor.js';
import { AlertRulesRepo } from '../../backend/store/alertRules.js';

describe('alerts: scheduled too long and maintenance overdue', () => {
  let f: ClockedBackend;
  let b: TestBackend;
  let operator: TestConsole;
  let station: TestStation;

  beforeEach(async () => {
    f = await ClockedBackend.start({ liveness: NO_PINGS });
    b = f.backend;
    operator = await f.console('operator');
    station = await f.online('ST16', 'ocpp1.6');
    f.clock.advance(S);
  });
  afterEach(() => f.close());

  const all = (): Alert[] => b.store.alerts.current(new Date(0).toISOString());
  const open = (kind: Alert['kind']): Alert[] => all().filter((a) => a.kind === kind && a.state !== 'resolved');
  const pass = (ms: number) => f.pass(ms);
  const setStatus = (pointId: string, edit: { status: string } & Record<string, unknown>) =>
    f.edit(operator, pointId, edit);
  const inMin = (min: number) => new Date(f.clock.now() + min * MIN).toISOString();

  it('a change Scheduled past its hold-off raises one alert with who asked and since when; applied, it resolves', async () => {
    station.answer = 'Scheduled';
    await setStatus('ST16-2', { status: 'OutOfService', reason: 'Cable check' });
    await waitFor('scheduled', () => b.store.points.get('ST16-2')!.delivery.state === 'scheduled');
    await pass(DEFAULT_ALERT_RULES.scheduledHoldOffMs - 3 * S);
    assert.equal(open('scheduledTooLong').length, 0, 'nothing before the hold-off');
    await pass(4 * S);
    const [a] = open('scheduledTooLong');
    assert.ok(a, 'raised after the hold-off');
    assert.equal(a.pointId, 'ST16-2');
    assert.match(a.evidence, /OutOfService \(Cable check\) asked by operator/);
    assert.match(a.evidence, /answered Scheduled at/);
    assert.ok(Date.parse(a.raisedAt) - Date.parse(a.since) >= DEFAULT_ALERT_RULES.scheduledHoldOffMs);
    await station.status(2, 'Unavailable'); // the session ended: the change applied
    await waitFor('confirmed', () => b.store.points.get('ST16-2')!.delivery.state === 'confirmed');
    await pass(S);
    assert.equal(open('scheduledTooLong').length, 0);
    assert.equal(all().find((x) => x.id === a.id)!.resolvedBy, 'system');
  });

  it('a Scheduled change replaced by another resolves as superseded; the new one has its own hold-off', async () => {
    station.answer = 'Scheduled';
    await setStatus('ST16-2', { status: 'OutOfService', reason: 'Cable check' });
    await waitFor('scheduled', () => b.store.points.get('ST16-2')!.delivery.state === 'scheduled');
    await pass(DEFAULT_ALERT_RULES.scheduledHoldOffMs + S);
    assert.equal(open('scheduledTooLong').length, 1);
    const first = b.store.points.get('ST16-2')!.operator.version;
    await setStatus('ST16-2', { status: 'Maintenance', reason: 'Firmware' });
    await waitFor('scheduled again', () => {
      const p = b.store.points.get('ST16-2')!;
      return p.operator.version > first && p.delivery.state === 'scheduled';
    });
    await pass(S);
    assert.equal(open('scheduledTooLong').length, 0, 'the replaced change no longer counts');
    assert.match(all().find((x) => x.kind === 'scheduledTooLong')!.resolution ?? '', /superseded/);
    await pass(DEFAULT_ALERT_RULES.scheduledHoldOffMs - 3 * S);
    assert.equal(open('scheduledTooLong').length, 0, 'the new change waits its own hold-off');
    await pass(4 * S);
    assert.match(open('scheduledTooLong')[0]?.evidence ?? '', /Maintenance \(Firmware\)/);
  });

  it('a point still in Maintenance past its expected end (remind) raises after the hold-off; extending the end resolves it', async () => {
    await setStatus('ST16-1', { status: 'Maintenance', reason: 'Pump', until: inMin(30), untilAction: 'remind' });
    await pass(30 * MIN + DEFAULT_ALERT_RULES.overdueHoldOffMs - 3 * S);
    assert.equal(open('maintenanceOverdue').length, 0, 'nothing before the end plus the hold-off');
    await pass(4 * S);
    const [a] = open('maintenanceOverdue');
    assert.ok(a, 'raised');
    assert.match(a.evidence, /Maintenance \(Pump\) asked by operator .*expected to end at/);
    await setStatus('ST16-1', { status: 'Maintenance', reason: 'Pump', until: inMin(60), untilAction: 'remind' });
    await pass(S);
    assert.equal(open('maintenanceOverdue').length, 0, 'extended: not overdue');
    assert.match(all().find((x) => x.id === a.id)!.resolution ?? '', /superseded/);
    await setStatus('ST16-1', { status: 'Available' });
    await pass(70 * MIN);
    assert.equal(open('maintenanceOverdue').length, 0, 'back in service before the new end: never overdue');
  });

  it('an expected end that reverts on its own, or an Available point, raises no overdue alert', async () => {
    await setStatus('ST16-1', { status: 'OutOfService', reason: 'x', until: inMin(5), untilAction: 'revert' });
    await setStatus('ST16-2', { status: 'Available', reason: 'x' });
    await pass(30 * MIN);
    assert.equal(open('maintenanceOverdue').length, 0);
  });

  it('a window that ended while its station was away raises overdue after the hold-off; back, it resolves', async () => {
    await f.planWindow(['ST16-1'], f.clock.now() - MIN, f.clock.now() + 30 * MIN);
    await pass(2 * S);
    await station.close();
    await waitFor('offline', () => !b.store.points.get('ST16-1')!.stationConnected);
    await pass(30 * MIN + DEFAULT_ALERT_RULES.overdueHoldOffMs - 5 * S);
    assert.equal(open('maintenanceOverdue').length, 0, 'nothing before the hold-off');
    await pass(6 * S);
    const [a] = open('maintenanceOverdue');
    assert.ok(a, 'raised');
    assert.equal(a.pointId, 'ST16-1');
    assert.match(a.evidence, /maintenance window "Repairs" ended at .*not back/);
    station = await f.online('ST16', 'ocpp1.6');
    await waitFor('back', () => b.store.points.get('ST16-1')!.delivery.state === 'confirmed');
    await pass(S);
    assert.equal(open('maintenanceOverdue').length, 0, 'resolved when the point is back');
  });

  it('a supervisor shortening the scheduled hold-off raises a change already waiting longer at once', async () => {
    station.answer = 'Scheduled';
    await setStatus('ST16-2', { status: 'OutOfService', reason: 'Cable check' });
    await waitFor('scheduled', () => b.store.points.get('ST16-2')!.delivery.state === 'scheduled');
    await pass(30 * MIN);
    assert.equal(open('scheduledTooLong').length, 0);
    const supervisor = await f.console('supervisor');
    const r = await supervisor.request('alertAction', {
      action: 'setRules',
      rules: { ...DEFAULT_ALERT_RULES, scheduledHoldOffMs: 20 * MIN },
      version: 0,
    });
    supervisor.close();
    assert.ok(r.ok, JSON.stringify(r));
    await pass(S);
    assert.equal(open('scheduledTooLong').length, 1, 'waiting 30 min, past the new 20-minute hold-off');
  });

  it('rules stored before these two rules existed take their defaults', () => {
    const old = { faultedHoldOffMs: MIN, offlineHoldOffMs: 2 * MIN, flapCount: 5, flapWindowMs: 10 * MIN };
    new AlertRulesRepo(b.store.db).put(
      1,
      'supervisor',
      new Date(f.clock.now()).toISOString(),
      '{}',
      JSON.stringify(old),
    );
    assert.deepEqual(b.alertRules.state().rules, { ...DEFAULT_ALERT_RULES, faultedHoldOffMs: MIN });
  });
});
