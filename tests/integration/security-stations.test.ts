// Stations under attack (issue 15, items 1 and 2), against the real backend with real OCPP-J stations (ocpp-rpc),
// real socket.io consoles and console cores: reports outside a station's layout are refused alone and never stored;
// a poisoned record cannot freeze a console; a station id cannot be taken over (OCPP security profiles 1 and 2);
// per-station rate, byte and nesting limits.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { RPCClient } from 'ocpp-rpc';
import WebSocket from 'ws';
import { pointSchema } from '../../common/model.js';
import { syncReplySchema } from '../../common/protocol.js';
import {
  connectConsole,
  connectStation,
  consoleAs,
  setStatus,
  smallNetwork,
  startTestBackend,
  stationAuthHeader,
  stationPassword,
  tokenFor,
  type TestBackend,
} from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';
import { InvalidPointError } from '../../backend/store/points.js';
import { openConsole, waitLive } from '../support/consoles.js';
import { makeTestCertificate, NO_OPENSSL, OPENSSL } from '../support/testCertificate.js';
import { storeArgsFor } from '../support/testStore.js';
import { tempDir } from '../support/tempDir.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** The CALLERROR a station got for a call (rejects with it), or null when the call succeeded. */
async function callError(p: Promise<unknown>): Promise<{ code: string; message: string } | null> {
  try {
    await p;
    return null;
  } catch (err) {
    const e = err as { rpcErrorCode?: string; message: string };
    return { code: e.rpcErrorCode ?? 'none', message: e.message };
  }
}

const status16 = (connectorId: number, status = 'Faulted') => ({
  connectorId,
  status,
  errorCode: status === 'Faulted' ? 'GroundFailure' : 'NoError',
  timestamp: new Date().toISOString(),
});

/** Opens a raw OCPP WebSocket; resolves when open, rejects with the HTTP status of a refused upgrade. */
function openRaw(url: string, protocol: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, [protocol], { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Sends a raw frame and waits for the answer to message id `id`. */
function rawCall(ws: WebSocket, frame: string, id: string): Promise<unknown[]> {
  return new Promise((resolve) => {
    const onMessage = (d: Buffer) => {
      const m = JSON.parse(d.toString()) as unknown[];
      if (m[1] !== id) return;
      ws.off('message', onMessage);
      resolve(m);
    };
    ws.on('message', onMessage);
    ws.send(frame);
  });
}

describe('stations: reports are checked against the station layout and the point schema', () => {
  let b: TestBackend;
  before(async () => {
    b = await startTestBackend({ acceptUnknownStations: true, coalesceMs: 10 });
  });
  after(async () => {
    await b.dispose();
  });

  it('a report for connector -1 is refused alone with a CALLERROR, nothing is stored, and consoles keep syncing and receiving', async () => {
    const token = await tokenFor(b.url, 'viewer');
    const watcher = await connectConsole(b.url, token);
    const st = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
    await st.boot();
    const points = b.store.points.count();
    const seq = b.store.seq;
    const refused = await callError(st.client.call('StatusNotification', status16(-1)));
    assert.equal(refused?.code, 'PropertyConstraintViolation', JSON.stringify(refused));
    assert.match(refused!.message, /connectorId -1/);
    assert.equal(b.store.points.count(), points, 'no point was created');
    assert.equal(b.store.seq, seq, 'nothing was stored');
    // The same station's good report right after is stored and reaches the console.
    await st.status(1, 'Charging');
    await waitFor('the good report on the console', () =>
      watcher.changes.some((c) => c.points.some((p) => p.id === 'ST16-1' && p.reported.status === 'Occupied')),
    );
    for (const c of watcher.changes)
      for (const p of c.points) assert.ok(pointSchema.safeParse(p).success, `valid point ${p.id}`);
    const fresh = await connectConsole(b.url, token);
    const reply = await fresh.request('sync', { networkId: null, sinceSeq: null });
    assert.ok(reply.ok);
    assert.ok(syncReplySchema.safeParse(reply.data).success, 'a fresh console’s snapshot passes the shared schema');
    fresh.close();
    watcher.close();
    await st.close();
  });

  it('a station with a registered layout cannot add EVSEs or connectors: each bad report refused alone, the good ones stored', async () => {
    const st16 = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
    const st201 = await connectStation(b.ocppUrl, 'ST201', 'ocpp2.0.1');
    const points = b.store.points.count();
    const e1 = await callError(st16.client.call('StatusNotification', status16(3)));
    assert.equal(e1?.code, 'PropertyConstraintViolation');
    assert.match(e1!.message, /not in this station's registered layout \(1, 2\)/);
    const e2 = await callError(st201.status(1, 'Faulted', { connectorId: 5 }));
    assert.equal(e2?.code, 'PropertyConstraintViolation');
    assert.match(e2!.message, /connectorId 5 is not on EVSE 1/);
    const e3 = await callError(st201.status(9, 'Faulted'));
    assert.equal(e3?.code, 'PropertyConstraintViolation');
    assert.equal(b.store.points.count(), points);
    assert.deepEqual(
      b.store.points.get('ST201-1')?.connectors.map((c) => c.id),
      [1],
      'no connector learned',
    );
    await st201.status(2, 'Occupied', { connectorId: 2 });
    assert.equal(b.store.points.get('ST201-2')?.reported.status, 'Occupied');
    await Promise.all([st16.close(), st201.close()]);
  });

  it('a station without a layout learns EVSEs 1–32 only: 100 phantom ids make 32 points, the rest are refused', async () => {
    const st = await connectStation(b.ocppUrl, 'PHANTOM-1', 'ocpp1.6');
    const results = [];
    for (let id = 1; id <= 100; id++) results.push(await callError(st.client.call('StatusNotification', status16(id))));
    assert.equal(results.filter((r) => r === null).length, 32);
    assert.ok(
      results.slice(32).every((r) => r?.code === 'PropertyConstraintViolation' && /out of range/.test(r.message)),
    );
    assert.equal(b.store.points.byStation('PHANTOM-1').length, 32);
    assert.equal(b.store.stations.get('PHANTOM-1')?.layout, 'learned');
    const st2 = await connectStation(b.ocppUrl, 'PHANTOM-2', 'ocpp2.0.1');
    const e = await callError(st2.status(1, 'Faulted', { connectorId: 17 }));
    assert.equal(e?.code, 'PropertyConstraintViolation');
    assert.equal(b.store.points.byStation('PHANTOM-2').length, 0);
    await Promise.all([st.close(), st2.close()]);
  });

  it('the store refuses to write a point the shared schema refuses, and stores nothing of it', () => {
    const before0 = b.store.points.get('ST16-2')!;
    const seq = b.store.seq;
    assert.throws(
      () =>
        b.store.points.setReported(
          'ST16',
          2,
          { status: 'Faulted', errorCode: 'E'.repeat(101), info: null, at: new Date().toISOString() },
          'station:ST16',
        ),
      (err: Error) => err instanceof InvalidPointError && /reported\.errorCode/.test(err.message),
    );
    assert.throws(
      () =>
        b.store.points.setReported(
          'ST16',
          2,
          { status: 'Faulted', errorCode: null, info: null, at: '+275760-09-13T00:00:00.000Z' },
          'station:ST16',
        ),
      InvalidPointError,
    );
    assert.throws(
      () => b.store.points.insert({ id: 'ST16-0', stationId: 'ST16', evseId: 0, label: 'x', connectors: [] }),
      InvalidPointError,
    );
    assert.throws(
      () =>
        b.store.points.setDelivery([
          {
            pointId: 'ST16-2',
            opVersion: before0.operator.version,
            state: 'rejected',
            detail: 'x'.repeat(501),
            actor: 'system',
          },
        ]),
      InvalidPointError,
    );
    assert.deepEqual(b.store.points.get('ST16-2'), before0);
    assert.equal(b.store.seq, seq);
    assert.equal(b.store.points.get('ST16-0'), null);
  });
});

describe('consoles cannot be frozen by data', () => {
  let b: TestBackend;
  before(async () => {
    b = await startTestBackend({ coalesceMs: 10 });
  });
  after(async () => {
    await b.dispose();
  });

  it(
    'a poisoned record in the backend’s broadcast and snapshot is skipped and reported; every other point keeps updating',
    { timeout: 60_000 },
    async () => {
      const live = openConsole(b.url, { username: 'operator', password: 'operator-pass-1' });
      await waitLive(live);
      const engine = live.core.engineState()!;
      // A bad row written straight into the backend's store (as the unchecked write path once did), taking a seq so
      // it goes out with the next batch and in every snapshot.
      b.store.changes.write('poison', () => {
        b.store.db
          .prepare('test', 'UPDATE points SET evse_id = -1, seq = ? WHERE id = ?')
          .run(b.store.changes.next(), 'ST16-1');
      });
      const st = await connectStation(b.ocppUrl, 'ST201', 'ocpp2.0.1');
      await st.status(1, 'Faulted');
      await waitFor(
        'the console to apply the report after the poisoned record',
        () => live.core.cache.point('ST201-1')?.reported.status === 'Faulted',
        10_000,
      );
      assert.ok(engine.invalidPoints.has('ST16-1'), 'the poisoned point is flagged as invalid data');
      assert.match(engine.invalidPoints.get('ST16-1')!, /evseId/);
      // The page hears it, and can ask for it (the "invalid data" notice).
      assert.deepEqual(
        (await live.core.getInvalidData()).points.map((p) => p.pointId),
        ['ST16-1'],
      );
      assert.ok(
        live.events.some(
          (e) =>
            e.name === 'invalidData' &&
            (e.payload as { points: { pointId: string }[] }).points.some((p) => p.pointId === 'ST16-1'),
        ),
      );
      assert.equal(live.core.connection().state, 'live');
      // A console starting now gets the poisoned record in its snapshot: it shows everything else.
      const fresh = openConsole(b.url, { username: 'viewer', password: 'viewer-pass-1' });
      await waitLive(fresh);
      const freshPoints = fresh.core
        .getNetwork()
        .points.map((p) => p.id)
        .sort();
      assert.deepEqual(freshPoints, ['ST16-2', 'ST201-1', 'ST201-2']);
      assert.ok(fresh.core.engineState()!.invalidPoints.has('ST16-1'));
      await st.status(2, 'Occupied', { connectorId: 2 });
      await waitFor('both consoles to keep applying', () =>
        [live, fresh].every((c) => c.core.cache.point('ST201-2')?.reported.status === 'Occupied'),
      );
      // Once the point is valid again (the bad row repaired), the flag goes with its next good record.
      b.store.changes.write('repair', () => {
        b.store.db.prepare('test', 'UPDATE points SET evse_id = 1 WHERE id = ?').run('ST16-1');
      });
      const st16 = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
      await st16.status(1, 'Charging');
      await waitFor(
        'the repaired point back on the console',
        () => live.core.cache.point('ST16-1')?.reported.status === 'Occupied',
      );
      assert.equal(engine.invalidPoints.has('ST16-1'), false);
      await Promise.all([st.close(), st16.close(), live.close(), fresh.close()]);
    },
  );
});

describe('stations: who may connect (OCPP security profile 1)', () => {
  let b: TestBackend;
  before(async () => {
    b = await startTestBackend({ network: smallNetwork(1, 2) });
  });
  after(async () => {
    await b.dispose();
  });

  it('a station with a password is refused without it (401) and with a wrong one (401), let in with it; no password in the log', async () => {
    await assert.rejects(connectStation(b.ocppUrl, 'ST16', 'ocpp1.6', { password: null }), /Unauthorized/);
    await assert.rejects(
      connectStation(b.ocppUrl, 'ST16', 'ocpp1.6', { password: 'wrong-password-123456' }),
      /Unauthorized/,
    );
    await assert.rejects(openRaw(`${b.ocppUrl}/ST16`, 'ocpp1.6', stationAuthHeader('ST201')), /HTTP 401/);
    const st = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
    await st.boot();
    assert.ok(b.store.points.get('ST16-1')?.stationConnected);
    const logs = b.logs.join('\n');
    assert.match(logs, /station ST16 failed to authenticate/);
    assert.ok(
      !logs.includes(stationPassword('ST16')) && !logs.includes('wrong-password-123456'),
      'no password in the log',
    );
    assert.ok(!JSON.stringify(b.store.stations.get('ST16')).includes(stationPassword('ST16')), 'only a hash is stored');
    await st.close();
  });

  it('a second connection without the password cannot take over a connected station: it keeps its connection and its commands', async () => {
    const real = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
    await real.boot();
    await assert.rejects(connectStation(b.ocppUrl, 'ST16', 'ocpp1.6', { password: null }), /Unauthorized/);
    await assert.rejects(
      connectStation(b.ocppUrl, 'ST16', 'ocpp1.6', { password: 'guessed-password-0000' }),
      /Unauthorized/,
    );
    const c = await consoleAs(b.url, 'operator');
    const p = b.store.points.get('ST16-2')!;
    const r = await c.request('mutate', {
      mutations: [
        setStatus([{ pointId: p.id, baseVersion: p.operator.version }], { status: 'OutOfService', reason: 'test' }),
      ],
    });
    assert.ok(r.ok);
    await waitFor('the real station to get the command', () =>
      real.received.some((m) => m.connectorId === 2 && m.type === 'Inoperative'),
    );
    c.close();
    await real.close();
  });

  it('a connection that authenticates replaces the connected one, with an audit entry and a log line', async () => {
    const first = await connectStation(b.ocppUrl, 'ST201', 'ocpp2.0.1');
    await first.boot();
    const closed = new Promise<void>((resolve) => first.client.once('close', () => resolve()));
    const second = await connectStation(b.ocppUrl, 'ST201', 'ocpp2.0.1');
    await closed;
    await second.boot();
    const history = b.store.audit.history('ST201-1', 10);
    const replaced = history.find(
      (e) => e.fact === 'connection' && /replaced by a new authenticated connection/.test(e.reason ?? ''),
    );
    assert.ok(replaced, JSON.stringify(history));
    assert.equal(replaced.actor, 'station:ST201');
    assert.ok(b.logs.some((l) => /ST201: a new authenticated connection from .* replaced the connected one/.test(l)));
    assert.ok(b.store.points.get('ST201-1')?.stationConnected);
    await second.close();
  });

  it('a station with no password is refused (401) unless unauthenticated stations are allowed; then it may never replace a live connection (409)', async () => {
    await assert.rejects(connectStation(b.ocppUrl, 'BULK0', 'ocpp1.6', { password: null }), /Unauthorized/);
    assert.ok(b.logs.some((l) => /refused station BULK0: it has no password/.test(l)));
    const open = await startTestBackend({ network: smallNetwork(1, 2), allowUnauthenticatedStations: true });
    try {
      assert.ok(open.logs.some((l) => /WARNING stations without a password may connect unauthenticated/.test(l)));
      const first = await connectStation(open.ocppUrl, 'BULK0', 'ocpp1.6', { password: null });
      await first.boot();
      await assert.rejects(connectStation(open.ocppUrl, 'BULK0', 'ocpp1.6', { password: null }), /Conflict/);
      assert.equal(first.client.state, 1, 'the first connection is still open');
      // A station that has a password still needs it there.
      await assert.rejects(connectStation(open.ocppUrl, 'ST16', 'ocpp1.6', { password: null }), /Unauthorized/);
      await first.close();
    } finally {
      await open.dispose();
    }
  });

  it(
    '`station password` sets a new password (printed once, stored hashed): the station needs it from its next connection',
    { timeout: 60_000 },
    async () => {
      const cli = (args: string[], input?: string) =>
        new Promise<{ code: number; out: string; err: string }>((resolve) => {
          const child = spawn(
            process.execPath,
            ['--import', 'tsx', 'backend/cli.ts', 'station', ...args, ...storeArgsFor(b.dataDir)],
            { cwd: ROOT },
          );
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.stdin.end(input ?? '');
          child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
        });
      const made = await cli(['password', 'BULK0']);
      assert.equal(made.code, 0, made.err);
      const password = made.out.trim().split('\n').at(-1)!;
      assert.match(password, /^[A-Za-z0-9_-]{32}$/);
      const st = await connectStation(b.ocppUrl, 'BULK0', 'ocpp1.6', { password });
      await st.close();
      const given = await cli(['password', 'BULK0', '--password-stdin'], 'a-chosen-password-of-26ch\n');
      assert.equal(given.code, 0, given.err);
      await assert.rejects(connectStation(b.ocppUrl, 'BULK0', 'ocpp1.6', { password }), /Unauthorized/);
      (await connectStation(b.ocppUrl, 'BULK0', 'ocpp1.6', { password: 'a-chosen-password-of-26ch' })).close();
      const short = await cli(['password', 'BULK0', '--password-stdin'], 'short\n');
      assert.equal(short.code, 1);
      assert.match(short.err, /at least 16 characters/);
      const argv = await cli(['password', 'BULK0', '--password=abc']);
      assert.equal(argv.code, 2);
      const list = await cli(['list']);
      assert.match(list.out, /BULK0\s+S1\s+ocpp1\.6\s+registered\s+2\s+set /);
      assert.ok(!list.out.includes('a-chosen-password'));
    },
  );
});

describe('stations over TLS with a password (OCPP security profile 2)', () => {
  const skip = NO_OPENSSL;
  let b: TestBackend;
  let cert = '';
  before(async () => {
    if (!OPENSSL) return;
    const made = makeTestCertificate(tempDir('stations-tls').path);
    cert = made.cert;
    b = await startTestBackend({ tls: { cert, key: made.key } });
  });
  after(async () => {
    await b?.dispose();
  });

  it(
    'a station connects over wss with its password; without it, or without trusting the certificate, it does not',
    { skip },
    async () => {
      assert.match(b.ocppUrl, /^wss:/);
      const connect = (password: string | undefined, ca: string | undefined) => {
        const client = new RPCClient({
          endpoint: b.ocppUrl,
          identity: 'ST16',
          protocols: ['ocpp1.6'],
          reconnect: false,
          password,
          wsOpts: { ca },
        } as never);
        return client.connect().then(() => client);
      };
      const ok = await connect(stationPassword('ST16'), cert);
      assert.equal(
        ((await ok.call('BootNotification', { chargePointVendor: 'T', chargePointModel: 'M' })) as { status: string })
          .status,
        'Accepted',
      );
      await ok.close({ force: true });
      await assert.rejects(connect(undefined, cert), /Unauthorized|401/);
      await assert.rejects(connect(stationPassword('ST16'), undefined), /self.signed|certificate/i);
    },
  );
});

describe('stations: message rate, bytes and nesting, before parsing', () => {
  let b: TestBackend;
  before(async () => {
    b = await startTestBackend({
      stationLimits: {
        burst: 20,
        perSecond: 10,
        bytesBurst: 600 * 1024,
        bytesPerSecond: 64 * 1024,
        closeAfterRefused: 60,
      },
    });
  });
  after(async () => {
    await b.dispose();
  });

  it('a flood from one station gets CALLERRORs beyond its rate while another station is served; a flood that goes on is closed (1008)', async () => {
    const flood = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6', { callConcurrency: 100 });
    const other = await connectStation(b.ocppUrl, 'ST201', 'ocpp2.0.1');
    const results = await Promise.all(Array.from({ length: 50 }, () => callError(flood.client.call('Heartbeat', {}))));
    const refused = results.filter((r) => r !== null);
    assert.ok(results.filter((r) => r === null).length >= 20, 'the burst is answered');
    assert.ok(refused.length >= 25, `refused ${refused.length}`);
    assert.ok(refused.every((r) => r!.code === 'GenericError' && /rate limit/.test(r!.message)));
    assert.ok((await other.client.call('Heartbeat', {})) !== null, 'another station is served');
    const closed = new Promise<number>((resolve) =>
      flood.client.once('close', (e: { code: number }) => resolve(e.code)),
    );
    await Promise.all(Array.from({ length: 60 }, () => callError(flood.client.call('Heartbeat', {}))));
    assert.equal(await closed, 1008);
    assert.ok(b.logs.some((l) => /ST16: refused a message \(rate limit/.test(l)));
    await other.close();
  });

  it('a frame nested deeper than 32 levels is refused before it is parsed; the connection goes on', async () => {
    // Message buckets are per connection (stationLimits.ts): this new one starts full whatever the flood test left.
    const ws = await openRaw(`${b.ocppUrl}/ST16`, 'ocpp1.6', stationAuthHeader('ST16'));
    const deep = `[2,"deep","DataTransfer",{"vendorId":"v","data":${'['.repeat(40)}${']'.repeat(40)}}]`;
    const answer = await rawCall(ws, deep, 'deep');
    assert.equal(answer[0], 4);
    assert.equal(answer[2], 'FormationViolation');
    assert.match(String(answer[3]), /nested deeper than 32/);
    // 31 levels of brackets inside a string are just text.
    const inString = `[2,"str","DataTransfer",{"vendorId":"v","data":"${'['.repeat(100)}"}]`;
    assert.equal((await rawCall(ws, inString, 'str'))[0], 3);
    assert.equal((await rawCall(ws, '[2,"hb","Heartbeat",{}]', 'hb'))[0], 3);
    ws.terminate();
  });

  it('bytes beyond a station’s byte rate are refused (the frame size is capped by the WebSocket: 1009)', async () => {
    const ws = await openRaw(`${b.ocppUrl}/ST201`, 'ocpp2.0.1', stationAuthHeader('ST201'));
    const big = (id: string) => `[2,"${id}","DataTransfer",{"vendorId":"v","data":"${'x'.repeat(200 * 1024)}"}]`;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await rawCall(ws, big(`b${i}`), `b${i}`));
    assert.deepEqual(
      answers.map((a) => a[0]),
      [3, 3, 3, 4],
    );
    assert.match(String(answers[3][3]), /bytes a second/);
    ws.terminate();
  });
});
