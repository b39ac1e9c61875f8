// What the cache remembers of this console's status changes, for undo (../bulkUndo.ts): each change's edit and
// which changes undid it, and per point the state from before it and what the backend answered. All of undo's SQL.
import type { Db } from '../../../node/db.js';
import type { MutationOutcome, OperatorState, StatusEdit } from '../../../common/model.js';

/** A point's operator state before a change: what undo restores. */
export type PreviousState = Pick<OperatorState, 'status' | 'reason' | 'note' | 'until'> & { version: number };

/** How many changes are remembered at least; older ones can no longer be undone. */
export const REMEMBERED_CHANGES = 500;
/** Older changes are forgotten this many at a time: a delete in every save wrote four more pages to each commit. */
export const FORGET_BATCH = 64;

export interface RememberedChange {
  edit: StatusEdit;
  undoneBy: string[] | null;
}

export interface RememberedPoint {
  pointId: string;
  previous: PreviousState;
  result: string | null;
  afterVersion: number | null;
}

interface ChangeRow {
  mutation_id: string;
  created_at: string;
  edit_json: string;
  undo_of: string | null;
  undone_by: string | null;
}

interface BulkPointRow {
  mutation_id: string;
  point_id: string;
  previous_json: string;
  result: string | null;
  after_version: number | null;
}

export class BulkChanges {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      insertChange: db.prepare(
        'bulk change insert',
        'INSERT OR IGNORE INTO bulk_changes (mutation_id, created_at, edit_json, undo_of) VALUES (?, ?, ?, ?)',
      ),
      insertPoint: db.prepare(
        'bulk point insert',
        'INSERT OR IGNORE INTO bulk_points (mutation_id, point_id, previous_json) VALUES (?, ?, ?)',
      ),
      change: db.prepare<ChangeRow>('bulk change get', 'SELECT * FROM bulk_changes WHERE mutation_id = ?'),
      points: db.prepare<BulkPointRow>(
        'bulk change points',
        'SELECT * FROM bulk_points WHERE mutation_id = ? ORDER BY rowid',
      ),
      setResult: db.prepare(
        'bulk point result',
        'UPDATE bulk_points SET result = ?, after_version = ? WHERE mutation_id = ? AND point_id = ?',
      ),
      setAllRefused: db.prepare(
        'bulk change refused',
        "UPDATE bulk_points SET result = 'rejected' WHERE mutation_id = ? AND result IS NULL",
      ),
      setUndone: db.prepare('bulk change undone', 'UPDATE bulk_changes SET undone_by = ? WHERE mutation_id = ?'),
      // Rows are only ever deleted oldest first, so the newest rowid less REMEMBERED_CHANGES is where the kept ones
      // start: a seek on the rowid and the rows before it, not a scan of every change.
      prune: db.prepare(
        'bulk changes prune',
        'DELETE FROM bulk_changes WHERE rowid <= (SELECT max(rowid) FROM bulk_changes) - ?',
      ),
    };
  }

  /** Runs fn in one transaction whose commit survives power loss: the outbox's save and what add() remembers of it
   *  are on disk together before this returns, or neither is. */
  durably<T>(fn: () => T): T {
    return this.db.durableTx('status change and its undo', fn);
  }

  /** As durably, but committed at once and on disk when the promise resolves: the changes saved in one turn share
   *  one sync (a group commit, node/db.ts). */
  durablyGrouped<T>(fn: () => T): Promise<T> {
    return this.db.groupDurableTx('status change and its undo', fn);
  }

  /** Stores a change and each point's previous state, forgetting (FORGET_BATCH at a time) all but the newest
   *  REMEMBERED_CHANGES. Inside durably(), with the outbox's save of the same change. */
  add(
    mutationId: string,
    edit: StatusEdit,
    previous: ReadonlyMap<string, PreviousState>,
    undoOf: readonly string[] | null,
  ): void {
    this.db.tx('bulk change add', () => {
      const added = this.s.insertChange.run(
        mutationId,
        new Date().toISOString(),
        JSON.stringify(edit),
        undoOf ? JSON.stringify(undoOf) : null,
      );
      for (const [pointId, prev] of previous) this.s.insertPoint.run(mutationId, pointId, JSON.stringify(prev));
      if (added.changes > 0 && Number(added.lastInsertRowid) % FORGET_BATCH === 0) this.s.prune.run(REMEMBERED_CHANGES);
    });
  }

  has(mutationId: string): boolean {
    return this.s.change.get(mutationId) !== undefined;
  }

  change(mutationId: string): RememberedChange | null {
    const row = this.s.change.get(mutationId);
    if (!row) return null;
    return {
      edit: JSON.parse(row.edit_json) as StatusEdit,
      undoneBy: row.undone_by ? (JSON.parse(row.undone_by) as string[]) : null,
    };
  }

  points(mutationId: string): RememberedPoint[] {
    return this.s.points.all(mutationId).map((r) => ({
      pointId: r.point_id,
      previous: JSON.parse(r.previous_json) as PreviousState,
      result: r.result,
      afterVersion: r.after_version,
    }));
  }

  /** The backend's answer for each point of remembered changes; a change refused as a whole (it names no points)
   *  marks all its unanswered points rejected. One transaction. */
  noteResults(outcomes: readonly MutationOutcome[]): void {
    this.db.tx('bulk change results', () => {
      for (const outcome of outcomes) {
        if (!this.has(outcome.mutationId)) continue;
        for (const p of outcome.points)
          this.s.setResult.run(p.result, p.operatorVersion, outcome.mutationId, p.pointId);
        this.s.setAllRefused.run(outcome.mutationId);
      }
    });
  }

  /** Marks the changes as undone by these mutations (inside durably(), with the undo's own saves). */
  markUndone(mutationIds: readonly string[], undoneBy: readonly string[]): void {
    const by = JSON.stringify(undoneBy);
    this.db.tx('bulk change undone', () => {
      for (const id of mutationIds) this.s.setUndone.run(by, id);
    });
  }
}
