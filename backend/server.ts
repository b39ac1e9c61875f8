// The backend as a library: startBackend() wires store, HTTP, consoles (socket.io) and stations (OCPP-J)
// onto one HTTP server, and stop() takes it all down again (safe to do many times in one process).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import type { Role } from '../common/model.js';
import { CONSOLE_SOCKET_PATH, MAX_CONSOLE_MESSAGE_BYTES } from '../common/protocol.js';
import { Auth } from './auth.js';
import { Broadcaster } from './console/broadcaster.js';
import { ConsoleGateway, type RateLimit } from './console/gateway.js';
import { createRequestHandler, guardServer } from './http.js';
import { DEFAULT_LOGIN_LIMITS, LoginLimiter, MemoryLoginCounts, type LoginLimits } from './loginLimiter.js';
import { LoginFailuresRepo } from './store/loginFailures.js';
import type { Clock, TimerHandle } from '../common/clock.js';
import { systemClock } from '../common/clock.js';
import { LivenessFanout, DEFAULT_LIVENESS_FANOUT, type LivenessFanoutOptions } from './console/livenessFanout.js';
import { Delivery, type DeliveryWaits } from './ocpp/delivery.js';
import { deliveryAction } from './ocpp/deliveryActions.js';
import { windowRequests } from './console/windowRequests.js';
import { alertRequests } from './console/alertRequests.js';
import { SeqFanout } from './console/seqFanout.js';
import { AlertEngine } from './alerts/engine.js';
import { AlertRuleBook } from './alerts/ruleBook.js';
import { CONSOLES_ROOM } from './console/broadcaster.js';
import { WebhookDispatcher } from './alerts/webhookDispatcher.js';
import { DEFAULT_ALERT_RULES, type AlertRules, type Alerts } from '../common/alerts.js';
import { CONSOLE_EVENTS } from '../common/protocol.js';
import { MaintenanceScheduler } from './schedule/maintenance.js';
import { UntilReverts } from './schedule/untilReverts.js';
import type { LivenessRules } from './ocpp/liveness.js';
import { OCPP_PATH, OcppGateway } from './ocpp/gateway.js';
import type { StationLimits } from './ocpp/stationLimits.js';
import { startDemo, type DemoOptions, type RunningDemo } from './demoRunner.js';
import { Store } from './store/index.js';
import { partnerRequests } from './console/partnerRequests.js';
import { createOcpi, isOcpiPath, type Ocpi, type OcpiOptions } from './ocpi/index.js';
import { HistoryRecorder } from './history/recorder.js';
import { StationWriter } from './ocpp/stationWriter.js';
import { uptimeRequests } from './history/requests.js';
import { isUptimeReportPath, uptimeReportHandler } from './history/reportHttp.js';
import { UptimeService, UPTIME_WARM_EVERY_MS } from './history/uptimeService.js';
import { recentDays, VIEW_PERIOD_DAYS } from '../common/uptime.js';
import { createPublicStatus, isPublicStatusPath, type PublicStatusOptions } from './public/statusPage.js';
import { clientAddressOf, trustedProxies } from './clientAddress.js';
import { ClusterNode, DEFAULT_CLUSTER_CHECK_MS } from './cluster/clusterNode.js';
import { LeaderClock } from './cluster/leaderClock.js';
import { StationConnections } from './cluster/stationConnections.js';

export type { DemoOptions } from './demoRunner.js';

const LEADER_CATCH_UP_MS = 250;

export interface UserSpec {
  username: string;
  password: string;
  role: Role;
}

export interface BackendOptions {
  /** 0 = a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The SQLite store's folder (unused for the store when postgresUrl is given). */
  dataDir: string;
  /** The store on PostgreSQL instead of SQLite (backend/store/location.ts). */
  postgresUrl?: string;
  demo?: boolean;
  demoOptions?: DemoOptions;
  /** Register any station that connects (site "Unassigned"). */
  acceptUnknownStations?: boolean;
  /** Let registered stations without a password connect unauthenticated (docs/security.md, "Stations"). */
  allowUnauthenticatedStations?: boolean;
  /** Per-station message rate, byte rate and nesting limits (backend/ocpp/stationLimits.ts). */
  stationLimits?: Partial<StationLimits>;
  /** Heartbeat interval given to stations in the BootNotification reply. Default 60. */
  heartbeatIntervalSec?: number;
  /** When stations are pinged and called Silent / Offline (docs/protocol.md, "Station liveness"). */
  liveness?: Partial<LivenessRules>;
  /** How soon liveness changes reach consoles. */
  livenessFanout?: Partial<LivenessFanoutOptions>;
  /** How long a change may wait for its station's confirmation (docs/protocol.md, "Delivery"). */
  deliveryWaits?: Partial<DeliveryWaits>;
  /** Time for liveness and delivery waits; tests pass a ManualClock. */
  clock?: Clock;
  /** Alert hold-offs and flapping until a supervisor changes them (docs/protocol.md, "Alerts"). */
  alertRules?: Partial<AlertRules>;
  /** How long to wait for a ChangeAvailability reply before noReply. Default 30 000. */
  changeAvailabilityTimeoutMs?: number;
  /** How long changes are gathered into one batch for the consoles. Default 50. */
  coalesceMs?: number;
  /** Users to create or update at start (password set anew each start). */
  users?: UserSpec[];
  /** How long a sign-in lasts. Default 12 h. */
  tokenTtlSec?: number;
  /** Serve https/wss with this certificate and key (PEM). Without it: plain http/ws. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** How often connected consoles' sessions are re-checked against the store. Default 2 000 ms. */
  sessionCheckMs?: number;
  /** Per-connection event limit for consoles. */
  consoleRateLimit?: Partial<RateLimit>;
  /** Sign-in attempt limiting. */
  loginLimits?: Partial<LoginLimits>;
  /** Reverse proxies (IP addresses) whose X-Forwarded-For names the client a sign-in came from. */
  trustedProxies?: string[];
  slowQueryMs?: number;
  /** Serve the public status page for drivers at /status (no sign-in; off unless set). */
  publicStatus?: boolean | PublicStatusOptions;
  /** OCPI pushes to roaming partners (docs/ocpi.md). */
  ocpi?: OcpiOptions;
  /**
   * Read the network's figures for the Availability view's periods this long after start (and again each hour, so a
   * new day's period is read before it is asked for), which makes the view's first question a fast one. It holds the
   * event loop while it reads (about a second at 50,000 points). SQLite only. Default: not read before asked.
   */
  warmUptimeAfterMs?: number;
  /** Several instances on one PostgreSQL: how often leadership, dead instances and the seq are checked (default 1 s). */
  clusterCheckMs?: number;
  /**
   * Several instances: this instance's PostgreSQL connection is gone (it cannot run a statement, and its leadership
   * and instance locks went with it). The command line stops the process with an error so its supervisor starts it
   * again; its stations and consoles reconnect to the other instances meanwhile. Default: logged only.
   */
  onStoreLost?: (err: Error) => void;
  /**
   * SQLite: write station reports on a thread of their own (ocpp/stationWriter.ts), so that the event loop never waits
   * for their transactions. Needs the system clock (the thread's history recorder uses it). workerUrl: the thread's
   * script where the backend runs from a bundle; silentWriterMs: how long it may commit nothing while reports wait
   * before it is given up (30 s). Default: off (written on the event loop, in the turn's commit).
   */
  stationWriterThread?: boolean | { workerUrl?: URL; silentWriterMs?: number };
  /**
   * How long station reports written on the event loop wait for others to share their commit (every commit waits for
   * the disk): ocpp/stationWriteBatch.ts STATION_COMMIT_WINDOW_MS (20). 0: the reports of each turn of the event loop.
   */
  stationCommitWindowMs?: number;
  log?: (line: string) => void;
}

export interface Backend {
  /** http://HOST:PORT (https:// with TLS) */
  url: string;
  port: number;
  host: string;
  /** ws://HOST:PORT/ocpp (wss:// with TLS); stations connect to `${ocppUrl}/<stationId>`. */
  ocppUrl: string;
  networkId: string;
  demoUsers: UserSpec[];
  store: Store;
  ocpp: OcppGateway;
  delivery: Delivery;
  /** The simulated network when demo is on (null otherwise). */
  demo: RunningDemo | null;
  /** Sends pending changes to the consoles now instead of after the coalescing delay. */
  flushChanges(): void;
  /** The seq of the last change sent to the consoles (later ones wait for the coalescing window). */
  sentSeq(): number;
  /** Sends waiting liveness changes to the consoles now. */
  flushLiveness(): void;
  scheduler: MaintenanceScheduler;
  alerts: AlertEngine;
  /** OCPI 2.2.1 for roaming partners (docs/ocpi.md); idle until its party is set up. */
  ocpi: Ocpi;
  /** The alert rules in force and their changes. */
  alertRules: AlertRuleBook;
  /** On PostgreSQL: this instance among the others on the same database (docs/cluster.md); null on SQLite. */
  cluster: ClusterNode | null;
  /** The thread that writes station reports, when the backend runs one (stationWriterThread). */
  stationWriter: StationWriter | null;
  stop(): Promise<void>;
}

export async function startBackend(opts: BackendOptions): Promise<Backend> {
  const log = opts.log ?? (() => undefined);
  const host = opts.host ?? '127.0.0.1';
  const location = opts.postgresUrl ? { postgresUrl: opts.postgresUrl } : { dataDir: opts.dataDir };
  const store = new Store({ ...location, log, slowQueryMs: opts.slowQueryMs });
  const cleanups: (() => Promise<void> | void)[] = [() => store.close()];
  // Recording starts before anything changes a point (the restart's disconnects below are history too).
  const history = new HistoryRecorder(store, opts.clock ?? systemClock, log);
  try {
    history.start();
  } catch (err) {
    store.close();
    throw err;
  }
  cleanups.push(() => history.stop());
  let stationWriter: StationWriter | null = null;
  if (opts.stationWriterThread && !opts.postgresUrl) {
    const { workerUrl, silentWriterMs } = typeof opts.stationWriterThread === 'object' ? opts.stationWriterThread : {};
    try {
      if (opts.clock)
        throw new Error('the station writer thread records history on the system clock: no other clock with it');
      stationWriter = new StationWriter(store, {
        dataDir: opts.dataDir,
        log,
        slowQueryMs: opts.slowQueryMs,
        workerUrl,
        silentWriterMs,
      });
    } catch (err) {
      history.stop();
      store.close();
      throw err;
    }
    log('ocpp: station reports are written on a thread of their own');
    const writer = stationWriter;
    cleanups.push(() => writer.close());
  }
  const stop = async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        log(`stop: ${(err as Error).message}`);
      }
    }
  };
  try {
    const auth = new Auth(store.users, opts.tokenTtlSec);
    store.users.purgeExpired();
    const startedAt = new Date().toISOString();
    const clock = opts.clock ?? systemClock;
    // On PostgreSQL other instances may hold stations: only the leader marks a dead instance's stations offline.
    const cluster = opts.postgresUrl
      ? new ClusterNode({ store, url: opts.postgresUrl, clock, log, checkMs: opts.clusterCheckMs })
      : null;
    cleanups.push(() => cluster?.stop());
    // Connections do not survive a restart: whatever was connected before is offline until it reconnects.
    const wereConnected = cluster ? store.stations.connectedToNoInstance() : store.stations.connectedIds();
    for (const id of wereConnected) store.points.setConnection(id, false, startedAt, 'system');
    for (const u of opts.users ?? []) await auth.setUser(u.username, u.role, u.password);
    // The work that runs once across instances keeps its timers waiting unless this instance leads.
    const leaderClock = new LeaderClock(clock);
    if (!cluster) leaderClock.lead();
    let livenessFanout: LivenessFanout | null = null;
    let alertEngine: AlertEngine | null = null;
    let stationsSeen: StationConnections | null = null;
    const ocpp = new OcppGateway({
      store,
      stationWriter,
      stationCommitWindowMs: opts.stationCommitWindowMs,
      log,
      acceptUnknownStations: opts.acceptUnknownStations ?? false,
      allowUnauthenticatedStations: opts.allowUnauthenticatedStations ?? false,
      stationLimits: opts.stationLimits,
      heartbeatIntervalSec: opts.heartbeatIntervalSec ?? 60,
      clock,
      liveness: opts.liveness,
      onLivenessChange: () => livenessFanout?.stateChanged(),
      onStationLiveness: (id, state) => {
        stationsSeen?.toldLocally(id, state);
        alertEngine?.stationChanged(id, state);
      },
    });
    // Several instances count failed sign-ins together, in the store (docs/cluster.md); one counts in memory.
    const limits = { ...DEFAULT_LOGIN_LIMITS, ...opts.loginLimits };
    const limiter = new LoginLimiter(
      limits,
      Date.now,
      cluster ? new LoginFailuresRepo(store.db, limits.windowMs) : new MemoryLoginCounts(),
    );
    const delivery = new Delivery(store, ocpp, {
      timeoutMs: opts.changeAvailabilityTimeoutMs ?? 30_000,
      log,
      clock,
      waits: opts.deliveryWaits,
    });
    ocpp.setDelivery(delivery);
    // Changes their stations had not confirmed before the restart wait for the stations to reconnect.
    for (const id of wereConnected) delivery.stationOffline(id);

    let demo: RunningDemo | null = null;
    let consoles: ConsoleGateway | null = null;
    let backendUrl = '';
    const ocpi = createOcpi({ store, clock: leaderClock, backendUrl: () => backendUrl, log, ...opts.ocpi });
    const uptime = new UptimeService(store, clock);
    cleanups.push(() => ocpi.stop());
    const handler: (req: IncomingMessage, res: ServerResponse) => void = createRequestHandler({
      auth,
      limiter,
      clientAddress: clientAddressOf(trustedProxies(opts.trustedProxies ?? [])),
      log,
      health: () => ({
        networkId: store.networkId,
        seq: store.seq,
        stationsConnected: ocpp.connectedStations().length,
      }),
      onLogout: (token) => consoles?.endSessions(token, 'signed out'),
      demo: opts.demo
        ? (action, body) => (demo ? demo.control(action, body) : Promise.reject(new Error('demo not running')))
        : null,
      mounts: [
        { matches: isOcpiPath, handle: ocpi.handle },
        { matches: isUptimeReportPath, handle: uptimeReportHandler({ store, auth, service: uptime, log }) },
        ...(opts.publicStatus
          ? [
              {
                matches: isPublicStatusPath,
                handle: createPublicStatus(store, clock, opts.publicStatus === true ? {} : opts.publicStatus),
              },
            ]
          : []),
      ],
    });
    const httpServer = opts.tls
      ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' }, handler)
      : createServer(handler);
    guardServer(httpServer, { consolePath: CONSOLE_SOCKET_PATH, ocppPath: OCPP_PATH, log });
    const io = new SocketServer(httpServer, {
      path: CONSOLE_SOCKET_PATH,
      maxHttpBufferSize: MAX_CONSOLE_MESSAGE_BYTES,
      serveClient: false,
      destroyUpgrade: false,
    });
    httpServer.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path.startsWith(`${OCPP_PATH}/`)) ocpp.handleUpgrade(req, socket, head);
      else if (!path.startsWith(CONSOLE_SOCKET_PATH)) socket.destroy();
    });
    const broadcaster = new Broadcaster(io, store, { coalesceMs: opts.coalesceMs ?? 50 });
    const fanout = new LivenessFanout(io, store.networkId, ocpp.liveness, clock, {
      ...DEFAULT_LIVENESS_FANOUT,
      ...opts.livenessFanout,
    });
    livenessFanout = fanout;
    cleanups.push(() => fanout.stop());
    const windowsFanout = new SeqFanout(
      io,
      CONSOLE_EVENTS.windows,
      store.networkId,
      store.seq,
      (seq) => ({ items: store.windows.changedSince(seq), seq: store.seq }),
      (networkId, windows) => ({ networkId, full: false, windows }),
    );
    const alertsFanout = new SeqFanout(
      io,
      CONSOLE_EVENTS.alerts,
      store.networkId,
      store.seq,
      (seq) => ({ items: store.alerts.changedSince(seq), seq: store.seq }),
      (networkId, alerts) => ({ networkId, full: false, alerts }),
    );
    cleanups.push(() => alertsFanout.stop());
    const webhooks = new WebhookDispatcher(store, leaderClock, log);
    cleanups.push(() => webhooks.stop());
    const alertRules = new AlertRuleBook(store.db, { ...DEFAULT_ALERT_RULES, ...opts.alertRules }, log);
    const alerts = new AlertEngine(store, leaderClock, alertRules.state().rules, {
      changed: () => {
        alertsFanout.changed();
        if (leaderClock.isLeading) webhooks.kick();
      },
      log,
      leads: () => leaderClock.isLeading,
    });
    alertEngine = alerts;
    cleanups.push(() => alerts.stop());
    const scheduler = new MaintenanceScheduler(store, leaderClock, {
      applied: (applied) => {
        broadcaster.flushForEdit(applied.length);
        delivery.afterApplied(applied);
      },
      windowsChanged: () => windowsFanout.changed(),
      stationsKeepUp: (limit, resume) => delivery.whenBacklogBelow(limit, resume),
      log,
    });
    cleanups.push(() => scheduler.stop());
    cleanups.push(() => windowsFanout.stop());
    const untils = new UntilReverts(store.db, store, leaderClock, {
      applied: (applied) => {
        broadcaster.flushForEdit(applied.length);
        delivery.afterApplied(applied);
      },
      log,
    });
    cleanups.push(() => untils.stop());
    consoles = new ConsoleGateway(io, {
      store,
      auth,
      onApplied: (applied) => {
        delivery.afterApplied(applied);
        scheduler.releaseChangedBy(applied);
      },
      windows: windowRequests(store, scheduler, clock),
      alerts: alertRequests(store, alerts, clock, {
        book: alertRules,
        changed: (rules) => {
          const message: Alerts = { networkId: store.networkId, full: false, alerts: [], rules };
          io.to(CONSOLES_ROOM).emit(CONSOLE_EVENTS.alerts, message);
        },
        log,
      }),
      onEdited: (points) => {
        broadcaster.flushForEdit(points);
        untils.rearm();
      },
      liveness: () => fanout.all(),
      uptime: uptimeRequests(uptime, log),
      partners: partnerRequests(ocpi, clock, log),
      deliveryAction: (req, actor) =>
        deliveryAction(store, delivery, req, actor, (applied) => {
          broadcaster.flushForEdit(applied.length);
          delivery.afterApplied(applied);
        }),
      log,
      sessionCheckMs: opts.sessionCheckMs,
      rateLimit: opts.consoleRateLimit,
    });
    const gateway = consoles;
    cleanups.push(() => gateway.stop());

    cleanups.push(async () => {
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
        httpServer.closeAllConnections();
      });
    });
    cleanups.push(async () => {
      broadcaster.stop();
      delivery.stop();
      await ocpp.close();
    });

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(opts.port, host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const port = (httpServer.address() as AddressInfo).port;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    const url = `${opts.tls ? 'https' : 'http'}://${shownHost}:${port}`;
    const ocppUrl = `${opts.tls ? 'wss' : 'ws'}://${shownHost}:${port}${OCPP_PATH}`;
    backendUrl = url;
    // Not on PostgreSQL: kept reads last a minute there (other backends write history), so reading ahead is wasted, and
    // an instance restarted in a cluster has its stations to take back first.
    if (opts.warmUptimeAfterMs !== undefined && store.db.dialect !== 'postgres') {
      const warm = () => {
        for (const days of VIEW_PERIOD_DAYS) {
          const t = performance.now();
          if (uptime.warm(recentDays(clock.now(), days))) {
            log(
              `history: the network's uptime of the last ${days} days read in ${Math.round(performance.now() - t)} ms`,
            );
          }
        }
      };
      const first = clock.after(opts.warmUptimeAfterMs, warm);
      const hourly = clock.every(UPTIME_WARM_EVERY_MS, warm);
      cleanups.push(() => (first.cancel(), hourly.cancel()));
    }
    // Windows that started or ended while no instance led are caught up on now, then run on the clock.
    const startLeaderWork = () => {
      leaderClock.lead();
      scheduler.start();
      untils.start();
      alerts.start();
      webhooks.kick(); // what was queued before a restart
      ocpi.start();
    };
    if (!cluster) startLeaderWork();
    else {
      let routedSeq = store.seq;
      const seen = new StationConnections(ocpp);
      stationsSeen = seen;
      // Other instances' windows, untils, alerts and webhooks: looked at once per LEADER_CATCH_UP_MS, not per commit.
      let leaderCatchUp: TimerHandle | null = null;
      // Alert rules a supervisor changed through another instance apply here too, at most a check later (the leader
      // runs them).
      let rulesVersion = alertRules.state().version;
      const adoptRules = () => {
        const now = alertRules.state();
        if (now.version === rulesVersion) return;
        rulesVersion = now.version;
        alerts.setRules(now.rules);
      };
      const catchUpAsLeader = () => {
        leaderCatchUp = null;
        scheduler.runDue();
        untils.rearm();
        webhooks.kick();
      };
      cleanups.push(() => leaderCatchUp?.cancel());
      // Consoles here see the liveness of stations other instances hold, at most a check (plus a fan-out) late.
      const followOthers = () => {
        try {
          ocpp.followOtherInstances();
          if (!cluster.isLeader) return;
          adoptRules();
          for (const [id, state] of seen.changes()) alerts.stationChanged(id, state);
        } catch (err) {
          log(`cluster: could not follow the other instances: ${(err as Error).message}`);
        }
      };
      followOthers();
      const following = clock.every(opts.clusterCheckMs ?? DEFAULT_CLUSTER_CHECK_MS, followOthers);
      cleanups.push(() => following.cancel());
      cluster.start({
        becameLeader: () => {
          // The rules in force, and what they were told here while another instance led, are set right before their
          // timers start.
          followOthers();
          startLeaderWork();
        },
        changesCommitted: () => {
          windowsFanout.changed();
          alertsFanout.changed();
          const upTo = store.seq;
          delivery.sendRouted(store.points.awaitingSendSince(routedSeq));
          routedSeq = upTo;
          if (cluster.isLeader) leaderCatchUp ??= clock.after(LEADER_CATCH_UP_MS, catchUpAsLeader);
        },
        stationsLost: (ids) => {
          for (const id of ids) {
            delivery.stationOffline(id);
            alerts.stationChanged(id, 'offline');
          }
        },
        storeLost: (err) => {
          leaderClock.follow();
          opts.onStoreLost?.(err);
        },
      });
    }

    let demoUsers: UserSpec[] = [];
    if (opts.demo) {
      // With TLS the in-process simulated stations (which would not trust a self-signed certificate) reach the
      // OCPP gateway over a private plain listener on loopback that serves nothing else.
      let demoOcppUrl = ocppUrl;
      if (opts.tls) {
        const inner = createServer((_req, res) => res.writeHead(404).end());
        inner.on('upgrade', (req, socket, head) => {
          const p = new URL(req.url ?? '/', 'http://localhost').pathname;
          if (p.startsWith(`${OCPP_PATH}/`)) ocpp.handleUpgrade(req, socket, head);
          else socket.destroy();
        });
        await new Promise<void>((resolve, reject) => {
          inner.once('error', reject);
          inner.listen(0, '127.0.0.1', () => resolve());
        });
        cleanups.push(
          () =>
            new Promise<void>((resolve) => {
              inner.close(() => resolve());
              inner.closeAllConnections();
            }),
        );
        demoOcppUrl = `ws://127.0.0.1:${(inner.address() as AddressInfo).port}${OCPP_PATH}`;
      }
      demo = await startDemo({ store, auth, ocppUrl: demoOcppUrl, options: opts.demoOptions ?? {}, log });
      demoUsers = demo.users;
      const running = demo;
      cleanups.push(() => running.stop());
    }

    return {
      url,
      port,
      host,
      ocppUrl,
      networkId: store.networkId,
      demoUsers,
      store,
      ocpp,
      stationWriter,
      delivery,
      demo,
      flushChanges: () => broadcaster.flush(),
      sentSeq: () => broadcaster.emittedSeq,
      flushLiveness: () => fanout.flush(),
      scheduler,
      alerts,
      alertRules,
      ocpi,
      cluster,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
