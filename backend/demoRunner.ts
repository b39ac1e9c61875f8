// --demo: seeds an empty store with the generated demo network and runs the simulated stations against us.
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../common/clock.js';
import type { Auth } from './auth.js';
import type { DemoAction, DemoBody } from './http.js';
import { generateDemoNetwork, type DemoNetwork } from './demo/network.js';
import { withTroubledStations } from './demo/troubled.js';
import { provisionDemoStationPasswords } from './demo/credentials.js';
import { startSimulatedNetwork } from './demo/simulator.js';
import type { SimulatedNetwork } from './demo/simulator.js';
import { seedNetwork, type SeedNetwork } from './seed.js';
import type { Store } from './store/index.js';
import type { UserSpec } from './server.js';

export interface DemoOptions {
  seed?: number;
  /** 1 = realistic; larger = faster. */
  timeScale?: number;
  /** The clock the simulated stations run on (default systemClock). */
  clock?: Clock;
  /** No random sessions, faults or dropouts (for tests). */
  quiet?: boolean;
  /** Add the site of stations that misbehave on purpose (backend/demo/troubled.ts). Default: when not quiet. */
  troubled?: boolean;
  sites?: number;
  pointsTarget?: number;
}

export interface RunningDemo {
  users: UserSpec[];
  network: SimulatedNetwork;
  control(action: DemoAction, body: DemoBody): Promise<void>;
  stop(): Promise<void>;
}

interface DemoParams {
  seed: number;
  sites?: number;
  pointsTarget?: number;
  /** The site of stations that misbehave on purpose (absent in stores seeded before it existed). */
  troubled?: boolean;
}

function demoNetwork(params: DemoParams): DemoNetwork {
  const network = generateDemoNetwork(params);
  return params.troubled ? withTroubledStations(network) : network;
}

const META_KEY = 'demoParams';
const USER_SECRET_KEY = 'demoUserSecret';

/**
 * The demo users' passwords are this store's own: derived from a random secret made when the store is seeded (kept in
 * its meta table, where a restart finds it; the users table holds only their scrypt hashes), so no two demo stores
 * share them. A demo store seeded before there was a secret keeps the passwords it was seeded with.
 */
function withStorePasswords(store: Store, network: SeedNetwork): SeedNetwork {
  const secret = store.meta(USER_SECRET_KEY);
  if (!secret) return network;
  const passwordOf = (username: string) => {
    const s = createHmac('sha256', secret).update(`user:${username}`).digest('base64url').replace(/[-_]/g, 'x');
    return `${s.slice(0, 5)}-${s.slice(5, 10)}-${s.slice(10, 15)}`;
  };
  return { ...network, users: network.users.map((u) => ({ ...u, password: passwordOf(u.username) })) };
}

export async function startDemo(args: {
  store: Store;
  auth: Auth;
  ocppUrl: string;
  options: DemoOptions;
  log: (line: string) => void;
}): Promise<RunningDemo> {
  const { store, auth, options, log } = args;
  let params: DemoParams;
  let network: SeedNetwork;
  if (store.isEmpty()) {
    params = {
      seed: options.seed ?? 1,
      sites: options.sites,
      pointsTarget: options.pointsTarget,
      troubled: options.troubled ?? !(options.quiet ?? false),
    };
    store.setMeta(USER_SECRET_KEY, randomBytes(32).toString('base64url'));
    network = withStorePasswords(store, demoNetwork(params));
    await seedNetwork(store, auth, network);
    store.setMeta(META_KEY, JSON.stringify(params));
    log(`demo: seeded ${network.sites.length} sites, ${network.stations.length} stations`);
  } else {
    const stored = store.meta(META_KEY);
    if (!stored) throw new Error('--demo needs an empty data folder or one that a demo created');
    params = JSON.parse(stored) as DemoParams;
    network = withStorePasswords(store, demoNetwork(params));
  }
  // The simulated stations authenticate like real ones, each with its own password.
  const passwordOf = await provisionDemoStationPasswords(
    store,
    network.stations.map((s) => s.id),
  );
  const quiet = options.quiet ?? false;
  // Once stopping, what the simulated stations say while being torn down (calls cut short) is noise.
  let stopping = false;
  const sim = await startSimulatedNetwork({
    url: args.ocppUrl,
    stations: network.stations,
    seed: params.seed,
    passwordOf,
    timeScale: options.timeScale ?? 1,
    clock: options.clock,
    behaviour: quiet
      ? { sessions: false, faults: false, dropouts: false }
      : { sessions: true, faults: true, dropouts: true },
    log: (line) => {
      if (!stopping) log(`demo: ${line}`);
    },
  });
  const stationOf = (body: DemoBody): string => {
    if ('stationId' in body) return body.stationId;
    const p = store.points.get(body.pointId);
    if (!p) throw new Error(`unknown point ${body.pointId}`);
    return p.stationId;
  };
  const pointOf = (body: DemoBody): { pointId: string; errorCode?: string } => {
    if (!('pointId' in body)) throw new Error(`this action needs a pointId`);
    return body;
  };
  return {
    users: network.users.map((u) => ({ username: u.username, password: u.password, role: u.role })),
    network: sim,
    async control(action, body) {
      switch (action) {
        case 'disconnect':
          return sim.disconnect(stationOf(body));
        case 'reconnect':
          return sim.reconnect(stationOf(body));
        case 'startSession':
          return sim.startSession(pointOf(body).pointId);
        case 'endSession':
          return sim.endSession(pointOf(body).pointId);
        case 'fault':
          return sim.fault(pointOf(body).pointId, pointOf(body).errorCode);
        case 'recover':
          return sim.recover(pointOf(body).pointId);
      }
    },
    stop: () => {
      stopping = true;
      return sim.stop();
    },
  };
}
