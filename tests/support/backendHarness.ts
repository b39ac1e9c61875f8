// Tests against a real backend: a small seeded network in a temp data folder, real socket.io consoles speaking the
// protocol and real OCPP-J stations (ocpp-rpc RPCClient). Used by tests/integration and bench/.
import { RPCClient } from 'ocpp-rpc';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { Role, StationProtocol } from '../../common/model.js';
import type { Ack, Changes, Hello, LoginReply } from '../../common/protocol.js';
import { CONSOLE_EVENTS, CONSOLE_SOCKET_PATH, LOGIN_PATH } from '../../common/protocol.js';
import { Auth } from '../../backend/auth.js';
import { seedNetwork, type SeedNetwork } from '../../backend/seed.js';
import { startBackend, type Backend, type BackendOptions } from '../../backend/server.js';
import { Store } from '../../backend/store/index.js';
import { tempDir } from './tempDir.js';
import { disposeStoreOf, storeLocationFor } from './testStore.js';

export const TEST_USERS: { username: string; password: string; role: Role }[] = [
  { username: 'viewer', password: 'viewer-pass-1', role: 'viewer' },
  { username: 'operator', password: 'operator-pass-1', role: 'operator' },
  { username: 'supervisor', password: 'supervisor-pass-1', role: 'supervisor' },
  { username: 'admin', password: 'admin-pass-1', role: 'admin' },
];

/** The password the test network gives station `id` (OCPP security profile 1); connectStation uses it by default. */
export const stationPassword = (id: string): string => `station-password-${id}`.slice(0, 40);

/** The HTTP Basic header a station sends on its WebSocket upgrade (for tests that open raw WebSockets). */
export const stationAuthHeader = (id: string, password = stationPassword(id)): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}`,
});

/**
 * A small network: site S1 with a 1.6 station (2 connectors) and a 2.0.1 station (2 EVSEs, EVSE 2 with 2 connectors),
 * each with its password (stationPassword). The extra BULK stations have none (they never connect in the tests).
 */
export function smallNetwork(extraStations = 0, evsesPerExtra = 10): SeedNetwork {
  const c = (id: number) => ({ id, type: 'CCS2', maxKw: 50 });
  return {
    sites: [{ id: 'S1', name: 'Test Site', city: 'Testville', address: '1 Test Road' }],
    stations: [
      {
        id: 'ST16',
        siteId: 'S1',
        protocol: 'ocpp1.6',
        vendor: 'V',
        model: 'M',
        password: stationPassword('ST16'),
        evses: [1, 2].map((e) => ({ evseId: e, label: `16-${e}`, connectors: [c(1)] })),
      },
      {
        id: 'ST201',
        siteId: 'S1',
        protocol: 'ocpp2.0.1',
        password: stationPassword('ST201'),
        vendor: 'V',
        model: 'M',
        evses: [
          { evseId: 1, label: '201-1', connectors: [c(1)] },
          { evseId: 2, label: '201-2', connectors: [c(1), c(2)] },
        ],
      },
      ...Array.from({ length: extraStations }, (_, i) => ({
        id: `BULK${i}`,
        siteId: 'S1',
        protocol: 'ocpp1.6' as const,
        vendor: 'V',
        model: 'M',
        evses: Array.from({ length: evsesPerExtra }, (_, e) => ({
          evseId: e + 1,
          label: `B${i}-${e + 1}`,
          connectors: [c(1)],
        })),
      })),
    ],
    users: TEST_USERS,
  };
}

/** Seeds a store in dataDir (before the backend starts on it). */
export async function seedStore(dataDir: string, network: SeedNetwork): Promise<void> {
  const store = new Store({ ...storeLocationFor(dataDir), log: () => undefined });
  try {
    await seedNetwork(store, new Auth(store.users), network);
  } finally {
    store.close();
  }
}

/** VOLTBOARD_TEST_LOG=1: every test backend's log lines on stderr too (to see why a request failed). */
const printLogs = process.env.VOLTBOARD_TEST_LOG === '1';

export interface TestBackend extends Backend {
  dataDir: string;
  logs: string[];
  /** Stops the backend and removes its data folder. */
  dispose(): Promise<void>;
}

export async function startTestBackend(
  opts: Partial<BackendOptions> & { network?: SeedNetwork | null; dataDir?: string } = {},
): Promise<TestBackend> {
  const tmp = opts.dataDir ? null : tempDir('backend');
  const dataDir = opts.dataDir ?? tmp!.path;
  if (opts.network !== null && !opts.demo) await seedStore(dataDir, opts.network ?? smallNetwork());
  const logs: string[] = [];
  const backend = await startBackend({
    port: 0,
    ...storeLocationFor(dataDir),
    log: (l) => (logs.push(l), printLogs && process.stderr.write(`backend: ${l}\n`)),
    ...opts,
  });
  return Object.assign(backend, {
    dataDir,
    logs,
    async dispose() {
      await backend.stop();
      if (tmp) {
        disposeStoreOf(dataDir);
        tmp.remove();
      }
    },
  });
}

export async function login(url: string, username: string, password: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url + LOGIN_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, body: await res.json() };
}

export async function tokenFor(url: string, username: string): Promise<string> {
  const u = TEST_USERS.find((x) => x.username === username)!;
  const r = await login(url, u.username, u.password);
  if (r.status !== 200) throw new Error(`login ${username} failed: ${JSON.stringify(r.body)}`);
  return (r.body as LoginReply).token;
}

/** A real socket.io console signed in as one of TEST_USERS (`viewer`, `operator`, `supervisor`, `admin`). */
export async function consoleAs(url: string, username: string): Promise<TestConsole> {
  return connectConsole(url, await tokenFor(url, username));
}

export interface TestConsole {
  socket: Socket;
  hello: Hello;
  changes: Changes[];
  request<T = any>(event: string, payload: unknown, timeoutMs?: number): Promise<Ack<T>>;
  close(): void;
}

/** A real socket.io console; resolves after `hello`, rejects with the connect error. */
export function connectConsole(url: string, token: string | null): Promise<TestConsole> {
  const socket = ioClient(url, {
    path: CONSOLE_SOCKET_PATH,
    transports: ['websocket'],
    auth: token === null ? {} : { token },
    reconnection: false,
    forceNew: true,
  });
  const changes: Changes[] = [];
  socket.on(CONSOLE_EVENTS.changes, (c: Changes) => changes.push(c));
  return new Promise((resolve, reject) => {
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
    socket.once(CONSOLE_EVENTS.hello, (hello: Hello) =>
      resolve({
        socket,
        hello,
        changes,
        request: (event, payload, timeoutMs = 10_000) => socket.timeout(timeoutMs).emitWithAck(event, payload),
        close: () => socket.close(),
      }),
    );
  });
}

export type AvailabilityAnswer = 'Accepted' | 'Rejected' | 'Scheduled' | 'never';

/** What a test station does when asked for a StatusNotification: report its status (what `reportAs` says,
 * default Unavailable after an Inoperative change), accept and stay silent, or refuse. */
export type TriggerBehaviour = 'report' | 'acceptSilently' | 'reject';

export interface TestStation {
  client: InstanceType<typeof RPCClient>;
  /** Every ChangeAvailability the station received, in order. */
  received: Record<string, any>[];
  /** Every TriggerMessage the station received, in order. */
  triggers: Record<string, any>[];
  /** What the next ChangeAvailability calls are answered with. */
  answer: AvailabilityAnswer;
  /** Runs before the station answers a ChangeAvailability (e.g. to report first, as many 1.6 stations do). */
  beforeAnswer: ((params: Record<string, any>) => Promise<void>) | null;
  trigger: TriggerBehaviour;
  /** The status a triggered report gives, per EVSE/connector id (default 'Available'). */
  reportAs: (evseId: number) => string;
  /** Sends a WebSocket ping to the backend (as stations that ping instead of heartbeating do). */
  ping(): void;
  boot(): Promise<any>;
  status(evseId: number, status: string, extra?: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function connectStation(
  ocppUrl: string,
  id: string,
  protocol: StationProtocol,
  opts: {
    answer?: AvailabilityAnswer;
    connect?: boolean;
    /** false: the station's WebSocket does not answer the backend's pings (a dead or hung station). Default true. */
    answerPings?: boolean;
    /** HTTP Basic password (OCPP security profile 1); default stationPassword(id); null: none sent. */
    password?: string | null;
    /** Calls the station may have outstanding at once (default 1, as OCPP wants). */
    callConcurrency?: number;
  } = {},
): Promise<TestStation> {
  const client = new RPCClient({
    endpoint: ocppUrl,
    identity: id,
    protocols: [protocol],
    strictMode: true,
    reconnect: false,
    password: opts.password === undefined ? stationPassword(id) : (opts.password ?? undefined),
    callConcurrency: opts.callConcurrency ?? 1,
    // The station pings only when a test says so (ping()); its answers to ours follow answerPings.
    pingIntervalMs: 0,
    wsOpts: { autoPong: opts.answerPings !== false },
  } as ConstructorParameters<typeof RPCClient>[0]);
  const station: TestStation = {
    client,
    received: [],
    triggers: [],
    beforeAnswer: null,
    trigger: 'report',
    reportAs: () => 'Available',
    ping: () => (client as unknown as { _ws: { ping(): void } })._ws.ping(),
    answer: opts.answer ?? 'Accepted',
    boot: () =>
      client.call(
        'BootNotification',
        protocol === 'ocpp1.6'
          ? { chargePointVendor: 'Test', chargePointModel: 'T1' }
          : { reason: 'PowerUp', chargingStation: { vendorName: 'Test', model: 'T1' } },
      ),
    async status(evseId, status, extra = {}) {
      const params =
        protocol === 'ocpp1.6'
          ? { connectorId: evseId, status, errorCode: 'NoError', timestamp: new Date().toISOString(), ...extra }
          : { timestamp: new Date().toISOString(), connectorStatus: status, evseId, connectorId: 1, ...extra };
      await client.call('StatusNotification', params);
    },
    async close() {
      await client.close({ force: true });
    },
  };
  client.handle('ChangeAvailability', async ({ params }) => {
    station.received.push(params ?? {});
    if (station.answer === 'never') return new Promise<never>(() => undefined);
    await station.beforeAnswer?.(params ?? {});
    return { status: station.answer };
  });
  client.handle('TriggerMessage', async ({ params }) => {
    const p = (params ?? {}) as Record<string, any>;
    station.triggers.push(p);
    if (station.trigger === 'reject') return { status: 'Rejected' };
    if (station.trigger === 'report' && p.requestedMessage === 'StatusNotification') {
      const evseId = protocol === 'ocpp1.6' ? p.connectorId : p.evse?.id;
      setImmediate(() => {
        const extra = protocol === 'ocpp1.6' ? {} : { connectorId: p.evse?.connectorId ?? 1 };
        void station.status(evseId, station.reportAs(evseId), extra).catch(() => undefined);
      });
    }
    return { status: 'Accepted' };
  });
  if (opts.connect !== false) await client.connect();
  return station;
}

let counter = 0;
export function mutationId(): string {
  return `test-${process.pid}-${Date.now().toString(36)}-${++counter}`;
}

export function setStatus(
  targets: { pointId: string; baseVersion: number }[],
  edit: { status: string; reason?: string | null; note?: string | null; until?: string | null },
  id = mutationId(),
) {
  return {
    id,
    kind: 'setStatus',
    targets,
    edit: { reason: null, note: null, until: null, ...edit },
    createdAt: new Date().toISOString(),
  };
}
