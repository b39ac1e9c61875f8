// The console core's window requests (ConsoleWindows on its SQLite queue) against the backend's own scheduler on a
// manual clock: a request kept on this computer that took effect at once when it got through (its start had passed
// on the way) leaves a notice, kept across a restart until dismissed; a request answered to the person at once, a
// plan that arrives in time and a refused one leave none.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import type { WindowsView } from '../../common/consoleApi.js';
import { Auth } from '../../backend/auth.js';
import { MaintenanceScheduler, WindowError } from '../../backend/schedule/maintenance.js';
import { seedNetwork } from '../../backend/seed.js';
import type { Store } from '../../backend/store/index.js';
import { CACHE_MIGRATIONS } from '../../electron/core/cache/migrations.js';
import { WindowQueue, type WindowOp } from '../../electron/core/cache/windowQueue.js';
import { ConsoleWindows, type WindowSender } from '../../electron/core/consoleWindows.js';
import { BackendError } from '../../electron/core/sync/backendLink.js';
import { Db } from '../../node/db.js';
import { migrate } from '../../node/migrations.js';
import { openSqlite } from '../../node/sqlite.js';
import { smallNetwork } from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { disposeStoreOf, testStore } from '../support/testStore.js';

const MIN = 60_000;
const planner = { username: 'sam', role: 'supervisor' as const };

/**
 * The line to the backend: while cut, nothing is sent (null); while up, the request is answered by the backend's
 * scheduler, a refusal coming back as the backend link raises it.
 */
class Line implements WindowSender {
  up = false;
  constructor(private readonly scheduler: MaintenanceScheduler) {}

  send(op: WindowOp) {
    if (!this.up) return null;
    try {
      if (op.kind === 'plan') return Promise.resolve(this.scheduler.plan(op.request, planner));
      if (op.kind === 'change') return Promise.resolve(this.scheduler.change(op.request, planner));
      return Promise.resolve(this.scheduler.cancel(op.request, planner));
    } catch (error) {
      if (!(error instanceof WindowError)) throw error;
      return Promise.reject(new BackendError(error.code, error.message, error.overlap));
    }
  }
}

describe('console windows: notices of requests kept here that took effect at once', () => {
  const backendData = tempDir('notices-backend');
  let store: Store;
  let clock: ManualClock;
  let scheduler: MaintenanceScheduler;
  let line: Line;
  let cacheFile: string;
  let db: Db;
  let views: WindowsView[];
  let windows: ConsoleWindows;

  const at = (minutes: number) => new Date(clock.now() + minutes * MIN).toISOString();
  const openConsole = () => {
    db = new Db(openSqlite(cacheFile), { log: () => undefined });
    migrate(db.raw, CACHE_MIGRATIONS);
    views = [];
    windows = new ConsoleWindows(new WindowQueue(db), line, (v) => views.push(v));
  };

  before(async () => {
    clock = new ManualClock();
    store = testStore(backendData.path);
    await seedNetwork(store, new Auth(store.users), smallNetwork());
  });
  after(() => {
    scheduler.stop();
    store.close();
    disposeStoreOf(backendData.path);
    backendData.remove();
  });
  beforeEach(() => {
    // Each test a day after the one before: its windows never overlap an earlier test's.
    scheduler?.stop();
    clock.advance(24 * 60 * MIN);
    scheduler = new MaintenanceScheduler(store, clock, {
      applied: () => undefined,
      windowsChanged: () => undefined,
      log: () => undefined,
    });
    line = new Line(scheduler);
    cacheFile = path.join(tempDir('notices-console').path, 'cache.sqlite');
    openConsole();
  });

  it('a plan kept offline whose start passed before the line came back: a notice, kept across a restart, until dismissed', async () => {
    const kept = await windows.plan({
      pointIds: ['ST16-1', 'ST16-2'],
      startsAt: at(5),
      endsAt: at(65),
      reason: 'Firmware update',
      note: null,
    });
    assert.equal(kept.queued, true, 'the person is told it is kept on this computer');
    assert.deepEqual(windows.view().notices, []);

    clock.advance(10 * MIN);
    line.up = true;
    await windows.flush();

    const [notice] = windows.view().notices;
    assert.ok(notice, 'a notice of the late answer');
    assert.deepEqual(
      {
        kind: notice.kind,
        windowId: notice.windowId,
        reason: notice.reason,
        pointCount: notice.pointCount,
        firstPointId: notice.firstPointId,
        message: notice.message,
      },
      {
        kind: 'plan',
        windowId: kept.windowId,
        reason: 'Firmware update',
        pointCount: 2,
        firstPointId: 'ST16-1',
        message: 'started at once: its start had passed',
      },
    );
    assert.equal(Date.parse(notice.startsAt), clock.now() - 5 * MIN, 'the start it was planned for');
    assert.ok(Date.parse(notice.answeredAt) >= Date.parse(notice.queuedAt));
    assert.deepEqual(windows.view().queued, [], 'the request itself has left the queue');
    assert.deepEqual(views.at(-1)?.notices, [notice], 'the renderer is told');
    assert.equal(store.windows.get(kept.windowId)?.state, 'running');

    db.close();
    openConsole();
    assert.deepEqual(windows.view().notices, [notice], 'kept across a restart of the core');

    assert.equal(windows.dismiss(notice.opId), true);
    assert.deepEqual(windows.view().notices, []);
    assert.deepEqual(views.at(-1)?.notices, [], 'the renderer is told it is gone');
    assert.equal(windows.dismiss(notice.opId), false, 'once');
    db.close();
  });

  it('a plan answered at once (its start already passed) tells the person then: no notice', async () => {
    line.up = true;
    const r = await windows.plan({
      pointIds: ['ST201-1'],
      startsAt: at(-1),
      endsAt: at(60),
      reason: 'Cable check',
      note: null,
    });
    assert.equal(r.queued, false);
    assert.equal(r.message, 'started at once: its start had passed');
    assert.deepEqual(windows.view().notices, []);
    db.close();
  });

  it('a plan kept offline that reaches the backend before its start: planned, no notice', async () => {
    const kept = await windows.plan({
      pointIds: ['ST201-2'],
      startsAt: at(30),
      endsAt: null,
      reason: 'Inspection',
      note: null,
    });
    assert.equal(kept.queued, true);
    clock.advance(10 * MIN);
    line.up = true;
    await windows.flush();
    assert.equal(store.windows.get(kept.windowId)?.state, 'planned');
    assert.deepEqual(windows.view().queued, []);
    assert.deepEqual(windows.view().notices, []);
    db.close();
  });

  it('a plan kept offline and refused when it got through is shown as refused, not as a notice', async () => {
    line.up = true;
    await windows.plan({ pointIds: ['ST16-1'], startsAt: at(5), endsAt: at(120), reason: 'Pump swap', note: null });
    line.up = false;
    const kept = await windows.plan({
      pointIds: ['ST16-1'],
      startsAt: at(10),
      endsAt: at(30),
      reason: 'Overlapping',
      note: null,
    });
    assert.equal(kept.queued, true);
    clock.advance(20 * MIN);
    line.up = true;
    await windows.flush();
    const [refused] = windows.view().queued;
    assert.equal(refused?.state, 'failed');
    assert.equal(refused.overlap?.reason, 'Pump swap');
    assert.deepEqual(windows.view().notices, []);
    db.close();
  });

  it('a change kept offline whose new end passed before the line came back: the window ended at once, a notice', async () => {
    line.up = true;
    const planned = await windows.plan({
      pointIds: ['ST201-1'],
      startsAt: at(-1),
      endsAt: at(120),
      reason: 'Cable heads',
      note: null,
    });
    const running = store.windows.get(planned.windowId)!;
    assert.equal(running.state, 'running');
    line.up = false;
    const kept = await windows.change({ id: running.id, version: running.version, endsAt: at(5) });
    assert.equal(kept.queued, true);
    clock.advance(10 * MIN);
    line.up = true;
    await windows.flush();
    const [notice] = windows.view().notices;
    assert.deepEqual(
      [notice?.kind, notice?.windowId, notice?.reason, notice?.message],
      ['change', running.id, 'Cable heads', 'ended now: its new end has passed'],
    );
    db.close();
  });
});
