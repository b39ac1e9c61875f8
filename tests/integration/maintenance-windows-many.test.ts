// Many windows falling due together (the bench's case, small): windows that make the same change start as one
// mutation per turn, not one per window; windows on one point that fall due in the same catch-up apply in time order.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ManualClock } from '../../common/clock.js';
import type { Point } from '../../common/model.js';
import { smallNetwork, type TestBackend } from '../support/backendHarness.js';
import { at, ClockedBackend, MINUTE as MIN, NO_PINGS, T0 } from '../support/clockedBackend.js';
import { waitFor } from '../support/waitFor.js';
const ADMIN = { username: 'admin', role: 'admin' as const };

describe('many maintenance windows at once', () => {
  let f: ClockedBackend;
  let clock: ManualClock;
  let b: TestBackend;

  beforeEach(async () => {
    // Six stations of ten points each, never connected: their changes are recorded stationOffline.
    f = await ClockedBackend.start({ startAt: T0, network: smallNetwork(6, 10), liveness: NO_PINGS });
    ({ clock, backend: b } = f);
  });
  afterEach(() => f.close());

  const point = (id: string): Point => b.store.points.get(id)!;
  const bulkPoints = () =>
    b.store.points
      .all()
      .filter((p) => p.stationId.startsWith('BULK'))
      .map((p) => p.id);
  const plan = (pointIds: string[], from: number, to: number | null, reason = 'Annual inspection') =>
    b.scheduler.plan(
      { id: randomUUID(), pointIds, startsAt: at(from), endsAt: to === null ? null : at(to), reason, note: null },
      ADMIN,
    );
  const windowStartMutations = () =>
    (
      b.store.db
        .prepare('test', "SELECT COUNT(*) AS n FROM processed_mutations WHERE id LIKE 'window-start-%'")
        .get() as {
        n: number;
      }
    ).n;

  it('sixty one-point windows with the same reason, end and planner start as a few mutations, not sixty', async () => {
    const ids = bulkPoints();
    assert.equal(ids.length, 60);
    const windows = ids.map((id) => plan([id], 10, 70).window.id);
    // Two windows with another reason: a change of their own.
    const other = b.store.points
      .all()
      .filter((p) => !p.stationId.startsWith('BULK'))
      .slice(0, 2)
      .map((p) => p.id);
    for (const id of other) plan([id], 10, 70, 'Firmware update');
    clock.advance(10 * MIN);
    await waitFor('every window running', () => windows.every((id) => b.store.windows.get(id)!.state === 'running'));
    for (const id of ids) {
      assert.equal(point(id).operator.status, 'Maintenance');
      assert.equal(point(id).operator.reason, 'Annual inspection');
      assert.equal(point(id).operator.until, at(70));
    }
    for (const id of other) assert.equal(point(id).operator.reason, 'Firmware update');
    // 62 points at about 25 a turn: three turns, each one mutation per kind of change in it.
    const n = windowStartMutations();
    assert.ok(n >= 3 && n <= 5, `${n} start mutations`);
    assert.ok(windows.every((id) => b.store.windows.get(id)!.points[0].state === 'applied'));
    // Each window's own history entry is still there, one per point.
    const history = b.store.audit
      .history(ids[0], 20)
      .filter((e) => e.fact === 'window')
      .map((e) => e.to);
    assert.deepEqual(history.sort(), ['planned', 'started']);
    // And they end as they started: every point back to Available.
    clock.advance(60 * MIN);
    await waitFor('every window ended', () => windows.every((id) => b.store.windows.get(id)!.state === 'ended'));
    assert.ok(ids.every((id) => point(id).operator.status === 'Available'));
  });

  it('back-to-back windows on one point that fall due in one catch-up apply in order', async () => {
    const [id] = bulkPoints();
    const first = plan([id], 10, 20, 'First').window.id;
    const second = plan([id], 20, 30, 'Second').window.id;
    // The clock jumps past the first window's end and the second's start at once (a backend that was busy or down).
    clock.advance(25 * MIN);
    await waitFor('the second running', () => b.store.windows.get(second)!.state === 'running');
    assert.equal(b.store.windows.get(first)!.state, 'ended');
    assert.deepEqual(
      b.store.windows.get(first)!.points.map((p) => p.state),
      ['restored'],
    );
    assert.equal(point(id).operator.status, 'Maintenance');
    assert.equal(point(id).operator.reason, 'Second');
    clock.advance(5 * MIN);
    await waitFor('the second ended', () => b.store.windows.get(second)!.state === 'ended');
    // Back to what it had before the second window: what the first gave back, Available.
    assert.equal(point(id).operator.status, 'Available');
    assert.deepEqual(
      b.store.windows.get(second)!.points.map((p) => p.state),
      ['restored'],
    );
  });
});
