// The web host: served on loopback only, guarded by its start-up secret, bridging the console API over a
// WebSocket that validates every call. Real backend, real core, real HTTP and WebSocket clients.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { startWebHost, type WebHost } from '../../electron/host/webHost.js';
import {
  openConsole,
  startQuietDemoBackend,
  userOf,
  waitLive,
  type Backend,
  type TestConsole,
} from '../support/consoles.js';
import { freePort } from '../support/freePort.js';
import { printedUrl } from '../support/printedUrl.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

async function openSocket(url: string, headers: Record<string, string>, protocols: string[] = []): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, { headers });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return ws;
}

function callOver(
  ws: WebSocket,
  message: unknown,
): Promise<{ id: number; ok: boolean; data?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    const onMessage = (raw: Buffer) => {
      const parsed = JSON.parse(raw.toString());
      if (parsed.kind !== 'reply') return;
      ws.off('message', onMessage);
      resolve(parsed);
    };
    ws.on('message', onMessage);
    ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}

describe('web host', () => {
  let backend: Backend;
  let console: TestConsole;
  let host: WebHost;
  let cookie: string;
  /** The per-start API token the page is given (in the redirect's fragment), offered as subprotocols. */
  let protocols: string[];
  const rendererDir = tempDir('renderer').path;

  before(async () => {
    backend = await startQuietDemoBackend();
    console = openConsole(backend.url, userOf(backend, 'operator'));
    await waitLive(console);
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Voltboard</title>');
    host = await startWebHost({ core: console.core, rendererDir, port: 0 });
    const res = await fetch(host.url, { redirect: 'manual' });
    assert.equal(res.status, 303);
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    protocols = ['voltboard', `vb-session.${new URL(res.headers.get('location') ?? '', host.url).hash.split('=')[1]}`];
    assert.match(res.headers.get('set-cookie') ?? '', /HttpOnly/);
    assert.match(res.headers.get('set-cookie') ?? '', /SameSite=Strict/);
  });
  after(async () => {
    await host.stop();
    await console.close();
    await backend.stop();
  });

  test('the printed URL is on 127.0.0.1 and carries the secret', () => {
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?secret=[A-Za-z0-9_-]{20,}$/);
  });

  test('pages are refused without the secret or its cookie, or with a wrong secret', async () => {
    const base = `http://127.0.0.1:${host.port}/`;
    assert.equal((await fetch(base)).status, 403);
    assert.equal((await fetch(`${base}?secret=wrong`, { redirect: 'manual' })).status, 403);
    assert.equal((await fetch(base, { headers: { cookie: 'vb_host=forged' } })).status, 403);
    const page = await fetch(base, { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(await page.text(), /Voltboard/);
  });

  test('a request naming another host is refused (DNS rebinding)', async () => {
    const res = await new Promise<number>((resolve) => {
      import('node:http').then(({ request }) => {
        const req = request(
          { host: '127.0.0.1', port: host.port, path: '/', headers: { host: 'evil.example:80', cookie } },
          (r) => resolve(r.statusCode ?? 0),
        );
        req.end();
      });
    });
    assert.equal(res, 421);
  });

  test('the API socket is refused without the cookie or from another origin', async () => {
    const url = `ws://127.0.0.1:${host.port}/api`;
    const origin = `http://127.0.0.1:${host.port}`;
    await assert.rejects(openSocket(url, { origin }, protocols), /403/);
    await assert.rejects(openSocket(url, { origin: 'http://evil.example', cookie }, protocols), /403/);
    await assert.rejects(openSocket(url, { cookie }, protocols), /403/);
    const ws = await openSocket(url, { origin, cookie }, protocols);
    ws.close();
  });

  test('calls are validated: bad JSON, unknown methods and bad params get clear errors; good calls work', async () => {
    const ws = await openSocket(
      `ws://127.0.0.1:${host.port}/api`,
      { origin: `http://127.0.0.1:${host.port}`, cookie },
      protocols,
    );
    const notJson = await callOver(ws, '{not json');
    assert.equal(notJson.ok, false);
    assert.equal(notJson.error?.code, 'invalid');
    const unknown = await callOver(ws, { kind: 'call', id: 1, method: 'dropTables', params: {} });
    assert.deepEqual([unknown.id, unknown.ok, unknown.error?.code], [1, false, 'unknownMethod']);
    const badParams = await callOver(ws, {
      kind: 'call',
      id: 2,
      method: 'setStatus',
      params: { pointIds: ['x'], edit: { status: 'Maintenance' } },
    });
    assert.deepEqual([badParams.id, badParams.ok, badParams.error?.code], [2, false, 'invalid']);
    assert.equal(console.core.listOutbox().items.length, 0, 'nothing queued by a bad call');

    const network = await callOver(ws, { kind: 'call', id: 3, method: 'getNetwork', params: {} });
    assert.equal(network.ok, true);
    assert.ok((network.data as { points: unknown[] }).points.length > 100);

    const events: string[] = [];
    ws.on('message', (raw) => {
      const parsed = JSON.parse(raw.toString());
      if (parsed.kind === 'event') events.push(parsed.name);
    });
    const pointId = (network.data as { points: { id: string }[] }).points[0].id;
    const edit = await callOver(ws, {
      kind: 'call',
      id: 4,
      method: 'setStatus',
      params: { pointIds: [pointId], edit: { status: 'Maintenance', reason: 'Test', note: null, until: null } },
    });
    assert.equal(edit.ok, true);
    await waitFor('points events over the socket', () => events.includes('points'));
    ws.close();
  });
});

describe('npm run web', () => {
  test('starts with the documented flags and prints the full URL on a line; stops on SIGTERM', async () => {
    const data = tempDir('web-cli').path;
    const port = await freePort();
    const child = spawn('npm', ['run', 'web', '--', '--port', String(port), '--data', data], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    try {
      const url = await printedUrl(
        child,
        () => output,
        new RegExp(`^.*(http://127\\.0\\.0\\.1:${port}/\\S+)$`, 'm'),
        120_000,
      );
      const res = await fetch(url, { redirect: 'manual' });
      assert.equal(res.status, 303);
    } finally {
      // As an outside check would: SIGTERM to npm alone. The host notices its launcher is gone and stops.
      child.kill('SIGTERM');
    }
    await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await waitFor(
      'the web host to stop after npm did',
      async () => {
        const alive = await fetch(`http://127.0.0.1:${port}/`).then(
          () => true,
          () => false,
        );
        return alive ? null : true;
      },
      20_000,
      200,
    );
    // Make sure nothing of the process group outlives the test, whatever happened above.
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  });
});
