// Property-based (fast-check): thousands of malformed and random messages to the backend's console socket
// (socket.io events and raw engine.io frames), its OCPP-J endpoint (RPC calls with random methods and params, and
// raw WebSocket frames), its sign-in route, and the console API of the web host. Throughout: the servers keep
// answering, every reply is a clear error (a code and a sentence, no stack), and the network's state and audit
// log are exactly as before. Bounded run counts keep it well under a minute.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { RPCClient } from 'ocpp-rpc';
import { WebSocket } from 'ws';
import { consoleMethods, type WireReply } from '../../common/consoleApi.js';
import { clientToServer, CONSOLE_SOCKET_PATH, errorReplySchema, LOGIN_PATH } from '../../common/protocol.js';
import {
  consoleAs,
  setStatus,
  startTestBackend,
  stationAuthHeader,
  stationPassword,
  tokenFor,
  type TestBackend,
  type TestConsole,
} from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';
import { startWebHost, type WebHost } from '../../electron/host/webHost.js';
import { openConsole, waitLive, type TestConsole as CoreConsole } from '../support/consoles.js';
import { openHostSession } from '../support/hostSession.js';
import { tempDir } from '../support/tempDir.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const params = (numRuns: number) => ({ numRuns, seed: SEED, endOnFailure: true });

/** What no message may change: every point's facts and the audit log (stationLastSeen moves with any message). */
function snapshot(b: TestBackend) {
  const points = b.store.points.all().map(({ stationLastSeen: _seen, ...p }) => p);
  const audit = b.store.db.prepare('test', 'SELECT * FROM audit ORDER BY id').all();
  return { seq: b.store.seq, points, audit, sites: b.store.stations.allSites() };
}

const wire = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

const API_CODES = ['invalid', 'unknownMethod', 'notFound', 'offline', 'forbidden'] as const;
const apiErrorSchema = z.object({ code: z.enum(API_CODES), message: z.string() });

/** A clear error: a known code (never `internal`) and a non-empty sentence, no stack trace. */
function assertClearError(
  reply: unknown,
  what: string,
  schema: z.ZodType<{ code: string; message: string }> = errorReplySchema,
): asserts reply is { ok: false; error: { code: string; message: string } } {
  const r = reply as { ok?: unknown; error?: unknown };
  assert.equal(r?.ok, false, `${what}: expected an error, got ${JSON.stringify(reply)?.slice(0, 300)}`);
  const error = schema.safeParse(r.error);
  assert.ok(error.success && error.data.code !== 'internal', `${what}: not a clear error: ${JSON.stringify(r.error)}`);
  assert.ok(error.data.message.length > 3, `${what}: empty message`);
  assert.doesNotMatch(error.data.message, /\n\s+at /, `${what}: a stack trace in the reply`);
}

function setPath(base: unknown, keys: (string | number)[], value: unknown, drop: boolean): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = keys[keys.length - 1];
  if (drop) delete node[last];
  else node[last] = value;
  return copy;
}

const badValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 2001, maxLength: 2500 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, -1, 1.5, '', 'Available', 'ST16-1', '<img src=x onerror=alert(1)>', '__proto__'),
);

const MUTATION_PATHS: (string | number)[][] = [
  ['mutations'],
  ['mutations', 0],
  ['mutations', 0, 'id'],
  ['mutations', 0, 'kind'],
  ['mutations', 0, 'targets'],
  ['mutations', 0, 'targets', 0],
  ['mutations', 0, 'targets', 0, 'pointId'],
  ['mutations', 0, 'targets', 0, 'baseVersion'],
  ['mutations', 0, 'edit'],
  ['mutations', 0, 'edit', 'status'],
  ['mutations', 0, 'edit', 'reason'],
  ['mutations', 0, 'edit', 'until'],
  ['mutations', 0, 'createdAt'],
];

const corruptMutate = fc
  .record({
    path: fc.constantFrom(...MUTATION_PATHS),
    value: badValue,
    drop: fc.boolean(),
    id: fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/),
  })
  .map(({ path: keys, value, drop, id }) =>
    setPath(
      {
        mutations: [
          setStatus([{ pointId: 'ST16-1', baseVersion: 0 }], { status: 'Maintenance', reason: 'Fuzz' }, `fuzz-${id}`),
        ],
      },
      keys,
      value,
      drop,
    ),
  );
const corruptSync = fc
  .record({ key: fc.constantFrom('networkId', 'sinceSeq'), value: badValue, drop: fc.boolean() })
  .map(({ key, value, drop }) => setPath({ networkId: null, sinceSeq: 0 }, [key], value, drop));
const corruptHistory = fc
  .record({ key: fc.constantFrom('pointId', 'limit'), value: badValue, drop: fc.boolean() })
  .map(({ key, value, drop }) => setPath({ pointId: 'ST16-1', limit: 5 }, [key], value, drop));

const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

describe('security: fuzzing every door', () => {
  let b: TestBackend;
  let c: TestConsole;
  let station: InstanceType<typeof RPCClient>;
  let raw: WebSocket;
  let core: CoreConsole;
  let host: WebHost;
  let cookie: string;
  let hostProtocols: string[];
  let before0: ReturnType<typeof snapshot>;

  before(async () => {
    b = await startTestBackend({
      // Every fuzz message must reach validation: the rate limits are tested on their own (security-roles).
      consoleRateLimit: { burst: 1e9, perSec: 1e9, disconnectAfter: 1e9 },
      loginLimits: { perUser: 1e9, perAddress: 1e9 },
      stationLimits: { burst: 1e9, perSecond: 1e9, bytesBurst: 1e12, bytesPerSecond: 1e12 },
    });
    c = await consoleAs(b.url, 'admin');
    station = new RPCClient({
      endpoint: b.ocppUrl,
      identity: 'ST16',
      protocols: ['ocpp1.6'],
      strictMode: false, // so that it can send what strict mode must refuse
      reconnect: false,
      callTimeoutMs: 5000,
      password: stationPassword('ST16'),
    } as ConstructorParameters<typeof RPCClient>[0]);
    await station.connect();
    raw = await openRawOcpp(b.ocppUrl + '/ST201', 'ocpp2.0.1');
    core = openConsole(b.url, { username: 'operator', password: 'operator-pass-1' });
    await waitLive(core);
    const rendererDir = tempDir('fuzz-renderer').path;
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Voltboard</title>');
    host = await startWebHost({ core: core.core, rendererDir, port: 0 });
    ({ cookie, protocols: hostProtocols } = await openHostSession(host));
    // Both stations are connected and everything has settled: from here on nothing may change.
    await waitFor('stations online', () => b.store.points.all().every((p) => p.stationConnected), 5000);
    // A barrier instead of a pause: a station's call is answered after the backend handled what came before it, and
    // writes it leaves for the end of the turn are done after one more turn.
    await station.call('Heartbeat', {});
    await new Promise((r) => setImmediate(r));
    before0 = snapshot(b);
  });

  after(async () => {
    raw?.terminate();
    await station?.close({ force: true });
    c?.close();
    await host?.stop();
    await core?.close();
    await b?.dispose();
  });

  async function assertAliveAndUnchanged(): Promise<void> {
    const health = await fetch(b.url + '/healthz');
    assert.equal(health.status, 200);
    const fresh = await consoleAs(b.url, 'viewer');
    const sync = await fresh.request('sync', { networkId: null, sinceSeq: null });
    fresh.close();
    assert.ok(sync.ok, 'a new console still syncs');
    assert.deepEqual(snapshot(b), before0, 'the network and its audit log are unchanged');
  }

  it(
    'console socket: random and malformed events get a clear error each; nothing changes',
    { timeout: 60_000 },
    async () => {
      const event = fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom('sync', 'mutate', 'history') },
        { weight: 2, arbitrary: fc.string({ maxLength: 30 }).filter((e) => !RESERVED.has(e)) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'hello',
            'changes',
            'sessionEnded',
            '__proto__',
            'constructor',
            'toString',
            'mutate ',
          ),
        },
      );
      const payload = fc.oneof(
        fc.anything({ maxDepth: 3 }),
        corruptMutate,
        corruptSync,
        corruptHistory,
        fc.constant(undefined),
      );
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(event, payload, fc.boolean(), async (name, body, withAck) => {
          const onWire = wire(body);
          const known = Object.hasOwn(clientToServer, name)
            ? clientToServer[name as keyof typeof clientToServer]
            : null;
          const valid = known ? known.request.safeParse(onWire).success : false;
          fc.pre(!(valid && name === 'mutate'));
          sent++;
          if (!withAck) {
            c.socket.emit(name, body);
            return;
          }
          const reply = (await c.request(name, body, 5000)) as { ok: boolean };
          if (valid) {
            if (!reply.ok) assertClearError(reply, name);
            return;
          }
          assertClearError(reply, `${name} ${JSON.stringify(onWire)?.slice(0, 200)}`);
          if (known) {
            assert.equal((reply as { error: { code: string } }).error.code, 'invalid');
            assert.ok(
              (reply as { error: { message: string } }).error.message.startsWith(`${name}: `),
              'the message names the event',
            );
          } else assert.match((reply as { error: { message: string } }).error.message, /unknown event/);
        }),
        params(1500),
      );
      assert.ok(sent > 1000, `${sent} messages sent`);
      assert.ok(c.socket.connected, 'the fuzzing console is still connected');
      const ok = await c.request('sync', { networkId: null, sinceSeq: null });
      assert.ok(ok.ok);
      await assertAliveAndUnchanged();
    },
  );

  it('console socket: raw engine.io/socket.io frames never take the server down', { timeout: 60_000 }, async () => {
    const token = await tokenFor(b.url, 'viewer');
    const frame = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json().map((j) => `42${j}`),
      fc.json().map((j) => `421${j}`),
      fc
        .tuple(
          fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '40', '41', '42', '43', '44', '45', '46'),
          fc.string({ maxLength: 100 }),
        )
        .map(([a, s]) => a + s),
      fc.constantFrom(
        '42["mutate",{"mutations":"x"}]',
        '451-["mutate",{"_placeholder":true,"num":0}]',
        '42[]',
        '42{}',
        '42["sync"',
        '4',
      ),
    );
    await fc.assert(
      fc.asyncProperty(frame, async (text) => {
        const ws = new WebSocket(`${b.url.replace('http', 'ws')}${CONSOLE_SOCKET_PATH}/?EIO=4&transport=websocket`);
        const inbox: string[] = [];
        ws.on('message', (d) => inbox.push(d.toString()));
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        await waitFor('engine.io open', () => inbox.some((m) => m.startsWith('0')), 3000, 2);
        ws.send(`40${JSON.stringify({ token })}`);
        await waitFor('socket.io connected', () => inbox.some((m) => m.startsWith('40')), 3000, 2);
        ws.send(text);
        ws.send('4299["sync",{"networkId":null,"sinceSeq":null}]');
        const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
        // Answered, closed, or (after a frame such as "41", the client's own disconnect) silent: never down.
        const answered = waitFor('an answer', () => inbox.some((m) => m.startsWith('4399')), 1000, 2).catch(
          () => undefined,
        );
        await Promise.race([closed, answered]);
        for (const m of inbox) assert.doesNotMatch(m, /\n\s+at /, 'no stack traces on the wire');
        ws.terminate();
      }),
      params(150),
    );
    await assertAliveAndUnchanged();
  });

  it('OCPP: random calls get a CALLERROR with a code (strict mode); nothing changes', { timeout: 60_000 }, async () => {
    const ACTIONS_16 = [
      'Authorize',
      'BootNotification',
      'DataTransfer',
      'DiagnosticsStatusNotification',
      'FirmwareStatusNotification',
      'Heartbeat',
      'MeterValues',
      'StartTransaction',
      'StatusNotification',
      'StopTransaction',
      'TransactionEvent',
      'NotifyReport',
    ];
    const CODES = new Set([
      'FormationViolation',
      'FormatViolation',
      'PropertyConstraintViolation',
      'TypeConstraintViolation',
      'OccurenceConstraintViolation',
      'OccurrenceConstraintViolation',
      'NotImplemented',
      'NotSupported',
      'ProtocolError',
      'SecurityError',
      'GenericError',
      'InternalError',
    ]);
    const method = fc.oneof(fc.constantFrom(...ACTIONS_16), fc.string({ minLength: 1, maxLength: 30 }));
    const body = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.object({ maxDepth: 2 }),
      fc.record({ connectorId: badValue, status: badValue, errorCode: badValue }, { requiredKeys: [] }),
      fc.record({ chargePointVendor: badValue, chargePointModel: badValue }, { requiredKeys: [] }),
    );
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(method, body, async (m, p) => {
        try {
          await station.call(m, p);
          // Only a plain accept may succeed (the same call is valid OCPP); nothing may change (checked below).
        } catch (error) {
          const code = (error as { rpcErrorCode?: string }).rpcErrorCode;
          assert.ok(code && CODES.has(code), `${m}: not a clear CALLERROR: ${code} ${(error as Error).message}`);
          refused++;
        }
      }),
      params(400),
    );
    assert.ok(refused > 350, `${refused} refused`);
    assert.equal(station.state, WebSocket.OPEN, 'the station stays connected');
    await assertAliveAndUnchanged();
  });

  it(
    'OCPP: raw frames (garbage, bad message types, bad ids) get a CALLERROR or nothing; the connection survives',
    { timeout: 60_000 },
    async () => {
      const frame = fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.json(),
        fc
          .tuple(
            fc.constantFrom(2, 3, 4, 5, 0, -1, '2'),
            fc.string({ maxLength: 40 }),
            fc.anything({ maxDepth: 2 }),
            fc.anything({ maxDepth: 2 }),
          )
          .map((t) => JSON.stringify(t)),
        fc
          .tuple(
            fc.string({ maxLength: 40 }),
            fc.constantFrom('StatusNotification', 'BootNotification', 'Heartbeat', 'NotifyEvent', 'Nope'),
            fc.anything({ maxDepth: 3 }),
          )
          .map(([id, m, p]) => JSON.stringify([2, `x${id}`, m, p])),
      );
      let n = 0;
      let errors = 0;
      await fc.assert(
        fc.asyncProperty(frame, async (text) => {
          fc.pre(!/"(Heartbeat|NotifyEvent)",\{\}\]$/.test(text));
          const hb = `hb-${++n}`;
          const inbox: unknown[] = [];
          const onMessage = (d: Buffer) => inbox.push(JSON.parse(d.toString()));
          raw.on('message', onMessage);
          try {
            raw.send(text);
            raw.send(JSON.stringify([2, hb, 'Heartbeat', {}]));
            await waitFor('the heartbeat answer', () => inbox.some((m) => Array.isArray(m) && m[1] === hb), 3000, 2);
          } finally {
            raw.off('message', onMessage);
          }
          for (const m of inbox) {
            const msg = m as unknown[];
            if (msg[1] === hb) {
              assert.equal(msg[0], 3, 'the heartbeat is answered');
              continue;
            }
            if (msg[0] === 4) {
              assert.equal(typeof msg[2], 'string');
              assert.ok((msg[2] as string).length > 0, 'a CALLERROR carries a code');
              errors++;
            } else assert.equal(msg[0], 3, `only CALLERRORs (or a result to a valid call): ${JSON.stringify(msg)}`);
          }
        }),
        params(400),
      );
      assert.ok(errors > 150, `${errors} CALLERRORs`);
      assert.equal(raw.readyState, WebSocket.OPEN);
      await assertAliveAndUnchanged();
    },
  );

  it('sign-in: random bodies get 400 invalid or the one generic 401; nothing else', { timeout: 60_000 }, async () => {
    const body = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.json(),
      fc.record({ username: badValue, password: badValue }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const res = await fetch(b.url + LOGIN_PATH, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: text,
        });
        const reply = (await res.json()) as { error?: unknown; token?: unknown };
        assert.ok([400, 401, 413].includes(res.status), `status ${res.status} for ${text.slice(0, 100)}`);
        assertClearError({ ok: false, error: reply.error }, `login ${text.slice(0, 100)}`);
        if (res.status === 401)
          assert.equal((reply.error as { message: string }).message, 'invalid username or password');
      }),
      params(300),
    );
    await assertAliveAndUnchanged();
  });

  it(
    'console API (web host WebSocket): random calls get a clear error; nothing queued, settings and link unchanged',
    { timeout: 60_000 },
    async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, hostProtocols, {
        headers: { origin: `http://127.0.0.1:${host.port}`, cookie },
      });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const replies: WireReply[] = [];
      ws.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.kind === 'reply') replies.push(m);
      });
      const settingsBefore = core.core.getSettings();
      const METHODS = Object.keys(consoleMethods);
      const READS = new Set(['getNetwork', 'getConnection', 'getHistory', 'listOutbox', 'getSettings']);
      const SAFE_WHEN_VALID = new Set([...READS, 'discardQueued', 'resolveConflict']);
      const call = fc.record(
        {
          kind: fc.oneof(fc.constant('call'), fc.anything({ maxDepth: 1 })),
          id: fc.oneof(fc.nat(1e6), badValue),
          method: fc.oneof(
            fc.constantFrom(...METHODS),
            fc.string({ maxLength: 30 }),
            fc.constantFrom('__proto__', 'constructor', 'close', 'start', 'outbox', 'db'),
          ),
          params: fc.oneof(
            fc.anything({ maxDepth: 3 }),
            fc.record(
              { pointIds: fc.anything({ maxDepth: 1 }), edit: fc.anything({ maxDepth: 2 }) },
              { requiredKeys: [] },
            ),
            fc.record(
              { backendUrl: badValue, theme: badValue, allowInsecureBackend: fc.boolean() },
              { requiredKeys: [] },
            ),
            fc.record({ username: badValue, password: badValue }, { requiredKeys: [] }),
          ),
        },
        { requiredKeys: [] },
      );
      const message = fc.oneof(
        { weight: 6, arbitrary: call.map((c1) => ({ text: JSON.stringify(c1), call: c1 as Record<string, unknown> })) },
        { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ text, call: null })) },
        { weight: 1, arbitrary: fc.json().map((text) => ({ text, call: null })) },
      );
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(message, async ({ text, call: c1 }) => {
          const m = c1 ? (JSON.parse(text) as Record<string, unknown>) : null;
          const wellFormed =
            m !== null &&
            m.kind === 'call' &&
            Number.isSafeInteger(m.id) &&
            (m.id as number) >= 0 &&
            typeof m.method === 'string' &&
            m.method.length <= 64 &&
            Object.hasOwn(m, 'params');
          const method =
            wellFormed && Object.hasOwn(consoleMethods, m.method as string)
              ? (m.method as keyof typeof consoleMethods)
              : null;
          const valid = method ? consoleMethods[method].params.safeParse(m!.params ?? {}).success : false;
          fc.pre(!valid || SAFE_WHEN_VALID.has(method!));
          sent++;
          const count = replies.length;
          ws.send(text);
          await waitFor('a reply', () => replies.length > count, 5000, 1);
          const reply = replies[count];
          if (valid && READS.has(method!)) {
            if (!reply.ok) assertClearError(reply, `${method}`, apiErrorSchema);
            return;
          }
          assertClearError(reply, `${text.slice(0, 200)}`, apiErrorSchema);
          const code = (reply as { error: { code: string } }).error.code;
          if (!wellFormed) assert.equal(code, 'invalid');
          else if (!method) assert.equal(code, 'unknownMethod');
          else if (!valid) assert.equal(code, 'invalid');
          else assert.equal(code, 'notFound');
        }),
        params(800),
      );
      ws.close();
      assert.ok(sent > 600, `${sent} calls sent`);
      assert.deepEqual(core.core.listOutbox().items, [], 'nothing was queued');
      assert.deepEqual(core.core.getSettings(), settingsBefore, 'settings unchanged');
      assert.equal(core.core.connection().state, 'live');
      await assertAliveAndUnchanged();
    },
  );
});

async function openRawOcpp(url: string, protocol: string): Promise<WebSocket> {
  const ws = new WebSocket(url, [protocol], { headers: stationAuthHeader(url.slice(url.lastIndexOf('/') + 1)) });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  // Answer any call from the backend so it never waits on us.
  ws.on('message', (d) => {
    try {
      const m = JSON.parse(d.toString());
      if (Array.isArray(m) && m[0] === 2) ws.send(JSON.stringify([3, m[1], { status: 'Accepted' }]));
    } catch {
      // not ours to judge
    }
  });
  return ws;
}
