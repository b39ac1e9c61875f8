// Uptime of many ports read from the day roll-ups (backend/store/historyRollups.ts) instead of computed from every
// outage interval: whole local days come from the roll-ups; the period's partial first and last days and the outages
// still going come from the intervals near the period's ends. A port the roll-ups cannot answer exactly (history
// starting inside the period, days cut in another zone, a supervisor's exclusion) is computed from its intervals.
// The figures are the interval computation's, to the bit (tests/unit/uptime-rollups.test.ts).
import type { Point } from '../../common/model.js';
import {
  DAY_MS,
  daysOf,
  uptimeClass,
  uptimeFigures,
  type CalendarPeriod,
  type Period,
  type PortUptime,
  type StatusInterval,
} from '../../common/uptime.js';
import { localDayAt, type RollupDay } from '../store/historyRollups.js';
import type { Store } from '../store/index.js';
import { portResult, type PortInputs } from './portResult.js';

/** Longer than any local day (25 h; Lord Howe's 24.5 h): the partial days at a period's ends lie within it. */
const EDGE_MS = DAY_MS + 2 * 60 * 60 * 1000;

export interface RollupUptime {
  ports: PortUptime[];
  /** Per site, each calendar day's mean port uptime (when asked for). */
  daily: Map<string, { day: string; uptime: number | null }[]>;
}

interface Fast {
  kind: 'fast';
  point: Point;
  n: number;
  days: RollupDay[];
  edges: StatusInterval[];
}

interface Exact {
  kind: 'exact';
  input: PortInputs;
}

const overlap = (a0: number, a1: number, b0: number, b1: number): number =>
  Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** The whole local days inside [from, to) of the zone, as one range (empty when none). */
function wholeDays(from: number, to: number, zone: string): { start: number; end: number } {
  const first = localDayAt(from, zone);
  const start = first.start === from ? from : first.end;
  const last = localDayAt(to, zone);
  const end = last.start;
  return start < end ? { start, end } : { start: from, end: from };
}

/**
 * Outage and excluded milliseconds of one port in [from, until): roll-up days inside `whole`, its intervals'
 * minutes outside it, and intervals still going (never rolled up) whole.
 */
function spanMs(
  port: Fast,
  from: number,
  until: number,
  whole: { start: number; end: number },
  now: number,
): { outageMs: number; excludedMs: number } {
  let outageMs = 0;
  let excludedMs = 0;
  if (whole.start < whole.end) {
    for (const d of port.days) {
      if (d.dayStart >= whole.start && d.dayEnd <= whole.end) {
        outageMs += d.outageMs;
        excludedMs += d.windowMs;
      }
    }
  }
  for (const iv of port.edges) {
    const ms =
      iv.end === null
        ? overlap(iv.start, now, from, until)
        : overlap(iv.start, iv.end, from, until) - overlap(iv.start, iv.end, whole.start, whole.end);
    outageMs += ms;
    if (iv.status === 'Maintenance' && iv.windowId) excludedMs += ms;
  }
  return { outageMs, excludedMs };
}

export function rollupUptime(
  store: Store,
  points: readonly Point[],
  period: Period,
  now: number,
  opts: { daily: boolean },
): RollupUptime {
  const history = store.history;
  const numbers = history.points();
  const zones = history.rollups.zoneMap();
  const zoneOfSite = new Map<string, string>();
  const zoneOf = (siteId: string) => {
    let z = zoneOfSite.get(siteId);
    if (z === undefined) zoneOfSite.set(siteId, (z = store.stations.site(siteId)?.timeZone ?? 'UTC'));
    return z;
  };
  const until = Math.min(period.to, now);
  const excluded = new Map<string, { start: number; end: number; reason: StoredReason }[]>();
  for (const e of history.exclusionsBetween(period.from, period.to)) {
    let l = excluded.get(e.pointId);
    if (!l) excluded.set(e.pointId, (l = []));
    l.push({ start: e.start, end: e.end, reason: e.reason });
  }

  const byN = new Map<number, Fast>();
  const ports: (Fast | Exact)[] = points.map((point) => {
    const known = numbers.get(point.id);
    const exclusions = excluded.get(point.id) ?? [];
    if (known && known.since <= period.from && exclusions.length === 0 && zones.get(known.n) === zoneOf(point.siteId)) {
      const fast: Fast = { kind: 'fast', point, n: known.n, days: [], edges: [] };
      byN.set(known.n, fast);
      return fast;
    }
    const intervals = known
      ? history.between(known.n, period.from, period.to).filter((i) => uptimeClass(i.status) === 'outage')
      : [];
    return { kind: 'exact', input: { point, intervals, exclusions, since: known?.since ?? null } };
  });

  if (until > period.from) {
    for (const d of history.rollups.between(period.from, until)) byN.get(d.n)?.days.push(d);
    const seen = new Set<string>();
    const near = [
      history.outagesNear(period.from, Math.min(until, period.from + EDGE_MS)),
      history.outagesNear(Math.max(period.from, until - EDGE_MS), until),
    ];
    for (const map of near) {
      for (const [n, list] of map) {
        const port = byN.get(n);
        if (!port) continue;
        for (const iv of list) {
          const key = `${n}@${iv.start}`;
          if (seen.has(key)) continue;
          seen.add(key);
          port.edges.push(iv);
        }
      }
    }
  }

  const wholeOfZone = new Map<string, { start: number; end: number }>();
  const figures = ports.map((p): PortUptime => {
    if (p.kind === 'exact') return portResult(p.input, period, now).figures;
    const { point } = p;
    const base = { pointId: point.id, stationId: point.stationId, siteId: point.siteId };
    if (until <= period.from) return { ...base, ...uptimeFigures(0, 0, 0) };
    const zone = zoneOf(point.siteId);
    let whole = wholeOfZone.get(zone);
    if (!whole) wholeOfZone.set(zone, (whole = wholeDays(period.from, until, zone)));
    const { outageMs, excludedMs } = spanMs(p, period.from, until, whole, now);
    return { ...base, ...uptimeFigures(until - period.from, outageMs, excludedMs) };
  });

  const daily = new Map<string, { day: string; uptime: number | null }[]>();
  if (opts.daily) {
    const bySite = new Map<string, (Fast | Exact)[]>();
    for (const p of ports) {
      const siteId = p.kind === 'fast' ? p.point.siteId : p.input.point.siteId;
      let l = bySite.get(siteId);
      if (!l) bySite.set(siteId, (l = []));
      l.push(p);
    }
    for (const [siteId, mine] of bySite) {
      const zone = zoneOf(siteId);
      daily.set(
        siteId,
        daysOf(period, zone)
          .slice(-400)
          .map((day) => ({ day: day.label, uptime: dayMean(mine, day, zone, now) })),
      );
    }
  }
  return { ports: figures, daily };
}

type StoredReason = PortInputs['exclusions'][number]['reason'];

/** The mean of the ports' uptimes on one day, added in the ports' order as meanUptime adds them. */
function dayMean(ports: readonly (Fast | Exact)[], day: CalendarPeriod, zone: string, now: number): number | null {
  const dayUntil = Math.min(day.to, now);
  const whole = dayUntil > day.from ? wholeDays(day.from, dayUntil, zone) : { start: day.from, end: day.from };
  let sum = 0;
  let count = 0;
  for (const p of ports) {
    let uptime: number | null;
    if (p.kind === 'exact') uptime = portResult(p.input, day, now).figures.uptime;
    else if (dayUntil <= day.from) uptime = null;
    else {
      const { outageMs, excludedMs } = spanMs(p, day.from, dayUntil, whole, now);
      uptime = uptimeFigures(dayUntil - day.from, outageMs, excludedMs).uptime;
    }
    if (uptime !== null) {
      sum += uptime;
      count++;
    }
  }
  return count === 0 ? null : sum / count;
}
