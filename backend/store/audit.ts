// The append-only audit log of every status change (operator, reported, delivery, connection).
import type { AuditEntry } from '../../common/model.js';
import type { Db, Stmt } from './db.js';

export interface AuditInput {
  seq: number;
  pointId: string;
  at: string;
  actor: string;
  fact: AuditEntry['fact'];
  from: string | null;
  to: string | null;
  reason?: string | null;
  note?: string | null;
  mutationId?: string | null;
}

interface AuditRow {
  seq: number;
  point_id: string;
  at: string;
  actor: string;
  fact: AuditEntry['fact'];
  from_value: string | null;
  to_value: string | null;
  reason: string | null;
  note: string | null;
  mutation_id: string | null;
}

export class AuditRepo {
  private readonly insertStmt: Stmt;
  private readonly historyStmt: Stmt<AuditRow>;
  private readonly countStmt: Stmt<{ n: number }>;
  private readonly operatorStmt: Stmt<AuditRow>;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      'audit insert',
      `INSERT INTO audit (seq, point_id, at, actor, fact, from_value, to_value, reason, note, mutation_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.historyStmt = db.prepare<AuditRow>(
      'audit history',
      `SELECT seq, point_id, at, actor, fact, from_value, to_value, reason, note, mutation_id
       FROM audit WHERE point_id = ? ORDER BY id DESC LIMIT ?`,
    );
    this.countStmt = db.prepare<{ n: number }>('audit count', 'SELECT COUNT(*) AS n FROM audit WHERE point_id = ?');
    this.operatorStmt = db.prepare<AuditRow>(
      'audit operator history',
      `SELECT seq, point_id, at, actor, fact, from_value, to_value, reason, note, mutation_id
       FROM audit WHERE point_id = ? AND fact = 'operator' ORDER BY id DESC LIMIT ?`,
    );
  }

  insert(e: AuditInput): void {
    this.insertStmt.run(
      e.seq,
      e.pointId,
      e.at,
      e.actor,
      e.fact,
      e.from,
      e.to,
      e.reason ?? null,
      e.note ?? null,
      e.mutationId ?? null,
    );
  }

  /** The entries of one point, newest first. */
  history(pointId: string, limit: number): AuditEntry[] {
    return this.historyStmt.all(pointId, limit).map(entryOf);
  }

  /** The operator-status changes of one point, newest first. */
  operatorHistory(pointId: string, limit: number): AuditEntry[] {
    return this.operatorStmt.all(pointId, limit).map(entryOf);
  }

  count(pointId: string): number {
    return this.countStmt.get(pointId)?.n ?? 0;
  }
}

function entryOf(r: AuditRow): AuditEntry {
  return {
    seq: r.seq,
    pointId: r.point_id,
    at: r.at,
    actor: r.actor,
    fact: r.fact,
    from: r.from_value,
    to: r.to_value,
    reason: r.reason,
    note: r.note,
    mutationId: r.mutation_id,
  };
}
