// 1,000 points faulting within one second: how long, after the hold-off, until every alert is raised and on a
// console, and how fast the signed webhooks go out. Real backend (rules on a ManualClock moved past the hold-off),
// real OCPP-J stations reporting the faults, a real socket.io console, a real HTTP receiver.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RPCClient } from 'ocpp-rpc';
import type { Alerts } from '../common/alerts.js';
import { ManualClock } from '../common/clock.js';
import { CONSOLE_EVENTS } from '../common/protocol.js';
import { Auth } from '../backend/auth.js';
import { hashStationPassword } from '../backend/ocpp/stationAuth.js';
import { seedNetwork } from '../backend/seed.js';
import { startBackend } from '../backend/server.js';
import { connectConsole, login } from '../tests/support/backendHarness.js';
import { tempDir } from '../tests/support/tempDir.js';
import { BENCH_USER } from './backendWithNetwork.js';
import { figure, type Figure } from './figures.js';
import { generateLargeNetwork } from '../tests/support/largeNetwork.js';

const FAULTS = 1000;
/** Every alert raised and on a console within this after the hold-off passed. */
const RAISED_TARGET_MS = 2000;
/** Webhook events delivered per second to one receiver, at least. */
const WEBHOOKS_PER_S_TARGET = 200;
const PASSWORD = 'bench-station-password-1';

export async function alertsBench(): Promise<Figure[]> {
  const clock = new ManualClock(Date.now());
  const dir = tempDir('bench-alerts');
  const network = generateLargeNetwork({ sites: 100, points: FAULTS + 200, seed: 9 });
  const backend = await startBackend({ port: 0, dataDir: dir.path, users: [BENCH_USER], clock, liveness: { pingIntervalMs: 3600_000 }, log: () => undefined });
  await seedNetwork(backend.store, new Auth(backend.store.users), { ...network, users: [] });
  const credential = await hashStationPassword(PASSWORD);
  backend.store.db.tx('bench station passwords', () => {
    for (const s of network.stations) backend.store.stations.setPassword(s.id, credential);
  });
  let delivered = 0;
  let firstAt = 0;
  let lastAt = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      lastAt = performance.now();
      if (delivered++ === 0) firstAt = lastAt;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  backend.store.webhooks.add(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, null, new Date(clock.now()).toISOString());
  const stations: InstanceType<typeof RPCClient>[] = [];
  try {
    for (const s of network.stations) {
      const client = new RPCClient({ endpoint: backend.ocppUrl, identity: s.id, password: PASSWORD, protocols: [s.protocol], reconnect: false, pingIntervalMs: 0 } as never);
      await client.connect();
      stations.push(client);
    }
    const token = (await login(backend.url, BENCH_USER.username, BENCH_USER.password)).body.token as string;
    const console_ = await connectConsole(backend.url, token);
    const onConsole = new Set<string>();
    console_.socket.on(CONSOLE_EVENTS.alerts, (m: Alerts) => {
      for (const a of m.alerts) if (a.kind === 'pointFaulted' && a.pointId) onConsole.add(a.pointId);
    });

    // 1,000 points report Faulted within a second.
    const byStation = new Map(network.stations.map((s, i) => [s.id, { client: stations[i], protocol: s.protocol }]));
    const targets = network.stations.flatMap((s) => s.evses.map((e) => ({ stationId: s.id, evseId: e.evseId }))).slice(0, FAULTS);
    await Promise.all(
      targets.map(({ stationId, evseId }) => {
        const { client, protocol } = byStation.get(stationId)!;
        const timestamp = new Date().toISOString();
        return client.call(
          'StatusNotification',
          protocol === 'ocpp1.6'
            ? { connectorId: evseId, status: 'Faulted', errorCode: 'GroundFailure', timestamp }
            : { timestamp, connectorStatus: 'Faulted', evseId, connectorId: 1 },
        );
      }),
    );
    for (let s = 0; s < 119; s++) clock.advance(1000);
    await new Promise((r) => setTimeout(r, 200));
    const started = performance.now();
    clock.advance(2000); // the hold-off passes
    while (onConsole.size < FAULTS && performance.now() - started < 30_000) await new Promise((r) => setTimeout(r, 10));
    const raisedMs = performance.now() - started;
    while (delivered < FAULTS && performance.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
    const perS = delivered > 1 ? ((delivered - 1) / Math.max(1, lastAt - firstAt)) * 1000 : 0;
    process.stderr.write(`bench: alerts: ${onConsole.size} alerts on the console in ${Math.round(raisedMs)} ms; ${delivered} webhooks at ${Math.round(perS)}/s\n`);
    console_.close();
    return [
      figure(`${FAULTS} points faulting within one second: every alert raised and on a console after the hold-off`, onConsole.size === FAULTS ? raisedMs : Infinity, 'ms', '<=', RAISED_TARGET_MS),
      figure('alert webhooks delivered to one receiver', perS, 'per s', '>=', WEBHOOKS_PER_S_TARGET),
    ];
  } finally {
    await Promise.all(stations.map((c) => c.close({ force: true }).catch(() => undefined)));
    await backend.stop();
    receiver.closeAllConnections();
    receiver.close();
    dir.remove();
  }
}
