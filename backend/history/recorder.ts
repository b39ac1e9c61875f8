// Records each point's shown status as intervals: inside the transaction of every change that touched points, the
// points whose shown status, source, cause or window differ from their open interval get a new one (at the clock's
// now). Kept 400 days (at least 13 months), pruned and compacted on the clock.
import type { Clock, TimerHandle } from '../../common/clock.js';
import { ON_ITS_WAY } from '../../common/consoleApi.js';
import { shownStatus } from '../../common/status.js';
import { DAY_MS, type StatusInterval } from '../../common/uptime.js';
import type { IntervalRecord } from '../store/history.js';
import type { PointHistoryFacts } from '../store/points.js';
import type { Store } from '../store/index.js';

/** How long intervals are kept after they ended: 13 months are at most 397 days. */
export const HISTORY_RETENTION_MS = 400 * DAY_MS;
/** Sessions' detail (Occupied, Reserved) is kept this long: the drawer's longest strip is 30 days. Older up intervals
 * are merged into one Available run each (uptime unchanged): what keeps a busy point-year small. */
export const DETAIL_KEPT_MS = 35 * DAY_MS;
const COMPACTED_KEY = 'history_compacted_until';
const PRUNE_EVERY_MS = 6 * 60 * 60 * 1000;
const MAX_CAUSE = 500;

export type IntervalFacts = Omit<StatusInterval, 'start' | 'end'>;

/** What the history says of a point as it is now (windowId: the running window that holds it, if any). */
export function intervalFacts(p: PointHistoryFacts, windowId: string | null): IntervalFacts {
  const status = shownStatus({
    operatorStatus: p.operator.status,
    reportedStatus: p.reported.status,
    stationConnected: p.stationConnected,
    // As every console shows it: after a window, Available on its way is not the station's old Unavailable. The
    // delivery state counts only through this (recordChanged skips steps that keep it: deliveryStepKeepsShown).
    changeOnItsWay: ON_ITS_WAY.has(p.delivery.state),
  });
  const source = p.operator.status !== 'Available' ? 'operator' : !p.stationConnected ? 'connection' : 'reported';
  let cause: string | null = null;
  if (source === 'operator') cause = p.operator.reason;
  else if (status === 'Offline') cause = 'offline';
  else if (status === 'Faulted' || status === 'Unavailable') cause = p.reported.errorCode ?? p.reported.info;
  return {
    status,
    source,
    cause: cause === null ? null : cause.slice(0, MAX_CAUSE),
    windowId: status === 'Maintenance' && source === 'operator' ? windowId : null,
  };
}

const same = (a: IntervalFacts, b: IntervalFacts) =>
  a.status === b.status && a.source === b.source && a.cause === b.cause && a.windowId === b.windowId;

export class HistoryRecorder {
  private unhook: (() => void) | null = null;
  private pruneTimer: TimerHandle | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
  ) {}

  /** Brings every point's open interval up to date (what changed while no recorder ran), then follows changes. */
  start(): void {
    if (this.unhook) return;
    this.store.db.tx('history reconcile', () => {
      const now = this.clock.now();
      this.recordPoints(this.store.points.all(), now);
    });
    this.unhook = this.store.changes.beforeCommit((seqBefore) => this.recordChanged(seqBefore));
    this.reconcileRollups();
    this.prune();
    this.pruneTimer = this.clock.every(PRUNE_EVERY_MS, () => this.prune());
  }

  /**
   * Records the changes of every transaction from now on, and nothing else: the station writer's thread
   * (ocpp/stationWriterWorker.ts), beside the main thread's recorder that reconciles, prunes and compacts.
   */
  follow(): void {
    this.unhook ??= this.store.changes.beforeCommit((seqBefore) => this.recordChanged(seqBefore));
  }

  stop(): void {
    this.unhook?.();
    this.unhook = null;
    this.pruneTimer?.cancel();
    this.pruneTimer = null;
  }

  /** Drops what is older than the retention and merges up intervals older than the detail kept. */
  prune(): { dropped: number; merged: number } {
    const now = this.clock.now();
    const dropped = this.store.history.prune(now - HISTORY_RETENTION_MS);
    if (dropped > 0) this.log(`history: pruned ${dropped} intervals older than 400 days`);
    const until = now - DETAIL_KEPT_MS;
    const after = Number(this.store.meta(COMPACTED_KEY) ?? 0);
    let merged = 0;
    if (until > after) {
      merged = this.store.history.compactUp(after, until);
      this.store.setMeta(COMPACTED_KEY, String(until));
    }
    this.reconcileRollups();
    return { dropped, merged };
  }

  /** Cuts each point's roll-up days in its site's zone: points new since, moved, or whose site changed zone. */
  reconcileRollups(): number {
    const numbers = this.store.history.points();
    const zoneOfSite = new Map<string, string>();
    const zones = new Map<number, string>();
    for (const p of this.store.points.all()) {
      const known = numbers.get(p.id);
      if (!known) continue;
      let zone = zoneOfSite.get(p.siteId);
      if (zone === undefined) zoneOfSite.set(p.siteId, (zone = this.store.stations.site(p.siteId)?.timeZone ?? 'UTC'));
      zones.set(known.n, zone);
    }
    const rebuilt = this.store.history.rollups.reconcile(zones);
    if (rebuilt > 0) this.log(`history: uptime roll-ups cut for ${rebuilt} points`);
    return rebuilt;
  }

  private recordChanged(seqBefore: number): void {
    // Only delivery steps on the way (common/consoleApi.ts deliveryStepKeepsShown): no interval can change.
    if (!this.store.changes.shownMayHaveChanged) return;
    this.recordPoints(this.store.points.historyFactsSince(seqBefore), this.clock.now());
  }

  /** Each point's open interval read and the changed ones closed in one statement each on PostgreSQL (one per point
   * on SQLite: HistoryRepo.inSets), one insert per changed point. */
  private recordPoints(points: readonly PointHistoryFacts[], now: number): void {
    if (points.length === 0) return;
    const history = this.store.history;
    const ns = points.map((p) => history.numberOf(p.id, now));
    const opens = history.openOf(ns);
    const records: IntervalRecord[] = [];
    points.forEach((p, i) => {
      const windowId =
        p.operator.status === 'Maintenance' ? (this.store.windows.runningOn(p.id)[0]?.window_id ?? null) : null;
      const facts = intervalFacts(p, windowId);
      const open = opens.get(ns[i]) ?? null;
      if (!open || !same(open, facts)) records.push({ n: ns[i], open, next: facts });
    });
    history.recordMany(records, now);
  }
}
