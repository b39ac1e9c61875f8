// Maintenance-window requests made on this console, kept durably until the backend answers them (so a window
// planned offline goes through later, once). Answered requests leave the queue; refused ones stay, marked failed,
// until the person dismisses them, with the overlap the backend named when it refused one for overlapping a window.
import { randomUUID } from 'node:crypto';
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

  answered(opId: string): void {
    this.s.remove.run(opId);
  }

  refused(opId: string, error: string, overlap?: WindowOverlap): void {
    this.s.fail.run(error, overlap ? JSON.stringify(overlap) : null, opId);
  }

  dismiss(opId: string): boolean {
    return this.s.remove.run(opId).changes > 0;
  }
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
