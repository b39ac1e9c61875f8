// Fuzzing the station door (issue 15): station reports with random and out-of-range ids, oversized and deeply nested
// OCPP frames, and many station connections that never finish their upgrade, each against a real backend while a
// real console keeps asking for a point's history: the backend must stay responsive (round trip p95 under
// RESPONSIVE_MS) and store nothing a console could not show. fast-check with a fixed seed; FUZZ_SEED=n to vary.
import assert from 'node:assert/strict';
import { connect as tcpConnect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import WebSocket from 'ws';
import { pointSchema } from '../../common/model.js';
import { syncReplySchema } from '../../common/protocol.js';
import {
  connectStation,
  consoleAs,
  startTestBackend,
  stationAuthHeader,
  type TestBackend,
  type TestConsole,
  type TestStation,
} from '../support/backendHarness.js';
import { MAX_LEARNED_CONNECTOR_ID, MAX_LEARNED_EVSE_ID } from '../../backend/ocpp/layout.js';
import { MAX_OCPP_MESSAGE_BYTES } from '../../backend/ocpp/gateway.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
/** A console's history round trip while an attack runs: p95 at most this. */
const RESPONSIVE_MS = 500;

/** Asks for a point's history every 25 ms until stopped; returns every round trip's time. */
function probe(c: TestConsole): { stop(): Promise<number[]> } {
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      const r = await c.request('history', { pointId: 'ST16-1', limit: 5 }, 10_000);
      assert.ok(r.ok, 'history answered');
      times.push(performance.now() - t);
      // Paces the probe (it measures, it does not wait for a result): the attack runs in real time.
      await new Promise((res) => setTimeout(res, 25));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return times;
    },
  };
}

function p95(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
}

function assertResponsive(times: number[], what: string): void {
  assert.ok(times.length >= 3, `${what}: the console asked ${times.length} times`);
  const p = p95(times);
  process.stderr.write(
    `  ${what}: ${times.length} history round trips, p95 ${p.toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms\n`,
  );
  assert.ok(p <= RESPONSIVE_MS, `${what}: history round trip p95 ${p.toFixed(0)} ms > ${RESPONSIVE_MS} ms`);
}

function openRaw(url: string, protocol: string, headers: Record<string, string>): Promise<WebSocket> {
  const ws = new WebSocket(url, [protocol], { headers, maxPayload: 1 << 20 });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('security: fuzzing the station door', () => {
  let b: TestBackend;
  let c: TestConsole;
  before(async () => {
    b = await startTestBackend({
      acceptUnknownStations: true,
      // Every fuzzed report must reach the layout check: the rate limits are tested in security-stations.
      stationLimits: { burst: 1e9, perSecond: 1e9, bytesBurst: 1e12, bytesPerSecond: 1e12, closeAfterRefused: 1e9 },
    });
    c = await consoleAs(b.url, 'viewer');
  });
  after(async () => {
    c?.close();
    await b?.dispose();
  });

  it(
    'station reports with random and out-of-range ids: accepted only within the layout, refused alone otherwise; every stored point valid',
    { timeout: 120_000 },
    async () => {
      const stations: Record<string, TestStation> = {
        ST16: await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6'),
        ST201: await connectStation(b.ocppUrl, 'ST201', 'ocpp2.0.1'),
        'FUZZ-16': await connectStation(b.ocppUrl, 'FUZZ-16', 'ocpp1.6'),
        'FUZZ-201': await connectStation(b.ocppUrl, 'FUZZ-201', 'ocpp2.0.1'),
      };
      const layout: Record<string, Record<number, number[]>> = {
        ST16: { 1: [1], 2: [1] },
        ST201: { 1: [1], 2: [1, 2] },
      };
      const id = fc.oneof(
        fc.integer({ min: -3, max: 40 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.constantFrom(0, -1, 33, 2 ** 31 - 1, -(2 ** 31), Number.MAX_SAFE_INTEGER),
      );
      const report = fc.record({
        station: fc.constantFrom(...Object.keys(stations)),
        evse: id,
        connector: id,
        status: fc.constantFrom('Available', 'Faulted', 'Unavailable'),
      });
      const watch = probe(c);
      let accepted = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(report, async ({ station, evse, connector, status }) => {
          const st = stations[station];
          const v16 = station.endsWith('16');
          const params = v16
            ? { connectorId: evse, status: status === 'Unavailable' ? 'Unavailable' : status, errorCode: 'NoError' }
            : { timestamp: new Date().toISOString(), evseId: evse, connectorId: connector, connectorStatus: status };
          let error: { rpcErrorCode?: string } | null = null;
          try {
            await st.client.call('StatusNotification', params);
          } catch (err) {
            error = err as { rpcErrorCode?: string };
          }
          const known = layout[station];
          const ok =
            (evse === 0 && (v16 || connector >= 0)) ||
            (evse > 0 &&
              (known
                ? !!known[evse] && (v16 || known[evse].includes(connector))
                : evse <= MAX_LEARNED_EVSE_ID && (v16 || (connector >= 1 && connector <= MAX_LEARNED_CONNECTOR_ID))));
          if (ok) {
            assert.equal(error, null, `${station} evse ${evse} connector ${connector} should be accepted`);
            accepted++;
          } else {
            assert.ok(error, `${station} evse ${evse} connector ${connector} should be refused`);
            // Out of the schema's integer range, strict mode answers first; everything else is our layout check.
            assert.match(
              error.rpcErrorCode ?? '',
              /^(PropertyConstraintViolation|TypeConstraintViolation|FormatViolation|FormationViolation)$/,
            );
            refused++;
          }
        }),
        { seed: SEED, numRuns: 600 },
      );
      assertResponsive(await watch.stop(), 'random station reports');
      assert.ok(accepted > 20 && refused > 100, `accepted ${accepted}, refused ${refused}`);
      const points = b.store.points.all();
      for (const p of points) assert.ok(pointSchema.safeParse(p).success, `stored point ${p.id} is valid`);
      assert.ok(b.store.points.byStation('FUZZ-16').length <= MAX_LEARNED_EVSE_ID);
      assert.equal(b.store.points.byStation('ST16').length, 2);
      assert.equal(b.store.points.byStation('ST201').length, 2);
      const reply = await c.request('sync', { networkId: null, sinceSeq: null });
      assert.ok(reply.ok && syncReplySchema.safeParse(reply.data).success, 'a snapshot still passes the shared schema');
      await Promise.all(Object.values(stations).map((s) => s.close()));
    },
  );

  it(
    'oversized frames close their connection (1009) and nested frames are refused unparsed; the backend stays responsive',
    { timeout: 120_000 },
    async () => {
      const watch = probe(c);
      // 20 stations each send one frame over the size limit.
      const codes = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const id = `BIG-${i}`;
          const ws = await openRaw(`${b.ocppUrl}/${id}`, 'ocpp1.6', stationAuthHeader(id));
          const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
          ws.send(`[2,"big","DataTransfer",{"vendorId":"v","data":"${'x'.repeat(MAX_OCPP_MESSAGE_BYTES)}"}]`);
          return closed;
        }),
      );
      assert.deepEqual(new Set(codes), new Set([1009]));
      // One station sends 60 nested frames of up to 256 KiB (the worst case the parser would see), each answered at once.
      const ws = await openRaw(`${b.ocppUrl}/ST16`, 'ocpp1.6', stationAuthHeader('ST16'));
      const nested = fc.sample(fc.integer({ min: 33, max: MAX_OCPP_MESSAGE_BYTES / 2 - 64 }), {
        seed: SEED,
        numRuns: 60,
      });
      for (const [i, depth] of nested.entries()) {
        const frame = `[2,"n${i}","DataTransfer",{"vendorId":"v","data":${'['.repeat(depth)}${']'.repeat(depth)}}]`;
        const answer = await new Promise<unknown[]>((resolve) => {
          ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()) as unknown[]));
          ws.send(frame);
        });
        assert.deepEqual(answer.slice(0, 3), [4, `n${i}`, 'FormationViolation']);
      }
      const hb = await new Promise<unknown[]>((resolve) => {
        ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()) as unknown[]));
        ws.send('[2,"hb","Heartbeat",{}]');
      });
      assert.equal(hb[0], 3, 'the station is still served');
      ws.terminate();
      assertResponsive(await watch.stop(), 'oversized and nested frames');
    },
  );

  it(
    'many station connections that never finish their upgrade (half-sent requests, wrong passwords never read) leave the backend responsive',
    { timeout: 120_000 },
    async () => {
      const watch = probe(c);
      const sockets: Socket[] = [];
      const { port } = new URL(b.url);
      const open = (text: string) =>
        new Promise<void>((resolve) => {
          const s = tcpConnect(Number(port), '127.0.0.1', () => {
            s.write(text);
            resolve();
          });
          s.on('error', () => resolve());
          s.pause(); // never reads what the backend answers
          sockets.push(s);
        });
      const head = (id: string) =>
        `GET /ocpp/${id} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${Buffer.from('0123456789abcdef').toString('base64')}\r\nSec-WebSocket-Protocol: ocpp1.6\r\n`;
      for (let i = 0; i < 300; i += 50) {
        // Half-sent upgrade requests (the head never ends) …
        await Promise.all(Array.from({ length: 50 }, () => open(head('ST16'))));
        // … and whole ones with a wrong password (each costs the backend a password hash), never read.
        await Promise.all(
          Array.from({ length: 50 }, (_, k) =>
            open(
              `${head('ST16')}Authorization: ${stationAuthHeader('ST16', `wrong-password-${i + k}-xxxxx`).authorization}\r\n\r\n`,
            ),
          ),
        );
      }
      // The real station still gets in and is served.
      const t = performance.now();
      const st = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
      await st.boot();
      const connectMs = performance.now() - t;
      process.stderr.write(
        `  the real station connected and booted in ${connectMs.toFixed(0)} ms among ${sockets.length} stalled upgrades\n`,
      );
      assert.ok(connectMs < 5000, `the real station took ${connectMs.toFixed(0)} ms`);
      assertResponsive(await watch.stop(), `${sockets.length} unfinished station upgrades`);
      assert.equal((await fetch(`${b.url}/healthz`)).status, 200);
      for (const s of sockets) s.destroy();
      await st.close();
    },
  );
});
