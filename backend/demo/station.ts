// One simulated charging station: its points' state, its OCPP-J connection (ocpp-rpc RPCClient) and the
// behaviour both protocols share. station16.ts and station201.ts supply the protocol's message shapes.
import { RPCClient } from 'ocpp-rpc';
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Connector } from '../../common/model.js';
import type { OcppPayload } from '../ocpp/payload.js';
import type { DemoStation } from './network.js';
import type { Rng } from './prng.js';

export type Availability = 'Inoperative' | 'Operative';
export type AvailabilityReply = 'Accepted' | 'Rejected' | 'Scheduled';

/** Where a point is in a charging session. */
export type SessionPhase = 'idle' | 'preparing' | 'charging' | 'finishing';

export interface Transaction {
  /** 1.6: the id the backend assigned; 2.0.1: the id the station made. */
  id: number | string;
  idTag: string;
  meterStart: number;
  startedAt: number;
  /** 2.0.1 TransactionEvent sequence number. */
  seqNo: number;
}

export interface SimPoint {
  evseId: number;
  connectors: Connector[];
  maxKw: number;
  phase: SessionPhase;
  /** Set by ChangeAvailability; survives reconnects. */
  inoperative: boolean;
  /** A ChangeAvailability answered Scheduled, applied when the session ends. */
  pending: Availability | null;
  fault: { errorCode: string; info: string | null } | null;
  tx: Transaction | null;
  meterWh: number;
  /** A session start or end is under way. */
  busy: boolean;
}

export interface StationEnv {
  url: string;
  /** Every timer and timestamp of the simulated network (a test's ManualClock runs hours of it in seconds). */
  clock: Clock;
  /** The station's password for HTTP Basic authentication (OCPP security profile 1), if it has one. */
  passwordOf?: (stationId: string) => string | undefined;
  timeScale: number;
  rng: Rng;
  log: (line: string) => void;
}

type Client = InstanceType<typeof RPCClient>;
type ClientOptions = ConstructorParameters<typeof RPCClient>[0];
type Handler = (call: { params?: OcppPayload }) => Promise<OcppPayload>;

/** How long a hung station (goesQuiet) takes to come back after the backend dropped it, in simulated ms. */
export const QUIET_REBOOT_SIM_MS = [90_000, 180_000] as const;
const CALL_TIMEOUT_MS = 30_000;
const DEFAULT_HEARTBEAT_S = 300;

export abstract class SimStation {
  readonly id: string;
  readonly points = new Map<number, SimPoint>();
  /** 1.6 connector 0 / the whole station was made Inoperative. */
  stationInoperative = false;
  /** Taken down by disconnect(); stays down until reconnect(). */
  manualDown = false;

  protected client: Client | null = null;
  protected online = false;
  /** What was last reported per point this connection (key 0: the station itself). */
  protected lastSent = new Map<number, string>();
  protected heartbeatS = DEFAULT_HEARTBEAT_S;

  private wantConnected = false;
  private stopped = false;
  private connecting: Promise<void> | null = null;
  private attempts = 0;
  private timers = new Set<TimerHandle>();
  private heartbeat: TimerHandle | null = null;
  private reconnectTimer: TimerHandle | null = null;
  private bootedOnce = false;
  /** Calls, connects and closes under way (see busy). */
  private underWay = 0;

  constructor(
    readonly station: DemoStation,
    protected readonly env: StationEnv,
  ) {
    this.id = station.id;
    for (const e of station.evses) {
      this.points.set(e.evseId, {
        evseId: e.evseId,
        connectors: e.connectors,
        maxKw: Math.max(7, ...e.connectors.map((c) => c.maxKw ?? 0)),
        phase: station.quirk === 'neverApplies' ? 'charging' : 'idle',
        inoperative: false,
        pending: null,
        fault: null,
        tx: null,
        meterWh: env.rng.int(100_000, 9_000_000),
        // A station that answers Scheduled for good has a session that never ends.
        busy: station.quirk === 'neverApplies',
      });
    }
  }

  /** How this station misbehaves on purpose (the demo's troubled site), or null. */
  get quirk() {
    return this.station.quirk ?? null;
  }

  // ---- what each protocol supplies ----
  protected abstract readonly subprotocol: 'ocpp1.6' | 'ocpp2.0.1';
  protected abstract bootParams(): Record<string, unknown>;
  /** The protocol's status value for a point as it is now. */
  protected abstract statusOf(p: SimPoint): string;
  protected abstract sendPointStatus(p: SimPoint, status: string): Promise<void>;
  /** 1.6 reports connector 0; 2.0.1 has nothing to report for the station as a whole. */
  protected abstract sendStationStatus(): Promise<void>;
  protected abstract txStart(p: SimPoint, idTag: string): Promise<Transaction>;
  protected abstract txEnd(p: SimPoint, tx: Transaction, reason: 'Local' | 'EmergencyStop' | 'Remote'): Promise<void>;
  protected abstract handlers(): Record<string, Handler>;

  get isOnline(): boolean {
    return this.online;
  }

  /** Something is under way on the connection: a call waiting for its answer, a connect or a close. */
  get busy(): boolean {
    return this.underWay > 0;
  }

  /** Now on the simulation's clock, as OCPP's timestamps want it. */
  protected isoNow(ms = this.env.clock.now()): string {
    return new Date(ms).toISOString();
  }

  private async tracked<T>(work: () => Promise<T>): Promise<T> {
    this.underWay++;
    try {
      return await work();
    } finally {
      this.underWay--;
    }
  }

  // ---- connection ----

  /** Connects (BootNotification, then every status); resolves once booted, rejects if this attempt failed. */
  connect(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error(`${this.id}: simulator stopped`));
    this.wantConnected = true;
    this.clearReconnect();
    if (this.connecting) return this.connecting;
    if (this.online) return Promise.resolve();
    this.connecting = this.tracked(() => this.openOnce()).finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** Closes the connection and stays away until connect(). `abrupt` drops it without a close handshake. */
  async disconnect(abrupt = false): Promise<void> {
    this.wantConnected = false;
    this.clearReconnect();
    const client = this.client;
    this.detach();
    if (client)
      await this.tracked(() =>
        client
          .close(abrupt ? { force: true } : { code: 1000, reason: 'station going away', awaitPending: true })
          .catch(() => undefined),
      );
  }

  /** Stops for good: closes the connection and clears every timer. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    await this.disconnect(true);
  }

  private async openOnce(): Promise<void> {
    const client = new RPCClient({
      endpoint: this.env.url,
      identity: this.id,
      protocols: [this.subprotocol],
      strictMode: true,
      reconnect: false,
      callTimeoutMs: CALL_TIMEOUT_MS,
      password: this.env.passwordOf?.(this.id),
      // A station that goes quiet does not even answer the backend's pings.
      wsOpts: { autoPong: this.quirk !== 'goesQuiet' },
    } as Partial<ClientOptions> as ClientOptions);
    this.client = client;
    this.lastSent.clear();
    client.on('close', () => this.onClosed(client));
    for (const [method, handler] of Object.entries(this.handlers())) client.handle(method, handler);
    try {
      await client.connect();
      await this.boot(client);
      this.attempts = 0;
      this.env.log(`${this.id}: connected (${this.subprotocol})`);
    } catch (err) {
      if (this.client === client) client.close({ force: true }).catch(() => undefined);
      throw new Error(`${this.id}: connect failed: ${(err as Error).message}`, { cause: err });
    }
  }

  private async boot(client: Client): Promise<void> {
    if (this.quirk === 'pingsOnly' && this.bootedOnce) {
      // Back at the network level without a BootNotification, and silent but for its answers to pings.
      this.online = true;
      return;
    }
    for (;;) {
      const reply = (await client.call('BootNotification', this.bootParams())) as { status: string; interval: number };
      if (this.client !== client) throw new Error('connection replaced');
      this.heartbeatS = reply.interval > 0 ? reply.interval : DEFAULT_HEARTBEAT_S;
      if (reply.status === 'Accepted') break;
      // Pending or Rejected: try again after the interval, as a real station would.
      await this.sleep(Math.min(this.heartbeatS, 60) * 1000);
      if (this.client !== client) throw new Error('connection replaced');
    }
    this.online = true;
    this.bootedOnce = true;
    this.startHeartbeat();
    await this.reportAll();
  }

  private onClosed(client: Client): void {
    if (client !== this.client) return;
    this.detach();
    this.env.log(`${this.id}: connection closed`);
    if (this.wantConnected && !this.stopped) this.scheduleReconnect();
  }

  private detach(): void {
    this.client = null;
    this.online = false;
    this.heartbeat?.cancel();
    this.heartbeat = null;
  }

  private scheduleReconnect(): void {
    this.clearReconnect();
    const backoff = Math.min(15_000, 1000 * 2 ** Math.min(this.attempts++, 4)) * this.env.rng.range(0.75, 1.25);
    // A station that went quiet was hung: it is back only after its watchdog rebooted it, minutes later (simulated
    // time), so it stays away past the offline alert's hold-off and the Alerts panel shows it raise and resolve.
    const delay =
      this.quirk === 'goesQuiet' ? this.env.rng.range(...QUIET_REBOOT_SIM_MS) / this.env.timeScale : backoff;
    this.reconnectTimer = this.env.clock.after(delay, () => {
      this.reconnectTimer = null;
      this.connect().catch((err: Error) => this.env.log(err.message));
    });
  }

  private clearReconnect(): void {
    this.reconnectTimer?.cancel();
    this.reconnectTimer = null;
  }

  private startHeartbeat(): void {
    this.heartbeat?.cancel();
    if (this.quirk === 'pingsOnly' || this.quirk === 'goesQuiet') return; // never a Heartbeat
    this.heartbeat = this.env.clock.every(this.heartbeatS * 1000, () => void this.send('Heartbeat', {}));
  }

  // ---- messages ----

  /** A call whose failure is only logged (the station reports everything again when it reconnects). */
  protected async send(method: string, params: Record<string, unknown>): Promise<OcppPayload | undefined> {
    const client = this.client;
    if (!client || !this.online) return undefined;
    try {
      return (await this.tracked(() => client.call(method, params))) as OcppPayload;
    } catch (err) {
      this.env.log(`${this.id}: ${method} failed: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** A call that must get through (transactions): throws when offline or on failure. */
  protected async call(method: string, params: Record<string, unknown>): Promise<OcppPayload> {
    const client = this.client;
    if (!client || !this.online) throw new Error(`${this.id} is not connected`);
    return (await this.tracked(() => client.call(method, params))) as OcppPayload;
  }

  /** Reports a point's status if it changed since the last report (or always, with force). */
  protected async report(p: SimPoint, force = false): Promise<void> {
    if (!this.online) return;
    const status = this.statusOf(p);
    if (!force && this.lastSent.get(p.evseId) === status) return;
    this.lastSent.set(p.evseId, status);
    await this.sendPointStatus(p, status);
  }

  protected async reportAll(): Promise<void> {
    await this.sendStationStatus();
    for (const p of this.points.values()) await this.report(p, true);
  }

  /** Replies go out first; the report follows a moment later (200–500 ms, scaled). */
  protected reportSoon(fn: () => Promise<unknown>, quick = false): void {
    const ms = quick ? 5 : this.env.rng.range(200, 500) / this.env.timeScale;
    this.later(() => void fn(), Math.max(5, ms));
  }

  // ---- behaviour shared by both protocols ----

  point(evseId: number): SimPoint {
    const p = this.points.get(evseId);
    if (!p) throw new Error(`${this.id} has no EVSE ${evseId}`);
    return p;
  }

  /** Whether a session could start on the point now. */
  canStart(p: SimPoint): boolean {
    return this.online && !p.busy && p.phase === 'idle' && !p.inoperative && !p.fault;
  }

  async startSession(evseId: number, idTag: string): Promise<void> {
    const p = this.point(evseId);
    if (!this.online) throw new Error(`${this.id} is not connected`);
    if (p.busy || p.phase !== 'idle') throw new Error(`${this.id}-${evseId} is already in a session`);
    if (p.fault) throw new Error(`${this.id}-${evseId} is faulted`);
    if (p.inoperative) throw new Error(`${this.id}-${evseId} is inoperative`);
    p.busy = true;
    try {
      p.phase = 'preparing';
      await this.report(p);
      p.tx = await this.txStart(p, idTag);
      p.phase = 'charging';
      await this.report(p);
    } catch (err) {
      if (!p.tx) p.phase = 'idle';
      throw err;
    } finally {
      p.busy = false;
    }
  }

  async endSession(evseId: number, reason: 'Local' | 'Remote' = 'Local'): Promise<void> {
    const p = this.point(evseId);
    if (p.busy) throw new Error(`${this.id}-${evseId} is busy`);
    if (p.phase === 'idle' || !p.tx) throw new Error(`${this.id}-${evseId} has no session`);
    p.busy = true;
    try {
      const tx = p.tx;
      p.phase = 'finishing';
      this.meterUp(p, tx);
      await this.report(p);
      await this.txEnd(p, tx, reason).catch((err: Error) =>
        this.env.log(`${this.id}: transaction end lost: ${err.message}`),
      );
      this.settle(p);
      await this.report(p);
    } finally {
      p.busy = false;
    }
  }

  /** The point reports Faulted (ending a running session) and stays so until recover(). */
  async fault(evseId: number, errorCode: string, info: string | null = null): Promise<void> {
    const p = this.point(evseId);
    if (p.busy) throw new Error(`${this.id}-${evseId} is busy`);
    p.fault = { errorCode, info };
    const tx = p.tx;
    if (tx) this.meterUp(p, tx);
    this.settle(p);
    await this.report(p);
    if (tx)
      await this.txEnd(p, tx, 'EmergencyStop').catch((err: Error) =>
        this.env.log(`${this.id}: transaction end lost: ${err.message}`),
      );
  }

  async recover(evseId: number): Promise<void> {
    const p = this.point(evseId);
    if (!p.fault) return;
    p.fault = null;
    await this.report(p);
  }

  /**
   * ChangeAvailability as a real station does it: evseId null = the whole station.
   * In a session → Scheduled (applied when it ends); otherwise Accepted and reported shortly after.
   */
  protected changeAvailability(evseId: number | null, want: Availability): AvailabilityReply {
    if (this.quirk === 'ignoresChanges') {
      this.env.log(`${this.id}: ChangeAvailability ${evseId ?? 'station'} ${want} → Accepted (and ignored)`);
      return 'Accepted';
    }
    if (this.quirk === 'neverApplies') return 'Scheduled';
    const targets = evseId === null ? [...this.points.values()] : [this.points.get(evseId)];
    if (targets.some((p) => p === undefined)) return 'Rejected';
    const inoperative = want === 'Inoperative';
    if (evseId === null) {
      this.stationInoperative = inoperative;
      this.reportSoon(() => this.sendStationStatus());
    }
    let scheduled = false;
    for (const p of targets as SimPoint[]) {
      if (p.phase !== 'idle' || p.busy) {
        p.pending = p.inoperative === inoperative ? null : want;
        if (p.pending) scheduled = true;
        else this.reportSoon(() => this.report(p, true));
      } else {
        p.pending = null;
        p.inoperative = inoperative;
        this.reportSoon(() => this.report(p, true));
      }
    }
    this.env.log(
      `${this.id}: ChangeAvailability ${evseId ?? 'station'} ${want} → ${scheduled ? 'Scheduled' : 'Accepted'}`,
    );
    return scheduled ? 'Scheduled' : 'Accepted';
  }

  /**
   * TriggerMessage, as both protocols answer it. `statusReport`: what a StatusNotification request reports (null: the
   * EVSE or connector asked for does not exist, Rejected); `bootParams`: what a triggered BootNotification carries.
   */
  protected triggered(
    requestedMessage: string,
    statusReport: (() => Promise<unknown>) | null,
    bootParams: Record<string, unknown>,
  ): { status: 'Accepted' | 'Rejected' | 'NotImplemented' } {
    const soon = (fn: () => Promise<unknown>) => {
      this.reportSoon(fn, true);
      return { status: 'Accepted' as const };
    };
    if (requestedMessage === 'StatusNotification') return statusReport ? soon(statusReport) : { status: 'Rejected' };
    if (requestedMessage === 'Heartbeat') return soon(() => this.send('Heartbeat', {}));
    if (requestedMessage === 'BootNotification') return soon(() => this.send('BootNotification', bootParams));
    return { status: 'NotImplemented' };
  }

  /** A remote start (1.6 RemoteStartTransaction, 2.0.1 RequestStartTransaction): on the EVSE asked for, or any free. */
  protected remoteStart(evseId: number | undefined, idTag: string): { status: 'Accepted' | 'Rejected' } {
    const p = evseId !== undefined ? this.points.get(evseId) : [...this.points.values()].find((q) => this.canStart(q));
    if (!p || !this.canStart(p)) return { status: 'Rejected' };
    this.reportSoon(() => this.startSession(p.evseId, idTag).catch((err: Error) => this.env.log(err.message)), true);
    return { status: 'Accepted' };
  }

  /** A remote stop (1.6 RemoteStopTransaction, 2.0.1 RequestStopTransaction) of a running session. */
  protected remoteStop(transactionId: number | string): { status: 'Accepted' | 'Rejected' } {
    const p = [...this.points.values()].find((q) => q.tx?.id === transactionId && !q.busy);
    if (!p) return { status: 'Rejected' };
    this.reportSoon(() => this.endSession(p.evseId, 'Remote').catch((err: Error) => this.env.log(err.message)), true);
    return { status: 'Accepted' };
  }

  /** The session is over: back to idle, and a scheduled availability change takes effect. */
  private settle(p: SimPoint): void {
    p.tx = null;
    p.phase = 'idle';
    if (p.pending) {
      p.inoperative = p.pending === 'Inoperative';
      p.pending = null;
    }
  }

  private meterUp(p: SimPoint, tx: Transaction): void {
    const hours = (this.env.clock.now() - tx.startedAt) / 3_600_000;
    const kw = Math.min(p.maxKw, 11 + p.maxKw * 0.5);
    p.meterWh = tx.meterStart + Math.round(kw * hours * this.env.timeScale * 1000);
  }

  // ---- timers ----

  protected later(fn: () => void, ms: number): void {
    if (this.stopped) return;
    const t = this.env.clock.after(ms, () => {
      this.timers.delete(t);
      fn();
    });
    this.timers.add(t);
  }

  protected sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(resolve, ms));
  }
}
