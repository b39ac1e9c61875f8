// The demo's troubled site: each of its stations misbehaves as real ones do, and the console shows it truthfully
// (not confirmed, flagged Scheduled, kept Online on pings alone, Silent then Offline when it answers nothing).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import type { Point } from '../../common/model.js';
import { connectConsole, login, setStatus, startTestBackend, type TestBackend } from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';

async function demo(clock: ManualClock, pingIntervalMs: number): Promise<TestBackend> {
  return startTestBackend({
    demo: true,
    demoOptions: { quiet: true, troubled: true },
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
    const b = await demo(clock, 30_000);
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
});
