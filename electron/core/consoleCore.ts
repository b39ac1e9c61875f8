// The console core: the cache, the outbox and the link to the backend behind the one typed console API.
// It runs in Electron's main process and in the plain-Node web host alike; it never imports electron.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  type CacheRecovery,
  ConsoleApiError,
  type ConnectionState,
  type ConsoleEvent,
  type EventPayload,
  type MethodParams,
  type MethodResult,
  type PendingEdit,
  type ViewPoint,
} from '../../common/consoleApi.js';
import { roleAllows, type MutationOutcome, type Point, type StatusEdit } from '../../common/model.js';
import { mayEditAlertRules } from '../../common/alerts.js';
import { AlertsBook, alertRequestError } from './alertsBook.js';
import type { Db } from '../../node/db.js';
import { BulkUndo } from './bulkUndo.js';
import { openConsoleCache } from './cache/cacheRecovery.js';
import { FirstScreenOrder } from './cache/firstScreenOrder.js';
import { NetworkCache } from './cache/networkCache.js';
import { Outbox } from './cache/outbox.js';
import type { SettingsStore } from './settings.js';
import { BackendError, login } from './sync/backendLink.js';
import { revokeToken } from './sync/revokeToken.js';
import { LivenessBook } from './sync/livenessBook.js';
import { WindowQueue } from './cache/windowQueue.js';
import { ConsoleWindows } from './consoleWindows.js';
import {
  SyncEngine,
  type AvailabilityEvent,
  type AvailabilityReply,
  type AvailabilityRequest,
} from './sync/syncEngine.js';
import { backendUrlProblem } from './sync/transportPolicy.js';
import { UptimeFiguresCache } from './uptimeCache.js';
import { UptimeExports } from './uptimeExport.js';
import { FIRST_SCREEN_POINTS } from '../../common/firstScreen.js';
import { encodeNetworkColumns } from '../../common/networkWire.js';

export interface Credentials {
  username: string;
  password: string;
}

/** Where a host keeps the session token between starts (Electron: safeStorage; web host: memory only). */
export interface TokenStore {
  load(): string | null;
  save(token: string | null): void;
}

export const memoryTokenStore = (): TokenStore => {
  let token: string | null = null;
  return { load: () => token, save: (t) => void (token = t) };
};

export interface ConsoleCoreOptions {
  dataDir: string;
  backendUrl: string | null;
  /** Signs in with these by itself (the embedded demo backend's operator). */
  autoSignIn?: Credentials | null;
  /** Allow unencrypted (http://) backends that are not on loopback. Default false: such a backend is refused. */
  allowInsecure?: boolean;
  demo?: boolean;
  settings: SettingsStore;
  tokens?: TokenStore;
  log?: (line: string) => void;
  replayBatchSize?: number;
}

type Listener = <E extends ConsoleEvent>(event: E, payload: EventPayload<E>) => void;

export const CACHE_FILE = 'console-cache.sqlite';

export class ConsoleCore {
  private readonly db: Db;
  /** Set when the cache file was damaged at start and replaced: shown to the person until dismissed. */
  private cacheRecovery: CacheRecovery | null;
  readonly cache: NetworkCache;
  readonly outbox: Outbox;
  readonly bulk: BulkUndo;
  private readonly firstScreen: FirstScreenOrder;
  private firstScreenWarming = false;
  private engine: SyncEngine | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly liveness = new LivenessBook();
  /** The backend's alerts as last heard (kept while offline: a console that was away gets what it missed on return). */
  private readonly alerts = new AlertsBook();
  private readonly windows: ConsoleWindows;
  private readonly tokens: TokenStore;
  /** CSV exports from the backend's reports, written under the data folder's exports/. */
  readonly exports: UptimeExports;
  private readonly uptimeCache: UptimeFiguresCache;
  private signInError: string | null = null;
  private unreachable: string | null = null;
  private closed = false;
  private lastAutoRenew = 0;
  private connectionSeq = 0;
  private connectionSoon = false;
  /**
   * Edits the backend applied whose change has not reached the cache yet (the answer can arrive before the
   * batched delta): the row keeps showing the edit until the cache holds that operator version.
   */
  private readonly settling = new Map<string, { pending: PendingEdit; version: number }>();

  constructor(private readonly options: ConsoleCoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    const opened = openConsoleCache(path.join(options.dataDir, CACHE_FILE), options.log);
    this.db = opened.db;
    this.cacheRecovery = opened.recovery;
    this.cache = new NetworkCache(this.db);
    this.firstScreen = new FirstScreenOrder(this.cache);
    this.warmFirstScreen();
    this.outbox = new Outbox(this.db);
    this.windows = new ConsoleWindows(
      new WindowQueue(this.db),
      { send: (op) => (this.engine?.connected ? this.engine.windowRequest(op) : null) },
      (view) => this.emit('windows', view),
    );
    this.bulk = new BulkUndo(this.db);
    this.tokens = options.tokens ?? memoryTokenStore();
    this.uptimeCache = new UptimeFiguresCache(
      path.join(options.dataDir, 'uptime-figures.json'),
      options.log ?? (() => undefined),
    );
    this.exports = new UptimeExports(path.join(options.dataDir, 'exports'), (p) => this.emit('uptimeExport', p), {
      log: options.log,
    });
  }

  /** Connects to the backend (signing in first if needed). The cached network is usable before and without it. */
  async start(): Promise<void> {
    const url = this.options.backendUrl;
    if (!url) return;
    const problem = backendUrlProblem(url, this.options.allowInsecure ?? false);
    if (problem) {
      this.unreachable = problem;
      this.options.log?.(problem);
      this.emitConnection();
      return;
    }
    let token = this.tokens.load();
    if (!token && this.options.autoSignIn) {
      token = await this.signInWith(this.options.autoSignIn).catch((error: unknown) => {
        this.unreachable = (error as Error).message;
        return null;
      });
    }
    if (this.closed) return;
    if (!token) {
      this.emitConnection();
      if (this.options.autoSignIn) this.retryAutoSignIn();
      return;
    }
    this.startEngine(url, token);
  }

  private retryAutoSignIn(): void {
    const timer = setTimeout(() => {
      if (!this.closed && !this.engine) void this.start();
    }, 3000);
    timer.unref();
  }

  private startEngine(backendUrl: string, token: string): void {
    this.engine?.close();
    this.engine = new SyncEngine({
      backendUrl,
      token,
      cache: this.cache,
      outbox: this.outbox,
      replayBatchSize: this.options.replayBatchSize,
      log: this.options.log,
      renewToken: this.options.autoSignIn ? () => this.signInWith(this.options.autoSignIn!) : undefined,
      listener: {
        pointsChanged: (ids) => {
          this.emitPoints(ids);
          this.warmFirstScreen();
        },
        networkReplaced: () => {
          this.liveness.clear(); // another network's stations and windows: the full lists follow the catch-up
          this.windows.clear();
          this.alerts.clear();
          this.emit('reset', {});
          this.warmFirstScreen();
        },
        outcomes: (outcomes) => {
          this.noteSettling(outcomes);
          this.bulk.noteOutcomes(outcomes);
          for (const outcome of outcomes) this.emit('outcome', { outcome });
        },
        stateChanged: () => {
          if (engine.state === 'signedOut' && this.engine === engine) this.sessionLost();
          if (engine.state === 'live' && this.engine === engine) void this.windows.flush();
          this.emitConnection();
        },
        windows: (message) => this.windows.apply(message),
        alerts: (message) => {
          const { view, fresh } = this.alerts.apply(message);
          this.emit('alerts', view);
          if (fresh.length > 0) this.emit('newAlerts', { alerts: fresh });
        },
        invalidData: () => this.emit('invalidData', this.invalidData()),
        liveness: (message) => {
          const view = this.liveness.apply(message, Date.now());
          if (view.full || view.stations.length > 0) this.emit('liveness', view);
        },
      },
    });
    const engine = this.engine;
    this.engine.start();
  }

  /**
   * The backend ended this console's session (signed out elsewhere, expired, user disabled) or refused its token:
   * the console is read-only at once; its queued edits stay in the outbox and go out after the next sign-in.
   * The dead token is forgotten. Against the embedded demo the console signs in again by itself.
   */
  private sessionLost(): void {
    this.tokens.save(null);
    if (!this.options.demo || !this.options.autoSignIn || this.closed) return;
    const now = Date.now();
    if (now - this.lastAutoRenew < 30_000) return;
    this.lastAutoRenew = now;
    const timer = setTimeout(() => {
      if (this.closed || this.engine?.state !== 'signedOut') return;
      void this.signInWith(this.options.autoSignIn!)
        .then((token) => {
          if (!this.closed && this.engine?.state === 'signedOut') this.startEngine(this.options.backendUrl!, token);
        })
        .catch((error: unknown) => this.options.log?.(`demo sign-in failed: ${(error as Error).message}`));
    }, 1000);
    timer.unref();
  }

  /** True while the backend has ended this console's session: edits are refused until someone signs in. */
  get signedOut(): boolean {
    return (this.engine ? this.engine.state : this.idleState()) === 'signedOut';
  }

  private assertCanEdit(): void {
    if (this.signedOut) {
      throw new ConsoleApiError(
        'forbidden',
        'Signed out: this console is read-only until you sign in again. Queued edits are kept.',
      );
    }
  }

  private async signInWith(credentials: Credentials): Promise<string> {
    const reply = await login(this.options.backendUrl!, credentials.username, credentials.password);
    this.tokens.save(reply.token);
    this.signInError = null;
    this.unreachable = null;
    return reply.token;
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit<E extends ConsoleEvent>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  private noteSettling(outcomes: MutationOutcome[]): void {
    for (const outcome of outcomes) {
      const edit = this.outbox.editOf(outcome.mutationId);
      if (!edit) continue;
      for (const point of outcome.points) {
        if (point.result !== 'applied' || point.operatorVersion === null) continue;
        if ((this.cache.point(point.pointId)?.operator.version ?? 0) >= point.operatorVersion) continue;
        this.settling.set(point.pointId, {
          version: point.operatorVersion,
          pending: {
            mutationId: outcome.mutationId,
            edit,
            state: 'sending',
            createdAt: outcome.processedAt,
            error: null,
            theirs: null,
          },
        });
      }
    }
  }

  /** This console's overlay per point (every point, or the given ones): its outbox, then edits applied but not yet
   *  seen in a delta. */
  private overlays(pointIds?: readonly string[]): Map<string, PendingEdit> {
    const overlays = this.outbox.overlays(pointIds);
    const wanted = pointIds ? new Set(pointIds) : null;
    for (const [id, settling] of this.settling) {
      if (wanted && !wanted.has(id)) continue;
      if ((this.cache.point(id)?.operator.version ?? Infinity) >= settling.version) this.settling.delete(id);
      else if (!overlays.has(id)) overlays.set(id, settling.pending);
    }
    return overlays;
  }

  /** Chooses the first screen's points in idle time (at start, and after the network's layout changed), so a page
   *  that opens gets them at once. */
  private warmFirstScreen(): void {
    if (this.firstScreenWarming || this.firstScreen.isCurrent(FIRST_SCREEN_POINTS)) return;
    this.firstScreenWarming = true;
    setTimeout(() => {
      this.firstScreenWarming = false;
      if (!this.closed) this.firstScreen.points(FIRST_SCREEN_POINTS);
    }, 0).unref();
  }

  private emitPoints(ids: string[]): void {
    if (ids.length === 0) return;
    const unique = [...new Set(ids)];
    const overlays = this.overlays(unique);
    const points: ViewPoint[] = [];
    for (const id of unique) {
      const point = this.cache.point(id);
      if (point) points.push({ ...point, pending: overlays.get(id) ?? null });
    }
    if (points.length > 0) this.emit('points', { points, sites: [] });
  }

  private emitConnection(): void {
    if (this.closed) return;
    this.emit('connection', this.connection());
  }

  /** One connection event for every edit queued in this turn (a loop of saves counts the outbox once, not per save). */
  private emitConnectionSoon(): void {
    if (this.connectionSoon) return;
    this.connectionSoon = true;
    queueMicrotask(() => {
      this.connectionSoon = false;
      this.emitConnection();
    });
  }

  getConnection(): ConnectionState {
    return this.connection();
  }

  connection(): ConnectionState {
    const counts = this.outbox.counts();
    const engine = this.engine;
    return {
      state: engine ? engine.state : this.idleState(),
      backendUrl: this.options.backendUrl,
      demo: this.options.demo ?? false,
      lastSyncAt: this.cache.position().lastSyncAt,
      queued: counts.queued,
      conflicts: counts.conflicts,
      seq: ++this.connectionSeq,
      session: engine?.session ?? null,
      error:
        engine?.error ??
        this.signInError ??
        this.unreachable ??
        (this.idleState() === 'signedOut'
          ? `Sign in to ${this.options.backendUrl} to see the live network. Read-only until then.`
          : null),
    };
  }

  /** The state while no engine runs: signed out (someone must sign in), offline, or still signing in by itself. */
  private idleState(): ConnectionState['state'] {
    if (this.signInError) return 'signedOut';
    if (this.unreachable || !this.options.backendUrl) return 'offline';
    return this.options.autoSignIn ? 'connecting' : 'signedOut';
  }

  // ---- the console API (params already validated by the dispatcher) ----

  getNetwork(params: MethodParams<'getNetwork'> = {}): MethodResult<'getNetwork'> {
    const { head, points, overlays } = this.network(params.limit);
    return { ...head, points: points.map((point) => ({ ...point, pending: overlays.get(point.id) ?? null })) };
  }

  /** The network as the page asks for it: in columns (common/networkWire.ts), built straight from the cache. */
  getNetworkColumns(params: MethodParams<'getNetworkColumns'> = {}): MethodResult<'getNetworkColumns'> {
    const { head, points, overlays } = this.network(params.limit);
    return encodeNetworkColumns(head, points, overlays);
  }

  /** The whole network, or its first `limit` points in the grid's default order, with this console's overlays. */
  private network(limit: number | undefined) {
    const position = this.cache.position();
    const total = this.cache.pointCount();
    const points = limit !== undefined && limit < total ? this.firstScreen.points(limit) : this.cache.points();
    const head = { sites: this.cache.sites(), total, seq: position.seq, lastSyncAt: position.lastSyncAt };
    return { head, points, overlays: this.overlays() };
  }

  /** How many syncs the cache made for edits saved together (each for every edit saved in its turn). */
  get editSyncs(): number {
    return this.db.groupSyncs;
  }

  /** Resolves once the edit is on disk (saved locally); edits made in the same turn share one sync. */
  async setStatus(params: MethodParams<'setStatus'>): Promise<MethodResult<'setStatus'>> {
    this.assertCanEdit();
    const role = this.engine?.session?.role;
    if (role && !roleAllows(role, params.pointIds.length > 1 ? 'bulkEdit' : 'edit')) {
      throw new ConsoleApiError(
        'forbidden',
        `a ${role} may not ${params.pointIds.length > 1 ? 'change several points at once' : 'change a point'}`,
      );
    }
    const targets: { pointId: string; serverVersion: number }[] = [];
    for (const pointId of new Set(params.pointIds)) {
      const point = this.cache.point(pointId);
      if (!point) throw new ConsoleApiError('notFound', `unknown point ${pointId}`);
      targets.push({ pointId, serverVersion: point.operator.version });
    }
    const before = this.bulk.capture(
      targets.map((t) => t.pointId),
      (id) => this.cache.point(id)?.operator ?? null,
      this.outbox.overlays(targets.map((t) => t.pointId)),
    );
    const edit = params.edit as StatusEdit;
    const mutationId = await this.bulk.saveAndRemember(
      () => this.outbox.queue(edit, targets, new Date().toISOString()),
      edit,
      before,
    );
    this.outbox.onDisk(mutationId);
    // Closed while the sync ran: the edit is saved (closing the cache synced it) and is sent at the next start.
    if (this.closed) return { mutationId, queued: targets.length };
    this.emitPoints(targets.map((t) => t.pointId));
    this.emitConnectionSoon();
    void this.engine?.flushOutbox().catch(() => undefined);
    return { mutationId, queued: targets.length };
  }

  /** Restores what bulk change(s) replaced, as one action (see bulkUndo.ts). */
  undoBulk(params: MethodParams<'undoBulk'>): MethodResult<'undoBulk'> {
    this.assertCanEdit();
    return this.bulk.undo(params.mutationIds ?? [params.mutationId!], {
      role: this.engine?.session?.role ?? null,
      currentVersion: (id) => this.cache.point(id)?.operator.version ?? null,
      enqueue: (edit, targets) => this.outbox.enqueue(edit, targets, new Date().toISOString()),
      queued: (ids) => {
        this.emitPoints(ids);
        this.emitConnection();
        void this.engine?.flushOutbox().catch(() => undefined);
      },
    });
  }

  async getAlerts(): Promise<MethodResult<'getAlerts'>> {
    return this.alerts.view();
  }

  async alertAction(params: MethodParams<'alertAction'>): Promise<MethodResult<'alertAction'>> {
    this.assertCanEdit();
    if (!this.engine?.connected)
      throw new ConsoleApiError(
        'offline',
        'alerts are acknowledged and resolved on the backend: try again when the console is online',
      );
    const reply = await this.engine.alertAction(params).catch((error: unknown) => {
      throw alertRequestError(error);
    });
    if (!('alert' in reply))
      throw new ConsoleApiError('internal', 'the backend answered an alert action without the alert');
    this.alerts.set(reply.alert);
    return { alert: reply.alert };
  }

  async setAlertRules(params: MethodParams<'setAlertRules'>): Promise<MethodResult<'setAlertRules'>> {
    this.assertCanEdit();
    const role = this.engine?.session?.role;
    if (role && !mayEditAlertRules(role))
      throw new ConsoleApiError('forbidden', `only a supervisor may change the alert rules; a ${role} may read them`);
    if (!this.engine?.connected)
      throw new ConsoleApiError(
        'offline',
        'alert rules are changed on the backend: try again when the console is online',
      );
    const reply = await this.engine.alertAction({ action: 'setRules', ...params }).catch((error: unknown) => {
      throw alertRequestError(error);
    });
    if (!('rules' in reply))
      throw new ConsoleApiError('internal', 'the backend answered a change of the rules without them');
    this.alerts.setRules(reply.rules);
    this.emit('alerts', { full: false, alerts: [], rules: reply.rules });
    return reply.rules;
  }

  async getInvalidData(): Promise<MethodResult<'getInvalidData'>> {
    return this.invalidData();
  }

  private invalidData(): MethodResult<'getInvalidData'> {
    const points = [...(this.engine?.invalidPoints ?? new Map<string, string>())].map(([pointId, problem]) => ({
      pointId,
      problem,
    }));
    return { points: points.slice(0, 100_000) };
  }

  async getWindows(): Promise<MethodResult<'getWindows'>> {
    return this.windows.view();
  }

  async planWindow(params: MethodParams<'planWindow'>): Promise<MethodResult<'planWindow'>> {
    this.assertCanEdit();
    return this.windows.plan(params);
  }

  async changeWindow(params: MethodParams<'changeWindow'>): Promise<MethodResult<'changeWindow'>> {
    this.assertCanEdit();
    return this.windows.change(params);
  }

  async cancelWindow(params: MethodParams<'cancelWindow'>): Promise<MethodResult<'cancelWindow'>> {
    this.assertCanEdit();
    return this.windows.cancel(params);
  }

  async dismissWindowOp(params: MethodParams<'dismissWindowOp'>): Promise<MethodResult<'dismissWindowOp'>> {
    return { dismissed: this.windows.dismiss(params.opId) };
  }

  async getLiveness(): Promise<MethodResult<'getLiveness'>> {
    return { full: true, stations: this.liveness.all() };
  }

  async deliveryAction(params: MethodParams<'deliveryAction'>): Promise<MethodResult<'deliveryAction'>> {
    this.assertCanEdit();
    if (!this.engine?.connected) {
      throw new ConsoleApiError(
        'offline',
        're-sending or withdrawing a change needs the backend: try again when the console is online',
      );
    }
    try {
      return await this.engine.deliveryAction(params);
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      if (error.code === 'notFound' || error.code === 'invalid') throw new ConsoleApiError(error.code, error.message);
      if (error.code === 'unauthenticated' || error.code === 'forbidden')
        throw new ConsoleApiError('forbidden', error.message);
      throw new ConsoleApiError('offline', `the backend did not take it: ${error.message}`);
    }
  }

  async getHistory(params: MethodParams<'getHistory'>): Promise<MethodResult<'getHistory'>> {
    if (!this.engine?.connected)
      throw new ConsoleApiError(
        'offline',
        'history comes from the backend: it is available when the console is online',
      );
    try {
      return { entries: await this.engine.history(params.pointId, params.limit ?? 50) };
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      // The backend's refusal, in words the renderer can show (never an internal error for a plain "no such point").
      if (error.code === 'notFound' || error.code === 'invalid') throw new ConsoleApiError(error.code, error.message);
      if (error.code === 'unauthenticated' || error.code === 'forbidden')
        throw new ConsoleApiError('forbidden', error.message);
      throw new ConsoleApiError('offline', `history is not available right now: ${error.message}`);
    }
  }

  async getTimeline(params: MethodParams<'getTimeline'>): Promise<MethodResult<'getTimeline'>> {
    return this.availability('timeline', params);
  }

  /** Offline, the last figures computed for the same question come from the cache, marked with their time. */
  async getUptime(params: MethodParams<'getUptime'>): Promise<MethodResult<'getUptime'>> {
    try {
      const reply = await this.availability('uptime', params);
      this.uptimeCache.remember(params, reply, new Date());
      return reply;
    } catch (error) {
      const cached =
        error instanceof ConsoleApiError && error.code === 'offline' ? this.uptimeCache.recall(params) : null;
      if (cached) return cached;
      throw error;
    }
  }

  /** `saveTo`: the file the desktop's save dialog chose (never from the renderer); else one under exports/. */
  async startUptimeExport(
    params: MethodParams<'startUptimeExport'>,
    saveTo?: string,
  ): Promise<MethodResult<'startUptimeExport'>> {
    const token = this.tokens.load();
    if (!this.engine?.connected || !token || !this.options.backendUrl)
      throw new ConsoleApiError('offline', 'an export comes from the backend: it can start when the console is online');
    return this.exports.start(params, { url: this.options.backendUrl, token }, saveTo);
  }

  async cancelUptimeExport(params: MethodParams<'cancelUptimeExport'>): Promise<MethodResult<'cancelUptimeExport'>> {
    return { cancelled: this.exports.cancel(params.exportId) };
  }

  async excludeOutage(params: MethodParams<'excludeOutage'>): Promise<MethodResult<'excludeOutage'>> {
    this.assertCanEdit();
    return this.availability('excludeOutage', params);
  }

  async getPartners(params: MethodParams<'getPartners'>): Promise<MethodResult<'getPartners'>> {
    return this.partnerRequest((engine) => engine.partnerRequest('partners', params));
  }

  async getPointPartners(params: MethodParams<'getPointPartners'>): Promise<MethodResult<'getPointPartners'>> {
    return this.partnerRequest((engine) => engine.partnerRequest('pointPartners', params));
  }

  async partnerAction(params: MethodParams<'partnerAction'>): Promise<MethodResult<'partnerAction'>> {
    return this.partnerRequest((engine) => engine.partnerRequest('partnerAction', params));
  }

  /** Roaming partners live on the backend (admins only, checked there): refusals in words the renderer can show. */
  private async partnerRequest<T>(send: (engine: SyncEngine) => Promise<T>): Promise<T> {
    if (!this.engine?.connected)
      throw new ConsoleApiError('offline', 'roaming partners are managed on the backend: available when online');
    try {
      return await send(this.engine);
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      if (error.code === 'notFound' || error.code === 'invalid') throw new ConsoleApiError(error.code, error.message);
      if (error.code === 'unauthenticated' || error.code === 'forbidden')
        throw new ConsoleApiError('forbidden', error.message);
      throw new ConsoleApiError('offline', `the backend did not answer: ${error.message}`);
    }
  }

  /** Availability comes from the backend's history: refusals in words the renderer can show. */
  private async availability<E extends AvailabilityEvent>(
    event: E,
    params: AvailabilityRequest<E>,
  ): Promise<AvailabilityReply<E>> {
    if (!this.engine?.connected)
      throw new ConsoleApiError(
        'offline',
        'availability comes from the backend: it is available when the console is online',
      );
    try {
      return await this.engine.availability(event, params);
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      if (error.code === 'notFound' || error.code === 'invalid') throw new ConsoleApiError(error.code, error.message);
      if (error.code === 'unauthenticated' || error.code === 'forbidden')
        throw new ConsoleApiError('forbidden', error.message);
      throw new ConsoleApiError('offline', `availability is not available right now: ${error.message}`);
    }
  }

  getCacheRecovery(): MethodResult<'getCacheRecovery'> {
    return this.cacheRecovery;
  }

  dismissCacheRecovery(): MethodResult<'dismissCacheRecovery'> {
    const dismissed = this.cacheRecovery !== null;
    this.cacheRecovery = null;
    return { dismissed };
  }

  listOutbox(): MethodResult<'listOutbox'> {
    return { items: this.outbox.list() };
  }

  discardQueued(params: MethodParams<'discardQueued'>): MethodResult<'discardQueued'> {
    const item = this.outbox.list().find((i) => i.mutationId === params.mutationId);
    if (!item) throw new ConsoleApiError('notFound', `no queued edit ${params.mutationId}`);
    if (item.state === 'sending') throw new ConsoleApiError('invalid', 'this edit is being sent; wait for its outcome');
    const pointIds = this.outbox.discard(params.mutationId);
    this.emitPoints(pointIds);
    this.emitConnection();
    return { discarded: pointIds.length };
  }

  resolveConflict(params: MethodParams<'resolveConflict'>): MethodResult<'resolveConflict'> {
    const conflicts = this.outbox.conflictsOf(params.mutationId);
    const edit = this.outbox.editOf(params.mutationId);
    if (!edit || conflicts.length === 0)
      throw new ConsoleApiError('notFound', `no conflict for edit ${params.mutationId}`);
    const touched = this.outbox.discard(params.mutationId);
    let mutationId: string | null = null;
    if (params.choice === 'keepMine') {
      mutationId = this.outbox.enqueue(
        edit,
        conflicts.map((c) => ({
          pointId: c.pointId,
          serverVersion: Math.max(c.theirs.version, this.cache.point(c.pointId)?.operator.version ?? 0),
        })),
        new Date().toISOString(),
      );
      void this.engine?.flushOutbox().catch(() => undefined);
    }
    this.emitPoints(touched);
    this.emitConnection();
    return { mutationId };
  }

  getSettings(): MethodResult<'getSettings'> {
    return this.options.settings.get();
  }

  updateSettings(params: MethodParams<'updateSettings'>): MethodResult<'updateSettings'> {
    return this.options.settings.set(params);
  }

  async signIn(params: MethodParams<'signIn'>): Promise<MethodResult<'signIn'>> {
    if (!this.options.backendUrl) throw new ConsoleApiError('invalid', 'no backend is configured');
    const problem = backendUrlProblem(this.options.backendUrl, this.options.allowInsecure ?? false);
    if (problem) throw new ConsoleApiError('forbidden', problem);
    try {
      const token = await this.signInWith(params);
      this.startEngine(this.options.backendUrl, token);
    } catch (error) {
      this.signInError = (error as Error).message;
      if (error instanceof BackendError && (error.code === 'unauthenticated' || error.code === 'rateLimited')) {
        throw new ConsoleApiError('forbidden', error.message);
      }
      if (error instanceof BackendError && error.code === 'invalid')
        throw new ConsoleApiError('invalid', error.message);
      throw new ConsoleApiError('offline', (error as Error).message);
    }
    return this.connection();
  }

  /**
   * Forgets the token here at once (read-only from this moment), then asks the backend to revoke it. When the backend
   * cannot be told, the token is still forgotten here, and stays valid on the backend until it expires.
   */
  async signOut(): Promise<MethodResult<'signOut'>> {
    const token = this.tokens.load();
    this.tokens.save(null);
    this.engine?.close();
    this.engine = null;
    this.signInError = 'Signed out';
    this.emitConnection();
    if (token && this.options.backendUrl) {
      const result = await revokeToken(this.options.backendUrl, token);
      if (!result.revoked)
        this.options.log?.(`sign-out: ${result.why}; the session ends on the backend when it expires`);
    }
    return this.connection();
  }

  /** Exposed for tests and the web host's health check. */
  engineState(): SyncEngine | null {
    return this.engine;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.exports.close();
    this.engine?.close();
    this.listeners.clear();
    // The last figures computed are written after their reply went on: at quit, that write is not cut short.
    await this.uptimeCache.written();
    this.db.close();
  }
}

export type { MutationOutcome, Point };
