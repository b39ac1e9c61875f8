// Maintenance-window requests made on this console, kept durably until the backend answers them (so a window
// planned offline goes through later, once). Answered requests leave the queue; refused ones stay, marked failed,
// until the person dismisses them.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../node/db.js';
import type { CancelWindowRequest, ChangeWindowRequest, PlanWindowRequest } from '../../../common/windows.js';

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
}

interface Row {
  op_id: string;
  kind: WindowOp['kind'];
  window_id: string;
  request_json: string;
  created_at: string;
  state: 'queued' | 'failed';
  error: string | null;
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
      fail: db.prepare('window queue fail', "UPDATE window_ops SET state = 'failed', error = ? WHERE op_id = ?"),
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

  refused(opId: string, error: string): void {
    this.s.fail.run(error, opId);
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
  };
}
