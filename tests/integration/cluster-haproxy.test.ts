// The load-balancer setup of docs/cluster.md, run as written: three instances on one PostgreSQL behind Debian's
// HAProxy. A console and a station reach the instances only through the proxy; the instance holding the station is
// killed (SIGKILL); the station reconnects through the proxy to another instance and is told its status again; the
// console, reconnected through the proxy, catches up by seq.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MutateReply, SyncReply } from '../../common/protocol.js';
import {
  connectConsole,
  connectStation,
  seedStore,
  setStatus,
  smallNetwork,
  tokenFor,
  type TestConsole,
  type TestStation,
} from '../support/backendHarness.js';
import { startBackendProcess, type BackendProcess } from '../support/backendProcess.js';
import { freePort } from '../support/freePort.js';
import { hasCommand } from '../support/hasCommand.js';
import { tempDir } from '../support/tempDir.js';
import { disposeStoreOf, onPostgres, storeLocationFor } from '../support/testStore.js';
import { waitFor } from '../support/waitFor.js';

const skip = !onPostgres
  ? 'needs PostgreSQL: runs in the step "node (backend on PostgreSQL)"'
  : !hasCommand('haproxy', '-v')
    ? 'needs HAProxy (Debian: apt-get install haproxy)'
    : false;

/** docs/cluster.md's HAProxy configuration, on loopback ports. */
function haproxyConfig(port: number, instances: number[]): string {
  return [
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    '  timeout client 120s',
    '  timeout server 120s',
    '  timeout tunnel 1h',
    'frontend voltboard',
    `  bind 127.0.0.1:${port}`,
    '  default_backend instances',
    'backend instances',
    '  balance leastconn',
    '  option httpchk GET /healthz',
    '  option forwardfor',
    ...instances.map((p, i) => `  server i${i} 127.0.0.1:${p} check inter 1s fall 2 rise 2`),
    '',
  ].join('\n');
}

describe('cluster: three instances behind HAProxy', { skip }, () => {
  const tmp = tempDir('cluster-haproxy');
  const instances: BackendProcess[] = [];
  let proxy: ChildProcess;
  let proxyUrl = '';
  let consoleConn: TestConsole | null = null;
  let station: TestStation | null = null;

  before(async () => {
    await seedStore(tmp.path, smallNetwork());
    const location = storeLocationFor(tmp.path);
    const url = 'postgresUrl' in location ? location.postgresUrl : '';
    const ports = [await freePort(), await freePort(), await freePort()];
    for (const port of ports) {
      instances.push(
        await startBackendProcess(['--store', url, '--port', String(port), '--trusted-proxy', '127.0.0.1']),
      );
    }
    const proxyPort = await freePort();
    const config = path.join(tmp.path, 'haproxy.cfg');
    writeFileSync(config, haproxyConfig(proxyPort, ports));
    proxy = spawn('haproxy', ['-db', '-f', config], { stdio: 'ignore' });
    proxyUrl = `http://127.0.0.1:${proxyPort}`;
    await waitFor(
      'HAProxy answering',
      async () => (await fetch(`${proxyUrl}/healthz`).catch(() => null))?.status === 200,
      15_000,
      100,
    );
  });
  after(async () => {
    consoleConn?.close();
    await station?.close().catch(() => undefined);
    proxy?.kill('SIGKILL');
    for (const p of instances) await p.kill();
    disposeStoreOf(tmp.path);
    tmp.remove();
  });

  it('a station and a console through the proxy survive the death of the instance holding the station', async () => {
    const ocppUrl = `${proxyUrl.replace(/^http/, 'ws')}/ocpp`;
    consoleConn = await connectConsole(proxyUrl, await tokenFor(proxyUrl, 'operator'));
    station = await connectStation(ocppUrl, 'ST16', 'ocpp1.6');
    await station.boot();
    await station.status(1, 'Available');
    const holder = instances.findIndex((p) => p.output().includes('station ST16 connected'));
    assert.ok(holder >= 0, 'one instance holds the station');

    const r = await consoleConn.request<MutateReply>('mutate', {
      mutations: [setStatus([{ pointId: 'ST16-1', baseVersion: 0 }], { status: 'OutOfService', reason: 'via proxy' })],
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.data.outcomes[0].result, 'applied');
    await waitFor('the station told through the proxy', () => station!.received.length === 1);

    await instances[holder].kill();
    await waitFor('the station sees its connection end', () => station!.client.state !== 1, 10_000);
    consoleConn.close();
    // As a station's own retry loop would: connect again through the proxy until an instance answers.
    let again: TestStation | null = null;
    await waitFor(
      'the station connected again through the proxy',
      async () => {
        again = await connectStation(ocppUrl, 'ST16', 'ocpp1.6').catch(() => null);
        return again !== null;
      },
      20_000,
      200,
    );
    station = again!;
    await station.boot();
    await waitFor('the status told again by another instance', () => station!.received.length === 1, 15_000);
    assert.deepEqual(station.received, [{ connectorId: 1, type: 'Inoperative' }]);
    const newHolder = instances.findIndex((p, i) => i !== holder && p.output().includes('station ST16 connected'));
    assert.ok(newHolder >= 0 && newHolder !== holder);

    // Until HAProxy's checks mark the dead instance down, a request sent to it is answered 502/503: sign in again.
    let token = '';
    await waitFor(
      'a sign-in through the proxy',
      async () => (token = await tokenFor(proxyUrl, 'operator').catch(() => '')) !== '',
      15_000,
      200,
    );
    consoleConn = await connectConsole(proxyUrl, token);
    const sync = await consoleConn.request<SyncReply>('sync', { networkId: null, sinceSeq: null });
    assert.ok(sync.ok, JSON.stringify(sync));
    const point = sync.data.points.find((p) => p.id === 'ST16-1');
    assert.equal(point?.operator.status, 'OutOfService');
    assert.equal(point?.stationConnected, true);
  });
});
