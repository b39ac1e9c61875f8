// Stations over OCPP-J (ocpp-rpc, strict mode): who may connect, what they report, and whether they are online.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import ocpp from 'ocpp-rpc';
import type { Clock } from '../../common/clock.js';
import { systemClock } from '../../common/clock.js';
import type { StationProtocol } from '../../common/model.js';
import { PROTOCOLS } from '../../common/model.js';
import type { LivenessState } from '../../common/status.js';
import type { Store } from '../store/index.js';
import { InvalidPointError } from '../store/points.js';
import type { StationCredential } from '../store/stations.js';
import type { Delivery, StationLink } from './delivery.js';
import { bootReply, parseBoot, parseStatus, simpleReply } from './handlers.js';
import { checkReportLayout } from './layout.js';
import { LivenessMonitor, livenessRules, type LivenessRules } from './liveness.js';
import { StationVerifier, stationPasswordProblem, type VerifierLimits } from './stationAuth.js';
import { DEFAULT_STATION_LIMITS, StationFrameGuard, guardStationFrames, type StationLimits } from './stationLimits.js';
import type { OcppPayload } from './payload.js';
import { STATION_COMMIT_WINDOW_MS, StationWriteBatch } from './stationWriteBatch.js';
import type { StationWriter } from './stationWriter.js';

const { RPCServer, createRPCError } = ocpp;
/** The server side of one station's connection (an RPCServerClient, which is an RPCClient). */
type RpcServerClient = InstanceType<typeof ocpp.RPCClient>;

export const OCPP_PATH = '/ocpp';
export const UNASSIGNED_SITE = { id: 'unassigned', name: 'Unassigned', city: '', address: '' };
const STATION_ID = /^[A-Za-z0-9._:@-]{1,100}$/;
/** Largest OCPP-J frame accepted from a station; a bigger one closes the connection (1009). */
export const MAX_OCPP_MESSAGE_BYTES = 256 * 1024;
/** Malformed or schema-invalid messages in a row after which a station's connection is closed. */
export const MAX_BAD_OCPP_MESSAGES = 20;

export interface OcppGatewayOptions {
  store: Store;
  /** SQLite: the thread that writes station reports (stationWriter.ts); null or absent: written in the turn's commit. */
  stationWriter?: StationWriter | null;
  /** How long station reports wait for others to share their commit (StationWriteBatch; 0: each turn's commit). */
  stationCommitWindowMs?: number;
  log: (line: string) => void;
  acceptUnknownStations: boolean;
  /**
   * Let registered stations that have no password connect without one (never to replace a live connection).
   * Off by default: such a station is refused until an admin sets its password. Logged loudly.
   */
  allowUnauthenticatedStations?: boolean;
  /** Per-connection message limits (stationLimits.ts). */
  stationLimits?: Partial<StationLimits>;
  /** How many station passwords are checked at a time. */
  stationVerifier?: Partial<VerifierLimits>;
  heartbeatIntervalSec: number;
  clock?: Clock;
  /** When stations are pinged, and called Silent and Offline (default: ping every 30 s, silent after 2, offline after 4). */
  liveness?: Partial<LivenessRules>;
  /** A station's liveness state changed (the consoles are told soon). */
  onLivenessChange?: () => void;
  /** Which station changed, and to what (alert rules). */
  onStationLiveness?: (stationId: string, state: LivenessState) => void;
}

export class OcppGateway implements StationLink {
  readonly rpc: InstanceType<typeof RPCServer>;
  private readonly clients = new Map<string, RpcServerClient>();
  /** When each EVSE's last report arrived (backend clock), keyed stationId + '\n' + evseId. */
  private readonly reportArrivals = new Map<string, number>();
  private readonly reasserted = new WeakSet<RpcServerClient>();
  readonly liveness: LivenessMonitor;
  private readonly clock: Clock;
  private delivery: Delivery | null = null;
  private closing = false;
  private readonly writes: StationWriteBatch;
  private readonly verifier: StationVerifier;
  private readonly limits: StationLimits;
  /** When a line about a station was last logged, per kind and station: refusals must not flood the log. */
  private readonly logged = new Map<string, number>();

  constructor(private readonly opts: OcppGatewayOptions) {
    this.writes = new StationWriteBatch(
      opts.store,
      opts.log,
      opts.stationWriter ?? null,
      opts.stationCommitWindowMs ?? STATION_COMMIT_WINDOW_MS,
    );
    this.verifier = new StationVerifier(opts.stationVerifier);
    this.limits = { ...DEFAULT_STATION_LIMITS, ...opts.stationLimits };
    if (opts.acceptUnknownStations) {
      opts.log(
        'ocpp: WARNING --accept-unknown-stations: any client may register as a new station (site "Unassigned"); a password it offers on its first connection becomes its password',
      );
    }
    if (opts.allowUnauthenticatedStations) {
      opts.log(
        'ocpp: WARNING stations without a password may connect unauthenticated: anyone who knows such a station id can report as it while it is offline',
      );
    }
    const withoutPassword = opts.store.stations.list().filter((st) => !st.password_set_at).length;
    if (withoutPassword > 0 && !opts.allowUnauthenticatedStations && !opts.acceptUnknownStations) {
      opts.log(
        `ocpp: ${withoutPassword} registered station(s) have no password and are refused until one is set (npm run backend -- station password ID; station list shows which)`,
      );
    }
    this.rpc = new RPCServer({
      protocols: [...PROTOCOLS],
      strictMode: true,
      callConcurrency: 1,
      // The liveness monitor pings on its own (injectable) clock and counts pongs as life.
      pingIntervalMs: 0,
      maxBadMessages: MAX_BAD_OCPP_MESSAGES,
      wssOptions: { maxPayload: MAX_OCPP_MESSAGE_BYTES },
    });
    this.rpc.auth((accept, reject, handshake) => this.authorise(accept, reject, handshake));
    this.rpc.on('client', (client: RpcServerClient) => this.onClient(client));
    this.rpc.on('error', (err: Error) => opts.log(`ocpp: server error: ${err.message}`));
    this.clock = opts.clock ?? systemClock;
    this.liveness = new LivenessMonitor(this.clock, livenessRules(opts.liveness?.pingIntervalMs, opts.liveness), {
      ping: (id) => this.ping(id),
      drop: (id, why) => this.drop(id, why),
      changed: () => opts.onLivenessChange?.(),
      // A connection here that went quiet or closed says nothing of a station another instance now holds.
      stationChanged: (id, state) => {
        if (state === 'online' || !this.opts.store.stations.heldElsewhere(id)) opts.onStationLiveness?.(id, state);
      },
    });
    for (const st of opts.store.stations.lastSeenAll()) this.liveness.known(st.id, st.last_seen);
  }

  setDelivery(delivery: Delivery): void {
    this.delivery = delivery;
  }

  get heartbeatMs(): number {
    return this.opts.heartbeatIntervalSec * 1000;
  }

  /** For the HTTP server's 'upgrade' event on OCPP_PATH/<stationId>. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    void this.rpc.handleUpgrade(req, socket as never, head);
  }

  /** Several instances: takes the liveness of the stations other instances hold from the store (docs/cluster.md). */
  followOtherInstances(): void {
    const others = this.opts.store.stations.heldByOthers();
    // The station connected to another instance since: the connection here is a dead one not noticed yet (a
    // half-open TCP connection, a load balancer that moved it). The newest connection wins, as on one instance.
    for (const id of others.keys()) if (this.clients.has(id)) this.drop(id, 'connected to another instance since');
    this.liveness.elsewhere(others);
  }

  livenessStates(): Map<string, LivenessState> {
    return this.liveness.states();
  }

  isConnected(stationId: string): boolean {
    return this.clients.has(stationId);
  }

  protocolOf(stationId: string): StationProtocol | null {
    const c = this.clients.get(stationId);
    return c ? (c.protocol as StationProtocol) : null;
  }

  async call(stationId: string, method: string, params: unknown, timeoutMs: number): Promise<unknown> {
    const c = this.clients.get(stationId);
    if (!c) throw new Error('station not connected');
    return c.call(method, params, { callTimeoutMs: timeoutMs });
  }

  connectedStations(): string[] {
    return [...this.clients.keys()];
  }

  reportedSince(stationId: string, evseId: number, since: number): boolean {
    return (this.reportArrivals.get(`${stationId}\n${evseId}`) ?? -Infinity) >= since;
  }

  reportsStored(): Promise<void> {
    return this.writes.stored();
  }

  /** Drops a station's connection (demo controls, tests). */
  async disconnect(stationId: string): Promise<void> {
    await this.clients.get(stationId)?.close({ code: 1000, reason: 'closed by backend', force: true });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.liveness.stop();
    try {
      await this.rpc.close({ code: 1001, reason: 'backend stopping', force: true });
    } finally {
      this.writes.flush();
      this.clients.clear();
    }
  }

  /**
   * Who may open a station connection (OCPP security profile 1: HTTP Basic, username = station id). A station with
   * a password must present it; one without is refused unless unauthenticated stations are allowed. A connection
   * for an id that is connected now replaces that connection only when it authenticated.
   */
  private async authorise(
    accept: (session?: Record<string, unknown>, protocol?: string | false) => void,
    reject: (code: number, message: string) => void,
    handshake: {
      identity: string;
      endpoint: string;
      protocols: Set<string>;
      password?: Buffer;
      remoteAddress?: string;
    },
  ): Promise<void> {
    const id = handshake.identity;
    if (handshake.endpoint !== OCPP_PATH || !STATION_ID.test(id)) return reject(404, 'not a station endpoint');
    const known = this.opts.store.stations.get(id);
    if (!known && !this.opts.acceptUnknownStations) {
      this.logOnce('unknown', id, `ocpp: refused unknown station ${id}`);
      return reject(404, 'unknown station');
    }
    const offered = handshake.protocols;
    const protocol = known && offered.has(known.protocol) ? known.protocol : PROTOCOLS.find((p) => offered.has(p));
    if (!protocol) return reject(400, 'no supported subprotocol: use ocpp1.6 or ocpp2.0.1');
    const password = handshake.password;
    let authenticated = false;
    let provision: StationCredential | null = null;
    const credential = known ? this.opts.store.stations.credential(id) : null;
    if (credential) {
      if (!password) return reject(401, 'this station must authenticate: HTTP Basic with its id and password');
      const ok = await this.verifier.verify(id, password, credential);
      if (ok === 'busy') return reject(503, 'too many station sign-ins at once: try again shortly');
      if (!ok) {
        this.logOnce(
          'auth',
          id,
          `ocpp: station ${id} failed to authenticate (wrong password) from ${handshake.remoteAddress ?? '?'}`,
        );
        return reject(401, 'wrong station id or password');
      }
      authenticated = true;
    } else if (!known) {
      // --accept-unknown-stations: a password offered on the first connection becomes the station's password.
      if (password && stationPasswordProblem(password) === null) {
        const hashed = await this.verifier.hash(password);
        if (hashed === 'busy') return reject(503, 'too many station sign-ins at once: try again shortly');
        provision = hashed;
        authenticated = true;
      }
    } else if (!this.opts.allowUnauthenticatedStations && !this.opts.acceptUnknownStations) {
      this.logOnce(
        'nopass',
        id,
        `ocpp: refused station ${id}: it has no password (set one: npm run backend -- station password ${id})`,
      );
      return reject(401, 'this station has no password set on the backend: ask an admin to set one');
    }
    if (!authenticated && this.clients.has(id)) {
      this.logOnce(
        'takeover',
        id,
        `ocpp: refused a second, unauthenticated connection for ${id} from ${handshake.remoteAddress ?? '?'}`,
      );
      return reject(409, 'this station is connected: only an authenticated connection may replace it');
    }
    accept(
      { stationId: id, authenticated, provision, registered: !!known, address: handshake.remoteAddress ?? null },
      protocol,
    );
  }

  /** Logs a line about a station at most once a minute per kind (refusals must not flood the log). */
  private logOnce(kind: string, id: string, line: string): void {
    const key = `${kind}\n${id}`;
    const now = Date.now();
    if (now - (this.logged.get(key) ?? -Infinity) < 60_000) return;
    if (this.logged.size > 10_000) this.logged.clear();
    this.logged.set(key, now);
    this.opts.log(line);
  }

  private onClient(client: RpcServerClient): void {
    const { store, log } = this.opts;
    const id = client.identity!;
    const protocol = client.protocol as StationProtocol;
    if (this.closing) {
      void client.close({ force: true });
      return;
    }
    const session = (client as unknown as { session: ConnectionSession }).session;
    const previous = this.clients.get(id);
    // Checked again now that the upgrade is done: checking a password takes time, and meanwhile another connection
    // for this id may have opened, or registered the (then unknown) station with its own password.
    const refusal =
      previous && !session.authenticated
        ? 'this station is connected: only an authenticated connection may replace it'
        : !session.registered && store.stations.get(id)
          ? 'this station was registered by another connection meanwhile: connect again'
          : null;
    if (refusal) {
      log(`ocpp: closed a new connection for ${id}: ${refusal}`);
      void client.close({ code: 1008, reason: refusal, force: true });
      return;
    }
    this.clients.set(id, client);
    const guard = new StationFrameGuard(this.limits, protocol === 'ocpp1.6' ? 'FormationViolation' : 'FormatViolation');
    guardStationFrames(client, guard, (why, closing) =>
      this.logOnce(
        'limit',
        id,
        `ocpp: station ${id}: refused a message (${why})${closing ? '; too many refused: connection closed' : ''}`,
      ),
    );
    if (previous) void previous.close({ code: 1000, reason: 'replaced by a new connection', force: true });
    // What the old connection reported and still waits for its commit (its window) is written before the new one.
    if (previous) this.writes.flush();
    const now = new Date(this.clock.now()).toISOString();
    const from = session.address ?? '?';
    try {
      this.recordConnect(id, protocol, session, previous !== undefined, now, from);
    } catch (err) {
      // Not recorded (the store failed or timed out), or recorded and what follows the commit failed: closed, so
      // that it connects again, and offline here until it does (only while the store records it here).
      this.clients.delete(id);
      log(`ocpp: could not record station ${id} as connected (${(err as Error).message}); closed its connection`);
      void client.close({ code: 1011, reason: 'backend could not record the connection: connect again', force: true });
      this.markOffline(id, 'its connection could not be recorded');
      return;
    }
    this.liveness.connected(id);
    if (previous) log(`ocpp: station ${id}: a new authenticated connection from ${from} replaced the connected one`);
    log(
      `ocpp: station ${id} connected (${protocol}, ${session.authenticated ? 'authenticated' : 'NOT authenticated'})`,
    );

    client.on('message', (e: { outbound: boolean }) => {
      if (!e.outbound && this.clients.get(id) === client) this.heard(id);
    });
    // ocpp-rpc emits 'ping' when a pong to our ping arrives: a station that only answers pings is alive. A station
    // may also ping us instead of sending Heartbeats (OCPP-J): that is life too.
    client.on('ping', () => {
      if (this.clients.get(id) === client) this.heard(id);
    });
    stationSocket(client)?.on('ping', () => {
      if (this.clients.get(id) === client) this.heard(id);
    });
    client.on('strictValidationFailure', (e: { method: string; outbound: boolean; isCall: boolean; error: Error }) => {
      const what = `${e.outbound ? 'to' : 'from'} ${id}: ${e.method} ${e.isCall ? 'call' : 'reply'}`;
      log(`ocpp: invalid message ${what}: ${e.error.message}`);
    });
    client.handle(async ({ method, params }) => this.onCall(client, id, protocol, method!, params ?? {}));
    client.on('close', () => {
      if (this.clients.get(id) !== client) return;
      this.clients.delete(id);
      if (!this.closing) this.markOffline(id, 'connection closed');
    });
  }

  /** Records the station as connected here: registered if unknown, its connection replaced if it had one. */
  private recordConnect(
    id: string,
    protocol: StationProtocol,
    session: ConnectionSession,
    replaced: boolean,
    now: string,
    from: string,
  ): void {
    const { store, log } = this.opts;
    store.changes.write('station connect', () => {
      const st = store.stations.getLocked(id);
      if (!st) {
        store.stations.upsertSite(UNASSIGNED_SITE);
        store.stations.insert({ id, siteId: UNASSIGNED_SITE.id, protocol, layout: 'learned' });
        if (session.provision) store.stations.setPassword(id, session.provision);
        log(
          `ocpp: registered unknown station ${id} (${protocol}) in site Unassigned, ${
            session.provision ? 'with the password it offered' : 'WITHOUT a password: anyone may connect as it'
          }`,
        );
      } else if (st.protocol !== protocol) {
        store.stations.recordBoot(id, st.vendor, st.model, protocol, st.booted_at ?? now);
      }
      if (replaced) {
        store.points.recordReplacement(
          id,
          now,
          `station:${id}`,
          `connection replaced by a new authenticated connection from ${from}`,
        );
      }
      store.points.setConnection(id, true, now, `station:${id}`);
    });
  }

  private async onCall(
    client: RpcServerClient,
    id: string,
    protocol: StationProtocol,
    method: string,
    params: OcppPayload,
  ): Promise<Record<string, unknown>> {
    const { store } = this.opts;
    const actor = `station:${id}`;
    if (!this.reasserted.has(client)) {
      this.reasserted.add(client);
      if (method !== 'BootNotification') this.scheduleReassert(id, client);
    }
    if (method === 'BootNotification') {
      const boot = parseBoot(protocol, params);
      store.stations.recordBoot(id, boot.vendor, boot.model, protocol, new Date().toISOString());
      this.scheduleReassert(id, client);
      return bootReply(Math.max(1, Math.round(this.opts.heartbeatIntervalSec)));
    }
    if (method === 'StatusNotification') {
      const r = parseStatus(protocol, params);
      // Refused alone, before anything is stored: ids outside the station's layout (layout.ts)…
      checkReportLayout(store, id, r);
      if (r.evseId === 0) {
        store.stations.setWholeStationStatus(id, r.rawStatus, r.errorCode, r.info, r.at);
      } else {
        this.reportArrivals.set(`${id}\n${r.evseId}`, this.clock.now());
        try {
          await this.writes.report({ stationId: id, evseId: r.evseId, report: r, actor });
        } catch (err) {
          // …and anything that would make a point the consoles' schema refuses (the store checks every write).
          if (err instanceof InvalidPointError) {
            this.logOnce('invalid', id, `ocpp: refused a report from ${id}: ${err.message}`);
            throw createRPCError('PropertyConstraintViolation', err.message, {});
          }
          throw err;
        }
        this.delivery?.afterReport(id, r.evseId, r.connectorId);
      }
      return {};
    }
    const reply = simpleReply(protocol, method, params);
    if (reply === null) throw createRPCError('NotSupported', `${method} is not supported by this backend`);
    return reply;
  }

  /** Sends the statuses the station should have, right after our reply to the message that triggered it. */
  private scheduleReassert(id: string, client: RpcServerClient): void {
    setTimeout(() => {
      if (this.clients.get(id) === client && !this.closing) this.delivery?.reassert(id);
    }, 0);
  }

  private heard(id: string): void {
    this.liveness.heard(id);
    this.writes.heard(id, new Date(this.clock.now()).toISOString());
  }

  private ping(id: string): void {
    const client = this.clients.get(id);
    const ws = client ? stationSocket(client) : null;
    try {
      if (ws && ws.readyState === 1) ws.ping();
    } catch (err) {
      this.opts.log(`ocpp: could not ping ${id}: ${(err as Error).message}`);
    }
  }

  /** Closes the connection of a station that answers nothing (liveness decided it is gone). */
  private drop(id: string, why: string): void {
    const client = this.clients.get(id);
    if (!client) return;
    this.clients.delete(id);
    this.markOffline(id, why);
    void client.close({ code: 1001, reason: 'nothing heard', force: true });
  }

  private markOffline(id: string, why: string): void {
    this.liveness.disconnected(id);
    this.opts.log(`ocpp: station ${id} offline (${why})`);
    this.writes.flush();
    const { store } = this.opts;
    try {
      // With several instances, only while this one holds it: the station may be connected to another already.
      store.points.setConnection(
        id,
        false,
        new Date(this.clock.now()).toISOString(),
        'system',
        store.stations.holder ?? undefined,
      );
      if (store.stations.heldElsewhere(id)) {
        this.opts.log(`ocpp: station ${id} is connected to another instance: it stays online`);
        this.liveness.elsewhere(store.stations.heldByOthers());
      }
    } catch (err) {
      this.opts.log(`ocpp: could not mark ${id} offline: ${(err as Error).message}`);
    }
    try {
      this.delivery?.stationOffline(id);
    } catch (err) {
      this.opts.log(`ocpp: could not mark what waited for ${id} as offline: ${(err as Error).message}`);
    }
  }
}

/** What authorise() hands to the connection (ocpp-rpc's session). */
interface ConnectionSession {
  stationId: string;
  /** The connection presented the station's password (or provisioned it at registration). */
  authenticated: boolean;
  /** A password offered at registration, hashed (--accept-unknown-stations). */
  provision: StationCredential | null;
  /** The station was registered when the upgrade was checked. */
  registered: boolean;
  address: string | null;
}

interface StationSocket {
  ping(): void;
  on(event: 'ping', listener: () => void): void;
  readyState: number;
}

/**
 * The WebSocket under a station's connection. ocpp-rpc (pinned) has no public ping and no event for a ping received;
 * its server client keeps the socket as _ws. tests/integration/station-liveness.test.ts fails if this stops working.
 */
function stationSocket(client: RpcServerClient): StationSocket | null {
  return (client as unknown as { _ws?: StationSocket })._ws ?? null;
}
