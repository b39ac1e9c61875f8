// Charging points: reading them as the shared Point shape, and the station-driven changes to them.
import type { Connector, DeliveryInfo, OperatorState, Point, StationProtocol } from '../../common/model.js';
import { deliveryStateSchema, pointSchema, reportedStateSchema, type ReportedState } from '../../common/model.js';
import { describeIssues } from '../console/validation.js';
import type { DeliveryState, OperatorStatus, ReportedStatus, UntilAction } from '../../common/status.js';
import { availabilityFor, reportConfirms } from '../../common/status.js';
import { deliveryStepKeepsShown } from '../../common/consoleApi.js';
import type { AuditRepo } from './audit.js';
import type { ChangeLog } from './changes.js';
import type { Db, Stmt } from './db.js';
import type { StationsRepo } from './stations.js';
import type { AppliedPoint } from './mutations.js';

type RoutedPointRow = Pick<PointRow, 'id' | 'station_id' | 'evse_id' | 'op_version' | 'op_status' | 'delivery_detail'>;

/** A change saved for its station, as the instance holding the station reads it (docs/cluster.md). */
export interface RoutedPoint extends AppliedPoint {
  deliveryDetail: string | null;
}

export interface PointRow {
  id: string;
  station_id: string;
  evse_id: number;
  label: string;
  connectors: string;
  reported_status: ReportedStatus;
  reported_error_code: string | null;
  reported_info: string | null;
  reported_at: string | null;
  reported_connectors: string;
  op_status: OperatorStatus;
  op_reason: string | null;
  op_note: string | null;
  op_until: string | null;
  op_until_action: UntilAction | null;
  op_by: string | null;
  op_at: string | null;
  op_version: number;
  op_mutation_id: string | null;
  delivery_state: DeliveryState;
  delivery_detail: string | null;
  delivery_at: string | null;
  version: number;
  seq: number;
  site_id: string;
  protocol: StationProtocol;
  connected: number;
  last_seen: string | null;
}

/** One station's report about one of its points, as it arrived. */
export interface StationReport {
  stationId: string;
  evseId: number;
  report: Report;
  actor: string;
}

export interface NewPoint {
  id: string;
  stationId: string;
  evseId: number;
  label: string;
  connectors: Connector[];
}

export interface Report {
  status: ReportedStatus;
  errorCode: string | null;
  info: string | null;
  at: string;
  /** OCPP 2.0.1 connector on the EVSE; the EVSE's status is derived from all its connectors. */
  connectorId?: number;
}

export interface DeliveryUpdate {
  pointId: string;
  /** Only applied while the point's operator version is still this one (a newer edit wins). */
  opVersion: number;
  state: DeliveryState;
  detail: string | null;
  actor: string;
  /**
   * For stationOffline: what to write instead if the store has the station connected when the update is written
   * (read under the write lock). Another connection of it is live, here or on another instance, and may already have
   * been sent the change: without this, the update is dropped.
   */
  ifStationConnected?: { state: DeliveryState; detail: string | null };
}

const POINT_COLUMNS = [
  'id',
  'station_id',
  'evse_id',
  'label',
  'connectors',
  'reported_status',
  'reported_error_code',
  'reported_info',
  'reported_at',
  'reported_connectors',
  'op_status',
  'op_reason',
  'op_note',
  'op_until',
  'op_until_action',
  'op_by',
  'op_at',
  'op_version',
  'op_mutation_id',
  'delivery_state',
  'delivery_detail',
  'delivery_at',
  'version',
  'seq',
] as const;
const STATION_COLUMNS = ['site_id', 'protocol', 'connected', 'last_seen'] as const;
const ALL_COLUMNS: readonly (keyof PointRow)[] = [...POINT_COLUMNS, ...STATION_COLUMNS];

/** Points are read as arrays and turned into rows here: far cheaper than better-sqlite3's objects in bulk. */
const SELECT = `SELECT ${POINT_COLUMNS.map((c) => `p.${c}`).join(', ')}, ${STATION_COLUMNS.map((c) => `s.${c}`).join(', ')}
  FROM points p JOIN stations s ON s.id = p.station_id`;

function rowOf(a: unknown[]): PointRow {
  const r: Record<string, unknown> = {};
  for (let i = 0; i < ALL_COLUMNS.length; i++) r[ALL_COLUMNS[i]] = a[i];
  return r as unknown as PointRow;
}

/** A new point's columns before anything happened to it (the table's defaults). */
const NEW_POINT_DEFAULTS = {
  reported_status: 'Unknown',
  reported_error_code: null,
  reported_info: null,
  reported_at: null,
  reported_connectors: '{}',
  op_status: 'Available',
  op_reason: null,
  op_note: null,
  op_until: null,
  op_until_action: null,
  op_by: null,
  op_at: null,
  op_version: 0,
  op_mutation_id: null,
  delivery_state: 'confirmed',
  delivery_detail: null,
  delivery_at: null,
  version: 0,
} as const;

const col = Object.fromEntries(ALL_COLUMNS.map((c, i) => [c, i])) as Record<keyof PointRow, number>;
const connectorsCache = new Map<string, Connector[]>();

/** The one row→Point mapper. It reads the columns as the statements return them (arrays: the bulk path). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw row, its columns at the indexes of `col`
function pointOf(a: readonly any[]): Point {
  const connectorsJson = a[col.connectors] as string;
  let connectors = connectorsCache.get(connectorsJson);
  if (!connectors) {
    connectors = JSON.parse(connectorsJson) as Connector[];
    if (connectorsCache.size < 1000) connectorsCache.set(connectorsJson, connectors);
  }
  const delivery: DeliveryInfo = {
    state: a[col.delivery_state],
    detail: a[col.delivery_detail],
    at: a[col.delivery_at],
  };
  return {
    id: a[col.id],
    siteId: a[col.site_id],
    stationId: a[col.station_id],
    evseId: a[col.evse_id],
    label: a[col.label],
    protocol: a[col.protocol],
    connectors: connectors.map((c) => ({ ...c })),
    stationConnected: a[col.connected] === 1,
    stationLastSeen: a[col.last_seen],
    reported: {
      status: a[col.reported_status],
      errorCode: a[col.reported_error_code],
      info: a[col.reported_info],
      at: a[col.reported_at],
    },
    operator: {
      status: a[col.op_status],
      reason: a[col.op_reason],
      note: a[col.op_note],
      until: a[col.op_until],
      untilAction: a[col.op_until_action],
      by: a[col.op_by],
      at: a[col.op_at],
      version: a[col.op_version],
    },
    delivery,
    version: a[col.version],
    seq: a[col.seq],
  };
}

/** A station without a registered layout: the EVSE ids it may report on, so at most this many points of it. */
export const MAX_LEARNED_EVSE_ID = 32;

/** A write that would store a point the shared point schema refuses (so no console could take it): nothing is stored. */
export class InvalidPointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPointError';
  }
}

/** Every write of a point builds the point as consoles will receive it and checks it with the shared schema first. */
function checkPoint(r: PointRow): void {
  const parsed = pointSchema.safeParse(toPoint(r));
  if (!parsed.success) throw new InvalidPointError(`point ${r.id} would be invalid: ${describeIssues(parsed.error)}`);
}

/** A station report's part of a point (and its connectors when the report added one), checked before it is stored. */
function checkReport(id: string, reported: ReportedState, connectors: Connector[] | null): void {
  const parsed = reportedStateSchema.safeParse(reported);
  if (!parsed.success)
    throw new InvalidPointError(`point ${id} would be invalid: ${describeIssues(parsed.error, 'reported')}`);
  if (connectors === null) return;
  const list = pointSchema.shape.connectors.safeParse(connectors);
  if (!list.success)
    throw new InvalidPointError(`point ${id} would be invalid: ${describeIssues(list.error, 'connectors')}`);
}

/** What of a point its status history depends on (backend/history/recorder.ts): a Point has it all. */
export interface PointHistoryFacts {
  id: string;
  operator: Pick<OperatorState, 'status' | 'reason'>;
  reported: Pick<ReportedState, 'status' | 'errorCode' | 'info'>;
  stationConnected: boolean;
  delivery: Pick<DeliveryInfo, 'state'>;
}

/** The columns a station report reads of its point. */
const REPORT_ROW_COLUMNS = [
  'id',
  'reported_status',
  'reported_error_code',
  'reported_connectors',
  'connectors',
  'op_status',
  'delivery_state',
  'op_mutation_id',
] as const;
type ReportRow = Pick<PointRow, (typeof REPORT_ROW_COLUMNS)[number]>;

/** Delivery states a report may confirm: it then arrived after the station's reply, so it is fresh. */
const CONFIRMABLE: ReadonlySet<DeliveryState> = new Set(['accepted', 'scheduled', 'notConfirmed']);

/** Which connector status an EVSE shows when its connectors differ (the most telling first). */
const EVSE_PRECEDENCE: ReportedStatus[] = ['Faulted', 'Occupied', 'Reserved', 'Available', 'Unavailable', 'Unknown'];

export function operatorOf(
  r: Pick<
    PointRow,
    'op_status' | 'op_reason' | 'op_note' | 'op_until' | 'op_until_action' | 'op_by' | 'op_at' | 'op_version'
  >,
): OperatorState {
  return {
    status: r.op_status,
    reason: r.op_reason,
    note: r.op_note,
    until: r.op_until,
    untilAction: r.op_until_action,
    by: r.op_by,
    at: r.op_at,
    version: r.op_version,
  };
}

/** A row as an object (a write checked before it is stored) read through the same mapper. */
function toPoint(r: PointRow): Point {
  return pointOf(ALL_COLUMNS.map((c) => r[c]));
}

export class PointsRepo {
  private readonly s;

  constructor(
    private readonly db: Db,
    private readonly changes: ChangeLog,
    private readonly audit: AuditRepo,
    private readonly stations: StationsRepo,
  ) {
    this.s = {
      get: db.prepareRaw('point get', `${SELECT} WHERE p.id = ?`),
      byEvse: db.prepareRaw('point by evse', `${SELECT} WHERE p.station_id = ? AND p.evse_id = ?`),
      reportRow: db.prepare<ReportRow>(
        'point report row',
        `SELECT ${REPORT_ROW_COLUMNS.join(', ')} FROM points WHERE station_id = ? AND evse_id = ?`,
      ),
      all: db.prepareRaw('points all', `${SELECT} ORDER BY s.site_id, p.station_id, p.evse_id`),
      since: db.prepareRaw('points since', `${SELECT} WHERE p.seq > ? ORDER BY p.seq`),
      historyFactsSince: db.prepareRaw(
        'points history facts since',
        `SELECT p.id, p.op_status, p.op_reason, p.reported_status, p.reported_error_code, p.reported_info, s.connected,
           p.delivery_state
         FROM points p JOIN stations s ON s.id = p.station_id WHERE p.seq > ?`,
      ),
      awaitingSend: db.prepare<RoutedPointRow>(
        'points awaiting send',
        `SELECT p.id, p.station_id, p.evse_id, p.op_version, p.op_status, p.delivery_detail FROM points p
         WHERE p.seq > ? AND p.delivery_state = 'saved' ORDER BY p.seq`,
      ),
      countSince: db.prepare<{ n: number }>('points count since', 'SELECT COUNT(*) AS n FROM points WHERE seq > ?'),
      count: db.prepare<{ n: number }>('points count', 'SELECT COUNT(*) AS n FROM points'),
      byStation: db.prepareRaw('points by station', `${SELECT} WHERE p.station_id = ? ORDER BY p.evse_id`),
      insert: db.prepare(
        'point insert',
        `INSERT INTO points (id, station_id, evse_id, label, connectors, seq) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      report: db.prepare(
        'point report',
        `UPDATE points SET reported_status = ?, reported_error_code = ?, reported_info = ?, reported_at = ?,
           reported_connectors = ?, connectors = ?, version = version + 1, seq = ? WHERE id = ?`,
      ),
      deliveryInChange: db.prepare(
        'point delivery in change',
        'UPDATE points SET delivery_state = ?, delivery_detail = ?, delivery_at = ? WHERE id = ?',
      ),
      deliveryRow: db.prepare<
        Pick<PointRow, 'id' | 'op_version' | 'delivery_state' | 'delivery_detail' | 'op_mutation_id'> & {
          station_connected: number;
        }
      >(
        'point delivery row',
        `SELECT id, op_version, delivery_state, delivery_detail, op_mutation_id,
           (SELECT connected FROM stations WHERE stations.id = points.station_id) AS station_connected
         FROM points WHERE id = ?`,
      ),
      touchChange: db.prepare('point change', 'UPDATE points SET version = version + 1, seq = ? WHERE id = ?'),
      delivery: db.prepare(
        'point delivery',
        `UPDATE points SET delivery_state = ?, delivery_detail = ?, delivery_at = ?, version = version + 1, seq = ?
         WHERE id = ?`,
      ),
    } as const;
  }

  private one(stmt: Stmt<unknown[]>, ...params: unknown[]): PointRow | undefined {
    const a = stmt.get(...params);
    return a ? rowOf(a) : undefined;
  }

  private many(stmt: Stmt<unknown[]>, ...params: unknown[]): PointRow[] {
    return stmt.all(...params).map(rowOf);
  }

  get(id: string): Point | null {
    const a = this.s.get.get(id);
    return a ? pointOf(a) : null;
  }

  row(id: string): PointRow | null {
    return this.one(this.s.get, id) ?? null;
  }

  all(): Point[] {
    return this.s.all.all().map(pointOf);
  }

  /** The latest state of every point changed after seq, in seq order. */
  changedSince(seq: number): Point[] {
    return this.s.since.all(seq).map(pointOf);
  }

  /** Of each point changed after seq, what its status history depends on (backend/history/recorder.ts). */
  historyFactsSince(seq: number): PointHistoryFacts[] {
    return this.s.historyFactsSince.all(seq).map((a) => ({
      id: a[0] as string,
      operator: { status: a[1] as OperatorStatus, reason: a[2] as string | null },
      reported: { status: a[3] as ReportedStatus, errorCode: a[4] as string | null, info: a[5] as string | null },
      stationConnected: a[6] === 1,
      delivery: { state: a[7] as DeliveryState },
    }));
  }

  /**
   * Points changed after seq whose operator status is saved and not yet sent to their station: with several
   * instances, what another instance applied for a station connected to this one (docs/cluster.md).
   */
  awaitingSendSince(seq: number): RoutedPoint[] {
    return this.s.awaitingSend.all(seq).map((r) => ({
      pointId: r.id,
      stationId: r.station_id,
      evseId: r.evse_id,
      opVersion: r.op_version,
      status: r.op_status,
      deliveryDetail: r.delivery_detail,
    }));
  }

  countChangedSince(seq: number): number {
    return this.s.countSince.get(seq)?.n ?? 0;
  }

  count(): number {
    return this.s.count.get()?.n ?? 0;
  }

  byStation(stationId: string): Point[] {
    return this.s.byStation.all(stationId).map(pointOf);
  }

  byStationEvse(stationId: string, evseId: number): Point | null {
    const a = this.s.byEvse.get(stationId, evseId);
    return a ? pointOf(a) : null;
  }

  insert(p: NewPoint): void {
    this.changes.write('insert point', () => {
      const st = this.stations.get(p.stationId);
      if (!st) throw new InvalidPointError(`point ${p.id}: no station ${p.stationId}`);
      const connectors = JSON.stringify(p.connectors);
      const seq = this.changes.next();
      checkPoint({
        ...NEW_POINT_DEFAULTS,
        id: p.id,
        station_id: p.stationId,
        evse_id: p.evseId,
        label: p.label,
        connectors,
        seq,
        site_id: st.site_id,
        protocol: st.protocol,
        connected: st.connected,
        last_seen: st.last_seen,
      });
      this.s.insert.run(p.id, p.stationId, p.evseId, p.label, connectors, seq);
    });
  }

  /**
   * Several reports in one transaction: a commit costs about as much as the report itself (measured: ~60 µs of the
   * ~95 µs a report took under 2,000 reports/s), so reports that arrive together are committed together. Each is
   * applied on its own savepoint: one that fails is rolled back alone, and its error takes its place in the result.
   * An error that ended the whole transaction (disk full, I/O) fails them all: nothing after it may commit alone.
   */
  setReportedMany(reports: readonly StationReport[]): (string | null | Error)[] {
    return this.changes.write('reports', () =>
      reports.map((r) => {
        try {
          return this.changes.write('report', () => this.applyReport(r.stationId, r.evseId, r.report, r.actor));
        } catch (error) {
          if (!this.db.inTransaction) throw error;
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
  }

  /**
   * A station's report for one point (created when the station is known but the point is not).
   * A report that matches an accepted/scheduled availability confirms its delivery.
   */
  setReported(stationId: string, evseId: number, report: Report, actor: string): Point | null {
    return this.changes.write('report', () => {
      const id = this.applyReport(stationId, evseId, report, actor);
      return id === null ? null : pointOf(this.s.get.get(id)!);
    });
  }

  /** setReported without reading the point back: the id of the point reported on, or null (unknown station). */
  private applyReport(stationId: string, evseId: number, report: Report, actor: string): string | null {
    let r = this.s.reportRow.get(stationId, evseId);
    if (!r) {
      const station = this.stations.get(stationId);
      if (!station) return null;
      // Points are created from reports only for a station without a registered layout, and only so many.
      if (station.layout !== 'learned' || !Number.isSafeInteger(evseId) || evseId < 1 || evseId > MAX_LEARNED_EVSE_ID) {
        throw new InvalidPointError(
          station.layout === 'learned'
            ? `station ${stationId}: EVSE ${evseId} is out of range (1–${MAX_LEARNED_EVSE_ID})`
            : `station ${stationId} has no EVSE ${evseId} in its registered layout`,
        );
      }
      const connectorId = report.connectorId ?? 1;
      this.insert({
        id: `${stationId}-${evseId}`,
        stationId,
        evseId,
        label: `${stationId} #${evseId}`.slice(0, 100),
        connectors: [{ id: connectorId, type: null, maxKw: null }],
      });
      r = this.s.reportRow.get(stationId, evseId)!;
    }
    let status = report.status;
    let perConnector = r.reported_connectors;
    let connectors = r.connectors;
    let connectorList: Connector[] | null = null;
    if (report.connectorId !== undefined) {
      const map = JSON.parse(r.reported_connectors) as Record<string, ReportedStatus>;
      map[String(report.connectorId)] = report.status;
      perConnector = JSON.stringify(map);
      const values = Object.values(map);
      status = EVSE_PRECEDENCE.find((s) => values.includes(s)) ?? report.status;
      const list = JSON.parse(r.connectors) as Connector[];
      if (!list.some((c) => c.id === report.connectorId)) {
        list.push({ id: report.connectorId, type: null, maxKw: null });
        list.sort((a, b) => a.id - b.id);
        connectors = JSON.stringify(list);
        connectorList = list;
      }
    }
    // What this write changes is checked (the rest of the row was checked when it was written): the whole point read
    // and parsed again was a fifth of a report's cost under thousands of reports a second.
    checkReport(r.id, { status, errorCode: report.errorCode, info: report.info, at: report.at }, connectorList);
    const seq = this.changes.next();
    this.s.report.run(status, report.errorCode, report.info, report.at, perConnector, connectors, seq, r.id);
    if (status !== r.reported_status || report.errorCode !== r.reported_error_code) {
      this.audit.insert({
        seq,
        pointId: r.id,
        at: report.at,
        actor,
        fact: 'reported',
        from: r.reported_status,
        to: status,
        reason: report.errorCode,
        note: report.info,
      });
    }
    const availability = availabilityFor(r.op_status);
    if (availability && CONFIRMABLE.has(r.delivery_state) && reportConfirms(availability, status)) {
      this.applyDelivery(r, seq, 'confirmed', `station reported ${status}`, actor, false);
    }
    return r.id;
  }

  /** Marks a station (dis)connected: every point of it changes. Returns false when nothing changed. */
  /** heldBy: only if the station is still recorded on that instance (a dead one's, docs/cluster.md). */
  setConnection(stationId: string, connected: boolean, at: string, actor: string, heldBy?: number): boolean {
    return this.changes.write('connection', () => {
      const st = this.stations.getLocked(stationId);
      if (!st || (heldBy !== undefined && st.held_by !== heldBy)) return false;
      if ((st.connected === 1) === connected) {
        // Still marked connected through an instance that died: this instance holds it now.
        if (connected && st.held_by !== this.stations.holder) this.stations.setConnectedFlag(stationId, true, at);
        return false;
      }
      const before = this.many(this.s.byStation, stationId);
      this.stations.setConnectedFlag(stationId, connected, connected ? at : null);
      this.connectionChange(before, at, actor, connected ? 'connected' : 'disconnected', null);
      return true;
    });
  }

  /** A new (authenticated) connection replaced the station's live one: a change of every point, with its audit row. */
  recordReplacement(stationId: string, at: string, actor: string, detail: string): void {
    this.changes.write('connection replaced', () => {
      this.connectionChange(this.many(this.s.byStation, stationId), at, actor, 'connected', detail);
    });
  }

  private connectionChange(points: PointRow[], at: string, actor: string, to: string, reason: string | null): void {
    for (const r of points) {
      const seq = this.changes.next();
      this.s.touchChange.run(seq, r.id);
      this.audit.insert({
        seq,
        pointId: r.id,
        at,
        actor,
        fact: 'connection',
        from: r.connected === 1 ? 'connected' : 'disconnected',
        to,
        reason,
      });
    }
  }

  /** Delivery changes, in one transaction; returns how many points changed. */
  setDelivery(updates: DeliveryUpdate[]): number {
    if (updates.length === 0) return 0;
    return this.changes.write('delivery', () => {
      // The rows below are read under the seq's lock (PostgreSQL): a connection another instance is recording
      // commits before them or waits until this write is done, and then re-sends what this write leaves offline.
      this.changes.lock();
      let changed = 0;
      for (const u of updates) {
        const r = this.s.deliveryRow.get(u.pointId);
        if (!r || r.op_version !== u.opVersion) continue;
        let { state, detail } = u;
        // Read under the write lock: a station that connected again (here or on another instance) is not marked
        // offline by a late sweep, a stale view or the end of a connection it no longer uses (docs/cluster.md).
        if (state === 'stationOffline' && Number(r.station_connected) === 1) {
          if (!u.ifStationConnected) continue;
          ({ state, detail } = u.ifStationConnected);
        }
        if (r.delivery_state === state && r.delivery_detail === detail) continue;
        const keepsShownStatus = deliveryStepKeepsShown(r.delivery_state, state);
        this.applyDelivery(r, this.changes.next({ keepsShownStatus }), state, detail, u.actor);
        changed++;
      }
      return changed;
    });
  }

  /** newChange=false: part of a change that already took its seq and version. */
  private applyDelivery(
    r: Pick<PointRow, 'id' | 'delivery_state' | 'op_mutation_id'>,
    seq: number,
    state: DeliveryState,
    detail: string | null,
    actor: string,
    newChange = true,
  ): void {
    const at = new Date().toISOString();
    const checked = deliveryStateSchema.safeParse({ state, detail, at });
    if (!checked.success)
      throw new InvalidPointError(`point ${r.id}: delivery would be invalid: ${describeIssues(checked.error)}`);
    if (newChange) this.s.delivery.run(state, detail, at, seq, r.id);
    else this.s.deliveryInChange.run(state, detail, at, r.id);
    this.audit.insert({
      seq,
      pointId: r.id,
      at,
      actor,
      fact: 'delivery',
      from: r.delivery_state,
      to: state,
      reason: detail,
      mutationId: r.op_mutation_id,
    });
  }
}
