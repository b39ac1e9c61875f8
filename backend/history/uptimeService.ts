// Uptime, outages and timelines from the stored history, and supervisors' exclusions. Roles are checked here.
import type { Clock } from '../../common/clock.js';
import type { Point, Role } from '../../common/model.js';
import { ROLES } from '../../common/model.js';
import type { ErrorReply } from '../../common/protocol.js';
import {
  dailyUptimeSent,
  daysOf,
  meanUptime,
  TIMELINE_RANGE_MS,
  uptimeClass,
  type ExcludeOutageReply,
  type ExcludeOutageRequest,
  type Exclusion,
  type GroupUptime,
  type Outage,
  type OutageWire,
  type Period,
  type PortUptime,
  type StatusInterval,
  type TimelineReply,
  type TimelineRequest,
  type UptimeReply,
  type UptimeScope,
} from '../../common/uptime.js';
import type { HistoryPort, StoredExclusion } from '../store/history.js';
import type { Store } from '../store/index.js';
import { portResult, type PortInputs, type PortResult } from './portResult.js';
import { PreparedPeriods } from './preparedUptime.js';
import { rollupFigures, rollupUptime, type RollupUptime } from './rollupUptime.js';

export { portResult, type PortInputs, type PortResult };

export class UptimeRefusal extends Error {
  constructor(
    readonly code: ErrorReply['code'],
    message: string,
  ) {
    super(message);
    this.name = 'UptimeRefusal';
  }
}

export const isUptimeRefusal = (e: unknown): e is UptimeRefusal => e instanceof UptimeRefusal;

const iso = (ms: number) => new Date(ms).toISOString();

export function outageWire(pointId: string, o: Outage): OutageWire {
  return {
    pointId,
    status: o.status,
    cause: o.cause,
    windowId: o.windowId,
    start: iso(o.start),
    end: o.end === null ? null : iso(o.end),
    minutes: o.minutes,
    excludedMinutes: o.excludedMinutes,
    excludedBy: o.excludedBy,
    exclusionReason: o.exclusionReason,
  };
}

export interface UptimeQuery {
  scope: UptimeScope;
  id?: string;
  from: number;
  to: number;
}

/** How long a period's figures are answered again without computing them, when no history changed meanwhile. */
export const UPTIME_CACHE_MS = 60_000;
const CACHE_ENTRIES = 16;
/** How often the backend reads the view's first period again where it was asked to (BackendOptions.warmUptimeAfterMs). */
export const UPTIME_WARM_EVERY_MS = 60 * 60_000;

export type UptimeQuestion = UptimeQuery & {
  outages: boolean;
  maxOutages: number;
  daily?: boolean;
  worstPorts?: number;
  stations?: boolean;
};

export class UptimeService {
  /**
   * Replies computed from the roll-ups, by question: answered again while the history's figures version is the same
   * (no outage started or ended here, no exclusion) and for at most cacheMs on the clock (what moves them meanwhile
   * is time: outages going on, the period's minutes so far; and other backends' writes on a shared PostgreSQL).
   */
  private readonly cache = new Map<string, { reply: UptimeReply; at: number; version: number }>();

  /** The network's reads per period (none where nothing is cached: cacheMs 0 computes every question in full). */
  private readonly periods: PreparedPeriods | null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly cacheMs = UPTIME_CACHE_MS,
  ) {
    this.periods =
      cacheMs > 0
        ? new PreparedPeriods(store, store.db.dialect === 'postgres' ? cacheMs : Number.POSITIVE_INFINITY)
        : null;
  }

  /** The points of a scope; a scope that names nothing known is refused. */
  pointsOf(scope: UptimeScope, id?: string): Point[] {
    const points = this.store.points;
    let found: Point[];
    if (scope === 'network') return points.all();
    if (scope === 'point') {
      const p = points.get(id!);
      found = p ? [p] : [];
    } else if (scope === 'station') found = points.byStation(id!);
    else found = points.all().filter((p) => p.siteId === id);
    if (found.length === 0) throw new UptimeRefusal('notFound', `no ${scope} ${id}`);
    return found;
  }

  /** The ports of a scope as the figures name them, read lean (no whole points); nothing known is refused. */
  portsOf(scope: Exclude<UptimeScope, 'point'>, id?: string): HistoryPort[] {
    const all = this.store.history.ports();
    if (scope === 'network') return all;
    const found = all.filter((p) => (scope === 'station' ? p.stationId : p.siteId) === id);
    if (found.length === 0) throw new UptimeRefusal('notFound', `no ${scope} ${id}`);
    return found;
  }

  get now(): number {
    return this.clock.now();
  }

  /** What the computation needs of each port for a period: its outage intervals (only those are read), exclusions,
   * and when its history starts (null: none recorded). */
  inputs(points: readonly Point[], period: Period): PortInputs[] {
    const history = this.store.history;
    const numbers = history.points();
    const single = points.length === 1;
    const outageIntervals = single ? null : history.outagesBetween(period.from, period.to);
    const exclusions = groupExclusions(
      single
        ? history.exclusionsOf(points[0].id, period.from, period.to)
        : history.exclusionsBetween(period.from, period.to),
    );
    return points.map((point) => {
      const known = numbers.get(point.id);
      if (!known) return { point, intervals: [], exclusions: [], since: null };
      const intervals: StatusInterval[] = outageIntervals
        ? (outageIntervals.get(known.n) ?? [])
        : history.between(known.n, period.from, period.to).filter((i) => uptimeClass(i.status) === 'outage');
      return { point, intervals, exclusions: exclusions.get(point.id) ?? [], since: known.since };
    });
  }

  /** Each port's figures and outages for the period. */
  ports(points: readonly Point[], period: Period): PortResult[] {
    const now = this.clock.now();
    return this.inputs(points, period).map((input) => portResult(input, period, now));
  }

  uptime(q: UptimeQuestion): UptimeReply {
    const now = this.clock.now();
    if (q.outages || q.scope === 'point' || this.cacheMs <= 0) return this.computeUptime(q, now);
    const key = JSON.stringify([q.scope, q.id, q.from, q.to, !!q.daily, q.worstPorts ?? null, q.stations !== false]);
    const version = this.store.history.figuresVersion;
    const hit = this.cache.get(key);
    if (hit && hit.version === version && now >= hit.at && now - hit.at < this.cacheMs) return hit.reply;
    const reply = this.computeUptime(q, now);
    this.cache.delete(key);
    this.cache.set(key, { reply, at: now, version });
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return reply;
  }

  /** Reads the network's figures for the period now, so that the first question of it is answered sooner; true where
   * they were read in full (not kept, or kept reads no longer true). */
  warm(period: Period): boolean {
    if (!this.periods) return false;
    const before = this.periods.counts.full;
    this.periods.get(period, this.clock.now());
    return this.periods.counts.full > before;
  }

  /**
   * Without the outage list, the figures are read from the day roll-ups (the same figures, much sooner): from the
   * network's reads kept for the period where there are (always for the network). Null: one port or none, computed
   * from its intervals.
   */
  private rolledUp(q: UptimeQuestion, period: Period, now: number): RollupUptime | null {
    if (q.outages || q.scope === 'point') return null;
    const opts = { daily: q.daily ?? false };
    if (this.periods && (q.scope === 'network' || this.periods.has(period))) {
      const prepared = this.periods.get(period, now);
      let entries = prepared.entries;
      if (q.scope !== 'network') {
        const key = q.scope === 'site' ? 'siteId' : 'stationId';
        entries = entries.filter((e) => (e.kind === 'fast' ? e.port : e.input.point)[key] === q.id);
        if (entries.length === 0) throw new UptimeRefusal('notFound', `no ${q.scope} ${q.id}`);
      }
      return entries.length > 1 ? rollupFigures(prepared, entries, now, opts) : null;
    }
    const lean = this.portsOf(q.scope, q.id);
    return lean.length > 1 ? rollupUptime(this.store, lean, period, now, opts) : null;
  }

  private computeUptime(q: UptimeQuestion, now: number): UptimeReply {
    const period = { from: q.from, to: q.to };
    const fast = this.rolledUp(q, period, now);
    if (fast) {
      const sites = figureGroups(fast.ports, (p) => p.siteId);
      if (q.daily) {
        for (const site of sites) {
          const daily = fast.daily.get(site.id);
          site.daily = { from: daily?.from ?? '', uptimes: daily?.uptimes.map(dailyUptimeSent) ?? [] };
        }
      }
      const listed = q.worstPorts === undefined ? fast.ports : worstPorts(fast.ports, q.worstPorts);
      return {
        scope: q.scope,
        id: q.id ?? null,
        from: iso(q.from),
        to: iso(q.to),
        uptime: meanUptime(fast.ports),
        ports: listed,
        ...(q.worstPorts === undefined ? {} : { portsLeftOff: fast.ports.length - listed.length }),
        stations: q.stations === false ? [] : figureGroups(fast.ports, (p) => p.stationId),
        sites,
        outages: [],
        outagesLeftOff: 0,
      };
    }
    const points = this.pointsOf(q.scope, q.id);
    const inputs = this.inputs(points, period);
    const ports = inputs.map((input) => portResult(input, period, now));
    const sites = groups(ports, (p) => p.siteId);
    if (q.daily) {
      for (const site of sites) {
        const timeZone = this.store.stations.site(site.id)?.timeZone ?? 'UTC';
        const mine = inputs.filter((i) => i.point.siteId === site.id);
        const days = daysOf(period, timeZone).slice(-400);
        site.daily = {
          from: days[0]?.label ?? '',
          uptimes: days.map((day) => dailyUptimeSent(meanUptime(mine.map((i) => portResult(i, day, now).figures)))),
        };
      }
    }
    const all = ports.flatMap((p) => p.outages.map((o) => outageWire(p.point.id, o)));
    all.sort(
      (a, b) => b.minutes - b.excludedMinutes - (a.minutes - a.excludedMinutes) || a.start.localeCompare(b.start),
    );
    const listed = q.outages ? all.slice(0, q.maxOutages) : [];
    const figures = ports.map((p) => p.figures);
    const shown = q.worstPorts === undefined ? figures : worstPorts(figures, q.worstPorts);
    return {
      scope: q.scope,
      id: q.id ?? null,
      from: iso(q.from),
      to: iso(q.to),
      uptime: meanUptime(figures),
      ports: shown,
      ...(q.worstPorts === undefined ? {} : { portsLeftOff: figures.length - shown.length }),
      stations: q.stations === false ? [] : groups(ports, (p) => p.stationId),
      sites,
      outages: listed,
      outagesLeftOff: all.length - listed.length,
    };
  }

  timeline(req: TimelineRequest): TimelineReply {
    const point = this.store.points.get(req.pointId);
    if (!point) throw new UptimeRefusal('notFound', `no point ${req.pointId}`);
    const to = this.clock.now();
    const from = to - TIMELINE_RANGE_MS[req.range];
    const known = this.store.history.points().get(point.id);
    const intervals = known ? this.store.history.between(known.n, from, to) : [];
    const [port] = this.ports([point], { from, to });
    return {
      pointId: point.id,
      from: iso(from),
      to: iso(to),
      intervals: intervals.map((i) => ({ ...i, start: iso(i.start), end: i.end === null ? null : iso(i.end) })),
      outages: port.outages.map((o) => outageWire(point.id, o)),
      uptime: port.figures.uptime,
    };
  }

  /** A supervisor (or admin) states that a point's outage minutes in a range were outside the operator's control. */
  exclude(req: ExcludeOutageRequest, by: { username: string; role: Role }): ExcludeOutageReply {
    if (ROLES.indexOf(by.role) < ROLES.indexOf('supervisor')) {
      throw new UptimeRefusal('forbidden', 'only a supervisor may exclude outage minutes from uptime');
    }
    const point = this.store.points.get(req.pointId);
    if (!point) throw new UptimeRefusal('notFound', `no point ${req.pointId}`);
    const from = Date.parse(req.from);
    const to = Date.parse(req.to);
    if (to > this.clock.now())
      throw new UptimeRefusal('invalid', 'an exclusion must end in the past: it states what happened');
    const [port] = this.ports([point], { from, to });
    if (port.outages.length === 0)
      throw new UptimeRefusal('invalid', `point ${point.id} had no outage between ${req.from} and ${req.to}`);
    const e = this.store.history.addExclusion({
      pointId: point.id,
      start: from,
      end: to,
      reason: req.reason,
      note: req.note,
      by: `user:${by.username}`,
      at: iso(this.clock.now()),
    });
    return { exclusion: exclusionWire(e) };
  }
}

export function exclusionWire(e: StoredExclusion): ExcludeOutageReply['exclusion'] {
  return {
    id: e.id,
    pointId: e.pointId,
    from: iso(e.start),
    to: iso(e.end),
    reason: e.reason,
    note: e.note,
    by: e.by,
    at: e.at,
  };
}

function groupExclusions(list: readonly StoredExclusion[]): Map<string, Exclusion[]> {
  const out = new Map<string, Exclusion[]>();
  for (const e of list) {
    let l = out.get(e.pointId);
    if (!l) out.set(e.pointId, (l = []));
    l.push({ start: e.start, end: e.end, reason: e.reason });
  }
  return out;
}

/** Counted outage minutes (outage minus excluded): what a port cost the period's uptime. */
const counted = (p: PortUptime) => p.outageMinutes - p.excludedMinutes;

/** The ports with counted outage minutes, most first (then by id), at most `limit` of them. */
export function worstPorts(ports: readonly PortUptime[], limit: number): PortUptime[] {
  const worse = (a: PortUptime, b: PortUptime) =>
    counted(b) - counted(a) || (a.pointId < b.pointId ? -1 : a.pointId > b.pointId ? 1 : 0);
  // The `limit` worst kept in order as the ports pass (not all 50,000 sorted for ten).
  const top: PortUptime[] = [];
  if (limit <= 0) return top;
  for (const p of ports) {
    if (counted(p) <= 0 || (top.length === limit && worse(p, top[limit - 1]) >= 0)) continue;
    let i = top.length;
    while (i > 0 && worse(p, top[i - 1]) < 0) i--;
    top.splice(i, 0, p);
    if (top.length > limit) top.pop();
  }
  return top;
}

function groups(ports: readonly PortResult[], key: (p: PortUptime) => string): GroupUptime[] {
  return figureGroups(
    ports.map((p) => p.figures),
    key,
  );
}

function figureGroups(ports: readonly PortUptime[], key: (p: PortUptime) => string): GroupUptime[] {
  const by = new Map<string, PortUptime[]>();
  for (const p of ports) {
    const k = key(p);
    let l = by.get(k);
    if (!l) by.set(k, (l = []));
    l.push(p);
  }
  return [...by].map(([id, list]) => ({ id, ports: list.length, uptime: meanUptime(list) }));
}
