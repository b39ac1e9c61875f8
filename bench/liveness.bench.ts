// Liveness traffic to a console: 5,000 real OCPP-J stations connected to a real backend, each heartbeating every 30 s
// and answering the backend's pings, with a real socket.io console counting what the liveness messages cost it.
// The schedule runs on a ManualClock (simulated seconds, each with its heartbeats and pongs sent for real), so the
// figure is per simulated second and the run takes well under a minute.
import { RPCClient } from 'ocpp-rpc';
import { ManualClock } from '../common/clock.js';
import { CONSOLE_EVENTS } from '../common/protocol.js';
import { Auth } from '../backend/auth.js';
import { hashStationPassword } from '../backend/ocpp/stationAuth.js';
import { seedNetwork } from '../backend/seed.js';
import { startBackend } from '../backend/server.js';
import { connectConsole, login } from '../tests/support/backendHarness.js';
import { tempDir } from '../tests/support/tempDir.js';
import { figure, type Figure } from './figures.js';
import { generateLargeNetwork } from '../tests/support/largeNetwork.js';
import { BENCH_USER } from './backendWithNetwork.js';

const STATIONS = 5000;
const HEARTBEAT_S = 30;
const MEASURED_S = 300;
/** Targets: at most one message a second, and at most 10 KB/s: under 1 % of the live status stream (~1 MB/s at 2,000
 * changes/s), and no more work for the page than the 100 ms report pacing already does. */
const MAX_MESSAGES_PER_S = 1;
const MAX_BYTES_PER_S = 10_000;
const BENCH_STATION_PASSWORD = 'bench-station-password-1';

type Station = InstanceType<typeof RPCClient>;

export async function livenessBench(): Promise<Figure[]> {
  // Every station connects from 127.0.0.1 here; in the field they come from many addresses.
  process.env.VB_MAX_CONNECTIONS_PER_ADDRESS ??= String(STATIONS + 100);
  const clock = new ManualClock();
  const dir = tempDir('bench-liveness');
  const network = generateLargeNetwork({ sites: 400, points: 25_000, seed: 11 });
  const backend = await startBackend({
    port: 0,
    dataDir: dir.path,
    users: [BENCH_USER],
    clock,
    heartbeatIntervalSec: HEARTBEAT_S,
    // The generated network's stations have no passwords: checking 5,000 (scrypt, ~8 ms each) would take ~40 s of
    // CPU before the measurement and measure nothing about liveness. Station sign-in is tested in security-stations.
    allowUnauthenticatedStations: true,
    log: () => undefined,
  });
  await seedNetwork(backend.store, new Auth(backend.store.users), { ...network, users: [] });
  const ids = network.stations.slice(0, STATIONS).map((s) => s.id);
  if (ids.length < STATIONS) throw new Error(`the generated network has ${ids.length} stations, not ${STATIONS}`);
  // One password for every bench station, hashed once (5,000 hashes would be the seed's minute, not the figure's).
  const credential = await hashStationPassword(BENCH_STATION_PASSWORD);
  backend.store.db.tx('bench station passwords', () => {
    for (const id of ids) backend.store.stations.setPassword(id, credential);
  });
  const stations: Station[] = [];
  try {
    for (let i = 0; i < ids.length; i += 250) {
      const batch = ids.slice(i, i + 250).map((id) => {
        const protocol = network.stations.find((s) => s.id === id)!.protocol;
        const client = new RPCClient({
          endpoint: backend.ocppUrl,
          identity: id,
          password: BENCH_STATION_PASSWORD,
          protocols: [protocol],
          reconnect: false,
          pingIntervalMs: 0,
        } as never);
        stations.push(client);
        return client.connect();
      });
      await Promise.all(batch);
    }
    process.stderr.write(`bench: liveness: ${stations.length} stations connected\n`);
    const reply = await login(backend.url, BENCH_USER.username, BENCH_USER.password);
    const console_ = await connectConsole(backend.url, reply.body.token);
    clock.advance(1000); // the "connected" changes go out before the measurement starts
    await new Promise((r) => setTimeout(r, 200));

    let messages = 0;
    let bytes = 0;
    let entries = 0;
    const engine = console_.socket.io.engine;
    engine.on('packet', (packet: { type: string; data?: unknown }) => {
      if (packet.type !== 'message' || typeof packet.data !== 'string') return;
      if (!packet.data.startsWith(`2["${CONSOLE_EVENTS.liveness}"`)) return;
      messages++;
      bytes += Buffer.byteLength(packet.data);
    });
    console_.socket.on(CONSOLE_EVENTS.liveness, (m: { stations: unknown[] }) => (entries += m.stations.length));

    // Each simulated second: the stations whose heartbeat falls due send it (and get an answer); the backend pings
    // whoever is due and their pongs come back before the clock moves on.
    const started = Date.now();
    for (let s = 0; s < MEASURED_S; s++) {
      const due = stations.filter((_, i) => i % HEARTBEAT_S === s % HEARTBEAT_S);
      await Promise.all(due.map((c) => c.call('Heartbeat', {})));
      clock.advance(1000);
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 300));
    const wall = Date.now() - started;
    const online = stations.filter((_, i) => backend.ocpp.liveness.state(ids[i]) === 'online').length;
    process.stderr.write(
      `bench: liveness: ${MEASURED_S} simulated s in ${wall} ms: ${messages} messages, ${bytes} bytes, ${entries} entries; ${online}/${STATIONS} online\n`,
    );
    console_.close();
    return [
      figure(
        'liveness to a console, 5000 stations heartbeating every 30 s: messages',
        messages / MEASURED_S,
        'per s',
        '<=',
        MAX_MESSAGES_PER_S,
      ),
      figure(
        'liveness to a console, 5000 stations heartbeating every 30 s: bytes',
        bytes / MEASURED_S,
        'bytes/s',
        '<=',
        MAX_BYTES_PER_S,
      ),
      figure('liveness: stations shown Silent or Offline while heartbeating', STATIONS - online, 'count', '==', 0),
    ];
  } finally {
    await Promise.all(stations.map((c) => c.close({ force: true }).catch(() => undefined)));
    await backend.stop();
    dir.remove();
  }
}
