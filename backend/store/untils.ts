// Expected ends that revert on their own ("until" with action revert): which are due, and when the next one is. Their
// SQL lives here; backend/schedule/untilReverts.ts decides what to do with them.
import type { Db, Stmt } from './db.js';

export interface DueUntil {
  id: string;
  op_version: number;
  op_until: string;
  op_by: string | null;
}

export class UntilsRepo {
  private readonly s: {
    due: Stmt<DueUntil>;
    next: Stmt<{ t: string | null }>;
  };

  constructor(db: Db) {
    this.s = {
      due: db.prepare(
        'untils due',
        `SELECT id, op_version, op_until, op_by FROM points
         WHERE op_until_action = 'revert' AND op_until <= ? AND op_status IN ('OutOfService', 'Maintenance')
         ORDER BY op_until LIMIT ?`,
      ),
      next: db.prepare(
        'next until',
        `SELECT MIN(op_until) AS t FROM points
         WHERE op_until_action = 'revert' AND op_status IN ('OutOfService', 'Maintenance')`,
      ),
    };
  }

  /** Points whose reverting expected end is at or before `now` (an ISO time), earliest first, at most `limit`. */
  due(now: string, limit: number): DueUntil[] {
    return this.s.due.all(now, limit);
  }

  /** The earliest reverting expected end still to act on, or null. */
  next(): string | null {
    return this.s.next.get()?.t ?? null;
  }
}
