// `npm run backend -- --port 7070 --data ./data --demo`: a thin command line around startBackend().
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { ROLES, type Role } from '../common/model.js';
import { startBackend, type Backend, type UserSpec } from './server.js';
import { userCommand } from './userCli.js';
import { stationCommand } from './stationCli.js';
import { webhookCommand } from './webhookCli.js';
import { ocpiCommand } from './ocpi/cli.js';
import { reportCommand } from './history/reportCli.js';
import { watchLauncher } from '../node/launcher.js';
import { trustedProxies } from './clientAddress.js';
import { MAX_STATION_COMMIT_WINDOW_MS, STATION_COMMIT_WINDOW_MS } from './ocpp/stationWriteBatch.js';
import { describeStore, storeLocationFromArgs, type StoreLocation } from './store/location.js';

const HELP = `Voltboard network backend

Usage: npm run backend -- [options]
       npm run backend -- user add|list|disable|enable …   (users: see \`npm run backend -- user --help\`)
       npm run backend -- station password ID | list …     (station passwords: \`npm run backend -- station --help\`)
       npm run backend -- webhook add URL | list | remove ID  (alert webhooks: \`npm run backend -- webhook --help\`)
       npm run backend -- ocpi party|site|invite|register|list …  (roaming partners: \`npm run backend -- ocpi --help\`)
       npm run backend -- report uptime --from … --to …  (uptime CSV: \`npm run backend -- report --help\`)

  --port N                        port to listen on (default 7070; 0 = any free port)
  --host HOST                     address to listen on (default 127.0.0.1)
  --data DIR                      folder for the SQLite store (default ./data); the same as --store sqlite:DIR
  --store sqlite:DIR | postgres://USER[:PASSWORD]@HOST:PORT/DB
                                  where the store is: a SQLite file in DIR, or a PostgreSQL database (docs/cluster.md)
  --demo                          seed an empty store with the demo network and run simulated stations
  --demo-seed N                   demo network seed (default 1; only when the store is seeded)
  --demo-time-scale X             simulated time runs X times faster (default 1)
  --demo-quiet                    no random sessions, faults or dropouts (for tests)
  --accept-unknown-stations       register any station that connects (site "Unassigned"); a password it offers
                                  on its first connection becomes its password (logged loudly)
  --allow-unauthenticated-stations
                                  let registered stations without a password connect without one (logged loudly;
                                  never to replace a connected station). Default: refused until a password is set
  --heartbeat-interval SEC        heartbeat interval given to stations (default 60); liveness: docs/protocol.md
  --change-availability-timeout-ms MS
                                  wait this long for a ChangeAvailability reply (default 30000)
  --coalesce-ms MS                gather changes this long into one batch for consoles (default 50)
  --station-commit-window-ms MS   station reports written on the event loop wait up to this long for others to share
                                  their commit, which waits for the disk (default 20, at most 1000; 0: each turn's)
  --station-writer inline|thread  SQLite: write station reports on the event loop (inline, the default) or on a
                                  thread of their own, so people's edits never wait for them: for a backend with
                                  cores of its own, as it costs ~25 % more CPU (docs/architecture.md)
  --tls-cert FILE --tls-key FILE  serve https/wss (sign-in, consoles and OCPP) with this PEM certificate and key
  --session-check-ms MS           re-check connected consoles' sessions this often (default 2000)
  --public-status                 serve the public status page for drivers at /status (no sign-in; docs/ocpi.md)
  --ocpi-allow-private-urls       let OCPI partner URLs resolve to private/loopback addresses (docs/ocpi.md)
  --trusted-proxy ADDR[,ADDR…]    reverse proxies (IP addresses) whose X-Forwarded-For gives the address a
                                  sign-in came from, for the limits on failed sign-ins (docs/cluster.md)
  --user NAME:ROLE:PASSWORD       create or update a user at start (repeatable; roles: ${ROLES.join(', ')}).
                                  For tests only: the password is visible in the process list. Use \`user add\`.
  --help                          show this help

Environment: VB_MAX_CONNECTIONS_PER_ADDRESS (default 1000; raise it behind a reverse proxy, which is one address),
VB_HANDSHAKE_TIMEOUT_MS (default 10000: a connection not answered by then is closed). docs/security.md.
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${HELP}`);
  process.exit(2);
}

function num(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a non-negative number, got "${value}"`);
  return n;
}

function parseUser(spec: string): UserSpec {
  const [username, role, ...rest] = spec.split(':');
  const password = rest.join(':');
  if (!username || !password || !(ROLES as readonly string[]).includes(role)) {
    fail(`--user must be NAME:ROLE:PASSWORD with ROLE one of ${ROLES.join(', ')}`);
  }
  return { username, role: role as Role, password };
}

async function main(): Promise<void> {
  if (process.argv[2] === 'user') {
    process.exitCode = await userCommand(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === 'station') {
    process.exitCode = await stationCommand(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === 'webhook') {
    process.exitCode = await webhookCommand(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === 'report') {
    process.exitCode = await reportCommand(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === 'ocpi') {
    process.exitCode = await ocpiCommand(process.argv.slice(3));
    return;
  }
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        store: { type: 'string' },
        demo: { type: 'boolean' },
        'demo-seed': { type: 'string' },
        'demo-time-scale': { type: 'string' },
        'demo-quiet': { type: 'boolean' },
        'accept-unknown-stations': { type: 'boolean' },
        'allow-unauthenticated-stations': { type: 'boolean' },
        'heartbeat-interval': { type: 'string' },
        'change-availability-timeout-ms': { type: 'string' },
        'coalesce-ms': { type: 'string' },
        'station-writer': { type: 'string' },
        'station-commit-window-ms': { type: 'string' },
        user: { type: 'string', multiple: true },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'session-check-ms': { type: 'string' },
        'public-status': { type: 'boolean' },
        'ocpi-allow-private-urls': { type: 'boolean' },
        'trusted-proxy': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) fail('--tls-cert and --tls-key go together');
  let tls: { cert: Buffer; key: Buffer } | undefined;
  if (values['tls-cert'] && values['tls-key']) {
    try {
      tls = { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) };
    } catch (err) {
      fail(`cannot read the TLS certificate or key: ${(err as Error).message}`);
    }
  }
  let location: StoreLocation;
  try {
    location = storeLocationFromArgs(values.store, values.data);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  // A lost store connection may be found while the backend is still starting (before `backend` is set).
  let running: Backend | null = null;
  let stopping = false;
  let exitCode = 0;
  const stopRunning = () =>
    running!.stop().then(
      () => {
        console.log('stopped');
        process.exit(exitCode);
      },
      (err: Error) => {
        console.error(`stop failed: ${err.message}`);
        process.exit(1);
      },
    );
  const shutdown = (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    console.log(`${signal}: stopping`);
    const force = setTimeout(() => {
      console.error('did not stop within 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    if (running) void stopRunning();
  };
  const proxies = (values['trusted-proxy'] ?? []).flatMap((v) => v.split(',').map((a) => a.trim()));
  try {
    trustedProxies(proxies);
  } catch (err) {
    fail(`--trusted-proxy: ${(err as Error).message}`);
  }
  const stationCommitWindowMs = num(
    'station-commit-window-ms',
    values['station-commit-window-ms'],
    STATION_COMMIT_WINDOW_MS,
  );
  if (stationCommitWindowMs > MAX_STATION_COMMIT_WINDOW_MS)
    fail(`--station-commit-window-ms must be at most ${MAX_STATION_COMMIT_WINDOW_MS}, got "${stationCommitWindowMs}"`);
  const stationWriter = values['station-writer'] ?? 'inline';
  if (stationWriter !== 'thread' && stationWriter !== 'inline')
    fail(`--station-writer must be thread or inline, got "${stationWriter}"`);
  const backend = await startBackend({
    port: num('port', values.port, 7070),
    host: values.host ?? '127.0.0.1',
    dataDir: 'dataDir' in location ? location.dataDir : resolve('./data'),
    postgresUrl: 'postgresUrl' in location ? location.postgresUrl : undefined,
    demo: values.demo ?? false,
    demoOptions: {
      seed: values['demo-seed'] === undefined ? undefined : num('demo-seed', values['demo-seed'], 1),
      timeScale: num('demo-time-scale', values['demo-time-scale'], 1),
      quiet: values['demo-quiet'] ?? false,
    },
    acceptUnknownStations: values['accept-unknown-stations'] ?? false,
    allowUnauthenticatedStations: values['allow-unauthenticated-stations'] ?? false,
    heartbeatIntervalSec: num('heartbeat-interval', values['heartbeat-interval'], 60),
    changeAvailabilityTimeoutMs: num(
      'change-availability-timeout-ms',
      values['change-availability-timeout-ms'],
      30_000,
    ),
    coalesceMs: num('coalesce-ms', values['coalesce-ms'], 50),
    stationWriterThread: stationWriter === 'thread',
    stationCommitWindowMs,
    users: (values.user ?? []).map(parseUser),
    tls,
    publicStatus: values['public-status'] ?? false,
    ocpi: { allowPrivatePartnerUrls: values['ocpi-allow-private-urls'] ?? false },
    trustedProxies: proxies,
    sessionCheckMs:
      values['session-check-ms'] === undefined
        ? undefined
        : Math.max(100, num('session-check-ms', values['session-check-ms'], 2000)),
    // The Availability view's first question answered from reads made 10 s after start (docs/uptime.md).
    warmUptimeAfterMs: 10_000,
    // Its supervisor starts it again; meanwhile its stations and consoles reconnect to the other instances.
    onStoreLost: () => shutdown('store connection lost', 1),
    log,
  });
  console.log(
    `Voltboard backend listening on ${backend.url} (consoles: socket.io, stations: ${backend.ocppUrl}/<stationId>)`,
  );
  console.log(`network ${backend.networkId}, store: ${describeStore(location)}, pid ${process.pid}`);
  if (backend.demoUsers.length > 0) {
    console.log('demo users (username / password / role):');
    for (const u of backend.demoUsers) console.log(`  ${u.username} / ${u.password} / ${u.role}`);
  }

  running = backend;
  if (stopping) void stopRunning();
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  watchLauncher(() => shutdown('launcher exited'));
}

main().catch((err: Error) => {
  console.error(`backend failed to start: ${err.stack ?? err.message}`);
  process.exit(1);
});
