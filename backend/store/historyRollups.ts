// Each point's outage minutes per calendar day of its site's time zone, summed from its closed outage intervals: what
// lets network-wide uptime be read instead of computed (backend/history/rollupUptime.ts). Kept in the transaction
// that closes an interval (HistoryRepo.record); rebuilt for a point whose zone is not the one its days were cut in.
import { localDate, localMidnight, MINUTE_MS } from '../../common/uptime.js';
import type { Db, Stmt } from './db.js';

/** One point's outage in one local day: the day's bounds and the outage milliseconds closed inside it. */
export interface RollupDay {
  n: number;
  dayStart: number;
  dayEnd: number;
  outageMs: number;
  /** Of those, a planned window's Maintenance (excluded whole as scheduled maintenance). */
  windowMs: number;
}

/** A roll-up day as read: point number, day start, day end, outage ms, window ms (no object per row). */
export type RollupRow = [n: number, dayStart: number, dayEnd: number, outageMs: number, windowMs: number];

/** The local day [start, end) of the zone that holds instant t (23 or 25 hours on a daylight-saving day). */
export function localDayAt(t: number, timeZone: string): { start: number; end: number } {
  const { year, month, day } = localDate(t, timeZone);
  const start = localMidnight(year, month, day, timeZone);
  const next = localDate(start + 36 * 60 * MINUTE_MS, timeZone);
  return { start, end: localMidnight(next.year, next.month, next.day, timeZone) };
}

/** Maintenance's stored code (backend/store/history.ts). */
const MAINTENANCE_CODE = 6;

export class HistoryRollups {
  private readonly s: {
    add: Stmt;
    between: Stmt<unknown[]>;
    day: Stmt<unknown[]>;
    zones: Stmt<{ n: number; time_zone: string }>;
    setZone: Stmt;
    clear: Stmt;
    closedOutages: Stmt<unknown[]>;
    prune: Stmt;
  };
  private zones: Map<number, string> | null = null;

  /** recut: told when points' days were cut again (their figures may read differently). */
  constructor(
    private readonly db: Db,
    private readonly recut: () => void = () => undefined,
  ) {
    this.s = {
      add: db.prepare(
        'rollup add',
        `INSERT INTO history_rollup_days (day_ms, n, day_end_ms, outage_ms, window_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (day_ms, n) DO UPDATE SET
           outage_ms = history_rollup_days.outage_ms + excluded.outage_ms,
           window_ms = history_rollup_days.window_ms + excluded.window_ms`,
      ),
      between: db.prepareRaw(
        'rollup between',
        'SELECT n, day_ms, day_end_ms, outage_ms, window_ms FROM history_rollup_days WHERE day_ms >= ? AND day_ms < ?',
      ),
      day: db.prepareRaw(
        'rollup day',
        'SELECT n, day_ms, day_end_ms, outage_ms, window_ms FROM history_rollup_days WHERE day_ms = ? AND n = ?',
      ),
      zones: db.prepare('rollup zones', 'SELECT n, time_zone FROM history_rollup_zones'),
      setZone: db.prepare(
        'rollup zone set',
        `INSERT INTO history_rollup_zones (n, time_zone) VALUES (?, ?)
         ON CONFLICT (n) DO UPDATE SET time_zone = excluded.time_zone`,
      ),
      clear: db.prepare('rollup clear point', 'DELETE FROM history_rollup_days WHERE n = ?'),
      closedOutages: db.prepareRaw(
        'rollup closed outages',
        `SELECT start_ms, end_ms, status, window_id FROM point_history
         WHERE n = ? AND end_ms IS NOT NULL AND status >= 3 AND status <= 7`,
      ),
      prune: db.prepare('rollup prune', 'DELETE FROM history_rollup_days WHERE day_end_ms < ?'),
    };
  }

  /** Reads the zones again when next needed: another thread (the main one, reconciling) may have cut points since. */
  forgetZones(): void {
    this.zones = null;
  }

  /** The zone each rolled-up point's days are cut in; a point absent is not rolled up (read from its intervals). */
  zoneMap(): ReadonlyMap<number, string> {
    if (!this.zones) this.zones = new Map(this.s.zones.all().map((r) => [r.n, r.time_zone]));
    return this.zones;
  }

  /** Adds a closed outage interval [start, end) to its point's days (nothing for a point not rolled up). */
  addClosed(n: number, start: number, end: number, byWindow: boolean): void {
    const zone = this.zoneMap().get(n);
    if (zone === undefined || end <= start) return;
    this.addSpan(n, start, end, byWindow, zone);
  }

  /**
   * Cuts each point's days in the zone given (its site's) where they were cut in another or not at all: its days are
   * rebuilt from its closed outage intervals. Returns the points rebuilt.
   */
  reconcile(zoneOf: ReadonlyMap<number, string>): number {
    return this.db.tx('rollup reconcile', () => {
      // Read afresh: another backend on the same PostgreSQL database may have cut some points since.
      this.zones = null;
      const current = this.zoneMap();
      let rebuilt = 0;
      for (const [n, zone] of zoneOf) {
        if (current.get(n) === zone) continue;
        this.rebuildPoint(n, zone);
        rebuilt++;
      }
      // Read back after the transaction: a rollback must not leave zones remembered that are not stored.
      this.zones = null;
      if (rebuilt > 0) this.recut();
      return rebuilt;
    });
  }

  /** Cuts one point's days again from its closed outage intervals (also for intervals written by other means). */
  rebuild(n: number, zone: string): void {
    this.db.tx('rollup rebuild', () => this.rebuildPoint(n, zone));
    this.zones = null;
    this.recut();
  }

  private rebuildPoint(n: number, zone: string): void {
    this.s.clear.run(n);
    const closed = this.s.closedOutages.all(n) as [number, number, number, string | null][];
    for (const [start, end, status, windowId] of closed) {
      this.addSpan(n, start, end, status === MAINTENANCE_CODE && !!windowId, zone);
    }
    this.s.setZone.run(n, zone);
  }

  /** The days that start in [from, to), every point's, as rows. */
  rowsBetween(from: number, to: number): RollupRow[] {
    return this.s.between.all(from, to) as RollupRow[];
  }

  /** One point's roll-up rows of the days that start at the instants given (each a day start of its zone). */
  rowsOf(n: number, dayStarts: readonly number[]): RollupRow[] {
    const out: RollupRow[] = [];
    for (const day of dayStarts) {
      const row = this.s.day.get(day, n) as RollupRow | undefined;
      if (row) out.push(row);
    }
    return out;
  }

  /** The days that start in [from, to), every point's. */
  between(from: number, to: number): RollupDay[] {
    return this.rowsBetween(from, to).map((r) => ({
      n: r[0],
      dayStart: r[1],
      dayEnd: r[2],
      outageMs: r[3],
      windowMs: r[4],
    }));
  }

  /** Drops days that ended before `before` (the history's retention). */
  prune(before: number): number {
    return Number(this.s.prune.run(before).changes);
  }

  private addSpan(n: number, start: number, end: number, byWindow: boolean, zone: string): void {
    let t = start;
    while (t < end) {
      const day = localDayAt(t, zone);
      const until = Math.min(end, day.end);
      const ms = until - t;
      this.s.add.run(day.start, n, day.end, ms, byWindow ? ms : 0);
      t = until;
    }
  }
}
