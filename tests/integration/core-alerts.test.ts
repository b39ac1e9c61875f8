// Alerts through the console core: loaded after each catch-up, changes heard live, acknowledged through the core;
// kept while offline (a console that was away gets what it missed when it is back), acting refused offline.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ALERT_RULES } from '../../common/alerts.js';
import { ConsoleApiError, type AlertsView, type EventPayload } from '../../common/consoleApi.js';
import { ManualClock } from '../../common/clock.js';
import {
  connectStation,
  startTestBackend,
  TEST_USERS,
  type TestBackend,
  type TestStation,
} from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';
import { openConsole, waitLive, type TestConsole } from '../support/consoles.js';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.js';

const operator = TEST_USERS.find((u) => u.role === 'operator')!;
const supervisor = TEST_USERS.find((u) => u.role === 'supervisor')!;

describe('console core: alerts', () => {
  let clock: ManualClock;
  let b: TestBackend;
  let line: TcpProxy;
  let c: TestConsole;
  let station: TestStation;

  before(async () => {
    clock = new ManualClock(Date.now());
    b = await startTestBackend({
      clock,
      liveness: { pingIntervalMs: 24 * 3600_000 },
      alertRules: { faultedHoldOffMs: 5000 },
    });
    line = await startTcpProxy(b.port);
    c = openConsole(line.url, { username: operator.username, password: operator.password });
    await waitLive(c);
    station = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
    await station.boot();
  });
  after(async () => {
    await c.close();
    await station.close();
    await line.close();
    await b.dispose();
  });

  const heard = () => c.events.filter((e) => e.name === 'alerts').map((e) => e.payload as AlertsView);
  /** The points of the alerts the core told about as new (what a desktop notification shows), in order. */
  const toldNew = () =>
    c.events
      .filter((e) => e.name === 'newAlerts')
      .flatMap((e) => (e.payload as EventPayload<'newAlerts'>).alerts.map((a) => a.pointId));

  it('hears an alert raised, acknowledges it through the core', async () => {
    await station.status(1, 'Faulted', { errorCode: 'HighTemperature' });
    for (let i = 0; i < 7; i++) clock.advance(1000);
    await waitFor('the alert reaches the core', () =>
      heard().some((v) => v.alerts.some((a) => a.pointId === 'ST16-1')),
    );
    const [alert] = (await c.core.getAlerts()).alerts;
    assert.equal(alert.kind, 'pointFaulted');
    const acked = await c.core.alertAction({ id: alert.id, version: alert.version, action: 'acknowledge' });
    assert.equal(acked.alert.state, 'acknowledged');
    assert.equal(b.store.alerts.get(alert.id)?.acknowledgedBy, 'operator');
    assert.deepEqual(toldNew(), ['ST16-1'], 'told as new once; its acknowledgement is not new');
  });

  it('offline: keeps what it had, refuses to act; back online, it gets what it missed', async () => {
    await line.cut();
    await waitFor('offline', () => c.core.connection().state !== 'live', 15_000);
    const [alert] = (await c.core.getAlerts()).alerts;
    await assert.rejects(
      c.core.alertAction({ id: alert.id, version: alert.version, action: 'resolve', note: 'fixed' }),
      (e: unknown) => e instanceof ConsoleApiError && e.code === 'offline',
    );
    await station.status(2, 'Faulted');
    for (let i = 0; i < 7; i++) clock.advance(1000);
    await line.restore();
    await waitLive(c);
    await waitFor(
      'the missed alert arrives',
      () => heard().some((v) => v.full && v.alerts.some((a) => a.pointId === 'ST16-2')),
      10_000,
    );
    assert.deepEqual(
      toldNew(),
      ['ST16-1', 'ST16-2'],
      'the missed one is told as new; the one it knew is not told again',
    );
  });

  it('reads the rules; an operator may not change them, a supervisor may and every console hears', async () => {
    const rules = (await c.core.getAlerts()).rules;
    assert.deepEqual(rules?.rules, { ...DEFAULT_ALERT_RULES, faultedHoldOffMs: 5000 });
    const next = { ...rules!.rules, offlineHoldOffMs: 5 * 60_000 };
    await assert.rejects(
      c.core.setAlertRules({ rules: next, version: rules!.version }),
      (e: unknown) => e instanceof ConsoleApiError && e.code === 'forbidden' && /only a supervisor/.test(e.message),
    );
    const boss = openConsole(b.url, { username: supervisor.username, password: supervisor.password });
    try {
      await waitLive(boss);
      await waitFor('the supervisor has the rules', () =>
        boss.events.some((e) => e.name === 'alerts' && (e.payload as AlertsView).rules),
      );
      const state = await boss.core.setAlertRules({ rules: next, version: rules!.version });
      assert.equal(state.changedBy, 'supervisor');
      assert.equal(b.alerts.rules.offlineHoldOffMs, 5 * 60_000);
      await waitFor('the operator hears the new rules', () => heard().some((v) => v.rules?.version === state.version));
      assert.deepEqual((await c.core.getAlerts()).rules, state);
      await assert.rejects(
        boss.core.setAlertRules({ rules: { ...next, flapCount: 3 }, version: rules!.version }),
        (e: unknown) => e instanceof ConsoleApiError && e.code === 'invalid' && /changed since/.test(e.message),
      );
    } finally {
      await boss.close();
    }
  });
});
