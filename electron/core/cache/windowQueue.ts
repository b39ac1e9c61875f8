// Maintenance-window requests made on this console, kept durably until the backend answers them (so a window
// planned offline goes through later, once). Answered requests leave the queue; refused ones stay, marked failed,
// until the person dismisses them, with the overlap the backend named when it refused one for overlapping a window.
// An answer the person must hear of (a request kept here that took effect at once) leaves a notice in its place, in
// the same commit, until the person dismisses that.
import { randomUUID } from 'node:crypto';
import type { WindowOpNotice } from '../../../common/consoleApi.js';
import type { Db } from '../../../node/db.js';
import {
  windowOverlapSchema,
  type CancelWindowRequest,
  type ChangeWindowRequest,
  type PlanWindowRequest,
  type WindowOverlap,
} from '../../../common/windows.js';

export type WindowOp =
  | { kind: 'plan'; request: PlanWindowRequest }
  | { kind: 'change'; request: ChangeWindowRequest }
  | { kind: 'cancel'; request: CancelWindowRequest };

export interface QueuedWindowOp {
  opId: string;
  kind: WindowOp['kind'];
  windowId: string;
  request: WindowOp['request'];
  createdAt: string;
  state: 'queued' | 'failed';
  error: string | null;
  /** Refused for overlapping another window: which, where and when (null when not, or when unreadable). */
  overlap: WindowOverlap | null;
  /** The stored overlap could not be read back (the refusal and its message are kept; the detail is not shown). */
  overlapUnreadable: boolean;
}

interface Row {
  op_id: string;
  kind: WindowOp['kind'];
  window_id: string;
  request_json: string;
  created_at: string;
  state: 'queued' | 'failed';
  error: string | null;
  overlap_json: string | null;
}

interface NoticeRow {
  op_id: string;
  kind: WindowOp['kind'];
  window_id: string;
  reason: string;
  point_count: number;
  first_point_id: string | null;
  starts_at: string;
  ends_at: string | null;
  message: string;
  queued_at: string;
  answered_at: string;
}

export class WindowQueue {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      insert: db.prepare(
        'window queue insert',
        "INSERT INTO window_ops (op_id, kind, window_id, request_json, created_at, state) VALUES (?, ?, ?, ?, ?, 'queued')",
      ),
      all: db.prepare<Row>('window queue all', 'SELECT * FROM window_ops ORDER BY ord'),
      next: db.prepare<Row>(
        'window queue next',
        "SELECT * FROM window_ops WHERE state = 'queued' ORDER BY ord LIMIT 1",
      ),
      remove: db.prepare('window queue remove', 'DELETE FROM window_ops WHERE op_id = ?'),
      fail: db.prepare(
        'window queue fail',
        "UPDATE window_ops SET state = 'failed', error = ?, overlap_json = ? WHERE op_id = ?",
      ),
      insertNotice: db.prepare(
        'window notice insert',
        `INSERT OR REPLACE INTO window_notices (op_id, kind, window_id, reason, point_count, first_point_id, starts_at,
           ends_at, message, queued_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      notices: db.prepare<NoticeRow>('window notices all', 'SELECT * FROM window_notices ORDER BY answered_at, op_id'),
      removeNotice: db.prepare('window notice remove', 'DELETE FROM window_notices WHERE op_id = ?'),
    };
  }

  /** Stored durably (on disk before this returns). */
  add(op: WindowOp, now = new Date()): QueuedWindowOp {
    const opId = randomUUID();
    const createdAt = now.toISOString();
    this.db.durableTx('window queue add', () => {
      this.s.insert.run(opId, op.kind, op.request.id, JSON.stringify(op.request), createdAt);
    });
    return {
      opId,
      kind: op.kind,
      windowId: op.request.id,
      request: op.request,
      createdAt,
      state: 'queued',
      error: null,
      overlap: null,
      overlapUnreadable: false,
    };
  }

  all(): QueuedWindowOp[] {
    return this.s.all.all().map(fromRow);
  }

  next(): QueuedWindowOp | null {
    const row = this.s.next.get();
    return row ? fromRow(row) : null;
  }

  /** The request leaves the queue; with a notice, that is kept in its place (durably, in the same commit). */
  answered(opId: string, notice: WindowOpNotice | null = null): void {
    if (!notice) {
      this.s.remove.run(opId);
      return;
    }
    const n = notice;
    this.db.durableTx('window queue answered with a notice', () => {
      this.s.remove.run(opId);
      this.s.insertNotice.run(
        n.opId,
        n.kind,
        n.windowId,
        n.reason,
        n.pointCount,
        n.firstPointId,
        n.startsAt,
        n.endsAt,
        n.message,
        n.queuedAt,
        n.answeredAt,
      );
    });
  }

  /** Answers the person has not dismissed yet, oldest first. */
  notices(): WindowOpNotice[] {
    return this.s.notices.all().map(noticeFromRow);
  }

  refused(opId: string, error: string, overlap?: WindowOverlap): void {
    this.s.fail.run(error, overlap ? JSON.stringify(overlap) : null, opId);
  }

  /** Forgets a refused request or a notice. */
  dismiss(opId: string): boolean {
    return this.s.remove.run(opId).changes + this.s.removeNotice.run(opId).changes > 0;
  }
}

function noticeFromRow(r: NoticeRow): WindowOpNotice {
  return {
    opId: r.op_id,
    kind: r.kind,
    windowId: r.window_id,
    reason: r.reason,
    pointCount: r.point_count,
    firstPointId: r.first_point_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    message: r.message,
    queuedAt: r.queued_at,
    answeredAt: r.answered_at,
  };
}

function fromRow(r: Row): QueuedWindowOp {
  return {
    opId: r.op_id,
    kind: r.kind,
    windowId: r.window_id,
    request: JSON.parse(r.request_json) as WindowOp['request'],
    createdAt: r.created_at,
    state: r.state,
    error: r.error,
    ...readOverlap(r.overlap_json),
  };
}

function readOverlap(json: string | null): Pick<QueuedWindowOp, 'overlap' | 'overlapUnreadable'> {
  if (json === null) return { overlap: null, overlapUnreadable: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { overlap: null, overlapUnreadable: true };
  }
  const overlap = windowOverlapSchema.safeParse(parsed);
  return overlap.success
    ? { overlap: overlap.data, overlapUnreadable: false }
    : { overlap: null, overlapUnreadable: true };
}
