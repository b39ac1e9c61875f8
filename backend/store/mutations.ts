// Operator edits: each mutation id is applied at most once, forever, with its outcome stored in the
// same transaction as the change. Ids are scoped to the person who sent them: the processed record is keyed by
// (username, id), so a replay by the same user gets the original outcome, and an id someone else used (ids are
// predictable, `<install>-<counter>`, and visible in history) never collides with this user's own.
import type { Mutation, MutationOutcome, MutationResult, PointOutcome, Role } from '../../common/model.js';
import { roleAllows } from '../../common/model.js';
import type { OperatorStatus } from '../../common/status.js';
import { availabilityFor } from '../../common/status.js';
import type { ChangeLog } from './changes.js';
import { nowIso } from './changes.js';
import type { Db, Stmt } from './db.js';
import { jsonRows, jsonRowsParam } from './jsonRows.js';
import { operatorOf, type PointRow } from './points.js';

export interface Actor {
  username: string;
  role: Role;
}

/** A point whose operator status was just applied and whose (connected) station must now be told. */
export interface AppliedPoint {
  pointId: string;
  stationId: string;
  evseId: number;
  opVersion: number;
  status: OperatorStatus;
}

export interface ProcessResult {
  outcome: MutationOutcome;
  applied: AppliedPoint[];
}

type OpRow = Pick<
  PointRow,
  | 'id'
  | 'station_id'
  | 'evse_id'
  | 'op_status'
  | 'op_reason'
  | 'op_note'
  | 'op_until'
  | 'op_until_action'
  | 'op_by'
  | 'op_at'
  | 'op_version'
  | 'delivery_state'
  | 'connected'
>;

/** Delivery detail for a point whose station is not connected. */
export const STATION_OFFLINE_DETAIL = 'station not connected: sent when it reconnects';

const OP_COLUMNS = [
  'id',
  'station_id',
  'evse_id',
  'op_status',
  'op_reason',
  'op_note',
  'op_until',
  'op_until_action',
  'op_by',
  'op_at',
  'op_version',
  'delivery_state',
  'connected',
] as const satisfies readonly (keyof OpRow)[];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw row, its columns in OP_COLUMNS order
function opRowOf(a: any[]): OpRow {
  return {
    id: a[0],
    station_id: a[1],
    evse_id: a[2],
    op_status: a[3],
    op_reason: a[4],
    op_note: a[5],
    op_until: a[6],
    op_until_action: a[7],
    op_by: a[8],
    op_at: a[9],
    op_version: a[10],
    delivery_state: a[11],
    connected: a[12],
  };
}

const blankToNull = (s: string | null): string | null => (s !== null && s.trim() !== '' ? s : null);

export function overallResult(points: PointOutcome[]): MutationResult {
  const ok = points.filter((p) => p.result === 'applied' || p.result === 'unchanged').length;
  if (points.length > 0 && ok === points.length) return 'applied';
  if (ok > 0) return 'partial';
  if (points.some((p) => p.result === 'conflict')) return 'conflict';
  return 'rejected';
}

export class MutationsRepo {
  private readonly s: {
    processed: Stmt<{ outcome: string }>;
    processedAny: Stmt<{ outcome: string }>;
    processedExists: Stmt<{ found: number }>;
    record: Stmt;
    opRows: Stmt<unknown[]>;
    apply: Stmt;
    audit: Stmt;
  };

  constructor(
    db: Db,
    private readonly changes: ChangeLog,
  ) {
    this.s = {
      processed: db.prepare(
        'mutation processed',
        'SELECT outcome FROM processed_mutations WHERE username = ? AND id = ?',
      ),
      processedAny: db.prepare(
        'mutation processed (any user)',
        'SELECT outcome FROM processed_mutations WHERE id = ? LIMIT 1',
      ),
      processedExists: db.prepare(
        'mutation processed exists (any user)',
        'SELECT 1 AS found FROM processed_mutations WHERE id = ? LIMIT 1',
      ),
      record: db.prepare(
        'mutation record',
        'INSERT INTO processed_mutations (id, username, result, outcome, processed_at) VALUES (?, ?, ?, ?, ?)',
      ),
      // One statement each for all the points of a mutation, not one per point: on PostgreSQL a statement is a
      // round trip (a 5,000-point bulk edit made ~20,000 of them). The rows go as one JSON parameter (jsonRows.ts).
      opRows: db.prepareRaw(
        'mutation points',
        `SELECT ${OP_COLUMNS.map((c) => (c === 'connected' ? 's.connected' : `p.${c}`)).join(', ')}
         FROM points p JOIN stations s ON s.id = p.station_id
         WHERE p.id IN (SELECT v.value ->> 0 FROM ${jsonRows(db.dialect)})`,
      ),
      // Rows [point id, delivery state, seq, delivery detail].
      apply: db.prepare(
        'mutation apply',
        `UPDATE points AS p SET op_status = ?, op_reason = ?, op_note = ?, op_until = ?, op_until_action = ?, op_by = ?,
           op_at = ?, op_version = p.op_version + 1, op_mutation_id = ?, delivery_state = v.value ->> 1,
           delivery_detail = v.value ->> 3, delivery_at = ?, version = p.version + 1, seq = CAST(v.value ->> 2 AS BIGINT)
         FROM ${jsonRows(db.dialect)}
         WHERE p.id = v.value ->> 0`,
      ),
      // The audit rows in the order they were made (ids ascending, as one insert each gave): rows [seq, point id,
      // actor, fact, from, to, reason if not the operator's]. The operator's reason and note are parameters.
      audit: db.prepare(
        'mutation audit',
        `INSERT INTO audit (seq, point_id, at, actor, fact, from_value, to_value, reason, note, mutation_id)
         SELECT CAST(v.value ->> 0 AS BIGINT), v.value ->> 1, ?, v.value ->> 2, v.value ->> 3, v.value ->> 4,
           v.value ->> 5, CASE WHEN v.value ->> 3 = 'operator' THEN ? ELSE v.value ->> 6 END,
           CASE WHEN v.value ->> 3 = 'operator' THEN ? END, ?
         FROM ${jsonRows(db.dialect)}
         ORDER BY v.key`,
      ),
    };
  }

  /**
   * The stored outcome of an id processed before, marked duplicate; null when the id is new. With a username, only
   * that user's record counts (what the backend answers); without, any user's (for tests and benchmarks).
   */
  previous(id: string, username?: string): MutationOutcome | null {
    const row = username === undefined ? this.s.processedAny.get(id) : this.s.processed.get(username, id);
    if (!row) return null;
    return { ...(JSON.parse(row.outcome) as MutationOutcome), duplicate: true };
  }

  /**
   * Whether a mutation with this id was processed, for any user: read from the index alone, without its outcome (a
   * bulk edit's is megabytes, read page by page; a benchmark waiting for one must not slow the backend it measures).
   */
  wasProcessed(id: string): boolean {
    return this.s.processedExists.get(id) !== undefined;
  }

  /** Processes the mutations of one request in one transaction (one commit, so one sync to disk). */
  processAll(mutations: readonly Mutation[], actor: Actor): ProcessResult[] {
    return this.changes.write('mutate request', () => this.processEach(mutations, actor));
  }

  /**
   * Processes the mutations of one request, each in its own savepoint, inside a write someone else commits (the
   * turn's shared commit: the requests of one turn share one commit and one hold of the seq's lock).
   */
  processEach(mutations: readonly Mutation[], actor: Actor): ProcessResult[] {
    return mutations.map((m) => this.process(m, actor));
  }

  /** Applies one valid mutation (or answers its earlier outcome) in one transaction. */
  process(m: Mutation, actor: Actor): ProcessResult {
    return this.changes.write('mutation', () => {
      const earlier = this.previous(m.id, actor.username);
      if (earlier) return { outcome: earlier, applied: [] };
      const at = nowIso();
      const needed = m.targets.length > 1 ? 'bulkEdit' : 'edit';
      if (!roleAllows(actor.role, needed)) {
        const reason = `forbidden: role ${actor.role} may not ${needed === 'bulkEdit' ? 'edit several points at once' : 'edit'}`;
        const points: PointOutcome[] = m.targets.map((t) => ({
          pointId: t.pointId,
          result: 'notAllowed',
          reason,
          current: null,
          operatorVersion: null,
        }));
        return { outcome: this.record(m.id, actor.username, 'rejected', reason, points, at), applied: [] };
      }
      const edit = {
        status: m.edit.status,
        reason: blankToNull(m.edit.reason),
        note: blankToNull(m.edit.note),
        until: m.edit.until,
        untilAction: m.edit.until ? (m.edit.untilAction ?? 'remind') : null,
      };
      const sendsCommand = availabilityFor(edit.status) !== null;
      const points: PointOutcome[] = [];
      const applied: AppliedPoint[] = [];
      const rows = this.opRows(m.targets.map((t) => t.pointId));
      const seen = new Set<string>();
      /** [point id, delivery state, seq, delivery detail] per point applied. */
      const changed: [string, string, number, string | null][] = [];
      /** [seq, point id, actor, fact, from, to, reason] per audit row, in the order they are made. */
      const auditRows: [number, string, string, string, string | null, string, string | null][] = [];
      for (const t of m.targets) {
        if (seen.has(t.pointId)) {
          points.push({
            pointId: t.pointId,
            result: 'rejected',
            reason: 'point named twice',
            current: null,
            operatorVersion: null,
          });
          continue;
        }
        seen.add(t.pointId);
        const r = rows.get(t.pointId);
        if (!r) {
          points.push({
            pointId: t.pointId,
            result: 'rejected',
            reason: 'unknown point',
            current: null,
            operatorVersion: null,
          });
          continue;
        }
        const same =
          r.op_status === edit.status &&
          r.op_reason === edit.reason &&
          r.op_note === edit.note &&
          r.op_until === edit.until &&
          (r.op_until_action ?? (r.op_until ? 'remind' : null)) === edit.untilAction;
        if (same) {
          points.push({
            pointId: r.id,
            result: 'unchanged',
            reason: null,
            current: null,
            operatorVersion: r.op_version,
          });
          continue;
        }
        if (t.baseVersion !== r.op_version) {
          points.push({
            pointId: r.id,
            result: 'conflict',
            reason: `changed by ${r.op_by ?? 'someone else'} since version ${t.baseVersion}`,
            current: operatorOf(r),
            operatorVersion: r.op_version,
          });
          continue;
        }
        const seq = this.changes.next();
        // A station known to be away gets stationOffline at once (one change instead of two); the command is
        // sent when it reconnects. Occupied is an override only: nothing goes to the station.
        const delivery = !sendsCommand ? 'overrideOnly' : r.connected === 1 ? 'saved' : 'stationOffline';
        const detail = delivery === 'stationOffline' ? STATION_OFFLINE_DETAIL : null;
        changed.push([r.id, delivery, seq, detail]);
        // The operator's reason and note are the statement's parameters (null here).
        auditRows.push([seq, r.id, `user:${actor.username}`, 'operator', r.op_status, edit.status, null]);
        if (delivery === 'stationOffline') {
          auditRows.push([seq, r.id, 'system', 'delivery', r.delivery_state, delivery, detail]);
        }
        const opVersion = r.op_version + 1;
        points.push({ pointId: r.id, result: 'applied', reason: null, current: null, operatorVersion: opVersion });
        if (delivery === 'saved') {
          applied.push({ pointId: r.id, stationId: r.station_id, evseId: r.evse_id, opVersion, status: edit.status });
        }
      }
      if (changed.length > 0) {
        const { changes } = this.s.apply.run(
          edit.status,
          edit.reason,
          edit.note,
          edit.until,
          edit.untilAction,
          actor.username,
          at,
          m.id,
          at,
          jsonRowsParam(changed),
        );
        // Read above in this transaction, under the seq lock on PostgreSQL: nothing else can have removed one.
        if (changes !== changed.length)
          throw new Error(`mutation ${m.id}: ${changes} of ${changed.length} points updated`);
        this.s.audit.run(at, edit.reason, edit.note, m.id, jsonRowsParam(auditRows));
      }
      const result = overallResult(points);
      return { outcome: this.record(m.id, actor.username, result, null, points, at), applied };
    });
  }

  /** The points named (those that exist), by id, read in one statement. */
  private opRows(ids: readonly string[]): Map<string, OpRow> {
    const rows = new Map<string, OpRow>();
    // Before reading: on PostgreSQL another instance may be changing these points; it holds the seq row until it
    // commits, so what is read after taking that lock is what this transaction's versions are checked against.
    this.changes.lock();
    for (const a of this.s.opRows.all(jsonRowsParam(ids.map((id) => [id])))) {
      const r = opRowOf(a);
      rows.set(r.id, r);
    }
    return rows;
  }

  /**
   * Records a mutation that can never apply (fails the schema) so a console's queue cannot get stuck on it.
   * An id processed before keeps its original outcome.
   */
  recordInvalid(id: string, username: string, reason: string): MutationOutcome {
    return this.changes.write('mutation invalid', () => {
      return this.previous(id, username) ?? this.record(id, username, 'rejected', reason, [], nowIso());
    });
  }

  private record(
    id: string,
    username: string,
    result: MutationResult,
    reason: string | null,
    points: PointOutcome[],
    at: string,
  ): MutationOutcome {
    const outcome: MutationOutcome = { mutationId: id, result, duplicate: false, reason, points, processedAt: at };
    this.s.record.run(id, username, result, JSON.stringify(outcome), at);
    return outcome;
  }
}
