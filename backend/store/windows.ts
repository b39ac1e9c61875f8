// Maintenance windows and what each did to its points. All their SQL lives here; the scheduler decides.
import type { OperatorState } from '../../common/model.js';
import type { OperatorStatus, UntilAction } from '../../common/status.js';
import type { MaintenanceWindow, WindowPointState, WindowState } from '../../common/windows.js';
import type { ChangeLog } from './changes.js';
import type { Db, Stmt } from './db.js';

interface WindowRow {
  id: string;
  reason: string;
  note: string | null;
  starts_at: string;
  ends_at: string | null;
  state: WindowState;
  created_by: string;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  version: number;
  seq: number;
}

export interface WindowPointRow {
  window_id: string;
  point_id: string;
  state: WindowPointState;
  prev_status: OperatorStatus | null;
  prev_reason: string | null;
  prev_note: string | null;
  prev_until: string | null;
  prev_until_action: UntilAction | null;
  applied_op_version: number | null;
}

export interface NewWindow {
  id: string;
  pointIds: string[];
  startsAt: string;
  endsAt: string | null;
  reason: string;
  note: string | null;
  createdBy: string;
  createdAt: string;
}

/** A window due to start or end: what its change needs. */
export interface DueWindow {
  id: string;
  reason: string;
  note: string | null;
  startsAt: string;
  endsAt: string | null;
  createdBy: string;
}

/** What a point had before a window: restored at its end. */
export type WindowPointPrev = Pick<OperatorState, 'status' | 'reason' | 'note' | 'until' | 'untilAction'>;

export type WindowFields = Partial<Pick<MaintenanceWindow, 'startsAt' | 'endsAt' | 'reason' | 'note'>>;

const WINDOW_COLUMNS =
  'id, reason, note, starts_at, ends_at, state, created_by, created_at, started_at, ended_at, version, seq';

const dueOf = (r: WindowRow): DueWindow => ({
  id: r.id,
  reason: r.reason,
  note: r.note,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  createdBy: r.created_by,
});

export class WindowsRepo {
  private readonly s: {
    get: Stmt<WindowRow>;
    insert: Stmt;
    insertPoint: Stmt;
    points: Stmt<WindowPointRow>;
    update: Stmt;
    setState: Stmt;
    setPoint: Stmt;
    dueStarts: Stmt<WindowRow>;
    dueEnds: Stmt<WindowRow>;
    pointIds: Stmt<{ point_id: string }>;
    nextStart: Stmt<{ t: string | null }>;
    nextEnd: Stmt<{ t: string | null }>;
    overlapping: Stmt<{ id: string; reason: string; starts_at: string; ends_at: string | null; point_id: string }>;
    current: Stmt<WindowRow>;
    since: Stmt<WindowRow>;
    byPoint: Stmt<WindowPointRow & { window_state: WindowState }>;
  };

  constructor(
    db: Db,
    private readonly changes: ChangeLog,
  ) {
    this.s = {
      get: db.prepare('window get', `SELECT ${WINDOW_COLUMNS} FROM maintenance_windows WHERE id = ?`),
      insert: db.prepare(
        'window insert',
        `INSERT INTO maintenance_windows (id, reason, note, starts_at, ends_at, state, created_by, created_at, version, seq)
         VALUES (?, ?, ?, ?, ?, 'planned', ?, ?, 1, ?)`,
      ),
      insertPoint: db.prepare(
        'window point insert',
        `INSERT INTO maintenance_window_points (window_id, point_id, state) VALUES (?, ?, 'planned')`,
      ),
      points: db.prepare(
        'window points',
        'SELECT * FROM maintenance_window_points WHERE window_id = ? ORDER BY point_id',
      ),
      update: db.prepare(
        'window update',
        `UPDATE maintenance_windows SET starts_at = ?, ends_at = ?, reason = ?, note = ?, version = version + 1, seq = ?
         WHERE id = ?`,
      ),
      setState: db.prepare(
        'window state',
        `UPDATE maintenance_windows SET state = ?, started_at = COALESCE(?, started_at), ended_at = COALESCE(?, ended_at),
           version = version + 1, seq = ? WHERE id = ?`,
      ),
      setPoint: db.prepare(
        'window point state',
        `UPDATE maintenance_window_points SET state = ?, prev_status = COALESCE(?, prev_status),
           prev_reason = CASE WHEN ? THEN ? ELSE prev_reason END, prev_note = CASE WHEN ? THEN ? ELSE prev_note END,
           prev_until = CASE WHEN ? THEN ? ELSE prev_until END,
           prev_until_action = CASE WHEN ? THEN ? ELSE prev_until_action END, applied_op_version = COALESCE(?, applied_op_version)
         WHERE window_id = ? AND point_id = ?`,
      ),
      dueStarts: db.prepare(
        'windows due to start',
        `SELECT ${WINDOW_COLUMNS} FROM maintenance_windows WHERE state = 'planned' AND starts_at <= ? ORDER BY starts_at LIMIT ?`,
      ),
      dueEnds: db.prepare(
        'windows due to end',
        `SELECT ${WINDOW_COLUMNS} FROM maintenance_windows WHERE state = 'running' AND ends_at IS NOT NULL AND ends_at <= ?
         ORDER BY ends_at LIMIT ?`,
      ),
      pointIds: db.prepare(
        'window point ids',
        'SELECT point_id FROM maintenance_window_points WHERE window_id = ? AND state = ? ORDER BY point_id',
      ),
      nextStart: db.prepare(
        'next window start',
        `SELECT MIN(starts_at) AS t FROM maintenance_windows WHERE state = 'planned'`,
      ),
      nextEnd: db.prepare(
        'next window end',
        `SELECT MIN(ends_at) AS t FROM maintenance_windows WHERE state = 'running' AND ends_at IS NOT NULL`,
      ),
      overlapping: db.prepare(
        'windows overlapping',
        `SELECT w.id, w.reason, w.starts_at, w.ends_at, p.point_id FROM maintenance_window_points p
         JOIN maintenance_windows w ON w.id = p.window_id
         WHERE p.point_id = ? AND w.id <> ? AND w.state IN ('planned', 'running') AND p.state IN ('planned', 'applied')
           AND (w.ends_at IS NULL OR w.ends_at > ?) AND (CAST(? AS TEXT) IS NULL OR w.starts_at < ?)
         LIMIT 1`,
      ),
      current: db.prepare(
        'windows current',
        `SELECT ${WINDOW_COLUMNS} FROM maintenance_windows WHERE state IN ('planned', 'running') OR COALESCE(ended_at, created_at) >= ?
         ORDER BY starts_at`,
      ),
      since: db.prepare(
        'windows since',
        `SELECT ${WINDOW_COLUMNS} FROM maintenance_windows WHERE seq > ? ORDER BY seq`,
      ),
      byPoint: db.prepare(
        'windows of point',
        `SELECT p.*, w.state AS window_state FROM maintenance_window_points p JOIN maintenance_windows w ON w.id = p.window_id
         WHERE p.point_id = ? AND w.state = 'running' AND p.state = 'applied'`,
      ),
    };
  }

  get(id: string): MaintenanceWindow | null {
    const r = this.s.get.get(id);
    return r ? this.toWindow(r) : null;
  }

  /** Inside a write transaction; returns the change's seq. */
  insert(w: NewWindow): number {
    const seq = this.changes.next();
    this.s.insert.run(w.id, w.reason, w.note, w.startsAt, w.endsAt, w.createdBy, w.createdAt, seq);
    for (const p of w.pointIds) this.s.insertPoint.run(w.id, p);
    return seq;
  }

  points(id: string): WindowPointRow[] {
    return this.s.points.all(id);
  }

  /** Another planned or running window holding this point over [startsAt, endsAt), if any. */
  overlapping(pointId: string, exceptId: string, startsAt: string, endsAt: string | null) {
    return this.s.overlapping.get(pointId, exceptId, startsAt, endsAt, endsAt) ?? null;
  }

  update(id: string, current: MaintenanceWindow, fields: WindowFields): number {
    const seq = this.changes.next();
    this.s.update.run(
      fields.startsAt ?? current.startsAt,
      fields.endsAt === undefined ? current.endsAt : fields.endsAt,
      fields.reason ?? current.reason,
      fields.note === undefined ? current.note : fields.note,
      seq,
      id,
    );
    return seq;
  }

  setState(id: string, state: WindowState, at: { startedAt?: string; endedAt?: string } = {}): number {
    const seq = this.changes.next();
    this.s.setState.run(state, at.startedAt ?? null, at.endedAt ?? null, seq, id);
    return seq;
  }

  /** The ids of a window's points in one state. */
  pointIds(id: string, state: WindowPointState): string[] {
    return this.s.pointIds.all(id, state).map((r) => r.point_id);
  }

  setPoint(
    windowId: string,
    pointId: string,
    state: WindowPointState,
    prev?: WindowPointPrev,
    appliedOpVersion?: number,
  ): void {
    const p = prev ? 1 : 0;
    this.s.setPoint.run(
      state,
      prev?.status ?? null,
      p,
      prev?.reason ?? null,
      p,
      prev?.note ?? null,
      p,
      prev?.until ?? null,
      p,
      prev?.untilAction ?? null,
      appliedOpVersion ?? null,
      windowId,
      pointId,
    );
  }

  /** The first `limit` windows due to start by `now`, soonest first. */
  dueToStart(now: string, limit: number): DueWindow[] {
    return this.s.dueStarts.all(now, limit).map(dueOf);
  }

  /** The first `limit` running windows due to end by `now`, soonest first. */
  dueToEnd(now: string, limit: number): DueWindow[] {
    return this.s.dueEnds.all(now, limit).map(dueOf);
  }

  /** The next instant something is due (a start or an end), or null. */
  nextDue(): string | null {
    const a = this.s.nextStart.get()?.t ?? null;
    const b = this.s.nextEnd.get()?.t ?? null;
    if (a === null) return b;
    if (b === null) return a;
    return a < b ? a : b;
  }

  /** Planned and running windows, and those ended or cancelled since `pastSince`. */
  current(pastSince: string): MaintenanceWindow[] {
    return this.s.current.all(pastSince).map((r) => this.toWindow(r));
  }

  changedSince(seq: number): MaintenanceWindow[] {
    return this.s.since.all(seq).map((r) => this.toWindow(r));
  }

  /** The running windows that hold this point now. */
  runningOn(pointId: string): WindowPointRow[] {
    return this.s.byPoint.all(pointId);
  }

  private toWindow(r: WindowRow): MaintenanceWindow {
    return {
      id: r.id,
      reason: r.reason,
      note: r.note,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      state: r.state,
      createdBy: r.created_by,
      createdAt: r.created_at,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      version: r.version,
      points: this.points(r.id).map((p) => ({ pointId: p.point_id, state: p.state })),
    };
  }
}
