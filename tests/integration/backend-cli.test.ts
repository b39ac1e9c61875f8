// Smoke test of the command line: `npm run backend -- --port <free> --data <tmp> --demo`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import type { SyncReply } from '../../common/protocol.js';
import { connectConsole, login, tempDir } from '../../backend/testing/harness.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('backend: command line', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it('starts the demo, serves a console, and exits 0 on SIGTERM', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const child = spawn('npm', ['run', 'backend', '--', '--port', String(port), '--data', tmp.dir, '--demo'], {
      cwd: new URL('../..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 45_000;
      while (!/demo users[^\n]*\n(\s+\S+ \/ \S+ \/ \S+\n){4}/.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) assert.fail(`no listening line; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(out, new RegExp(`Voltboard backend listening on http://127\\.0\\.0\\.1:${port} \\(consoles: socket\\.io, stations: ws://127\\.0\\.0\\.1:${port}/ocpp/<stationId>\\)`));
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
      assert.ok(snap.data.points.some((p) => p.stationConnected), 'the simulated stations are connected');
      // demo controls: a session on a point shows up as Occupied
      const free = snap.data.points.find((p) => p.stationConnected && p.reported.status === 'Available')!;
      const res = await fetch(`${url}/api/demo/startSession`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${r.body.token}` },
        body: JSON.stringify({ pointId: free.id }),
      });
      assert.equal(res.status, 200, await res.text());
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, `exit code; output:\n${out.slice(-2000)}`);
  });
});
