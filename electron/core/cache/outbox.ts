// The outbox: edits made on this console that the backend has not yet answered, and those it answered with a
// conflict or a refusal that a person still has to see. All its SQL is here.
import { randomUUID } from 'node:crypto';
import type { MutationOutcome, OperatorState, StatusEdit } from '../../../common/model.js';
import type { OutboxItem, PendingEdit } from '../../../common/consoleApi.js';
import type { Db } from '../../../node/db.js';

/** Up to this many points, overlays() reads each point's rows by its index instead of the whole outbox. */
const OVERLAYS_READ_ONE_BY_ONE = 256;
/** Counted after every edit for the connection state: each reads a partial index of migration 6, never the table. */
export const COUNT_UNANSWERED_SQL = "SELECT COUNT(*) FROM outbox WHERE state != 'answered'";
export const COUNT_CONFLICTS_SQL = "SELECT COUNT(*) FROM outbox_points WHERE state = 'conflict'";

export interface QueuedMutation {
  mutationId: string;
  createdAt: string;
  edit: StatusEdit;
  targets: { pointId: string; baseVersion: number }[];
}

interface OutboxRow {
  ord: number;
  mutation_id: string;
  created_at: string;
  edit_json: string;
  state: 'queued' | 'sending' | 'answered';
  attempts: number;
  error: string | null;
}

interface OutboxPointRow {
  mutation_id: string;
  point_id: string;
  base_version: number;
  based_on_mutation: string | null;
  state: 'pending' | 'conflict' | 'failed';
  theirs_json: string | null;
  error: string | null;
}

export class Outbox {
  private readonly s;
  /** Edits queued in a transaction whose commit is not on disk yet (see onDisk). */
  private readonly notOnDisk = new Set<string>();

  constructor(private readonly db: Db) {
    this.s = {
      meta: db.preparePluck<string>('outbox meta', 'SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare(
        'outbox set meta',
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      insert: db.prepare(
        'outbox insert',
        "INSERT INTO outbox (mutation_id, created_at, edit_json, state) VALUES (?, ?, ?, 'queued')",
      ),
      insertPoint: db.prepare(
        'outbox insert point',
        "INSERT INTO outbox_points (mutation_id, point_id, base_version, based_on_mutation, state) VALUES (?, ?, ?, ?, 'pending')",
      ),
      latestForPoint: db.prepare(
        'outbox latest for point',
        `SELECT op.mutation_id, op.base_version, op.state FROM outbox_points op JOIN outbox o USING (mutation_id)
         WHERE op.point_id = ? AND op.state = 'pending' ORDER BY o.ord DESC LIMIT 1`,
      ),
      overlay: db.prepare(
        'outbox overlay',
        `SELECT op.*, o.edit_json, o.created_at, o.state AS outbox_state, o.ord FROM outbox_points op
         JOIN outbox o USING (mutation_id) ORDER BY o.ord`,
      ),
      overlayForPoint: db.prepare(
        'outbox overlay for point',
        `SELECT op.*, o.edit_json, o.created_at, o.state AS outbox_state, o.ord FROM outbox_points op
         JOIN outbox o USING (mutation_id) WHERE op.point_id = ? ORDER BY o.ord`,
      ),
      unanswered: db.prepare<OutboxRow>(
        'outbox unanswered',
        "SELECT * FROM outbox WHERE state != 'answered' ORDER BY ord",
      ),
      pointsOf: db.prepare<OutboxPointRow>('outbox points of', 'SELECT * FROM outbox_points WHERE mutation_id = ?'),
      getMutation: db.prepare<OutboxRow>('outbox get mutation', 'SELECT * FROM outbox WHERE mutation_id = ?'),
      requeue: db.prepare('outbox requeue', "UPDATE outbox SET state = 'queued' WHERE state = 'sending'"),
      setState: db.prepare(
        'outbox set state',
        'UPDATE outbox SET state = ?, attempts = attempts + ? WHERE mutation_id = ?',
      ),
      setAnswered: db.prepare(
        'outbox set answered',
        "UPDATE outbox SET state = 'answered', error = ? WHERE mutation_id = ?",
      ),
      deletePoint: db.prepare(
        'outbox delete point',
        'DELETE FROM outbox_points WHERE mutation_id = ? AND point_id = ?',
      ),
      markPoint: db.prepare(
        'outbox mark point',
        'UPDATE outbox_points SET state = ?, theirs_json = ?, error = ? WHERE mutation_id = ? AND point_id = ?',
      ),
      rebase: db.prepare(
        'outbox rebase',
        'UPDATE outbox_points SET base_version = ?, based_on_mutation = NULL WHERE based_on_mutation = ? AND point_id = ?',
      ),
      unchain: db.prepare(
        'outbox unchain',
        'UPDATE outbox_points SET based_on_mutation = NULL WHERE based_on_mutation = ? AND point_id = ?',
      ),
      remaining: db.preparePluck<number>(
        'outbox remaining',
        'SELECT COUNT(*) FROM outbox_points WHERE mutation_id = ?',
      ),
      deleteMutation: db.prepare('outbox delete mutation', 'DELETE FROM outbox WHERE mutation_id = ?'),
      countUnanswered: db.preparePluck<number>('outbox count unanswered', COUNT_UNANSWERED_SQL),
      countConflicts: db.preparePluck<number>('outbox count conflicts', COUNT_CONFLICTS_SQL),
      all: db.prepare<OutboxRow>('outbox all', 'SELECT * FROM outbox ORDER BY ord'),
      pointIdsOf: db.preparePluck<string>(
        'outbox point ids of',
        'SELECT point_id FROM outbox_points WHERE mutation_id = ? ORDER BY point_id',
      ),
    };
  }

  /** Makes a mutation id unique to this install: install id plus a counter kept in the same database. */
  private nextMutationId(): string {
    let installId = this.s.meta.get('installId');
    if (!installId) {
      installId = randomUUID().replaceAll('-', '').slice(0, 16);
      this.s.setMeta.run('installId', installId);
    }
    const counter = Number(this.s.meta.get('mutationCounter') ?? 0) + 1;
    this.s.setMeta.run('mutationCounter', String(counter));
    return `${installId}-${counter}`;
  }

  /** Queues an edit durably: on disk when this returns (see queue). */
  enqueue(edit: StatusEdit, points: { pointId: string; serverVersion: number }[], createdAt: string): string {
    return this.db.durableTx('outbox enqueue', () => this.insertEdit(edit, points, createdAt));
  }

  /**
   * Queues an edit in the caller's transaction, which puts it on disk later (a group commit): it is not sent until
   * onDisk() says it is there.
   */
  queue(edit: StatusEdit, points: { pointId: string; serverVersion: number }[], createdAt: string): string {
    const mutationId = this.db.tx('outbox queue', () => this.insertEdit(edit, points, createdAt));
    this.notOnDisk.add(mutationId);
    return mutationId;
  }

  /** A queued edit's commit is on disk: it may be sent. Until then it is not, nor anything queued after it (a power
   * loss would take its mutation id back, and the next edit would reuse it). */
  onDisk(mutationId: string): void {
    this.notOnDisk.delete(mutationId);
  }

  /**
   * Each point's base is the version this console believes it edits: the server's operator version, or, when an
   * earlier edit of the point is still pending here, that edit's (rebased once the earlier one is answered).
   */
  private insertEdit(
    edit: StatusEdit,
    points: { pointId: string; serverVersion: number }[],
    createdAt: string,
  ): string {
    const mutationId = this.nextMutationId();
    this.s.insert.run(mutationId, createdAt, JSON.stringify(edit));
    for (const { pointId, serverVersion } of points) {
      const earlier = this.s.latestForPoint.get(pointId) as { mutation_id: string; base_version: number } | undefined;
      if (earlier) this.s.insertPoint.run(mutationId, pointId, earlier.base_version, earlier.mutation_id);
      else this.s.insertPoint.run(mutationId, pointId, serverVersion, null);
    }
    return mutationId;
  }

  /**
   * The next mutations to send, in order. Stops before a mutation that builds on one not yet answered, since its
   * base is only known once that one is.
   */
  nextBatch(max: number): QueuedMutation[] {
    const batch: QueuedMutation[] = [];
    for (const row of this.s.unanswered.iterate()) {
      if (this.notOnDisk.has(row.mutation_id)) break;
      const points = this.s.pointsOf.all(row.mutation_id);
      if (points.some((p) => p.based_on_mutation !== null)) break;
      batch.push({
        mutationId: row.mutation_id,
        createdAt: row.created_at,
        edit: JSON.parse(row.edit_json) as StatusEdit,
        targets: points.map((p) => ({ pointId: p.point_id, baseVersion: p.base_version })),
      });
      if (batch.length >= max) break;
    }
    return batch;
  }

  /** After a lost connection nothing is in flight any more: what was being sent is queued again. */
  requeueInFlight(): void {
    this.s.requeue.run();
  }

  markSending(mutationIds: string[]): void {
    this.db.tx('outbox mark sending', () => {
      for (const id of mutationIds) this.s.setState.run('sending', 1, id);
    });
  }

  /** Records the backend's answers. Returns the ids of the points whose overlay changed. */
  recordOutcomes(outcomes: MutationOutcome[]): string[] {
    const touched = new Set<string>();
    this.db.tx('outbox record outcomes', () => {
      for (const outcome of outcomes) {
        const row = this.s.getMutation.get(outcome.mutationId);
        if (!row || row.state === 'answered') continue;
        const known = new Set(this.s.pointsOf.all(outcome.mutationId).map((p) => p.point_id));
        const answered = new Set<string>();
        for (const point of outcome.points) {
          if (!known.has(point.pointId)) continue;
          answered.add(point.pointId);
          touched.add(point.pointId);
          if (point.result === 'applied' || point.result === 'unchanged') {
            this.s.deletePoint.run(outcome.mutationId, point.pointId);
            if (point.operatorVersion !== null)
              this.s.rebase.run(point.operatorVersion, outcome.mutationId, point.pointId);
            else this.s.unchain.run(outcome.mutationId, point.pointId);
          } else {
            const state = point.result === 'conflict' ? 'conflict' : 'failed';
            const theirs = point.current ? JSON.stringify(point.current) : null;
            this.s.markPoint.run(state, theirs, point.reason ?? outcome.reason, outcome.mutationId, point.pointId);
            this.s.unchain.run(outcome.mutationId, point.pointId);
          }
        }
        // A mutation refused as a whole names no points: every point of it failed.
        for (const pointId of known) {
          if (answered.has(pointId)) continue;
          touched.add(pointId);
          this.s.markPoint.run('failed', null, outcome.reason ?? 'refused by the backend', outcome.mutationId, pointId);
          this.s.unchain.run(outcome.mutationId, pointId);
        }
        this.s.setAnswered.run(outcome.reason, outcome.mutationId);
        if (this.s.remaining.get(outcome.mutationId) === 0) this.s.deleteMutation.run(outcome.mutationId);
      }
    });
    return [...touched];
  }

  /** Drops a queued edit, or dismisses an answered one (conflict or refusal). Returns the points it covered. */
  discard(mutationId: string): string[] {
    return this.db.tx('outbox discard', () => {
      const row = this.s.getMutation.get(mutationId);
      if (!row) return [];
      const points = this.s.pointsOf.all(mutationId);
      for (const point of points) this.s.unchain.run(mutationId, point.point_id);
      this.s.deleteMutation.run(mutationId);
      return points.map((p) => p.point_id);
    });
  }

  /** The conflicted points of a mutation with what the backend has now. */
  conflictsOf(mutationId: string): { pointId: string; theirs: OperatorState }[] {
    return this.s.pointsOf
      .all(mutationId)
      .filter((p) => p.state === 'conflict' && p.theirs_json)
      .map((p) => ({ pointId: p.point_id, theirs: JSON.parse(p.theirs_json!) as OperatorState }));
  }

  editOf(mutationId: string): StatusEdit | null {
    const row = this.s.getMutation.get(mutationId);
    return row ? (JSON.parse(row.edit_json) as StatusEdit) : null;
  }

  /**
   * The latest overlay of each point (or of the given points only): what this console shows over the server's
   * state. A few points are read one by one, so a save costs the same with 10 or 10,000 edits queued.
   */
  overlays(pointIds?: readonly string[]): Map<string, PendingEdit> {
    type OverlayRow = OutboxPointRow & { edit_json: string; created_at: string; outbox_state: OutboxRow['state'] };
    const rows =
      pointIds && pointIds.length <= OVERLAYS_READ_ONE_BY_ONE
        ? pointIds.flatMap((id) => this.s.overlayForPoint.all(id) as OverlayRow[])
        : (this.s.overlay.all() as OverlayRow[]);
    const wanted = pointIds && pointIds.length > OVERLAYS_READ_ONE_BY_ONE ? new Set(pointIds) : null;
    const byPoint = new Map<string, PendingEdit>();
    for (const row of rows) {
      if (wanted && !wanted.has(row.point_id)) continue;
      const state =
        row.state === 'conflict'
          ? 'conflict'
          : row.state === 'failed'
            ? 'failed'
            : row.outbox_state === 'queued'
              ? 'queued'
              : 'sending';
      byPoint.set(row.point_id, {
        mutationId: row.mutation_id,
        edit: JSON.parse(row.edit_json) as StatusEdit,
        state,
        createdAt: row.created_at,
        error: row.error,
        theirs: row.theirs_json ? (JSON.parse(row.theirs_json) as OperatorState) : null,
      });
    }
    return byPoint;
  }

  counts(): { queued: number; conflicts: number } {
    return { queued: this.s.countUnanswered.get() ?? 0, conflicts: this.s.countConflicts.get() ?? 0 };
  }

  list(): OutboxItem[] {
    return this.s.all.all().map((row) => {
      const points = this.s.pointsOf.all(row.mutation_id);
      const state = points.some((p) => p.state === 'conflict')
        ? 'conflict'
        : points.some((p) => p.state === 'failed')
          ? 'failed'
          : row.state === 'queued'
            ? 'queued'
            : 'sending';
      return {
        mutationId: row.mutation_id,
        edit: JSON.parse(row.edit_json) as StatusEdit,
        pointIds: points.map((p) => p.point_id),
        state,
        createdAt: row.created_at,
        attempts: row.attempts,
        error: row.error ?? points.find((p) => p.error)?.error ?? null,
      };
    });
  }
}
