// The alert rules look at what changed a slice at a time: a burst of thousands of changes (a live network at 2,000
// reports a second, a bulk edit) is looked at SCAN_SLICE points per turn of the event loop, so the backend's consoles
// and stations are served in between, and every point of the burst is still looked at.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Alert } from '../../common/alerts.js';
import { ManualClock, type Clock, type TimerHandle } from '../../common/clock.js';
import { RAISES_PER_TURN, SCAN_SLICE } from '../../backend/alerts/engine.js';
import type { Point } from '../../common/model.js';
import type { Store } from '../../backend/store/index.js';
import { startTestBackend, TEST_USERS, type TestBackend } from '../support/backendHarness.js';
import { generateLargeNetwork } from '../support/largeNetwork.js';
import { tempDir } from '../support/tempDir.js';
import { disposeStoreOf, testStore } from '../support/testStore.js';

const S = 1000;
const BURST = 2 * SCAN_SLICE + 100;
const quiet = { pingIntervalMs: 24 * 3600_000 };

function report(store: Store, points: Point[], status: 'Faulted' | 'Available', at: number): void {
  store.points.setReportedMany(
    points.map((p) => ({
      stationId: p.stationId,
      evseId: p.evseId,
      report: {
        status,
        errorCode: status === 'Faulted' ? 'GroundFailure' : null,
        info: null,
        at: new Date(at).toISOString(),
      },
      actor: `station:${p.stationId}`,
    })),
  );
}

/** A ManualClock whose zero-delay timers (the next slice) wait until the test runs them. */
class SliceHoldingClock implements Clock {
  readonly held: (() => void)[] = [];
  constructor(readonly manual = new ManualClock()) {}
  now(): number {
    return this.manual.now();
  }
  after(ms: number, fn: () => void): TimerHandle {
    if (ms > 0) return this.manual.after(ms, fn);
    let cancelled = false;
    this.held.push(() => cancelled || fn());
    return { cancel: () => void (cancelled = true) };
  }
  every(ms: number, fn: () => void): TimerHandle {
    return this.manual.every(ms, fn);
  }
  /** Runs the slices held so far (each may hold the next). */
  runHeld(): number {
    const run = this.held.splice(0);
    for (const fn of run) fn();
    return run.length;
  }
}

describe('alert rules on a burst of changes', () => {
  let clock: SliceHoldingClock;
  let data: ReturnType<typeof tempDir>;
  let b: TestBackend;

  beforeEach(async () => {
    clock = new SliceHoldingClock();
    data = tempDir('alerts-slices');
    const network = { ...generateLargeNetwork({ sites: 20, points: BURST + 50, seed: 3 }), users: TEST_USERS };
    b = await startTestBackend({ clock, dataDir: data.path, network, liveness: quiet });
  });
  afterEach(async () => {
    await b.stop();
    disposeStoreOf(data.path);
    data.remove();
  });

  /** Alerts whose hold-offs end together are raised at the end of the turn. */
  const settled = () => new Promise((r) => setImmediate(r));
  /** Every raise due now, a transaction a turn. */
  const allRaised = async () => {
    for (let turn = 0; turn <= Math.ceil(BURST / RAISES_PER_TURN); turn++) await settled();
  };
  /** BURST points report Faulted, every scan slice runs, and the hold-off passes: their raises are due. */
  const burstFaultedPastHoldOff = () => {
    const points = b.store.points.all().slice(0, BURST);
    report(b.store, points, 'Faulted', clock.now());
    clock.manual.advance(S);
    while (clock.runHeld() > 0);
    clock.manual.advance(b.alerts.rules.faultedHoldOffMs);
    return points;
  };
  const openAlerts = (): Alert[] =>
    b.store.alerts.current(new Date(0).toISOString()).filter((a) => a.state !== 'resolved');

  it(`looks at ${SCAN_SLICE} points a turn, and at every point of the burst`, async () => {
    const points = b.store.points.all().slice(0, BURST);
    assert.equal(points.length, BURST);
    report(b.store, points, 'Faulted', clock.now());
    clock.manual.advance(S);
    // One slice in this turn, the next waits for the next turn.
    assert.equal(clock.held.length, 1);
    clock.manual.advance(b.alerts.rules.faultedHoldOffMs);
    await settled();
    assert.equal(openAlerts().length, SCAN_SLICE, 'the first slice alone was looked at');

    assert.equal(clock.runHeld(), 1);
    assert.equal(clock.runHeld(), 1);
    assert.equal(clock.runHeld(), 0, 'three slices: 250, 250 and the last 100');
    clock.manual.advance(b.alerts.rules.faultedHoldOffMs);
    await allRaised();
    const raised = openAlerts();
    assert.equal(raised.length, BURST);
    assert.deepEqual(new Set(raised.map((a) => a.pointId)), new Set(points.map((p) => p.id)));
    assert.ok(raised.every((a) => a.kind === 'pointFaulted'));
  });

  it(`raises the alerts of hold-offs that end together ${RAISES_PER_TURN} a turn, and all of them`, async () => {
    burstFaultedPastHoldOff();
    await settled();
    assert.equal(openAlerts().length, RAISES_PER_TURN, 'one transaction of them in this turn');
    await settled();
    assert.equal(openAlerts().length, 2 * RAISES_PER_TURN, 'the next in the next turn');
    await settled();
    assert.equal(openAlerts().length, BURST);
  });

  it('what one slice resolves shares one commit on SQLite (on PostgreSQL one each: the seq lock is not held long)', async () => {
    const points = burstFaultedPastHoldOff();
    await allRaised();
    assert.equal(openAlerts().length, BURST);
    let commits = 0;
    const unlisten = b.store.changes.onChange(() => commits++);
    try {
      report(b.store, points.slice(0, SCAN_SLICE), 'Available', clock.now());
      assert.equal(commits, 1, 'the reports');
      clock.manual.advance(S);
      assert.equal(openAlerts().length, BURST - SCAN_SLICE, 'the slice resolved its points');
      if (b.store.db.dialect === 'sqlite')
        assert.equal(commits, 2, `one commit for the ${SCAN_SLICE} resolutions, not one each`);
      else assert.equal(commits, 1 + SCAN_SLICE, 'one commit per resolution');
    } finally {
      unlisten();
    }
  });

  it('a slice that cannot be stored is looked at again: what it resolved is resolved at the next scan', async () => {
    const points = burstFaultedPastHoldOff();
    await allRaised();
    const alerts = b.store.alerts;
    const save = alerts.save.bind(alerts);
    let failures = 0;
    // A commit that fails (a full disk, a lost database connection) cannot be made here: the first save throws.
    alerts.save = (...args: Parameters<typeof save>) => {
      if (failures++ === 0) throw new Error('disk full (simulated)');
      return save(...args);
    };
    try {
      const recovering = points.slice(0, SCAN_SLICE);
      report(b.store, recovering, 'Available', clock.now());
      assert.throws(() => clock.manual.advance(S), /disk full/);
      assert.equal(openAlerts().length, BURST, 'nothing of the failed slice is stored');
      clock.manual.advance(S);
      while (clock.runHeld() > 0);
      const open = openAlerts();
      assert.equal(open.length, BURST - SCAN_SLICE, 'resolved at the next scan');
      const recovered = new Set(recovering.map((p) => p.id));
      assert.ok(open.every((a) => !recovered.has(a.pointId!)));
    } finally {
      alerts.save = save;
    }
  });

  it('raises nothing more once stopped, even with raises still due', async () => {
    burstFaultedPastHoldOff();
    await settled();
    assert.equal(openAlerts().length, RAISES_PER_TURN);
    // The backend stops its parts one by one and closes the store last: a raise left for a later turn must not write.
    b.alerts.stop();
    await allRaised();
    assert.equal(openAlerts().length, RAISES_PER_TURN, 'nothing raised after stop()');
  });

  it('a restart looks at every point before it resolves what cleared meanwhile', async () => {
    const points = burstFaultedPastHoldOff();
    await allRaised();
    assert.equal(openAlerts().length, BURST);
    // Only the last SCAN_SLICE points recover while the backend is down: the rest still hold.
    await b.stop();
    const recovering = points.slice(-SCAN_SLICE);
    const store = testStore(data.path);
    try {
      report(store, recovering, 'Available', clock.now());
    } finally {
      store.close();
    }
    b = await startTestBackend({ clock, dataDir: data.path, network: null, liveness: quiet });
    const open = openAlerts();
    assert.equal(open.length, BURST - SCAN_SLICE, 'resolved at start: exactly the points that recovered');
    const recovered = new Set(recovering.map((p) => p.id));
    assert.ok(open.every((a) => !recovered.has(a.pointId!)));
  });
});
