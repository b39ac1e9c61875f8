// The renderer's state: every point in a Map by id, updated in place from `points` events, batched to one
// flush per animation frame at most (station reports alone: at most every 100 ms, see flushScheduler.ts).
// Components read it through useSyncExternalStore (see useStore.ts); the row model is derived from it
// (model/rows.ts) and memoised on pointsVersion.
import type {
  ConnectionState,
  ConsoleApi,
  EventPayload,
  LivenessView,
  QueuedWindowOpView,
  StationLiveness,
  ViewPoint,
  WindowOpNotice,
  WindowsView,
} from '../../../common/consoleApi.js';
import type { MaintenanceWindow } from '../../../common/windows.js';
import type { MutationOutcome, Site } from '../../../common/model.js';
import type { Transport, TransportStatus } from '../api/transport.js';
import { FIRST_SCREEN_PARAMS } from '../../../common/firstScreen.js';
import { decodeNetworkColumns, type NetworkColumns } from '../../../common/networkWire.js';
import { FLASH_MS } from '../model/flash.js';
import type { Scheduler } from './flushScheduler.js';
import { pacedFrameScheduler } from './flushScheduler.js';
import { LivenessTable, newChange } from './livenessTable.js';
import { mergeWindows } from '../model/windows.js';
import { NO_PLANNED_ATTENTION, plannedAttention, type PlannedAttention } from '../model/plannedAttention.js';

export interface Flash {
  /** When the point's latest visible change came (Date.now()): its highlight's steps count from here. */
  at: number;
}

export interface StoreState {
  loaded: boolean;
  loading: boolean;
  loadError: string | null;
  /** While a large network is still arriving after its first screen: how many points are here, of how many. */
  loadProgress: LoadProgress | null;
  points: ReadonlyMap<string, ViewPoint>;
  pointsVersion: number;
  /** The point ids the flush that made pointsVersion changed (null after a reload): lets the row model update incrementally. */
  changed: { version: number; ids: readonly string[] } | null;
  /** How many times the whole network was loaded (first load, reloads): work done once per network keys on it. */
  networkLoads: number;
  sites: ReadonlyMap<string, Site>;
  sitesVersion: number;
  /** Ids of points whose pending edit is in conflict; kept as changes arrive, so nobody scans every point. */
  conflictIds: ReadonlySet<string>;
  /** Point id → last live change, for the brief highlight. */
  flashes: ReadonlyMap<string, Flash>;
  connection: ConnectionState | null;
  transport: TransportStatus;
  lastSyncAt: string | null;
  /** Outcomes of mutations, newest first (a few). */
  outcomes: readonly MutationOutcome[];
  /** Station id → liveness as the backend decided it (updated in place; livenessVersion says when). A station not
   *  in it (none heard yet, the console started offline) falls back to its points' stationConnected. */
  liveness: ReadonlyMap<string, StationLiveness>;
  livenessVersion: number;
  /** Maintenance windows by id (planned, running, and those ended or cancelled in the last 7 days), updated in
   *  place from `windows` events; windowsVersion says when. */
  windows: ReadonlyMap<string, MaintenanceWindow>;
  windowsVersion: number;
  /** This console's window requests not yet answered (queued) or refused (failed). */
  windowsQueued: readonly QueuedWindowOpView[];
  /** Requests kept here while offline that took effect at once when they got through: shown until dismissed. */
  windowNotices: readonly WindowOpNotice[];
  /** How many of those wait for the person (refused requests, notices): the Planned button's badge. */
  plannedAttention: PlannedAttention;
}

export interface LoadProgress {
  loaded: number;
  total: number;
}

/** Resolves after the next frame is painted (or soon, where frames do not run: hidden tabs, tests). */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => setTimeout(resolve, 0);
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(done);
    setTimeout(resolve, 100);
  });
}

export class ConsoleStore {
  private state: StoreState;
  private readonly pointsMap = new Map<string, ViewPoint>();
  private readonly sitesMap = new Map<string, Site>();
  private readonly flashMap = new Map<string, Flash>();
  private readonly conflictSet = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private queuedPoints: { p: ViewPoint; flash: boolean }[] = [];
  private queuedSites: Site[] = [];
  /** The latest connection state not yet applied: it comes with every live batch (its last sync time), and applying
   *  it in the same frame as the batch's points makes one render of the two. */
  private queuedConnection: ConnectionState | null = null;
  /** The seq of the newest connection event since the current load began: an answer with a lower one is older. */
  private newestConnectionSeq = -1;
  private flushScheduled = false;
  private flushUrgent = false;
  /** Events that arrive while getNetwork is in flight are held and applied after it. */
  private loadBuffer: EventPayload<'points'>[] | null = null;
  private unsubs: (() => void)[] = [];
  private loadGen = 0;
  private readonly livenessTable = new LivenessTable();
  /** Liveness answers and events not yet applied, in the order they came (applied with the next flush). */
  private queuedLiveness: (
    { kind: 'ask' } | { kind: 'answer'; view: LivenessView | null } | { kind: 'event'; view: LivenessView }
  )[] = [];
  /** Station id → its point ids, for the rows a liveness change touches (built when first needed). */
  private stationPoints: Map<string, string[]> | null = null;
  private livenessGen = 0;
  private readonly windowsMap = new Map<string, MaintenanceWindow>();
  /** `windows` events that came while getWindows was in flight: applied after its answer. */
  private windowsBuffer: WindowsView[] | null = null;
  private windowsGen = 0;

  constructor(
    private readonly api: ConsoleApi,
    private readonly transport: Transport,
    private readonly schedule: Scheduler = pacedFrameScheduler(),
    private readonly now: () => number = () => Date.now(),
  ) {
    this.state = {
      loaded: false,
      loading: false,
      loadError: null,
      loadProgress: null,
      points: this.pointsMap,
      pointsVersion: 0,
      networkLoads: 0,
      changed: null,
      sites: this.sitesMap,
      sitesVersion: 0,
      conflictIds: this.conflictSet,
      flashes: this.flashMap,
      connection: null,
      transport: transport.get(),
      lastSyncAt: null,
      outcomes: [],
      liveness: this.livenessTable.stations,
      livenessVersion: 0,
      windows: this.windowsMap,
      windowsVersion: 0,
      windowsQueued: [],
      windowNotices: [],
      plannedAttention: NO_PLANNED_ATTENTION,
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): StoreState => this.state;

  private set(patch: Partial<StoreState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  start(): () => void {
    this.unsubs.push(
      this.api.on('points', (payload) => {
        if (this.loadBuffer) this.loadBuffer.push(payload);
        else this.enqueue(payload.points, payload.sites);
      }),
      this.api.on('connection', (c) => {
        this.newestConnectionSeq = Math.max(this.newestConnectionSeq, c.seq);
        this.queuedConnection = c;
        // Sent after every live batch; only the time of the last sync changed then, which can wait for the batch.
        const cur = this.state.connection;
        const differs =
          !cur ||
          JSON.stringify({ ...c, lastSyncAt: null, seq: 0 }) !== JSON.stringify({ ...cur, lastSyncAt: null, seq: 0 });
        this.scheduleFlush(differs);
      }),
      // Station liveness is a station's fact, not a person's: it waits for the pace like station reports.
      this.api.on('liveness', (view) => {
        this.queuedLiveness.push({ kind: 'event', view });
        this.scheduleFlush(false);
      }),
      // Windows change rarely (a person plans one, a start or an end): applied at once, not paced.
      this.api.on('windows', (view) => {
        if (this.windowsBuffer) this.windowsBuffer.push(view);
        else this.applyWindows(view);
      }),
      this.api.on('reset', () => void this.load()),
      this.api.on('outcome', ({ outcome }) => this.set({ outcomes: [outcome, ...this.state.outcomes].slice(0, 20) })),
      this.transport.subscribe((t) => {
        const reopened = t.state === 'open' && t.opens > 1 && t.opens !== this.state.transport.opens;
        this.set({ transport: t });
        // The link to the host came back: events may have been missed, so reload everything.
        if (reopened) void this.load();
      }),
    );
    void this.load();
    return () => {
      for (const u of this.unsubs.splice(0)) u();
    };
  }

  /**
   * (Re)loads the whole network and the connection state. A large network comes in two answers: first the points
   * of the grid's first screen (painted at once), then all of them; live changes that arrive meanwhile are held
   * and applied after the last answer.
   */
  async load(): Promise<void> {
    void this.loadLiveness();
    void this.loadWindows();
    const gen = ++this.loadGen;
    this.loadBuffer = this.loadBuffer ?? [];
    // Seqs count from the core's start: after a reconnect they may come from a new core.
    this.newestConnectionSeq = -1;
    // A retry after a partial load starts without the old error; a first load keeps it on screen until it works.
    this.set({ loading: true, loadError: this.state.loaded ? null : this.state.loadError });
    // Only the very first load comes in two steps: a reload (reset, reconnect) keeps the network it has on screen
    // until the whole new one is here, so selection, focus and an open drawer survive it.
    const params = this.state.loaded ? {} : FIRST_SCREEN_PARAMS;
    try {
      mark('voltboard:network-requested');
      const [first, answered] = await Promise.all([
        this.api.call('getNetworkColumns', params),
        this.api.call('getConnection', {}).catch(() => null),
      ]);
      // A connection event produced after this answer (the network can take a while longer) is newer: it stands.
      const conn = answered && answered.seq > this.newestConnectionSeq ? answered : null;
      mark('voltboard:first-screen-received');
      if (gen !== this.loadGen) return;
      const complete = first.ids.length >= first.total;
      this.replaceNetwork(first, conn, complete ? null : { loaded: first.ids.length, total: first.total });
      if (!complete) {
        await nextPaint();
        if (gen !== this.loadGen) return;
        const net = await this.api.call('getNetworkColumns', {});
        if (gen !== this.loadGen) return;
        this.replaceNetwork(net, null, null);
      }
      mark('voltboard:network-received');
      this.releaseBuffer();
    } catch (e) {
      if (gen !== this.loadGen) return;
      this.set({ loading: false, loadError: e instanceof Error ? e.message : String(e) });
      // With only the first screen here, live changes stay held until a retry brings the whole network: applied
      // now, they would add points one by one to a partial network.
      if (!this.state.loadProgress) this.releaseBuffer();
    }
  }

  /** Asks the core for every station's liveness (at start and with every reload; events keep it current between). */
  async loadLiveness(): Promise<void> {
    const gen = ++this.livenessGen;
    // In the queue, so that events that came before the question are not taken for events that came after it.
    this.queuedLiveness.push({ kind: 'ask' });
    let view: LivenessView | null = null;
    try {
      const answer = await this.api.call('getLiveness', {});
      if (answer && Array.isArray(answer.stations)) view = answer;
    } catch {
      // The host went away (a reload follows when it is back): the points' own connection flags stand meanwhile.
    }
    if (gen !== this.livenessGen) return;
    this.queuedLiveness.push({ kind: 'answer', view });
    // Without an answer there is nothing to show: the next flush ends the question.
    if (view) this.scheduleFlush(false);
  }

  /** Asks the core for every window (at start and with every reload); events that come meanwhile follow the answer. */
  async loadWindows(): Promise<void> {
    const gen = ++this.windowsGen;
    this.windowsBuffer = this.windowsBuffer ?? [];
    let view: WindowsView | null = null;
    try {
      view = await this.api.call('getWindows', {});
    } catch {
      // The host went away (a reload follows when it is back), or an older core: the windows stay as they were.
    }
    if (gen !== this.windowsGen) return;
    const held = this.windowsBuffer ?? [];
    this.windowsBuffer = null;
    if (view && Array.isArray(view.windows)) this.applyWindows(view);
    for (const v of held) this.applyWindows(v);
  }

  private applyWindows(view: WindowsView): void {
    const changed = mergeWindows(this.windowsMap, view.full, view.windows);
    const queued = view.queued ?? this.state.windowsQueued;
    const queuedChanged = JSON.stringify(queued) !== JSON.stringify(this.state.windowsQueued);
    const notices = view.notices ?? this.state.windowNotices;
    const noticesChanged = JSON.stringify(notices) !== JSON.stringify(this.state.windowNotices);
    if (!changed && !queuedChanged && !noticesChanged) return;
    this.set({
      windowsVersion: this.state.windowsVersion + (changed ? 1 : 0),
      windowsQueued: queuedChanged ? queued : this.state.windowsQueued,
      windowNotices: noticesChanged ? notices : this.state.windowNotices,
      plannedAttention:
        queuedChanged || noticesChanged ? plannedAttention(queued, notices) : this.state.plannedAttention,
    });
  }

  /** Puts a network in columns (checked on arrival: api/validated.ts) in place of the one held, point by point. */
  private replaceNetwork(net: NetworkColumns, conn: ConnectionState | null, progress: LoadProgress | null): void {
    this.sitesMap.clear();
    for (const s of net.sites) this.sitesMap.set(s.id, s);
    this.pointsMap.clear();
    this.stationPoints = null;
    this.conflictSet.clear();
    // Changes queued before this answer belong to the network it replaces (what came since is in loadBuffer).
    this.queuedPoints = [];
    this.queuedSites = [];
    // A connection event that came before the connection answer is older than it.
    if (conn) this.queuedConnection = null;
    decodeNetworkColumns(net, (p) => {
      this.pointsMap.set(p.id, p);
      if (p.pending?.state === 'conflict') this.conflictSet.add(p.id);
    });
    this.set({
      loaded: true,
      loading: progress !== null,
      loadError: null,
      loadProgress: progress,
      pointsVersion: this.state.pointsVersion + 1,
      changed: null,
      networkLoads: this.state.networkLoads + 1,
      sitesVersion: this.state.sitesVersion + 1,
      connection: conn ?? this.state.connection,
      lastSyncAt: net.lastSyncAt ?? conn?.lastSyncAt ?? this.state.lastSyncAt,
    });
  }

  /** Applies the live changes held while loading (the seq guard in flush() drops any older than what loaded). */
  private releaseBuffer(): void {
    const buffered = this.loadBuffer ?? [];
    this.loadBuffer = null;
    for (const b of buffered) this.enqueue(b.points, b.sites, false, true);
  }

  private enqueue(points: readonly ViewPoint[], sites: readonly Site[], flash = true, urgent = sites.length > 0): void {
    for (const p of points) {
      this.queuedPoints.push({ p, flash });
      if (!urgent) {
        const cur = this.pointsMap.get(p.id);
        urgent = !cur || changedByPerson(cur, p);
      }
    }
    for (const s of sites) this.queuedSites.push(s);
    this.scheduleFlush(urgent);
  }

  /** Station reports alone may wait for the scheduler's pace; anything else renders at the next frame. */
  private scheduleFlush(urgent: boolean): void {
    if (this.flushScheduled && (this.flushUrgent || !urgent)) return;
    this.flushScheduled = true;
    this.flushUrgent = urgent;
    this.schedule(() => this.flush(), urgent);
  }

  /** Applies every queued change at once (one render however many events arrived). */
  flush(): void {
    this.flushScheduled = false;
    this.flushUrgent = false;
    const points = this.queuedPoints;
    const sites = this.queuedSites;
    const connection = this.queuedConnection;
    this.queuedPoints = [];
    this.queuedSites = [];
    this.queuedConnection = null;
    const connectionPatch = connection
      ? { connection, lastSyncAt: connection.lastSyncAt ?? this.state.lastSyncAt }
      : {};
    const liveness = this.applyQueuedLiveness();
    const livenessPatch = liveness.any ? { livenessVersion: this.state.livenessVersion + 1 } : {};
    if (points.length === 0 && sites.length === 0 && liveness.rowStations.size === 0) {
      if (connection || liveness.any) this.set({ ...connectionPatch, ...livenessPatch });
      return;
    }
    const now = this.now();
    let pointsChanged = false;
    const changedIds: string[] = [];
    const changedSet = new Set<string>();
    for (const { p, flash } of points) {
      const cur = this.pointsMap.get(p.id);
      // Never step back: an older state of a point (same connection, out of order) is ignored.
      if (cur && p.seq < cur.seq) continue;
      if (!cur || cur.stationId !== p.stationId) this.stationPoints = null;
      this.pointsMap.set(p.id, p);
      if (p.pending?.state === 'conflict') this.conflictSet.add(p.id);
      else this.conflictSet.delete(p.id);
      pointsChanged = true;
      if (!changedSet.has(p.id)) {
        changedSet.add(p.id);
        changedIds.push(p.id);
      }
      if (cur && flash && visiblyDifferent(cur, p)) {
        this.flashMap.set(p.id, { at: now });
      }
    }
    // The rows of stations whose liveness state changed are derived again (their marker and their sort place).
    if (liveness.rowStations.size > 0) {
      const byStation = this.pointsByStation();
      for (const stationId of liveness.rowStations) {
        for (const id of byStation.get(stationId) ?? []) {
          if (changedSet.has(id)) continue;
          changedSet.add(id);
          changedIds.push(id);
          pointsChanged = true;
        }
      }
    }
    for (const s of sites) this.sitesMap.set(s.id, s);
    if (this.flashMap.size > 5000) {
      for (const [id, f] of this.flashMap) if (now - f.at > FLASH_MS) this.flashMap.delete(id);
    }
    const pointsVersion = this.state.pointsVersion + (pointsChanged ? 1 : 0);
    this.set({
      pointsVersion,
      changed: pointsChanged ? { version: pointsVersion, ids: changedIds } : this.state.changed,
      sitesVersion: this.state.sitesVersion + (sites.length ? 1 : 0),
      ...connectionPatch,
      ...livenessPatch,
    });
  }

  private applyQueuedLiveness() {
    const change = newChange();
    for (const item of this.queuedLiveness.splice(0)) {
      if (item.kind === 'ask') this.livenessTable.asking();
      else if (item.kind === 'answer') this.livenessTable.applyAnswer(item.view, change);
      else this.livenessTable.applyEvent(item.view, change);
    }
    return change;
  }

  private pointsByStation(): Map<string, string[]> {
    if (!this.stationPoints) {
      const map = new Map<string, string[]>();
      for (const p of this.pointsMap.values()) {
        const ids = map.get(p.stationId);
        if (ids) ids.push(p.id);
        else map.set(p.stationId, [p.id]);
      }
      this.stationPoints = map;
    }
    return this.stationPoints;
  }
}

/** A User Timing mark (the benchmark reads them to see where start-up time goes). */
function mark(name: string): void {
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(name);
}

/** A change a person made or is waiting for: an operator status, an edit of this console, a delivery's progress. */
function changedByPerson(a: ViewPoint, b: ViewPoint): boolean {
  return (
    a.operator.version !== b.operator.version ||
    a.operator.status !== b.operator.status ||
    a.delivery.state !== b.delivery.state ||
    a.delivery.detail !== b.delivery.detail ||
    (a.pending?.state ?? null) !== (b.pending?.state ?? null) ||
    (a.pending?.mutationId ?? null) !== (b.pending?.mutationId ?? null) ||
    (a.pending?.error ?? null) !== (b.pending?.error ?? null)
  );
}

function visiblyDifferent(a: ViewPoint, b: ViewPoint): boolean {
  return (
    a.seq !== b.seq ||
    a.version !== b.version ||
    a.stationConnected !== b.stationConnected ||
    a.reported.status !== b.reported.status ||
    a.operator.status !== b.operator.status ||
    a.delivery.state !== b.delivery.state ||
    (a.pending?.state ?? null) !== (b.pending?.state ?? null) ||
    (a.pending?.mutationId ?? null) !== (b.pending?.mutationId ?? null)
  );
}
