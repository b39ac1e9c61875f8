// Smoke test of the command line: `npm run backend -- --port <free> --data <tmp> --demo`.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, describe, it } from 'node:test';
import type { Point } from '../../common/model.js';
import type { SyncReply } from '../../common/protocol.js';
import { connectConsole, login } from '../support/backendHarness.js';
import { freePort } from '../support/freePort.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const ROOT = new URL('../..', import.meta.url).pathname;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** The backend's own pid, from its startup output. */
  pid: () => number;
}

function runBackend(args: string[]): Run {
  const child = spawn('npm', ['run', 'backend', '--', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return {
    child,
    output: () => out,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    pid: () => Number(/, pid (\d+)/.exec(out)?.[1] ?? 0),
  };
}

async function waitForOutput(run: Run, re: RegExp, timeoutMs: number): Promise<void> {
  await waitFor(
    `output ${re}`,
    () => {
      if (run.child.exitCode !== null) throw new Error(`backend exited early:\n${run.output()}`);
      return re.test(run.output());
    },
    timeoutMs,
    100,
  );
}

/** The demo control that starts a session on a connected, free point; answers that point. */
async function startSessionOnFreePoint(url: string, token: string, points: Point[]): Promise<Point> {
  const free = points.find((p) => p.stationConnected && p.reported.status === 'Available')!;
  const res = await fetch(`${url}/api/demo/startSession`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ pointId: free.id }),
  });
  assert.equal(res.status, 200, await res.text());
  return free;
}

describe('backend: command line', () => {
  const tmp = tempDir('backend');
  const runs: Run[] = [];
  after(() => {
    for (const r of runs) if (r.pid() && alive(r.pid())) process.kill(r.pid(), 'SIGKILL');
    tmp.remove();
  });

  it('starts the demo, serves a console, and exits 0 on SIGTERM', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const run = runBackend(['--port', String(port), '--data', `${tmp.path}/demo`, '--demo']);
    runs.push(run);
    await waitForOutput(run, /demo users[^\n]*\n(\s+\S+ \/ \S+ \/ \S+\n){4}/, 45_000);
    const out = run.output();
    assert.match(
      out,
      new RegExp(
        `Voltboard backend listening on http://127\\.0\\.0\\.1:${port} \\(consoles: socket\\.io, stations: ws://127\\.0\\.0\\.1:${port}/ocpp/<stationId>\\)`,
      ),
    );
    const m = /^\s+(\S+) \/ (\S+) \/ operator$/m.exec(out);
    assert.ok(m, 'the demo operator is printed');
    const url = `http://127.0.0.1:${port}`;
    const r = await login(url, m[1], m[2]);
    assert.equal(r.status, 200);
    const c = await connectConsole(url, r.body.token);
    const snap = await c.request<SyncReply>('sync', { networkId: null, sinceSeq: null });
    c.close();
    assert.ok(snap.ok);
    assert.equal(snap.data.kind, 'snapshot');
    assert.ok(snap.data.points.length >= 120 && snap.data.points.length <= 180, `${snap.data.points.length} points`);
    assert.ok(snap.data.sites.length >= 5);
    assert.ok(
      snap.data.points.some((p) => p.stationConnected),
      'the simulated stations are connected',
    );
    // a demo control: start a session on a free point
    await startSessionOnFreePoint(url, r.body.token, snap.data.points);

    process.kill(run.pid(), 'SIGTERM');
    assert.equal(await run.exited, 0, `exit code; output:\n${run.output().slice(-2000)}`);
    assert.match(run.output(), /SIGTERM: stopping\nstopped/);
  });

  it(
    'writes station reports on a thread with --station-writer thread, and stops cleanly',
    { timeout: 60_000 },
    async () => {
      const port = await freePort();
      const args = ['--port', String(port), '--data', `${tmp.path}/thread`, '--demo', '--station-writer', 'thread'];
      const run = runBackend(args);
      runs.push(run);
      await waitForOutput(run, /demo users[^\n]*\n(\s+\S+ \/ \S+ \/ \S+\n){4}/, 45_000);
      assert.match(run.output(), /station reports are written on a thread of their own/);
      const m = /^\s+(\S+) \/ (\S+) \/ operator$/m.exec(run.output())!;
      const url = `http://127.0.0.1:${port}`;
      const r = await login(url, m[1], m[2]);
      const c = await connectConsole(url, r.body.token);
      try {
        const snap = await c.request<SyncReply>('sync', { networkId: null, sinceSeq: null });
        assert.ok(snap.ok && snap.data.kind === 'snapshot');
        const free = await startSessionOnFreePoint(url, r.body.token, snap.data.points);
        // The simulated station reports the session over OCPP; the thread writes it; the console is sent it.
        await waitFor(
          `${free.id} Occupied on the console`,
          () =>
            c.changes.some((batch) => batch.points.some((p) => p.id === free.id && p.reported.status === 'Occupied')),
          15_000,
        );
      } finally {
        c.close();
      }
      process.kill(run.pid(), 'SIGTERM');
      assert.equal(await run.exited, 0, `exit code; output:\n${run.output().slice(-2000)}`);
      assert.doesNotMatch(run.output(), /station writer thread stopped/);
    },
  );

  it(
    'refuses a --station-writer that is neither inline nor thread, with what it takes',
    { timeout: 30_000 },
    async () => {
      const run = runBackend(['--port', '0', '--data', `${tmp.path}/writer`, '--station-writer', 'fast']);
      runs.push(run);
      assert.notEqual(await run.exited, 0);
      assert.match(run.output(), /--station-writer must be thread or inline, got "fast"/);
    },
  );

  it(
    'refuses a --station-commit-window-ms over a second, or not a number, with what it takes',
    { timeout: 30_000 },
    async () => {
      for (const [value, problem] of [
        ['5000', /--station-commit-window-ms must be at most 1000, got "5000"/],
        ['soon', /--station-commit-window-ms must be a non-negative number, got "soon"/],
      ] as const) {
        const run = runBackend(['--port', '0', '--data', `${tmp.path}/window`, '--station-commit-window-ms', value]);
        runs.push(run);
        assert.notEqual(await run.exited, 0);
        assert.match(run.output(), problem);
      }
    },
  );

  it('stops (no orphan) when the npm process itself gets SIGTERM', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const run = runBackend(['--port', String(port), '--data', `${tmp.path}/plain`]);
    runs.push(run);
    await waitForOutput(run, /Voltboard backend listening on .*\n.*pid \d+/, 20_000);
    const pid = run.pid();
    run.child.kill('SIGTERM');
    await run.exited;
    await waitFor('backend process gone', () => !alive(pid), 10_000, 100);
    assert.match(run.output(), /listening/);
  });
});
