// Maintenance windows through the console core: planned online (answered at once), planned offline (kept on disk,
// sent once when the line is back, even after a restart of the console), refusals shown (with their overlap, also
// after a restart) and dismissed.
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { after, before, describe, it } from 'node:test';
import { ConsoleApiError, type WindowsView } from '../../common/consoleApi.js';
import { CACHE_FILE } from '../../electron/core/consoleCore.js';
import { startTestBackend, TEST_USERS, type TestBackend } from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';
import { openConsole, waitLive, type TestConsole } from '../support/consoles.js';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.js';
import { tempDir } from '../support/tempDir.js';

const supervisor = TEST_USERS.find((u) => u.role === 'supervisor')!;
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

describe('console core: maintenance windows', () => {
  let b: TestBackend;
  let line: TcpProxy;
  let profile: { path: string; remove(): void };
  let c: TestConsole;

  before(async () => {
    b = await startTestBackend();
    line = await startTcpProxy(b.port);
    profile = tempDir('core-windows');
    c = openConsole(line.url, { username: supervisor.username, password: supervisor.password }, profile.path);
    await waitLive(c);
  });
  after(async () => {
    await c.close();
    await line.close();
    await b.dispose();
    profile.remove();
  });

  const views = () => c.events.filter((e) => e.name === 'windows').map((e) => e.payload as WindowsView);

  it('online: planned at once, and the console hears the window', async () => {
    const r = await c.core.planWindow({
      pointIds: ['ST16-1', 'ST16-2'],
      startsAt: inMinutes(60),
      endsAt: inMinutes(120),
      reason: 'Inspection',
      note: null,
    });
    assert.equal(r.queued, false);
    assert.equal(r.message, 'planned');
    assert.equal(r.window?.state, 'planned');
    assert.equal(b.store.windows.get(r.windowId)?.points.length, 2);
    const all = await c.core.getWindows();
    assert.ok(all.windows.some((w) => w.id === r.windowId));
  });

  it('offline: kept on disk, sent once when the line is back, after a console restart too', async () => {
    await line.cut();
    await waitFor('offline', () => c.core.connection().state !== 'live', 15_000);
    const r = await c.core.planWindow({
      pointIds: ['ST201-1'],
      startsAt: inMinutes(30),
      endsAt: null,
      reason: 'Firmware update',
      note: 'vendor ticket 42',
    });
    assert.equal(r.queued, true);
    assert.equal((await c.core.getWindows()).queued.length, 1);
    await c.close();
    c = openConsole(line.url, { username: supervisor.username, password: supervisor.password }, profile.path);
    const [queued] = (await c.core.getWindows()).queued;
    assert.ok(queued, 'still queued after a restart');
    assert.deepEqual(
      [queued.reason, queued.pointCount, queued.firstPointId],
      ['Firmware update', 1, 'ST201-1'],
      'and it says what it is',
    );
    await line.restore();
    await waitLive(c);
    await waitFor('sent', () => b.store.windows.get(r.windowId) !== null, 10_000);
    await waitFor(
      'the queue empties',
      () => views().some((v) => v.queued.length === 0 && v.windows.some((w) => w.id === r.windowId)),
      10_000,
    );
    assert.equal(
      b.store.windows.current(new Date(0).toISOString()).filter((w) => w.id === r.windowId).length,
      1,
      'once',
    );
  });

  it('offline, with a start that has passed when it reaches the backend: started at once, once', async () => {
    await line.cut();
    await waitFor('offline', () => c.core.connection().state !== 'live', 15_000);
    // Planned while offline for a start that passes before the line is back (here: already past when planned).
    const r = await c.core.planWindow({
      pointIds: ['ST201-2'],
      startsAt: inMinutes(-5),
      endsAt: inMinutes(55),
      reason: 'Urgent cable check',
      note: null,
    });
    assert.equal(r.queued, true);
    await line.restore();
    await waitLive(c);
    await waitFor('running on the backend', () => b.store.windows.get(r.windowId)?.state === 'running', 10_000);
    assert.equal(b.store.points.get('ST201-2')!.operator.status, 'Maintenance');
    await waitFor(
      'the console hears it running, and the queue empties',
      () =>
        views().some(
          (v) => v.queued.length === 0 && v.windows.some((w) => w.id === r.windowId && w.state === 'running'),
        ),
      10_000,
    );
    const started = b.store.audit
      .history('ST201-2', 20)
      .filter((e) => e.fact === 'window' && e.note === r.windowId)
      .map((e) => e.to);
    assert.deepEqual(started.sort(), ['planned', 'started'], 'planned and started once');
  });

  it('a refusal is shown and can be dismissed', async () => {
    const id = randomUUID();
    await assert.rejects(
      c.core.planWindow({
        id,
        pointIds: ['ST201-1'],
        startsAt: inMinutes(40),
        endsAt: inMinutes(50),
        reason: 'Overlaps',
        note: null,
      }),
      (e: unknown) => e instanceof ConsoleApiError && /already in the window "Firmware update"/.test(e.message),
    );
    const failed = (await c.core.getWindows()).queued.filter((q) => q.state === 'failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].windowId, id, 'the id the renderer chose');
    const other = (await c.core.getWindows()).windows.find((w) => w.reason === 'Firmware update')!;
    assert.equal(failed[0].overlap?.windowId, other.id, 'the overlap travels to the console with its fields');
    assert.deepEqual(failed[0].overlap?.pointIds, ['ST201-1']);

    // A restart of the console on the same cache file keeps the refusal with its overlap and the other window's id.
    await c.close();
    c = openConsole(line.url, { username: supervisor.username, password: supervisor.password }, profile.path);
    const [kept] = (await c.core.getWindows()).queued;
    assert.equal(kept.opId, failed[0].opId);
    assert.equal(kept.state, 'failed');
    assert.deepEqual(kept.overlap, failed[0].overlap, 'the overlap survives the restart, link and all');
    assert.equal(kept.error, failed[0].error);

    // Stored overlap that cannot be read: the refusal and its message stay, the detail is left out and said so.
    await c.close();
    const cache = new Database(path.join(profile.path, CACHE_FILE));
    cache.prepare('UPDATE window_ops SET overlap_json = ? WHERE op_id = ?').run('{"windowId": 42', kept.opId);
    cache.close();
    c = openConsole(line.url, { username: supervisor.username, password: supervisor.password }, profile.path);
    const [damaged] = (await c.core.getWindows()).queued;
    assert.equal(damaged.opId, kept.opId, 'nothing lost');
    assert.equal(damaged.state, 'failed');
    assert.equal(damaged.overlap, undefined);
    assert.equal(damaged.error, `${kept.error} (its stored overlap details could not be read)`);
    await waitLive(c);
    await waitFor('the windows caught up', async () =>
      (await c.core.getWindows()).windows.some((w) => w.reason === 'Inspection'),
    );

    assert.equal((await c.core.dismissWindowOp({ opId: failed[0].opId })).dismissed, true);
    assert.equal((await c.core.getWindows()).queued.length, 0);
  });

  it('change and cancel go through; a viewer-like bad request is refused plainly', async () => {
    const w = (await c.core.getWindows()).windows.find((x) => x.reason === 'Inspection')!;
    const moved = await c.core.changeWindow({ id: w.id, version: w.version, endsAt: inMinutes(180) });
    assert.equal(moved.queued, false);
    assert.equal(moved.window?.endsAt, b.store.windows.get(w.id)!.endsAt);
    const cancelled = await c.core.cancelWindow({ id: w.id, version: moved.window!.version });
    assert.equal(cancelled.window?.state, 'cancelled');
  });
});
