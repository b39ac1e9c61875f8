// A real backend on a ManualClock holding a generated network whose stations may connect (each with the same
// password), for the benchmarks that move the clock past the work they time (alerts' hold-offs, windows' starts).
import { ManualClock } from '../common/clock.js';
import { Auth } from '../backend/auth.js';
import { hashStationPassword } from '../backend/ocpp/stationAuth.js';
import { seedNetwork } from '../backend/seed.js';
import { startBackend } from '../backend/server.js';
import { generateLargeNetwork } from '../tests/support/largeNetwork.js';
import { tempDir } from '../tests/support/tempDir.js';
import { BENCH_USER } from './backendWithNetwork.js';

export const BENCH_STATION_PASSWORD = 'bench-station-password-1';

export async function clockedNetworkBackend(opts: { name: string; sites: number; points: number; seed: number }) {
  const clock = new ManualClock(Date.now());
  const dir = tempDir(`bench-${opts.name}`);
  const network = generateLargeNetwork({ sites: opts.sites, points: opts.points, seed: opts.seed });
  // Pings an hour apart: the clock jumps by minutes, and with the usual 30 s pings one jump alone would ping every
  // station twice at once, which no real minute does.
  const backend = await startBackend({
    port: 0,
    dataDir: dir.path,
    users: [BENCH_USER],
    clock,
    liveness: { pingIntervalMs: 3600_000 },
    log: () => undefined,
  });
  await seedNetwork(backend.store, new Auth(backend.store.users), { ...network, users: [] });
  const credential = await hashStationPassword(BENCH_STATION_PASSWORD);
  backend.store.db.tx('bench station passwords', () => {
    for (const s of network.stations) backend.store.stations.setPassword(s.id, credential);
  });
  return { clock, dir, network, backend };
}
