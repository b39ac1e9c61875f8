// Alerts as stored, and what the alert engine reads of the points. All their SQL lives here.
import { randomUUID } from 'node:crypto';
import type { Alert, AlertKind, AlertState } from '../../common/alerts.js';
import type { AuditRepo } from './audit.js';
import type { ChangeLog } from './changes.js';
import type { Db, Stmt } from './db.js';
import type { WebhooksRepo } from './webhooks.js';

interface AlertRow {
  id: string;
  kind: AlertKind;
  subject: string;
  point_id: string | null;
  station_id: string;
  site_id: string;
  state: AlertState;
  since: string;
  raised_at: string;
  evidence: string;
  raises: number;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  assigned_to: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution: string | null;
  version: number;
  seq: number;
}

/** A point as the rules see it. */
export interface PointCondition {
  id: string;
  station_id: string;
  site_id: string;
  reported_status: string;
  reported_error_code: string | null;
  reported_info: string | null;
  delivery_state: string;
  delivery_detail: string | null;
  seq: number;
}

/** What a point was asked to be, as the scheduled and overdue rules see it. */
export interface PointPlan {
  id: string;
  op_status: string;
  op_reason: string | null;
  op_by: string | null;
  op_at: string | null;
  op_until: string | null;
  op_until_action: string | null;
  op_version: number;
  delivery_at: string | null;
  /** The maintenance window whose end set the point's operator status (nobody changed it since), if any. */
  ended_window: string | null;
}

export interface NewAlert {
  kind: AlertKind;
  subject: string;
  pointId: string | null;
  stationId: string;
  siteId: string;
  since: string;
  evidence: string;
  raises: number;
}

export class AlertsRepo {
  private readonly s: {
    insert: Stmt;
    get: Stmt<AlertRow>;
    openFor: Stmt<AlertRow>;
    update: Stmt;
    current: Stmt<AlertRow>;
    since: Stmt<AlertRow>;
    pointsSince: Stmt<PointCondition>;
    pointsOf: Stmt<{ id: string; site_id: string }>;
    plansSince: Stmt<PointPlan>;
  };

  constructor(
    db: Db,
    private readonly changes: ChangeLog,
    private readonly audit: AuditRepo,
    private readonly webhooks: WebhooksRepo,
  ) {
    this.s = {
      insert: db.prepare(
        'alert insert',
        `INSERT INTO alerts (id, kind, subject, point_id, station_id, site_id, state, since, raised_at, evidence, raises, seq)
         VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)`,
      ),
      get: db.prepare('alert get', 'SELECT * FROM alerts WHERE id = ?'),
      openFor: db.prepare(
        'alert open for subject',
        "SELECT * FROM alerts WHERE subject = ? AND state <> 'resolved' LIMIT 1",
      ),
      update: db.prepare(
        'alert update',
        `UPDATE alerts SET state = ?, evidence = ?, raises = ?, acknowledged_by = ?, acknowledged_at = ?, assigned_to = ?,
           resolved_by = ?, resolved_at = ?, resolution = ?, version = version + 1, seq = ? WHERE id = ?`,
      ),
      current: db.prepare(
        'alerts current',
        "SELECT * FROM alerts WHERE state <> 'resolved' OR resolved_at >= ? ORDER BY raised_at",
      ),
      since: db.prepare('alerts since', 'SELECT * FROM alerts WHERE seq > ? ORDER BY seq'),
      pointsSince: db.prepare(
        'alert points since',
        `SELECT p.id, p.station_id, s.site_id, p.reported_status, p.reported_error_code, p.reported_info, p.delivery_state,
           p.delivery_detail, p.seq
         FROM points p JOIN stations s ON s.id = p.station_id WHERE p.seq > ? ORDER BY p.seq LIMIT ?`,
      ),
      pointsOf: db.prepare(
        'alert station points',
        'SELECT p.id, s.site_id FROM points p JOIN stations s ON s.id = p.station_id WHERE p.station_id = ?',
      ),
      plansSince: db.prepare(
        'alert point plans since',
        `SELECT p.id, p.op_status, p.op_reason, p.op_by, p.op_at, p.op_until, p.op_until_action, p.op_version, p.delivery_at,
           (SELECT mp.window_id FROM maintenance_window_points mp JOIN maintenance_windows w ON w.id = mp.window_id
            WHERE mp.point_id = p.id AND mp.state = 'restored' AND w.state = 'ended'
              AND p.op_mutation_id LIKE 'window-' || w.id || '-end-%'
            ORDER BY w.ended_at DESC LIMIT 1) AS ended_window
         FROM points p WHERE p.seq > ? AND p.seq <= ? ORDER BY p.seq`,
      ),
    };
  }

  /** Points changed since seq (what the rules look at), in seq order: the first `limit`. */
  pointsChangedSince(seq: number, limit: number): PointCondition[] {
    return this.s.pointsSince.all(seq, limit);
  }

  /** The operator side of the points changed after seq, up to upToSeq (the scheduled and overdue rules). */
  plansChangedSince(seq: number, upToSeq: number): PointPlan[] {
    return this.s.plansSince.all(seq, upToSeq);
  }

  pointsOfStation(stationId: string): { id: string; site_id: string }[] {
    return this.s.pointsOf.all(stationId);
  }

  get(id: string): Alert | null {
    const r = this.s.get.get(id);
    return r ? toAlert(r) : null;
  }

  openFor(subject: string): Alert | null {
    const r = this.s.openFor.get(subject);
    return r ? toAlert(r) : null;
  }

  /** Raises an alert (a change with a seq; an audit entry on each point it is about). */
  raise(a: NewAlert, at: string, auditPoints: string[]): Alert {
    return this.changes.write('alert raise', () => {
      const id = randomUUID();
      const seq = this.changes.next();
      this.s.insert.run(
        id,
        a.kind,
        a.subject,
        a.pointId,
        a.stationId,
        a.siteId,
        a.since,
        at,
        a.evidence,
        a.raises,
        seq,
      );
      for (const pointId of auditPoints) {
        this.audit.insert({
          seq,
          pointId,
          at,
          actor: 'system',
          fact: 'alert',
          from: null,
          to: `raised: ${a.kind}`,
          reason: a.evidence,
          note: id,
        });
      }
      const alert = this.get(id)!;
      this.queueWebhooks(alert, 'raised', 'system', at);
      return alert;
    });
  }

  /** Writes a new state of an alert (the caller checked what may change). */
  save(next: Alert, actor: string, what: string, at: string, auditPoints: string[]): Alert {
    return this.changes.write('alert change', () => {
      const seq = this.changes.next();
      this.s.update.run(
        next.state,
        next.evidence,
        next.raises,
        next.acknowledgedBy,
        next.acknowledgedAt,
        next.assignedTo,
        next.resolvedBy,
        next.resolvedAt,
        next.resolution,
        seq,
        next.id,
      );
      for (const pointId of auditPoints) {
        this.audit.insert({
          seq,
          pointId,
          at,
          actor,
          fact: 'alert',
          from: null,
          to: what,
          reason: next.resolution ?? next.evidence,
          note: next.id,
        });
      }
      const alert = this.get(next.id)!;
      this.queueWebhooks(alert, what, actor, at);
      return alert;
    });
  }

  /** The alert event for every webhook receiver, queued in the same transaction as the change (none lost). */
  private queueWebhooks(alert: Alert, what: string, actor: string, at: string): void {
    const eventId = `${alert.id}:${alert.version}`;
    const body = JSON.stringify({ id: eventId, type: 'alert', what, actor, at, alert });
    this.webhooks.enqueue(eventId, body, at);
  }

  /** Open and acknowledged alerts, and those resolved since `resolvedSince`. */
  current(resolvedSince: string): Alert[] {
    return this.s.current.all(resolvedSince).map(toAlert);
  }

  changedSince(seq: number): Alert[] {
    return this.s.since.all(seq).map(toAlert);
  }
}

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    kind: r.kind,
    pointId: r.point_id,
    stationId: r.station_id,
    siteId: r.site_id,
    state: r.state,
    since: r.since,
    raisedAt: r.raised_at,
    evidence: r.evidence,
    raises: r.raises,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    assignedTo: r.assigned_to,
    resolvedBy: r.resolved_by,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
    version: r.version,
  };
}
