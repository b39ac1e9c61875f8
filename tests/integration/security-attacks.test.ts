// Issue 15, the backend's console and HTTP doors under attack: authorization per request, mutation ids scoped to
// their user, the sign-in slow-down under parallel guesses, limits before parsing, unanswered upgrades, snapshot
// costs, security headers. Real backend on a free loopback port, real socket.io consoles, real HTTP and raw TCP;
// each test fails without its rule (see docs/security.md, "Backend: console and HTTP attacks").
import assert from 'node:assert/strict';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { MutateReply } from '../../common/protocol.js';
import { CONSOLE_SOCKET_PATH, LOGIN_PATH } from '../../common/protocol.js';
import {
  connectConsole,
  consoleAs,
  login,
  setStatus,
  smallNetwork,
  startTestBackend,
  tokenFor,
  type TestBackend,
  type TestConsole,
} from '../support/backendHarness.js';
import { sqliteOf } from '../support/testStore.js';
import { openConsole, startQuietDemoBackend, userOf, waitLive } from '../support/consoles.js';
import { startBackend } from '../../backend/server.js';
import { startTcpProxy } from '../support/tcpProxy.js';
import { makeTestCertificate, NO_OPENSSL, OPENSSL } from '../support/testCertificate.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

/**
 * What "stays responsive" means in these tests: an unprotected backend stalled for whole seconds per attack frame, or
 * never closed the connection; this bound tells those apart from the scheduling noise of a shared two-core machine
 * running two test files at once (round trips of 500 ms and more were seen there with nothing wrong).
 */
const RESPONSIVE_MS = 1500;

describe('security attacks: authorization per request and mutation ids', () => {
  let b: TestBackend;
  let op: TestConsole;
  let viewer: TestConsole;
  let sup: TestConsole;
  before(async () => {
    // 60 stations x 10 points = 600 extra points (none connected).
    b = await startTestBackend({ network: smallNetwork(60, 10) });
    op = await consoleAs(b.url, 'operator');
    viewer = await consoleAs(b.url, 'viewer');
    sup = await consoleAs(b.url, 'supervisor');
  });
  after(async () => {
    for (const c of [op, viewer, sup]) c?.close();
    await b?.dispose();
  });

  const oneEach = (from: number, n: number, status = 'OutOfService') =>
    Array.from({ length: n }, (_, i) => {
      const pointId = `BULK${Math.floor((from + i) / 10)}-${((from + i) % 10) + 1}`;
      return setStatus([{ pointId, baseVersion: b.store.points.row(pointId)!.op_version }], {
        status,
        reason: 'split bulk',
      });
    });

  it('an operator cannot bulk-edit by splitting: 500 one-point edits in one request are refused whole, nothing recorded', async () => {
    const seq = b.store.seq;
    const mutations = oneEach(0, 500);
    const r = await op.request('mutate', { mutations });
    assert.equal(r.ok, false, JSON.stringify(r).slice(0, 300));
    assert.equal(!r.ok && r.error.code, 'invalid');
    assert.match(
      !r.ok ? r.error.message : '',
      /^mutate: role operator may change one point per request \(this one touches 500\)/,
    );
    assert.equal(b.store.seq, seq, 'nothing changed');
    assert.equal(
      mutations.filter((m) => b.store.mutations.previous(m.id) !== null).length,
      0,
      'no id spent: each can still be sent alone',
    );
    // Two edits of two points are already a bulk edit.
    const two = await op.request('mutate', { mutations: oneEach(500, 2) });
    assert.equal(!two.ok && two.error.code, 'invalid');
    // The same ids one per request are the operator's to make; a supervisor may send many in one.
    const alone = await op.request<MutateReply>('mutate', { mutations: [mutations[0]] });
    assert.ok(alone.ok && alone.data.outcomes[0].result === 'applied');
    const many = await sup.request<MutateReply>('mutate', { mutations: oneEach(100, 300, 'Maintenance') });
    assert.ok(
      many.ok && many.data.outcomes.every((o) => o.result === 'applied'),
      'a supervisor may change many at once',
    );
  });

  it('two edits of the same point in one request are still one point: an operator may send them together', async () => {
    const pointId = 'BULK50-1';
    const v = b.store.points.row(pointId)!.op_version;
    const first = setStatus([{ pointId, baseVersion: v }], { status: 'Maintenance', reason: 'a' });
    const second = setStatus([{ pointId, baseVersion: v + 1 }], { status: 'OutOfService', reason: 'b' });
    const r = await op.request<MutateReply>('mutate', { mutations: [first, second] });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(
      r.data.outcomes.map((o) => o.result),
      ['applied', 'applied'],
    );
  });

  it("another user's id never collides: a viewer who pre-sends an operator's future ids does not spend them", async () => {
    const pointId = 'BULK55-1';
    const m = setStatus(
      [{ pointId, baseVersion: b.store.points.row(pointId)!.op_version }],
      { status: 'OutOfService', reason: 'real' },
      'install42-7',
    );
    const squat = await viewer.request<MutateReply>('mutate', {
      mutations: [{ ...m, edit: { ...m.edit, reason: 'squat' } }],
    });
    assert.ok(squat.ok && squat.data.outcomes[0].result === 'rejected', 'the viewer is refused');
    const real = await op.request<MutateReply>('mutate', { mutations: [m] });
    assert.ok(real.ok, JSON.stringify(real));
    assert.equal(real.data.outcomes[0].duplicate, false, 'not answered as a duplicate of the viewer’s');
    assert.equal(real.data.outcomes[0].result, 'applied');
    assert.equal(b.store.points.get(pointId)!.operator.status, 'OutOfService');
    // A replay by the same user gets the original outcome, and the id stays spent for good.
    const again = await op.request<MutateReply>('mutate', {
      mutations: [{ ...m, edit: { ...m.edit, status: 'Maintenance' } }],
    });
    assert.ok(again.ok && again.data.outcomes[0].duplicate === true);
    assert.deepEqual({ ...again.data.outcomes[0], duplicate: false }, real.data.outcomes[0]);
    assert.equal(b.store.points.get(pointId)!.operator.status, 'OutOfService');
    const viewerAgain = await viewer.request<MutateReply>('mutate', { mutations: [m] });
    assert.ok(
      viewerAgain.ok && viewerAgain.data.outcomes[0].duplicate && viewerAgain.data.outcomes[0].result === 'rejected',
      'the viewer gets its own outcome back',
    );
    // Kept across a restart (it is in the store).
    assert.equal(b.store.mutations.previous('install42-7', 'operator')?.result, 'applied');
    assert.equal(b.store.mutations.previous('install42-7', 'viewer')?.result, 'rejected');
  });
});

describe("security attacks: an operator's offline queue still goes through", () => {
  it(
    '250 queued one-point edits replayed by the real console core: every one applied once (one per request, paced)',
    { timeout: 120_000 },
    async () => {
      const backend = await startQuietDemoBackend();
      const line = await startTcpProxy(backend.port);
      const offline = openConsole(line.url, userOf(backend, 'operator'));
      try {
        await waitLive(offline);
        await line.cut();
        await waitFor('offline', () => offline.core.connection().state !== 'live');
        // 150 points, 100 of them edited twice: 250 requests, beyond the per-connection burst of 200.
        const points = offline.core.getNetwork().points.slice(0, 150);
        assert.equal(points.length, 150, 'the demo network has enough points');
        const edit = async (id: string, status: 'Maintenance' | 'OutOfService') =>
          (
            await offline.core.setStatus({
              pointIds: [id],
              edit: { status, reason: 'Queued offline', note: null, until: null },
            })
          ).mutationId;
        const ids = await Promise.all([
          ...points.map((p) => edit(p.id, 'Maintenance')),
          ...points.slice(0, 100).map((p) => edit(p.id, 'OutOfService')),
        ]);
        assert.equal(offline.core.connection().queued, 250);
        await line.restore();
        await waitFor(
          'the outbox to drain',
          () => offline.core.connection().state === 'live' && offline.core.connection().queued === 0,
          60_000,
          50,
        );
        const operator = userOf(backend, 'operator').username;
        for (const id of ids) assert.equal(backend.store.mutations.previous(id, operator)?.result, 'applied', id);
        points.forEach((p, i) => {
          const entries = backend.store.audit.history(p.id, 10).filter((e) => e.fact === 'operator');
          assert.deepEqual(
            entries.map((e) => e.to).reverse(),
            i < 100 ? ['Maintenance', 'OutOfService'] : ['Maintenance'],
            `${p.id}: each edit once, in order`,
          );
        });
      } finally {
        await offline.close();
        await line.close();
        await backend.stop();
      }
    },
  );
});

/** How long a console round trip (`history`) takes right now. */
async function roundTripMs(c: TestConsole): Promise<number> {
  const t0 = performance.now();
  const r = await c.request('history', { pointId: 'ST16-1', limit: 5 }, 10_000);
  assert.ok(r.ok, JSON.stringify(r));
  return performance.now() - t0;
}

/** A raw TCP connection to the backend; `answer` is everything it sent until it closed. */
function rawConnection(
  port: number,
  text: string,
): { socket: net.Socket; answer: Promise<string>; closed: Promise<number> } {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  let got = '';
  socket.on('data', (d) => (got += d.toString('latin1')));
  const t0 = performance.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - t0)));
  if (text) socket.write(text);
  return { socket, answer: closed.then(() => got), closed };
}

const upgradeRequest = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n` +
  `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n`;

/** An engine.io WebSocket to the console socket, opened (the '0' packet seen), not signed in. */
async function engineSocket(url: string): Promise<{ ws: WebSocket; inbox: string[]; closed: Promise<number> }> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}${CONSOLE_SOCKET_PATH}/?EIO=4&transport=websocket`);
  const inbox: string[] = [];
  ws.on('message', (d) => inbox.push(d.toString()));
  ws.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  await waitFor('engine.io open', () => inbox.some((m) => m.startsWith('0')), 3000, 2);
  return { ws, inbox, closed };
}

describe('security attacks: sign-in, limits before parsing, upgrades, headers', () => {
  let b: TestBackend;
  let watcher: TestConsole;
  before(async () => {
    process.env.VB_HANDSHAKE_TIMEOUT_MS = '800';
    process.env.VB_MAX_CONNECTIONS_PER_ADDRESS = '1000';
    try {
      b = await startTestBackend();
    } finally {
      delete process.env.VB_HANDSHAKE_TIMEOUT_MS;
      delete process.env.VB_MAX_CONNECTIONS_PER_ADDRESS;
    }
    watcher = await consoleAs(b.url, 'supervisor');
  });
  after(async () => {
    watcher?.close();
    await b?.dispose();
  });

  it('100 parallel guesses at one name: at most 5 passwords are checked, the right one among the rest is not let in', async () => {
    const guesses = Array.from({ length: 100 }, (_, i) => (i === 99 ? 'operator-pass-1' : `wrong-guess-${i}`));
    const during = roundTripMs(watcher);
    const replies = await Promise.all(guesses.map((p) => login(b.url, 'operator', p)));
    const rt = await during;
    assert.ok(rt < RESPONSIVE_MS, `console round trip during the guesses: ${rt.toFixed(0)} ms`);
    const statuses = replies.map((r) => r.status);
    const checked = statuses.filter((s) => s === 401 || s === 200).length;
    assert.ok(checked <= 5, `passwords checked: ${checked} (${statuses.join(',')})`);
    assert.equal(statuses.filter((s) => s === 429).length, 100 - checked, 'the others are refused unchecked');
    for (const r of replies.filter((x) => x.status === 429)) assert.equal(r.body.error.code, 'rateLimited');
  });

  it('sign-in body: a declared length over the limit is refused before reading; nesting is refused before parsing', async () => {
    const early = rawConnection(
      b.port,
      `POST ${LOGIN_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{"user`,
    );
    const answered = await Promise.race([
      early.answer,
      new Promise<string>((r) => setTimeout(() => r('(no answer in 2 s)'), 2000)),
    ]);
    early.socket.destroy();
    assert.match(answered, /^HTTP\/1\.1 413 /, answered.slice(0, 200));
    const nested = '['.repeat(20_000) + ']'.repeat(20_000);
    const res = await fetch(b.url + LOGIN_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"username":${nested},"password":"x"}`,
    });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /nested deeper than 8 levels/);
  });

  it('a 5.7 MiB nested frame before sign-in closes that connection at once; the backend stays responsive', async () => {
    const nested = '['.repeat(3 * 1024 * 1024) + ']'.repeat(3 * 1024 * 1024 - 100_000);
    const frames = [`40{"token":${nested}}`, `42${nested}`];
    for (const frame of frames) {
      const { ws, closed } = await engineSocket(b.url);
      const t0 = performance.now();
      ws.send(frame);
      const during = roundTripMs(watcher);
      // Refused on the frame's header by the transport (1009, message too big): never read whole, never parsed.
      assert.equal(await closed, 1009);
      const closedMs = performance.now() - t0;
      const rt = await during;
      assert.ok(rt < RESPONSIVE_MS, `console round trip during the attack: ${rt.toFixed(0)} ms`);
      assert.ok(closedMs < 1500, `closed after ${closedMs.toFixed(0)} ms`);
    }
    // Signed in, the size limit is the usual one, but nesting is still refused before parsing.
    const c = await consoleAs(b.url, 'viewer');
    const gone = new Promise<string>((resolve) => c.socket.once('disconnect', (reason) => resolve(reason)));
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    c.socket.emit('history', deep);
    assert.equal(await gone, 'transport close', 'closed by the frame guard (socket.io itself would answer invalid)');
    const health = await fetch(b.url + '/healthz');
    assert.equal(health.status, 200);
  });

  it('upgrades to near-miss paths are answered 404 and closed at once', async () => {
    for (const path of [
      '/console/socket.io',
      '/console/socket.iox/',
      '/ocpp/../x',
      '/ocpp/',
      '/ocpp',
      '/ocpp/ST16/extra',
      '/ocpp/%2e%2e',
      '/nope',
      '//ocpp/ST16',
    ]) {
      const { answer, closed } = rawConnection(b.port, upgradeRequest(path));
      const ms = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(Infinity), 2000))]);
      assert.ok(ms < RESPONSIVE_MS, `${path}: closed after ${ms} ms`);
      assert.match(await answer, /^HTTP\/1\.1 404 Not Found\r\n/, path);
      assert.match(await answer, /x-content-type-options: nosniff/i);
    }
  });

  it('connections that never finish their request or upgrade are closed after the handshake timeout; the backend stays responsive', async () => {
    const t0 = performance.now();
    const stalled = Array.from({ length: 300 }, (_, i) =>
      rawConnection(
        b.port,
        i % 3 === 0
          ? ''
          : upgradeRequest(i % 3 === 1 ? '/ocpp/ST16' : `${CONSOLE_SOCKET_PATH}/?EIO=4&transport=websocket`).slice(
              0,
              40,
            ),
      ),
    );
    let worst = 0;
    // Real time: the handshake timeout under test is the HTTP server's own timer, not the injectable clock; the loop
    // paces round-trip samples while it runs.
    while (performance.now() - t0 < 600) {
      worst = Math.max(worst, await roundTripMs(watcher));
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(worst < RESPONSIVE_MS, `console round trip during the attack: ${worst.toFixed(0)} ms`);
    const closedAfter = await Promise.all(stalled.map((s) => s.closed));
    const last = Math.max(...closedAfter);
    assert.ok(last < 3000, `all closed, the last after ${last.toFixed(0)} ms`);
    assert.ok(
      Math.min(...closedAfter) >= 700,
      `not before the timeout (${closedAfter.filter((ms) => ms < 700).length} earlier, after ${Math.min(...closedAfter).toFixed(0)} ms)`,
    );
    assert.equal((await fetch(b.url + '/healthz')).status, 200);
  });

  it('connections per address are limited: beyond the limit closed at once; after the attacker leaves everything works', async () => {
    // A backend of its own, limit 50: nothing else holds connections to it (fetch keeps its connections open).
    process.env.VB_MAX_CONNECTIONS_PER_ADDRESS = '50';
    const limited = await startTestBackend().finally(() => delete process.env.VB_MAX_CONNECTIONS_PER_ADDRESS);
    try {
      const held = Array.from({ length: 70 }, () => rawConnection(limited.port, ''));
      const closedAfter = await Promise.all(
        held.map((h) => Promise.race([h.closed, new Promise<number>((r) => setTimeout(() => r(Infinity), 1000))])),
      );
      assert.equal(closedAfter.filter((ms) => ms < RESPONSIVE_MS).length, 20, 'the 20 over the limit closed at once');
      for (const h of held) h.socket.destroy();
      // The backend counts a connection gone when it sees it close: until then a new one may still be over the limit.
      await waitFor(
        'answers again once the attacker left',
        async () => (await fetch(limited.url + '/healthz').catch(() => null))?.status === 200,
        5000,
        50,
      );
      const c = await consoleAs(limited.url, 'viewer');
      assert.ok((await roundTripMs(c)) < RESPONSIVE_MS);
      c.close();
    } finally {
      await limited.dispose();
    }
  });

  it('/healthz carries the same security headers as every other answer', async () => {
    for (const path of ['/healthz', '/nope']) {
      const res = await fetch(b.url + path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('cache-control'), 'no-store', path);
      assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'", path);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
    }
  });
});

describe('security attacks: snapshot costs', () => {
  let b: TestBackend;
  let watcher: TestConsole;
  before(async () => {
    // 200 stations x 100 points: a 20,000-point network. The per-user budget is set high here so that the first test
    // shows the unsent-bytes rule alone; the second sets its own backend's budget.
    b = await startTestBackend({ network: smallNetwork(200, 100), consoleRateLimit: { snapshotPointsPerMin: 1e12 } });
    watcher = await consoleAs(b.url, 'supervisor');
  });
  after(async () => {
    watcher?.close();
    await b?.dispose();
  });

  it(
    '60 snapshot requests on one connection that never reads: the heap stays bounded, /healthz and consoles answer',
    { timeout: 60_000 },
    async () => {
      const one = await watcher.request<{ points: unknown[] }>('sync', { networkId: null, sinceSeq: null }, 30_000);
      assert.ok(one.ok && one.data.points.length > 20_000);
      const snapshotBytes = JSON.stringify(one.data).length;
      const token = await tokenFor(b.url, 'viewer');
      const { ws, inbox } = await engineSocket(b.url);
      ws.send(`40${JSON.stringify({ token })}`);
      await waitFor('signed in', () => inbox.some((m) => m.startsWith('40')), 3000, 2);
      ws.pause(); // from here on the backend's answers pile up unread
      const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
      const before0 = used();
      let peak = before0;
      const sampler = setInterval(() => (peak = Math.max(peak, used())), 20);
      for (let i = 0; i < 60; i++) ws.send(`42${i}["sync",{"networkId":null,"sinceSeq":null}]`);
      let worstRoundTrip = 0;
      let worstHealth = 0;
      const t0 = performance.now();
      // Samples in real time while the unread answers pile up (the socket's buffers, not a clock, are under test).
      while (performance.now() - t0 < 3000) {
        worstRoundTrip = Math.max(worstRoundTrip, await roundTripMs(watcher));
        const h0 = performance.now();
        assert.equal((await fetch(b.url + '/healthz')).status, 200);
        worstHealth = Math.max(worstHealth, performance.now() - h0);
        await new Promise((r) => setTimeout(r, 50));
      }
      clearInterval(sampler);
      ws.terminate();
      const grewMb = (peak - before0) / 2 ** 20;
      console.log(
        `# snapshot ${(snapshotBytes / 2 ** 20).toFixed(1)} MiB; 60 unread requests: heap+buffers grew ${grewMb.toFixed(0)} MiB at most; ` +
          `round trip ${worstRoundTrip.toFixed(0)} ms, /healthz ${worstHealth.toFixed(0)} ms at worst`,
      );
      assert.ok(grewMb < 8 * (snapshotBytes / 2 ** 20) + 64, `grew ${grewMb.toFixed(0)} MiB`);
      // One 20,000-point snapshot itself holds the event loop ~200-300 ms on the 2-core machine (reading the points and
      // serialising 9 MiB): the target here is 1 s, which a second snapshot built at once would already break.
      assert.ok(worstRoundTrip < 1000, `console round trip ${worstRoundTrip.toFixed(0)} ms`);
      assert.ok(worstHealth < 1000, `/healthz ${worstHealth.toFixed(0)} ms`);
    },
  );

  it('a per-user snapshot budget: beyond it rateLimited on every connection of that user, others unaffected; the shape of sync is unchanged', async () => {
    const limited = await startTestBackend({
      network: smallNetwork(200, 100),
      consoleRateLimit: { snapshotPointsPerMin: 50_000 },
    });
    try {
      const token = await tokenFor(limited.url, 'viewer');
      const conns = await Promise.all([0, 1, 2, 3].map(() => connectConsole(limited.url, token)));
      const codes: string[] = [];
      for (const c of conns) {
        const r = await c.request('sync', { networkId: null, sinceSeq: null }, 30_000);
        codes.push(r.ok ? r.data.kind : r.error.code);
        if (!r.ok) assert.match(r.error.message, /^sync: too many full snapshots for viewer/);
      }
      assert.deepEqual(
        codes,
        ['snapshot', 'snapshot', 'snapshot', 'rateLimited'],
        '50,000 points a minute: three 20,004-point snapshots',
      );
      const delta = await conns[3].request(
        'sync',
        { networkId: limited.networkId, sinceSeq: limited.store.seq },
        30_000,
      );
      assert.ok(delta.ok && delta.data.kind === 'delta', 'a catch-up (delta) is not a snapshot and is still answered');
      const other = await consoleAs(limited.url, 'operator');
      const r = await other.request('sync', { networkId: null, sinceSeq: null }, 30_000);
      assert.ok(r.ok && r.data.kind === 'snapshot', 'another user has their own budget');
      for (const c of [...conns, other]) c.close();
    } finally {
      await limited.dispose();
    }
  });
});

describe('security attacks: the backend store and the demo', () => {
  it('the backend store commits with synchronous=FULL (an answered edit survives power loss)', async () => {
    const b = await startTestBackend();
    try {
      if (b.store.db.dialect === 'sqlite') {
        assert.equal(sqliteOf(b.store.db).pragma('synchronous', { simple: true }), 2, 'FULL');
        assert.equal(sqliteOf(b.store.db).pragma('journal_mode', { simple: true }), 'wal');
      }
    } finally {
      await b.dispose();
    }
  });

  it(
    'demo passwords are random per store, the same again after a restart on the same folder, and they sign in',
    { timeout: 60_000 },
    async () => {
      const start = (dataDir: string) =>
        startBackend({
          port: 0,
          dataDir,
          demo: true,
          demoOptions: { quiet: true, timeScale: 10 },
          log: () => undefined,
        });
      const dirA = tempDir('demo-a').path;
      const a = await start(dirA);
      const b = await start(tempDir('demo-b').path);
      try {
        assert.equal(a.demoUsers.length, 4);
        for (const [i, u] of a.demoUsers.entries()) {
          assert.notEqual(u.password, b.demoUsers[i].password, `${u.username}: another store, another password`);
          assert.ok(u.password.length >= 12);
          assert.equal((await login(a.url, u.username, u.password)).status, 200);
          assert.equal((await login(a.url, u.username, b.demoUsers[i].password)).status, 401);
        }
      } finally {
        await b.stop();
        await a.stop();
      }
      const again = await start(dirA);
      try {
        assert.deepEqual(again.demoUsers, a.demoUsers, 'a restart prints the same users and passwords');
        assert.equal((await login(again.url, again.demoUsers[1].username, again.demoUsers[1].password)).status, 200);
      } finally {
        await again.stop();
      }
    },
  );
});

describe('security attacks: the handshake timeout under TLS', () => {
  const cert = OPENSSL ? makeTestCertificate(tempDir('attack-tls').path) : null;
  it(
    'a TCP connection that never starts its TLS handshake is closed after the handshake timeout (Node waits 120 s)',
    { skip: NO_OPENSSL },
    async () => {
      process.env.VB_HANDSHAKE_TIMEOUT_MS = '500';
      const b = await startTestBackend({ tls: cert! }).finally(() => delete process.env.VB_HANDSHAKE_TIMEOUT_MS);
      try {
        const { closed, answer } = rawConnection(b.port, '');
        const ms = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(Infinity), 3000))]);
        assert.ok(ms >= 450 && ms < 1500, `closed after ${ms} ms`);
        assert.equal(await answer, '', 'nothing written in plain text into a TLS port');
      } finally {
        await b.dispose();
      }
    },
  );
});
