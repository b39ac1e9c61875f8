// Size limits on every door, and OCPP strict mode on both protocols: an oversized message costs only its own
// connection, the server keeps answering, and nothing changes.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { MAX_CONSOLE_MESSAGE_BYTES } from '../../common/protocol.js';
import { RPCClient } from 'ocpp-rpc';
import {
  consoleAs,
  startTestBackend,
  stationAuthHeader,
  stationPassword,
  type TestBackend,
} from '../support/backendHarness.js';
import { MAX_OCPP_MESSAGE_BYTES } from '../../backend/ocpp/gateway.js';
import { startWebHost } from '../../electron/host/webHost.js';
import { openConsole, waitLive } from '../support/consoles.js';
import { openHostSession } from '../support/hostSession.js';
import { tempDir } from '../support/tempDir.js';

function openWs(url: string, protocols: string[] = [], headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}
async function looseStation(ocppUrl: string, id: string, protocol: string) {
  const client = new RPCClient({
    endpoint: ocppUrl,
    identity: id,
    protocols: [protocol],
    strictMode: false,
    reconnect: false,
    password: stationPassword(id),
  } as ConstructorParameters<typeof RPCClient>[0]);
  client.handle(async () => ({ status: 'Accepted' }));
  await client.connect();
  return { client, close: () => client.close({ force: true }) };
}
const closeCode = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

describe('security: limits and strict mode', () => {
  let b: TestBackend;
  before(async () => {
    b = await startTestBackend();
  });
  after(async () => {
    await b.dispose();
  });

  it('a console message over the size limit closes that connection only; the backend keeps answering', async () => {
    const c = await consoleAs(b.url, 'admin');
    const seq = b.store.seq;
    const gone = new Promise<string>((resolve) => c.socket.once('disconnect', (reason) => resolve(reason)));
    c.socket.emit('mutate', { mutations: [{ id: 'x'.repeat(MAX_CONSOLE_MESSAGE_BYTES + 1024) }] });
    assert.equal(await gone, 'transport close');
    c.close();
    const again = await consoleAs(b.url, 'viewer');
    assert.ok((await again.request('sync', { networkId: null, sinceSeq: null })).ok);
    again.close();
    assert.equal(b.store.seq, seq);
  });

  it('a sign-in body over 64 KiB gets 413 tooLarge', async () => {
    const res = await fetch(b.url + '/api/login', {
      method: 'POST',
      body: JSON.stringify({ username: 'a', password: 'b'.repeat(70_000) }),
    });
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'tooLarge');
  });

  it('an OCPP frame over the limit closes the station connection with 1009', async () => {
    const ws = await openWs(`${b.ocppUrl}/ST16`, ['ocpp1.6'], stationAuthHeader('ST16'));
    const closed = closeCode(ws);
    ws.send(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'v', data: 'x'.repeat(MAX_OCPP_MESSAGE_BYTES) }]));
    assert.equal(await closed, 1009);
    assert.equal((await fetch(b.url + '/healthz')).status, 200);
  });

  it('OCPP strict mode on 1.6 and 2.0.1: schema-invalid calls get a CALLERROR and change nothing', async () => {
    // The stations' own strict mode is off: they must be able to send what the backend's strict mode refuses.
    const s16 = await looseStation(b.ocppUrl, 'ST16', 'ocpp1.6');
    const s201 = await looseStation(b.ocppUrl, 'ST201', 'ocpp2.0.1');
    try {
      // A barrier instead of a pause: each station's call is answered after its connection was written down.
      await s16.client.call('Heartbeat', {});
      await s201.client.call('Heartbeat', {});
      await new Promise((r) => setImmediate(r));
      const seq = b.store.seq;
      const reported = b.store.points.get('ST16-1')!.reported;
      await assert.rejects(
        s16.client.call('StatusNotification', { connectorId: 1, status: 'Exploded', errorCode: 'NoError' }),
        (e: { rpcErrorCode?: string }) => /Violation/.test(e.rpcErrorCode ?? ''),
      );
      await assert.rejects(
        s16.client.call('StatusNotification', { connectorId: 'one', status: 'Available', errorCode: 'NoError' }),
        (e: { rpcErrorCode?: string }) => /Violation/.test(e.rpcErrorCode ?? ''),
      );
      await assert.rejects(
        s201.client.call('StatusNotification', {
          timestamp: 'yesterday',
          connectorStatus: 'Available',
          evseId: 1,
          connectorId: 1,
        }),
        (e: { rpcErrorCode?: string }) => /Violation/.test(e.rpcErrorCode ?? ''),
      );
      await assert.rejects(
        s201.client.call('StatusNotification', {
          timestamp: new Date().toISOString(),
          connectorStatus: 'Faulted',
          evseId: 1,
        }),
        (e: { rpcErrorCode?: string }) => /Violation/.test(e.rpcErrorCode ?? ''),
      );
      assert.equal(b.store.seq, seq);
      assert.deepEqual(b.store.points.get('ST16-1')!.reported, reported);
    } finally {
      await s16.close();
      await s201.close();
    }
  });

  it('an unknown station is refused at the handshake', async () => {
    await assert.rejects(openWs(`${b.ocppUrl}/NOT-A-STATION`, ['ocpp1.6']), /404/);
    await assert.rejects(openWs(`${b.ocppUrl}/ST16`, ['ocpp9']), /400/);
  });

  it('the web host closes an API message over its limit (1009) and refuses foreign origins on plain requests', async () => {
    const core = openConsole(b.url, { username: 'viewer', password: 'viewer-pass-1' });
    const rendererDir = tempDir('limits-renderer').path;
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Voltboard</title>');
    await waitLive(core);
    const host = await startWebHost({ core: core.core, rendererDir, port: 0 });
    try {
      const { cookie, origin, protocols } = await openHostSession(host);
      const ws = await openWs(`ws://127.0.0.1:${host.port}/api`, protocols, { origin, cookie });
      const closed = closeCode(ws);
      ws.send('x'.repeat(5 * 1024 * 1024));
      assert.equal(await closed, 1009);
      const foreign = await fetch(`http://127.0.0.1:${host.port}/`, {
        headers: { cookie, origin: 'https://evil.example' },
      });
      assert.equal(foreign.status, 403);
      const own = await fetch(`http://127.0.0.1:${host.port}/`, { headers: { cookie, origin } });
      assert.equal(own.status, 200);
      const noSecret = await fetch(`http://127.0.0.1:${host.port}/`, { headers: { origin } });
      assert.equal(noSecret.status, 403);
    } finally {
      await host.stop();
      await core.close();
    }
  });
});
