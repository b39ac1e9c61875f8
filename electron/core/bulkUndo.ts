// Undo for bulk changes. For every status change this console queues, the core remembers, in its SQLite cache,
// each point's operator state from before it (in the same durable transaction as the outbox row) and, once the backend
// answers, what happened to each point and the operator version it produced. Undo queues the restoring edits:
// one mutation per distinct previous state (usually one), each point based on the version the change itself
// produced, so that if someone changed a point since, the backend answers a conflict instead of silently
// overwriting them. Points the change did not alter (unchanged, conflict, refused) are skipped and said so.
// Its SQL is in cache/bulkChanges.ts.
import { ConsoleApiError, type MethodResult, type PendingEdit } from '../../common/consoleApi.js';
import {
  roleAllows,
  statusEditSchema,
  type MutationOutcome,
  type OperatorState,
  type Role,
  type StatusEdit,
} from '../../common/model.js';
import type { Db } from '../../node/db.js';
import { BulkChanges, type PreviousState } from './cache/bulkChanges.js';

export { REMEMBERED_CHANGES, type PreviousState } from './cache/bulkChanges.js';

export interface UndoContext {
  /** The signed-in role, or null when not known (offline start): then the backend checks on replay. */
  role: Role | null;
  /** The cache's current operator version of a point (null: unknown point). */
  currentVersion(pointId: string): number | null;
  /** Queues one edit in the outbox (inside the undo's durable transaction); returns its mutation id. */
  enqueue(edit: StatusEdit, targets: { pointId: string; serverVersion: number }[]): string;
  /** After queueing: tell the renderer and send. */
  queued(pointIds: string[]): void;
}

export class BulkUndo {
  private readonly changes: BulkChanges;

  constructor(db: Db) {
    this.changes = new BulkChanges(db);
  }

  /**
   * Each point's operator state as this console shows it now (the server's, or a still-pending edit of its own
   * laid over it): call before queueing a change.
   */
  capture(
    pointIds: readonly string[],
    server: (id: string) => OperatorState | null,
    overlays: Map<string, PendingEdit>,
  ): Map<string, PreviousState> {
    const out = new Map<string, PreviousState>();
    for (const id of pointIds) {
      const op = server(id);
      if (!op) continue;
      const pending = overlays.get(id);
      const live = pending && (pending.state === 'queued' || pending.state === 'sending') ? pending.edit : null;
      out.set(
        id,
        live
          ? { status: live.status, reason: live.reason, note: live.note, until: live.until, version: op.version }
          : pick(op),
      );
    }
    return out;
  }

  /**
   * Queues a change with `save` (the outbox's write, which answers the mutation id) and remembers it, in one
   * transaction committed at once: it resolves once the change and its undo are on disk together (one sync for every
   * change saved in the same turn), or neither is, whatever stops the process in between.
   */
  saveAndRemember(save: () => string, edit: StatusEdit, previous: Map<string, PreviousState>): Promise<string> {
    return this.changes.durablyGrouped(() => {
      const mutationId = save();
      this.changes.add(mutationId, edit, previous, null);
      return mutationId;
    });
  }

  /** Records the backend's answers for remembered changes. */
  noteOutcomes(outcomes: readonly MutationOutcome[]): void {
    this.changes.noteResults(outcomes);
  }

  /** What a change remembered: its edit, and per point the previous state and what the backend answered. */
  describe(mutationId: string): {
    edit: StatusEdit;
    undoneBy: string[] | null;
    points: { pointId: string; previous: PreviousState; result: string | null; afterVersion: number | null }[];
  } | null {
    const change = this.changes.change(mutationId);
    if (!change) return null;
    return { ...change, points: this.changes.points(mutationId) };
  }

  /**
   * Queues the edits that restore what the given change(s) replaced, as one action. Several ids are one action's
   * mutations in order (a bulk change and its retries): a point gets the state from before the first of them
   * that changed it, based on the version the last of them produced.
   */
  undo(mutationIds: readonly string[], ctx: UndoContext): MethodResult<'undoBulk'> {
    const ids = [...new Set(mutationIds)];
    const changes = ids.map((id) => {
      const change = this.describe(id);
      if (!change)
        throw new ConsoleApiError(
          'notFound',
          `no change ${id} is remembered on this console (only changes made here can be undone)`,
        );
      if (change.undoneBy)
        throw new ConsoleApiError('invalid', `change ${id} was already undone (by ${change.undoneBy.join(', ')})`);
      return change;
    });

    const restore = new Map<string, { previous: PreviousState; base: number | null }>();
    const skipped = new Map<string, string>();
    for (const change of changes) {
      for (const p of change.points) {
        const changed = p.result === 'applied' || p.result === null;
        const had = restore.get(p.pointId);
        if (!changed) {
          if (!had)
            skipped.set(
              p.pointId,
              p.result === 'unchanged' ? 'it already had that status' : `not changed (${p.result})`,
            );
          continue;
        }
        skipped.delete(p.pointId);
        // Still waiting for its answer: the outbox chains the restoring edit after it (base resolved then).
        const base = p.result === null ? null : p.afterVersion;
        restore.set(p.pointId, { previous: had ? had.previous : p.previous, base: base ?? had?.base ?? null });
      }
    }
    for (const id of restore.keys()) {
      if (ctx.currentVersion(id) === null) {
        restore.delete(id);
        skipped.set(id, 'the point is no longer in the network');
      }
    }
    if (restore.size === 0) {
      throw new ConsoleApiError(
        'invalid',
        `nothing to undo: the change did not alter any point${skipped.size ? ` (${[...new Set(skipped.values())].join('; ')})` : ''}`,
      );
    }
    if (ctx.role && !roleAllows(ctx.role, restore.size > 1 ? 'bulkEdit' : 'edit')) {
      throw new ConsoleApiError(
        'forbidden',
        `a ${ctx.role} may not ${restore.size > 1 ? 'change several points at once' : 'change a point'}`,
      );
    }

    // One restoring edit per distinct previous state.
    const groups = new Map<string, { edit: StatusEdit; pointIds: string[] }>();
    for (const [pointId, { previous }] of restore) {
      const edit: StatusEdit = {
        status: previous.status,
        reason: previous.reason,
        note: previous.note,
        until: previous.until,
      };
      const key = JSON.stringify(edit);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { edit, pointIds: [] }));
      group.pointIds.push(pointId);
    }
    // Every restoring edit, what it remembers and the marks on the changes it undoes: one durable transaction.
    const mutations = this.changes.durably(() => this.queueRestoring(groups, restore, changes, ids, ctx));
    ctx.queued([...restore.keys()]);
    return {
      mutationIds: mutations.map((m) => m.mutationId),
      mutations,
      skipped: [...skipped].map(([pointId, reason]) => ({ pointId, reason })),
    };
  }

  private queueRestoring(
    groups: Map<string, { edit: StatusEdit; pointIds: string[] }>,
    restore: Map<string, { previous: PreviousState; base: number | null }>,
    changes: { edit: StatusEdit; points: { pointId: string; afterVersion: number | null }[] }[],
    ids: string[],
    ctx: UndoContext,
  ): MethodResult<'undoBulk'>['mutations'] {
    const mutations: MethodResult<'undoBulk'>['mutations'] = [];
    for (const { edit, pointIds } of groups.values()) {
      const valid = statusEditSchema.safeParse(edit);
      // A previous state that could not be set as an edit today (e.g. an old Occupied override without a reason)
      // is restored with a reason that says where it comes from.
      const restoring = valid.success
        ? edit
        : { ...edit, reason: edit.reason?.trim() ? edit.reason : 'Undo of a bulk change' };
      const targets = pointIds.map((pointId) => ({
        pointId,
        serverVersion: restore.get(pointId)!.base ?? ctx.currentVersion(pointId) ?? 0,
      }));
      const previous = new Map<string, PreviousState>();
      const inGroup = new Set(pointIds);
      for (const change of changes) {
        for (const p of change.points) {
          if (!inGroup.has(p.pointId) || previous.has(p.pointId)) continue;
          // What undoing the undo would bring back: the state the change set.
          previous.set(p.pointId, {
            ...pick({ ...change.edit, version: 0 } as OperatorState),
            version: p.afterVersion ?? 0,
          });
        }
      }
      const mutationId = ctx.enqueue(restoring, targets);
      this.changes.add(mutationId, restoring, previous, ids);
      mutations.push({ mutationId, edit: restoring, pointIds });
    }
    this.changes.markUndone(
      ids,
      mutations.map((m) => m.mutationId),
    );
    return mutations;
  }
}

function pick(op: OperatorState): PreviousState {
  return { status: op.status, reason: op.reason, note: op.note, until: op.until, version: op.version };
}
