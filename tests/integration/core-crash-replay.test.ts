// Issue 5: the core process is killed with SIGKILL in the middle of a replay and restarted; afterwards the
// backend's audit log holds every edit exactly once and every console shows the same state.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openConsole, startQuietDemoBackend, userOf, waitLive } from '../support/consoles.js';
import { startTcpProxy } from '../support/tcpProxy.js';
import { waitFor } from '../support/waitFor.js';

const coreScript = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'coreProcess.ts');

function startCoreProcess(dataDir: string, url: string, user: { username: string; password: string }) {
  const child = spawn(process.execPath, ['--import', 'tsx', coreScript, dataDir, url, user.username, user.password], {
    env: { ...process.env, VB_REPLAY_BATCH: '5' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const states: { state: string; queued: number; conflicts: number }[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) if (line.trim()) states.push(JSON.parse(line));
  });
  return { child, states };
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode ? resolve() : child.once('exit', () => resolve()),
  );

test('SIGKILL in the middle of a replay: after a restart every edit is applied exactly once', async () => {
  const backend = await startQuietDemoBackend();
  const operator = userOf(backend, 'operator');
  const line = await startTcpProxy(backend.port);
  const offline = openConsole(line.url, operator);
  await waitLive(offline);
  const dataDir = offline.dataDir;
  await line.cut();
  await waitFor('offline', () => offline.core.connection().state !== 'live');

  const points = offline.core.getNetwork().points.slice(0, 60);
  const edits: string[] = [];
  for (const point of points) {
    edits.push(
      (
        await offline.core.setStatus({
          pointIds: [point.id],
          edit: { status: 'Maintenance', reason: 'Round 1', note: null, until: null },
        })
      ).mutationId,
    );
  }
  for (const point of points.slice(0, 20)) {
    edits.push(
      (
        await offline.core.setStatus({
          pointIds: [point.id],
          edit: { status: 'OutOfService', reason: 'Round 2', note: null, until: null },
        })
      ).mutationId,
    );
  }
  assert.equal(offline.core.connection().queued, 80);
  await offline.close();
  await line.restore();

  const first = startCoreProcess(dataDir, line.url, operator);
  const appliedSoFar = () => edits.filter((id) => backend.store.mutations.previous(id) !== null).length;
  await waitFor('part of the replay to be applied', () => appliedSoFar() >= 10, 30_000, 2);
  first.child.kill('SIGKILL');
  await exited(first.child);
  const atKill = appliedSoFar();
  assert.ok(atKill < edits.length, `killed mid-replay (${atKill} of ${edits.length} applied)`);

  const second = startCoreProcess(dataDir, line.url, operator);
  await waitFor(
    'the outbox to drain after the restart',
    () => second.states.some((s) => s.state === 'live' && s.queued === 0),
    60_000,
  );
  assert.equal(second.states.at(-1)!.conflicts, 0);
  second.child.kill('SIGTERM');
  await exited(second.child);

  assert.equal(appliedSoFar(), edits.length, 'every edit reached the backend');
  for (const point of points) {
    const operatorEntries = backend.store.audit.history(point.id, 50).filter((e) => e.fact === 'operator');
    const expected = points.indexOf(point) < 20 ? ['Maintenance', 'OutOfService'] : ['Maintenance'];
    assert.deepEqual(operatorEntries.map((e) => e.to).reverse(), expected, `${point.id}: each edit once, in order`);
  }

  const watcher = openConsole(backend.url, userOf(backend, 'supervisor'));
  await waitLive(watcher);
  for (const point of points) {
    assert.equal(
      watcher.core.cache.point(point.id)!.operator.status,
      backend.store.points.get(point.id)!.operator.status,
    );
  }
  await watcher.close();
  await line.close();
  await backend.stop();
});
