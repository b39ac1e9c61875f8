// The web host's session is bound to its port (issue 15, item 9): cookies are not port-scoped, so the cookie a
// browser holds for 127.0.0.1:P reaches every other local service it talks to. Real backend, real core, real HTTP
// and WebSocket clients; "another local service" is a real HTTP server on another port that records what it gets.
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { openHostSession, openHostSocket, stubRendererDir, type HostSessionForTest } from '../support/hostSession.js';

function call(
  ws: WebSocket,
  id: number,
  method: string,
  params: unknown,
): Promise<{ ok: boolean; data?: any; error?: { code: string } }> {
  return new Promise((resolve) => {
    const onMessage = (raw: Buffer) => {
      const parsed = JSON.parse(raw.toString());
      if (parsed.kind !== 'reply' || parsed.id !== id) return;
      ws.off('message', onMessage);
      resolve(parsed);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ kind: 'call', id, method, params }));
  });
}

/** A raw GET (fetch cannot send a path with a malformed %-escape as is). */
function rawGet(
  port: number,
  pathWithQuery: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathWithQuery, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web host session, bound to its port', () => {
  let backend: Backend;
  let console: TestConsole;
  let host: WebHost;
  let other: WebHost;
  let session: HostSessionForTest;
  const rendererDir = stubRendererDir('renderer-session');

  before(async () => {
    backend = await startQuietDemoBackend();
    console = openConsole(backend.url, userOf(backend, 'operator'));
    await waitLive(console);
    host = await startWebHost({ core: console.core, rendererDir, port: 0 });
    other = await startWebHost({ core: console.core, rendererDir, port: 0 });
    session = await openHostSession(host);
  });
  after(async () => {
    await host.stop();
    await other.stop();
    await console.close();
    await backend.stop();
  });

  test('the cookie, received by another local service, does not open the console API, even with a forged Origin', async () => {
    // Another service on this machine: the browser sends it every 127.0.0.1 cookie, whatever port set it.
    let leaked = '';
    const service = createServer((req, res) => {
      leaked = req.headers.cookie ?? '';
      res.end('ok');
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', () => resolve()));
    try {
      const servicePort = (service.address() as AddressInfo).port;
      await fetch(`http://127.0.0.1:${servicePort}/`, { headers: { cookie: session.cookie } }); // what the browser does
      assert.equal(leaked, session.cookie);
      const before = console.core.getSettings();
      // The service replays it to the console's port, as the page's own origin: refused (no session token).
      await assert.rejects(
        openHostSocket(host.port, ['voltboard'], { origin: session.origin, cookie: leaked }),
        /HTTP 403/,
      );
      await assert.rejects(openHostSocket(host.port, [], { origin: session.origin, cookie: leaked }), /HTTP 403/);
      await assert.rejects(
        openHostSocket(host.port, ['voltboard', 'vb-session.guessed-token-000000'], {
          origin: session.origin,
          cookie: leaked,
        }),
        /HTTP 403/,
      );
      assert.deepEqual(console.core.getSettings(), before, 'the backend URL and every setting unchanged');
      // The static page itself is all the cookie opens: it holds nothing secret.
      assert.equal((await fetch(`http://127.0.0.1:${host.port}/`, { headers: { cookie: leaked } })).status, 200);
    } finally {
      await new Promise<void>((resolve) => service.close(() => resolve()));
    }
  });

  test('the page, with cookie and token, opens the API and can change settings; the token alone does not', async () => {
    const ws = await openHostSocket(host.port, session.protocols, { origin: session.origin, cookie: session.cookie });
    assert.equal(ws.protocol, 'voltboard');
    const reply = await call(ws, 1, 'getSettings', {});
    assert.equal(reply.ok, true);
    ws.close();
    await assert.rejects(openHostSocket(host.port, session.protocols, { origin: session.origin }), /HTTP 403/);
  });

  test('an Origin of another port of 127.0.0.1 (or localhost) is refused, even with cookie and token', async () => {
    for (const origin of [
      `http://127.0.0.1:${other.port}`,
      `http://localhost:${other.port}`,
      `http://127.0.0.1:${host.port}0`,
      `https://127.0.0.1:${host.port}`,
      'null',
    ]) {
      await assert.rejects(
        openHostSocket(host.port, session.protocols, { origin, cookie: session.cookie }),
        /HTTP 403/,
        origin,
      );
      const plain = await fetch(`http://127.0.0.1:${host.port}/`, { headers: { origin, cookie: session.cookie } });
      assert.equal(plain.status, 403, origin);
    }
  });

  test('the secret in the URL is single-use: a second use is refused with a clear page, unless it is the same browser', async () => {
    const again = await fetch(host.url, { redirect: 'manual' });
    assert.equal(again.status, 403);
    assert.match(again.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await again.text(), /used already/);
    assert.equal(again.headers.get('set-cookie'), null);
    // A second tab of the browser that opened it (it sends this port's cookie) goes on to the page, and is given
    // nothing new: its token is in the origin's storage already.
    const sameBrowser = await fetch(host.url, { redirect: 'manual', headers: { cookie: session.cookie } });
    assert.equal(sameBrowser.status, 303);
    assert.equal(sameBrowser.headers.get('location'), '/');
    assert.equal(sameBrowser.headers.get('set-cookie'), null);
  });

  test('two hosts on two ports: cookies named by port, neither session opens the other', async () => {
    const second = await openHostSession(other);
    assert.notEqual(second.cookie.split('=')[0], session.cookie.split('=')[0]);
    assert.match(session.cookie, new RegExp(`^vb_host_${host.port}=`));
    // One browser sends both cookies to both ports: each host picks its own, and both pages keep working.
    const both = `${session.cookie}; ${second.cookie}`;
    assert.equal((await fetch(`http://127.0.0.1:${host.port}/`, { headers: { cookie: both } })).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${other.port}/`, { headers: { cookie: both } })).status, 200);
    const a = await openHostSocket(host.port, session.protocols, { origin: session.origin, cookie: both });
    const b = await openHostSocket(other.port, second.protocols, { origin: second.origin, cookie: both });
    a.close();
    b.close();
    // One console's token does not open the other.
    await assert.rejects(
      openHostSocket(other.port, session.protocols, { origin: second.origin, cookie: both }),
      /HTTP 403/,
    );
  });

  test('a malformed %-escape in the URL gets 400, not 500, and the host keeps serving', async () => {
    for (const bad of ['/%', '/%E0%A4%A', '/assets/%zz.js', '/?x=%']) {
      const res = await rawGet(host.port, bad, { cookie: session.cookie });
      assert.ok(
        res.status === 400 || (bad.startsWith('/?') && res.status === 200),
        `${bad}: ${res.status} ${res.body}`,
      );
    }
    assert.equal((await rawGet(host.port, '/%', {})).status, 400);
    assert.equal((await fetch(`http://127.0.0.1:${host.port}/`, { headers: { cookie: session.cookie } })).status, 200);
  });
});
