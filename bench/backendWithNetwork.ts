// A real backend on a free loopback port holding a generated network, with no simulated stations (their points
// answer "station offline"), and one bench user per role that the benchmarks need.
import { Auth } from '../backend/auth.js';
import { seedNetwork } from '../backend/seed.js';
import { pathToFileURL } from 'node:url';
import { startBackend } from '../backend/server.js';
import { tempDir } from '../tests/support/tempDir.js';
import { generateLargeNetwork } from '../tests/support/largeNetwork.js';

export const BENCH_USER = { username: 'bench', password: 'bench-password-1', role: 'supervisor' as const };

/** stationWriter: the bundled script of the backend's station writer thread, when it runs one. */
export async function backendWithNetwork(opts: { sites: number; points: number; stationWriter?: string }) {
  const backend = await startBackend({
    port: 0,
    dataDir: tempDir('bench-backend').path,
    users: [BENCH_USER],
    log: () => undefined,
    stationWriterThread: opts.stationWriter ? { workerUrl: pathToFileURL(opts.stationWriter) } : false,
  });
  const network = generateLargeNetwork({ sites: opts.sites, points: opts.points, seed: 7 });
  await seedNetwork(backend.store, new Auth(backend.store.users), { ...network, users: [] });
  return backend;
}
