// Each point's shown status over time, as intervals, and supervisors' uptime exclusions. All their SQL lives here;
// backend/history/recorder.ts decides what to record.
import type { ShownStatus } from '../../common/status.js';
import { uptimeClass, type ExclusionReason, type IntervalSource, type StatusInterval } from '../../common/uptime.js';
import type { Db, Stmt } from './db.js';
import { HistoryRollups } from './historyRollups.js';
import { jsonRows, jsonRowsParam } from './jsonRows.js';

/** Stored codes: fixed forever (rows keep them), so never taken from the order of a list elsewhere. 3–7 are outages
 * (the partial index of migration 13 says so too). */
const STATUS_CODES: Record<ShownStatus, number> = {
  Available: 0,
  Occupied: 1,
  Reserved: 2,
  Unavailable: 3,
  Faulted: 4,
  OutOfService: 5,
  Maintenance: 6,
  Offline: 7,
  Unknown: 8,
};
const STATUS_OF = Object.fromEntries(Object.entries(STATUS_CODES).map(([s, c]) => [c, s])) as Record<
  number,
  ShownStatus
>;
const SOURCE_CODES: Record<IntervalSource, number> = { reported: 0, operator: 1, connection: 2 };
const SOURCE_OF = Object.fromEntries(Object.entries(SOURCE_CODES).map(([s, c]) => [c, s])) as Record<
  number,
  IntervalSource
>;

type IntervalRow = [
  n: number,
  start: number,
  end: number | null,
  status: number,
  source: number,
  cause: string | null,
  windowId: string | null,
];

export interface OpenInterval extends StatusInterval {
  n: number;
}

/** A point's next interval, to be recorded after its open one (null: its first). */
export interface IntervalRecord {
  n: number;
  open: OpenInterval | null;
  next: Omit<StatusInterval, 'start' | 'end'>;
}

/** A port as uptime figures name it, with its history number and start (null: nothing recorded of it yet). */
export interface HistoryPort {
  id: string;
  stationId: string;
  siteId: string;
  n: number | null;
  since: number | null;
}

export interface StoredExclusion {
  id: number;
  pointId: string;
  start: number;
  end: number;
  reason: ExclusionReason;
  note: string;
  by: string;
  at: string;
}

interface ExclusionRow {
  id: number;
  point_id: string;
  from_ms: number;
  to_ms: number;
  reason: ExclusionReason;
  note: string;
  by: string;
  at: string;
}

const intervalOf = (r: IntervalRow): StatusInterval => ({
  status: STATUS_OF[r[3]],
  source: SOURCE_OF[r[4]],
  start: r[1],
  end: r[2],
  cause: r[5],
  windowId: r[6],
});

const exclusionOf = (r: ExclusionRow): StoredExclusion => ({
  id: r.id,
  pointId: r.point_id,
  start: r.from_ms,
  end: r.to_ms,
  reason: r.reason,
  note: r.note,
  by: r.by,
  at: r.at,
});

const COLUMNS = 'n, start_ms, end_ms, status, source, cause, window_id';
/** COLUMNS of the table named p in a join. */
const P_COLUMNS = COLUMNS.split(', ')
  .map((c) => `p.${c}`)
  .join(', ');
/** Longer than any local day (25 h). */
const LONGEST_DAY_MS = 26 * 60 * 60 * 1000;
/** How many figure changes HistoryRepo.changedSince can name; older ones are answered "not known". */
const CHANGES_KEPT = 8192;

function byNumber(rows: readonly IntervalRow[]): Map<number, StatusInterval[]> {
  const out = new Map<number, StatusInterval[]>();
  for (const r of rows) {
    let list = out.get(r[0]);
    if (!list) out.set(r[0], (list = []));
    list.push(intervalOf(r));
  }
  return out;
}

export class HistoryRepo {
  private readonly s: {
    number: Stmt<number>;
    addPoint: Stmt;
    points: Stmt<{ n: number; point_id: string; since_ms: number }>;
    open: Stmt<unknown[]>;
    openOfMany: Stmt<unknown[]>;
    close: Stmt;
    closeMany: Stmt;
    insert: Stmt;
    replace: Stmt;
    between: Stmt<unknown[]>;
    outagesBetween: Stmt<unknown[]>;
    compactable: Stmt<unknown[]>;
    outagesEnded: Stmt<unknown[]>;
    openOutages: Stmt<unknown[]>;
    closedAt: Stmt<unknown[]>;
    ports: Stmt<unknown[]>;
    stretch: Stmt;
    drop: Stmt;
    previous: Stmt<unknown[]>;
    prune: Stmt;
    pruneExclusions: Stmt;
    addExclusion: Stmt<number>;
    exclusionsOf: Stmt<ExclusionRow>;
    exclusionsBetween: Stmt<ExclusionRow>;
    exclusion: Stmt<ExclusionRow>;
  };
  private readonly numbers = new Map<string, number>();
  /** Outage minutes per point and local day, kept as intervals close. */
  readonly rollups: HistoryRollups;

  constructor(private readonly db: Db) {
    this.rollups = new HistoryRollups(db, () => this.figuresChanged(null));
    const outageIndex = db.dialect === 'sqlite' ? 'INDEXED BY point_history_outages' : '';
    this.s = {
      number: db.preparePluck<number>('history point number', 'SELECT n FROM history_points WHERE point_id = ?'),
      addPoint: db.prepare('history point add', 'INSERT INTO history_points (point_id, since_ms) VALUES (?, ?)'),
      points: db.prepare('history points', 'SELECT n, point_id, since_ms FROM history_points'),
      // The open interval is a point's latest (recordMany starts each after the one it closes), found by the primary
      // key: an index of the open intervals cost each report a page of its own (migration 17).
      open: db.prepareRaw(
        'history open',
        `SELECT * FROM (SELECT ${COLUMNS} FROM point_history WHERE n = ? ORDER BY start_ms DESC LIMIT 1) latest
         WHERE end_ms IS NULL`,
      ),
      // Many points in one statement each (rows [n] and [n, start_ms]): one round trip on PostgreSQL for a bulk edit
      // or a turn's station reports, instead of one per point.
      openOfMany: db.prepareRaw(
        'history open of points',
        `SELECT ${P_COLUMNS} FROM ${jsonRows(db.dialect)} CROSS JOIN point_history p
         WHERE p.n = CAST(v.value ->> 0 AS BIGINT)
           AND p.start_ms = (SELECT MAX(q.start_ms) FROM point_history q WHERE q.n = CAST(v.value ->> 0 AS BIGINT))
           AND p.end_ms IS NULL`,
      ),
      close: db.prepare('history close', 'UPDATE point_history SET end_ms = ? WHERE n = ? AND start_ms = ?'),
      closeMany: db.prepare(
        'history close many',
        `UPDATE point_history SET end_ms = ?
         WHERE end_ms IS NULL AND (n, start_ms) IN (
           SELECT CAST(v.value ->> 0 AS BIGINT), CAST(v.value ->> 1 AS BIGINT) FROM ${jsonRows(db.dialect)})`,
      ),
      insert: db.prepare('history insert', `INSERT INTO point_history (${COLUMNS}) VALUES (?, ?, NULL, ?, ?, ?, ?)`),
      replace: db.prepare(
        'history replace',
        'UPDATE point_history SET status = ?, source = ?, cause = ?, window_id = ? WHERE n = ? AND start_ms = ?',
      ),
      between: db.prepareRaw(
        'history between',
        `SELECT ${COLUMNS} FROM point_history WHERE n = ? AND start_ms < ? AND (end_ms IS NULL OR end_ms > ?) ORDER BY start_ms`,
      ),
      // Two look-ups of the outage index: those that ended after the start, and those still going. (INDEXED BY is
      // SQLite's; PostgreSQL's planner picks the partial index itself.)
      outagesBetween: db.prepareRaw(
        'history outages between',
        `SELECT ${COLUMNS} FROM point_history ${outageIndex}
           WHERE status >= 3 AND status <= 7 AND end_ms > ? AND start_ms < ?
         UNION ALL
         SELECT ${COLUMNS} FROM point_history ${outageIndex}
           WHERE status >= 3 AND status <= 7 AND end_ms IS NULL AND start_ms < ?`,
      ),
      outagesEnded: db.prepareRaw(
        'history outages ended',
        `SELECT ${COLUMNS} FROM point_history WHERE status >= 3 AND status <= 7 AND end_ms > ? AND end_ms <= ?`,
      ),
      openOutages: db.prepareRaw(
        'history open outages',
        `SELECT ${COLUMNS} FROM point_history ${outageIndex}
         WHERE status >= 3 AND status <= 7 AND end_ms IS NULL AND start_ms < ?`,
      ),
      // The outage going on at an instant that has ended since, of every point: such an outage has milliseconds rolled
      // up on the local day holding the instant's last millisecond, so only the points with a roll-up row that day
      // (a few percent) are sought, each at its last interval to start before the instant.
      closedAt: db.prepareRaw(
        'history closed outages at',
        `SELECT ${P_COLUMNS}
         FROM history_rollup_days d CROSS JOIN point_history p
         WHERE d.day_ms > ? AND d.day_ms < ? AND d.day_end_ms >= ?
           AND p.n = d.n
           AND p.start_ms = (SELECT MAX(q.start_ms) FROM point_history q WHERE q.n = d.n AND q.start_ms < ?)
           AND p.status >= 3 AND p.status <= 7 AND p.end_ms > ?`,
      ),
      // The few columns uptime needs of every point, in the grid's order (that of PointsRepo.all): reading whole
      // points was half a second at 50,000.
      ports: db.prepareRaw(
        'history ports',
        `SELECT p.id, p.station_id, s.site_id, h.n, h.since_ms
         FROM points p JOIN stations s ON s.id = p.station_id LEFT JOIN history_points h ON h.point_id = p.id
         ORDER BY s.site_id, p.station_id, p.evse_id`,
      ),
      compactable: db.prepareRaw(
        'history compactable',
        `SELECT n, start_ms, end_ms, status FROM point_history
         WHERE end_ms IS NOT NULL AND end_ms > ? AND end_ms <= ? AND status <= 2 ORDER BY n, start_ms`,
      ),
      stretch: db.prepare(
        'history stretch',
        'UPDATE point_history SET end_ms = ?, status = 0, source = 0, cause = NULL, window_id = NULL WHERE n = ? AND start_ms = ?',
      ),
      drop: db.prepare('history drop', 'DELETE FROM point_history WHERE n = ? AND start_ms = ?'),
      previous: db.prepareRaw(
        'history previous',
        'SELECT start_ms, end_ms, status FROM point_history WHERE n = ? AND start_ms < ? ORDER BY start_ms DESC LIMIT 1',
      ),
      prune: db.prepare('history prune', 'DELETE FROM point_history WHERE end_ms IS NOT NULL AND end_ms < ?'),
      pruneExclusions: db.prepare('history prune exclusions', 'DELETE FROM uptime_exclusions WHERE to_ms < ?'),
      // RETURNING: PostgreSQL gives no lastInsertRowid.
      addExclusion: db.preparePluck<number>(
        'exclusion add',
        'INSERT INTO uptime_exclusions (point_id, from_ms, to_ms, reason, note, by, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      ),
      exclusionsOf: db.prepare<ExclusionRow>(
        'exclusions of point',
        'SELECT * FROM uptime_exclusions WHERE point_id = ? AND from_ms < ? AND to_ms > ? ORDER BY from_ms',
      ),
      exclusionsBetween: db.prepare<ExclusionRow>(
        'exclusions between',
        'SELECT * FROM uptime_exclusions WHERE from_ms < ? AND to_ms > ? ORDER BY point_id, from_ms',
      ),
      exclusion: db.prepare<ExclusionRow>('exclusion get', 'SELECT * FROM uptime_exclusions WHERE id = ?'),
    };
  }

  /** The point's number in the history, given when it is first recorded (at `now`: its history starts there). */
  numberOf(pointId: string, now: number): number {
    const known = this.numbers.get(pointId) ?? this.s.number.get(pointId);
    // Only numbers read back are remembered: one given in a transaction that then rolled back would not exist.
    if (known !== undefined) {
      this.numbers.set(pointId, known);
      return known;
    }
    this.s.addPoint.run(pointId, now);
    // Read back rather than lastInsertRowid, which PostgreSQL does not give.
    return this.s.number.get(pointId)!;
  }

  /** Every recorded point: its number and when its history starts. */
  points(): Map<string, { n: number; since: number }> {
    return new Map(this.s.points.all().map((r) => [r.point_id, { n: r.n, since: r.since_ms }]));
  }

  open(n: number): OpenInterval | null {
    const r = this.s.open.get(n) as IntervalRow | undefined;
    return r ? { ...intervalOf(r), n } : null;
  }

  /**
   * Advanced by each write of this backend that can change uptime figures other than by time passing: an interval
   * recorded that is not up after up (an outage starting or ending, a point's first interval), an exclusion, a prune.
   * Figures computed at the same version differ only by the time passed (UptimeService's cache).
   */
  get figuresVersion(): number {
    return this.versionFloor + this.changedLog.length;
  }

  /** The point number each figuresVersion after versionFloor moved (null: every point's), oldest first. */
  private readonly changedLog: (number | null)[] = [];
  private versionFloor = 0;

  /**
   * Told of each change of figures this connection records (null: every point's). The station writer thread passes
   * its own to the main thread's repo (noteFiguresChanged), whose uptime reads would not know of them otherwise.
   */
  onFiguresChanged: ((n: number | null) => void) | null = null;

  /** Figures another thread's writes changed (the station writer's), as if recorded here. */
  noteFiguresChanged(ns: readonly (number | null)[]): void {
    for (const n of ns) this.logFiguresChanged(n);
  }

  private figuresChanged(n: number | null): void {
    this.logFiguresChanged(n);
    this.onFiguresChanged?.(n);
  }

  private logFiguresChanged(n: number | null): void {
    this.changedLog.push(n);
    if (this.changedLog.length > CHANGES_KEPT) {
      this.changedLog.splice(0, CHANGES_KEPT / 2);
      this.versionFloor += CHANGES_KEPT / 2;
    }
  }

  /**
   * The point numbers whose figures moved after figuresVersion `since` (other than by time passing); null where that
   * is not known: a change of every point's (an exclusion, a prune, roll-ups cut again) or one too long ago.
   */
  changedSince(since: number): Set<number> | null {
    if (since < this.versionFloor || since > this.figuresVersion) return null;
    const out = new Set<number>();
    for (let i = since - this.versionFloor; i < this.changedLog.length; i++) {
      const n = this.changedLog[i];
      if (n === null) return null;
      out.add(n);
    }
    return out;
  }

  /**
   * Many points in one statement on PostgreSQL, where a statement is a round trip. On SQLite, where it is a call, one
   * statement per point by the primary key costs less than a set at any size since the open-interval index is gone
   * (a close 2.7 µs a point against 7.2–8.7 in sets of 500: docs/performance.md, 2026-12-07, late).
   */
  private inSets(points: number): boolean {
    return points > 1 && this.db.dialect === 'postgres';
  }

  /** The open interval of each point numbered, by number (a point with none is left out). */
  openOf(ns: readonly number[]): Map<number, OpenInterval> {
    const out = new Map<number, OpenInterval>();
    const rows = this.inSets(ns.length)
      ? (this.s.openOfMany.all(jsonRowsParam(ns.map((n) => [n]))) as IntervalRow[])
      : ns.flatMap((n) => this.s.open.all(n) as IntervalRow[]);
    for (const r of rows) out.set(r[0], { ...intervalOf(r), n: r[0] });
    return out;
  }

  /** Ends the open interval at `at` and starts the next one there; one that started at `at` is replaced instead. */
  record(n: number, open: OpenInterval | null, next: Omit<StatusInterval, 'start' | 'end'>, at: number): void {
    this.recordMany([{ n, open, next }], at);
  }

  /** Closes each point's open interval at `at` and opens its next one there (one that opened at `at` is replaced). */
  recordMany(records: readonly IntervalRecord[], at: number): void {
    const closing: [number, number][] = [];
    const opening: IntervalRecord[] = [];
    for (const r of records) {
      const { n, open, next } = r;
      if (!open || uptimeClass(open.status) !== 'up' || uptimeClass(next.status) !== 'up') this.figuresChanged(n);
      if (open && open.start >= at) {
        this.s.replace.run(
          STATUS_CODES[next.status],
          SOURCE_CODES[next.source],
          next.cause,
          next.windowId,
          n,
          open.start,
        );
        continue;
      }
      if (open) {
        closing.push([n, open.start]);
        if (STATUS_CODES[open.status] >= 3 && STATUS_CODES[open.status] <= 7) {
          this.rollups.addClosed(n, open.start, at, open.status === 'Maintenance' && !!open.windowId);
        }
      }
      opening.push(r);
    }
    // Closed first: a point has one open interval at a time.
    if (this.inSets(closing.length)) this.s.closeMany.run(at, jsonRowsParam(closing));
    else for (const [n, start] of closing) this.s.close.run(at, n, start);
    for (const { n, next } of opening) {
      this.s.insert.run(n, at, STATUS_CODES[next.status], SOURCE_CODES[next.source], next.cause, next.windowId);
    }
  }

  /** One point's intervals that overlap [from, to), in time order. */
  between(n: number, from: number, to: number): StatusInterval[] {
    return (this.s.between.all(n, to, from) as IntervalRow[]).map(intervalOf);
  }

  /** Every point's outage intervals that overlap [from, to), by point number. */
  outagesBetween(from: number, to: number): Map<number, StatusInterval[]> {
    return byNumber(this.s.outagesBetween.all(from, to, to) as IntervalRow[]);
  }

  /** Every port with where it is and its history's number and start, in the grid's order. */
  ports(): HistoryPort[] {
    return (this.s.ports.all() as [string, string, string, number | null, number | null][]).map((r) => ({
      id: r[0],
      stationId: r[1],
      siteId: r[2],
      n: r[3],
      since: r[4],
    }));
  }

  /** Every point's outage intervals that ended in (from, to], by point number. */
  outagesEnded(from: number, to: number): Map<number, StatusInterval[]> {
    return byNumber(this.s.outagesEnded.all(from, to) as IntervalRow[]);
  }

  /** Every point's outage interval still going that started before `before`, by point number. */
  openOutages(before: number): Map<number, StatusInterval[]> {
    return byNumber(this.s.openOutages.all(before) as IntervalRow[]);
  }

  /**
   * Every point's interval going on at `at` where it is an outage that has ended since (found through the roll-ups:
   * a point whose days are not rolled up is not found). By point number.
   */
  closedOutagesAt(at: number): Map<number, StatusInterval[]> {
    return byNumber(this.s.closedAt.all(at - LONGEST_DAY_MS, at, at, at, at) as IntervalRow[]);
  }

  /**
   * Merges each point's back-to-back up intervals (Available, Occupied, Reserved) that ended in (after, until] into one
   * Available interval: uptime is unchanged, the sessions' detail is gone. Returns the intervals removed.
   */
  compactUp(after: number, until: number): number {
    return this.db.tx('history compact', () => {
      let removed = 0;
      let run: { n: number; start: number; end: number; parts: number } | null = null;
      const close = () => {
        if (run && run.parts > 1) this.s.stretch.run(run.end, run.n, run.start);
      };
      for (const r of this.s.compactable.all(after, until) as [number, number, number, number][]) {
        const [n, start, end] = r;
        if (run && run.n === n && run.end === start) {
          this.s.drop.run(n, start);
          removed++;
          run.end = end;
          run.parts++;
          continue;
        }
        close();
        run = { n, start, end, parts: 1 };
        // The run may continue one merged by an earlier pass.
        const prev = this.s.previous.get(n, start) as [number, number | null, number] | undefined;
        if (prev && prev[1] === start && prev[2] <= 2) {
          this.s.drop.run(n, start);
          removed++;
          run = { n, start: prev[0], end, parts: 2 };
        }
      }
      close();
      return removed;
    });
  }

  /** Drops intervals that ended, and exclusions that ended, before `before`. Returns the intervals dropped. */
  prune(before: number): number {
    this.figuresChanged(null);
    return this.db.tx('history prune', () => {
      const n = Number(this.s.prune.run(before).changes);
      this.s.pruneExclusions.run(before);
      this.rollups.prune(before);
      return n;
    });
  }

  addExclusion(e: Omit<StoredExclusion, 'id'>): StoredExclusion {
    this.figuresChanged(null);
    const id = Number(this.s.addExclusion.get(e.pointId, e.start, e.end, e.reason, e.note, e.by, e.at));
    return exclusionOf(this.s.exclusion.get(id)!);
  }

  exclusionsOf(pointId: string, from: number, to: number): StoredExclusion[] {
    return this.s.exclusionsOf.all(pointId, to, from).map(exclusionOf);
  }

  exclusionsBetween(from: number, to: number): StoredExclusion[] {
    return this.s.exclusionsBetween.all(to, from).map(exclusionOf);
  }
}
