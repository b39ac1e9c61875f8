// Alert rules edited by supervisors: read by every role, changed only by supervisors (checked on the backend),
// validated, audited (who, when, old → new), kept across a restart and applied by the rules at once.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DEFAULT_ALERT_RULES, type AlertRules, type Alerts } from '../../common/alerts.js';
import { ManualClock } from '../../common/clock.js';
import { CONSOLE_EVENTS } from '../../common/protocol.js';
import {
  connectConsole,
  connectStation,
  startTestBackend,
  tokenFor,
  type TestBackend,
  type TestConsole,
} from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const S = 1000;
const MIN = 60 * S;
const quiet = { pingIntervalMs: 24 * 3600_000 };

describe('alert rules', () => {
  let clock: ManualClock;
  let data: ReturnType<typeof tempDir>;
  let b: TestBackend;
  const consoles: TestConsole[] = [];

  beforeEach(async () => {
    clock = new ManualClock();
    data = tempDir('backend');
    b = await startTestBackend({ clock, dataDir: data.path, liveness: quiet });
  });
  afterEach(async () => {
    for (const c of consoles.splice(0)) c.close();
    await b.stop();
    data.remove();
  });

  const as = async (username: string) => {
    const c = await connectConsole(b.url, await tokenFor(b.url, username));
    consoles.push(c);
    return c;
  };
  const setRules = (c: TestConsole, rules: unknown, version = 0) =>
    c.request(CONSOLE_EVENTS.alertAction, { action: 'setRules', rules, version });
  /** Moves the clock in whole seconds (the rules look once a second). */
  const pass = (ms: number) => {
    for (let t = 0; t < ms; t += S) clock.advance(S);
  };
  /** Alerts whose hold-offs end together are raised at the end of the turn. */
  const settled = () => new Promise((r) => setImmediate(r));
  const faultStored = (pointId: string) =>
    waitFor(`${pointId} stored as Faulted`, () =>
      b.store.alerts.pointsChangedSince(0, 1_000_000).some((p) => p.id === pointId && p.reported_status === 'Faulted'),
    );
  const shorter: AlertRules = { ...DEFAULT_ALERT_RULES, faultedHoldOffMs: 30 * S };

  it('every role reads the rules; the defaults until a supervisor changes them', async () => {
    for (const role of ['viewer', 'operator', 'supervisor']) {
      const reply = await (await as(role)).request<Alerts>(CONSOLE_EVENTS.alerts, {});
      assert.ok(reply.ok, role);
      assert.deepEqual(
        reply.data.rules,
        { rules: DEFAULT_ALERT_RULES, version: 0, changedBy: null, changedAt: null },
        role,
      );
    }
  });

  it('viewers and operators are refused with a clear error, and nothing changes', async () => {
    for (const role of ['viewer', 'operator']) {
      const reply = await setRules(await as(role), shorter);
      assert.equal(reply.ok, false);
      assert.ok(!reply.ok);
      assert.equal(reply.error.code, 'forbidden');
      assert.match(
        reply.error.message,
        new RegExp(`only a supervisor may change the alert rules; a ${role} may read them`),
      );
    }
    assert.equal(b.alertRules.state().version, 0);
    assert.deepEqual(b.alertRules.history(), []);
  });

  it('bad rules are refused by the schema, naming the field; nothing changes', async () => {
    const supervisor = await as('supervisor');
    const bad: [unknown, RegExp][] = [
      [{ ...shorter, flapCount: 1 }, /flapCount/],
      [{ ...shorter, faultedHoldOffMs: -5 }, /faultedHoldOffMs/],
      [{ ...shorter, flapWindowMs: 'ten minutes' }, /flapWindowMs/],
      [{ ...shorter, sneaky: true }, /sneaky/],
      [{ faultedHoldOffMs: 1000 }, /offlineHoldOffMs/],
    ];
    for (const [rules, named] of bad) {
      const reply = await setRules(supervisor, rules);
      assert.ok(!reply.ok, JSON.stringify(rules));
      assert.equal(reply.error.code, 'invalid');
      assert.match(reply.error.message, named);
    }
    assert.equal(b.alertRules.state().version, 0);
  });

  it('a supervisor changes them: audited, told to every console, stale versions refused, kept across a restart', async () => {
    const viewer = await as('viewer');
    const heard: Alerts[] = [];
    viewer.socket.on(CONSOLE_EVENTS.alerts, (m: Alerts) => heard.push(m));
    const supervisor = await as('supervisor');
    const at = new Date(clock.now()).toISOString();
    const reply = await setRules(supervisor, shorter);
    assert.ok(reply.ok);
    assert.deepEqual(reply.data, { rules: { rules: shorter, version: 1, changedBy: 'supervisor', changedAt: at } });
    await waitFor('the viewer hears the new rules', () => heard.some((m) => m.rules?.version === 1));
    assert.deepEqual(b.alertRules.history(), [
      { version: 1, at, actor: 'supervisor', oldRules: DEFAULT_ALERT_RULES, newRules: shorter },
    ]);

    const stale = await setRules(supervisor, { ...shorter, flapCount: 3 }, 0);
    assert.ok(!stale.ok);
    assert.equal(stale.error.code, 'conflict');
    assert.match(stale.error.message, /changed since \(by supervisor\)/);

    for (const c of consoles.splice(0)) c.close();
    await b.stop();
    b = await startTestBackend({ clock, dataDir: data.path, network: null, liveness: quiet });
    assert.deepEqual(b.alertRules.state().rules, shorter);
    assert.deepEqual(b.alerts.rules, shorter, 'the engine runs on the stored rules after a restart');
  });

  it('applied at once: a fault already in its hold-off raises at the new, shorter hold-off', async () => {
    const station = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
    try {
      await station.boot();
      await station.status(1, 'Available');
      await station.status(1, 'Faulted', { errorCode: 'GroundFailure' });
      const open = () => b.store.alerts.current(new Date(0).toISOString()).filter((a) => a.state === 'open');
      await faultStored('ST16-1');
      pass(20 * S);
      assert.equal(open().length, 0, 'under the default 2-minute hold-off, nothing yet');
      const reply = await setRules(await as('supervisor'), { ...shorter, faultedHoldOffMs: 10 * S });
      assert.ok(reply.ok);
      await waitFor('raised at once: the fault is older than the new hold-off', () => open().length === 1);

      // Longer again: a new fault waits the new hold-off.
      const longer = await setRules(await as('supervisor'), { ...shorter, faultedHoldOffMs: 5 * MIN }, 1);
      assert.ok(longer.ok);
      await station.status(2, 'Faulted', { errorCode: 'OverVoltage' });
      await faultStored('ST16-2');
      pass(3 * MIN);
      await settled();
      assert.equal(open().length, 1, 'not after 3 minutes under a 5-minute hold-off');
      pass(2 * MIN + 2 * S);
      await waitFor('raised after 5 minutes', () => open().length === 2);
    } finally {
      await station.close();
    }
  });
});
