// The demo's troubled site: each of its stations misbehaves as real ones do, and the console shows it truthfully
// (not confirmed, flagged Scheduled, kept Online on pings alone, Silent then Offline when it answers nothing), and the
// demo raises a believable trickle of alerts that resolve themselves (a hung station, points that fault and recover).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { DEFAULT_ALERT_RULES, type Alert } from '../../common/alerts.js';
import type { Point } from '../../common/model.js';
import { connectConsole, login, setStatus, startTestBackend, type TestBackend } from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';

async function demo(clock: ManualClock, pingIntervalMs: number, timeScale = 1): Promise<TestBackend> {
  return startTestBackend({
    demo: true,
    demoOptions: { quiet: true, troubled: true, timeScale },
    clock,
    liveness: { pingIntervalMs },
    deliveryWaits: { confirmAfterMs: 30_000, triggerAnswerMs: 30_000, scheduledLimitMs: 4 * 3600_000 },
  });
}

async function operatorConsole(b: TestBackend) {
  const user = b.demoUsers.find((u) => u.role === 'supervisor')!;
  const r = await login(b.url, user.username, user.password);
  return connectConsole(b.url, r.body.token);
}

describe('demo: troubled stations', () => {
  it('"Ignores changes" ends not confirmed; "Scheduled forever" is flagged after 4 h', async () => {
    const clock = new ManualClock();
    const b = await demo(clock, 24 * 3600_000);
    const c = await operatorConsole(b);
    const point = (id: string): Point => b.store.points.get(id)!;
    try {
      assert.ok(b.store.stations.allSites().some((s) => s.name === 'Troubled stations (demo)'));
      for (const [id, status] of [
        ['TRB-IGNORES-1', 'OutOfService'],
        ['TRB-SCHEDULES-1', 'Maintenance'],
      ]) {
        const r = await c.request('mutate', {
          mutations: [
            setStatus([{ pointId: id, baseVersion: point(id).operator.version }], { status, reason: 'demo' }),
          ],
        });
        assert.ok(r.ok, JSON.stringify(r));
      }
      await waitFor('accepted', () => point('TRB-IGNORES-1').delivery.state === 'accepted');
      await waitFor('scheduled', () => point('TRB-SCHEDULES-1').delivery.state === 'scheduled');
      clock.advance(30_000);
      await waitFor('not confirmed', () => point('TRB-IGNORES-1').delivery.state === 'notConfirmed');
      assert.match(point('TRB-IGNORES-1').delivery.detail!, /the station said Available/);
      clock.advance(4 * 3600_000);
      await waitFor('flagged', () => point('TRB-SCHEDULES-1').delivery.state === 'notConfirmed');
    } finally {
      c.close();
      await b.dispose();
    }
  });

  it('"Pings only" stays Online; "Goes quiet" turns Silent, then Offline, then comes back', async () => {
    const clock = new ManualClock();
    // 20× faster: the hung station is back 4.5–9 s after the backend dropped it instead of 1.5–3 min.
    const b = await demo(clock, 30_000, 20);
    const liveness = b.ocpp.liveness;
    try {
      await waitFor('both connected', () => b.ocpp.isConnected('TRB-PINGS') && b.ocpp.isConnected('TRB-QUIET'));
      const seen = new Set<string>();
      for (let s = 10; s <= 180; s += 10) {
        clock.advance(10_000);
        if (s % 30 === 0) await waitFor('a pong from TRB-PINGS', () => liveness.lastHeard('TRB-PINGS') === clock.now());
        assert.equal(liveness.state('TRB-PINGS'), 'online', `TRB-PINGS at ${s} s`);
        seen.add(liveness.state('TRB-QUIET')!);
      }
      assert.ok(seen.has('silent') && seen.has('offline'), `TRB-QUIET went ${[...seen].join(', ')}`);
      await waitFor('TRB-QUIET back', () => b.ocpp.isConnected('TRB-QUIET'), 20_000);
      assert.equal(liveness.state('TRB-QUIET'), 'online');
    } finally {
      await b.dispose();
    }
  });

  it('"Goes quiet" raises a station alert past the hold-off, which resolves itself when the station is back', async () => {
    const clock = new ManualClock();
    const b = await demo(clock, 30_000, 20);
    const alertOf = (stationId: string): Alert | undefined =>
      b.store.alerts.current(new Date(0).toISOString()).find((a) => a.stationId === stationId);
    try {
      await waitFor('both connected', () => b.ocpp.isConnected('TRB-PINGS') && b.ocpp.isConnected('TRB-QUIET'));
      let droppedAt: number | null = null;
      for (let s = 10; !alertOf('TRB-QUIET'); s += 10) {
        // Silent after 60 s, dropped at 120 s, raised 2 min after it went silent: well before it is back.
        assert.ok(s <= 240, 'raised within 4 minutes');
        clock.advance(10_000);
        if (s % 30 === 0)
          await waitFor('a pong from TRB-PINGS', () => b.ocpp.liveness.lastHeard('TRB-PINGS') === clock.now());
        await new Promise((r) => setImmediate(r)); // alerts due together are raised at the end of the turn
        if (droppedAt === null && !b.ocpp.isConnected('TRB-QUIET')) droppedAt = performance.now();
      }
      const a = alertOf('TRB-QUIET')!;
      assert.equal(a.kind, 'stationOffline');
      assert.equal(a.state, 'open');
      assert.ok(Date.parse(a.raisedAt) - Date.parse(a.since) >= DEFAULT_ALERT_RULES.offlineHoldOffMs);
      assert.equal(alertOf('TRB-PINGS'), undefined, 'a station that answers pings raises nothing');
      await waitFor('TRB-QUIET back', () => b.ocpp.isConnected('TRB-QUIET'), 20_000);
      // Silent 60 s and dropped at 120 s: away at least another minute (simulated), it outlasts the 2-minute hold-off
      // on a real clock too; a station back a second after the drop never raised anything.
      assert.ok(droppedAt !== null);
      assert.ok((performance.now() - droppedAt) * 20 >= 60_000, 'away long enough after the drop to be alerted on');
      clock.advance(1000);
      await waitFor('resolved', () => alertOf('TRB-QUIET')?.state === 'resolved');
      assert.equal(alertOf('TRB-QUIET')!.resolvedBy, 'system');
    } finally {
      await b.dispose();
    }
  });
});

describe('demo: the trickle of alerts', () => {
  it('points fault and recover on their own: a fault raises an alert after the hold-off that resolves itself', async () => {
    const clock = new ManualClock();
    // The whole demo behaviour (sessions, faults, dropouts) 1,000× faster; the rules' clock follows the simulated time.
    const timeScale = 1000;
    const b = await startTestBackend({
      demo: true,
      demoOptions: { troubled: false, timeScale, sites: 3, pointsTarget: 60 },
      clock,
      liveness: { pingIntervalMs: 24 * 3600_000 },
    });
    const faults = (): Alert[] =>
      b.store.alerts.current(new Date(0).toISOString()).filter((a) => a.kind === 'pointFaulted');
    try {
      const realStart = performance.now();
      const clockStart = clock.now();
      let faultedSeen = 0;
      while (!faults().some((a) => a.state === 'resolved')) {
        const elapsed = performance.now() - realStart;
        assert.ok(elapsed < 60_000, `a fault raised and resolved within 60 s (${faults().length} raised)`);
        while (clock.now() - clockStart < elapsed * timeScale) clock.advance(1000);
        faultedSeen = Math.max(faultedSeen, b.store.points.all().filter((p) => p.reported.status === 'Faulted').length);
        await new Promise((r) => setImmediate(r));
      }
      const a = faults().find((x) => x.state === 'resolved')!;
      assert.ok(Date.parse(a.raisedAt) - Date.parse(a.since) >= DEFAULT_ALERT_RULES.faultedHoldOffMs);
      assert.equal(a.resolvedBy, 'system');
      assert.match(a.evidence, /station reported Faulted: \w+/, 'with the error code the simulated station sent');
      assert.ok(faultedSeen >= 1);
    } finally {
      await b.dispose();
    }
  });
});
