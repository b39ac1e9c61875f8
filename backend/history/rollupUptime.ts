// Uptime of many ports read from the day roll-ups (backend/store/historyRollups.ts) instead of computed from every
// outage interval: whole local days come from the roll-ups; the period's partial first and last days and the outages
// still going come from the intervals near the period's ends. A port the roll-ups cannot answer exactly (history
// starting inside the period, days cut in another zone, a supervisor's exclusion) is computed from its intervals.
// The figures are the interval computation's, to the bit (tests/unit/uptime-rollups.test.ts).
import {
  daysOf,
  DAY_MS,
  MINUTE_MS,
  uptimeClass,
  uptimeFigures,
  uptimePercent,
  type CalendarPeriod,
  type DailyUptime,
  type Period,
  type PortUptime,
  type StatusInterval,
} from '../../common/uptime.js';
import type { HistoryPort } from '../store/history.js';
import { localDayAt } from '../store/historyRollups.js';
import type { Store } from '../store/index.js';
import { portResult, type PortInputs } from './portResult.js';

/** A packed roll-up day: its start, its end, its outage ms, its planned windows' ms. */
const DAY_FIELDS = 4;
const NO_DAYS = new Float64Array(0);

/** Roll-up days packed by DAY_FIELDS, in time order (null: none). */
function packDays(list: number[]): Float64Array | null {
  if (list.length === 0) return null;
  const days = Float64Array.from(list);
  let ordered = true;
  for (let i = DAY_FIELDS; i < days.length && ordered; i += DAY_FIELDS) ordered = days[i - DAY_FIELDS] < days[i];
  if (ordered) return days;
  const starts = Array.from({ length: days.length / DAY_FIELDS }, (_, k) => k).sort(
    (a, b) => days[a * DAY_FIELDS] - days[b * DAY_FIELDS],
  );
  const sorted = new Float64Array(days.length);
  starts.forEach((k, i) => sorted.set(days.subarray(k * DAY_FIELDS, (k + 1) * DAY_FIELDS), i * DAY_FIELDS));
  return sorted;
}

/** Longer than any local day (25 h; Lord Howe's 24.5 h): the partial days at a period's ends lie within it. */
const EDGE_MS = DAY_MS + 2 * 60 * 60 * 1000;

export interface RollupUptime {
  ports: PortUptime[];
  /** Per site, each calendar day's mean port uptime (when asked for). */
  daily: Map<string, DailyUptime>;
}

interface Fast {
  kind: 'fast';
  port: HistoryPort;
  n: number;
  /** Its roll-up days in time order, packed by DAY_FIELDS (null: none): typed, so that kept reads cost the GC nothing. */
  days: Float64Array | null;
  /** Its outage intervals near the period's ends (null: none). */
  edges: StatusInterval[] | null;
  /**
   * What of its figures no later question changes while these reads are kept, made at the first question: the outage
   * and excluded milliseconds of its roll-up days and its ended intervals (whole milliseconds: their sum is exact in
   * any order), and the intervals still going, counted up to each question's now.
   */
  fixed?: { outageMs: number; excludedMs: number; going: StatusInterval[] };
  /** Its uptime on each day of the period that had ended when asked (NaN: not known yet). */
  dayUptimes?: Float64Array;
}

interface Exact {
  kind: 'exact';
  n: number | null;
  input: PortInputs;
}

export type Span = { start: number; end: number };

const overlap = (a0: number, a1: number, b0: number, b1: number): number =>
  Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** The whole local days inside [from, to) of the zone, as one range (empty when none). */
function wholeDays(from: number, to: number, zone: string): Span {
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
function spanMs(port: Fast, from: number, until: number, whole: Span, now: number): [number, number] {
  let fixed = port.fixed;
  if (!fixed) {
    fixed = { outageMs: 0, excludedMs: 0, going: [] };
    const days = port.days;
    if (whole.start < whole.end && days) {
      for (let i = 0; i < days.length; i += DAY_FIELDS) {
        if (days[i] >= whole.start && days[i + 1] <= whole.end) {
          fixed.outageMs += days[i + 2];
          fixed.excludedMs += days[i + 3];
        }
      }
    }
    for (const iv of port.edges ?? []) {
      if (iv.end === null) {
        fixed.going.push(iv);
        continue;
      }
      // An ended interval ends by `until` (or `until` is the period's end): later questions count the same.
      const ms = overlap(iv.start, iv.end, from, until) - overlap(iv.start, iv.end, whole.start, whole.end);
      fixed.outageMs += ms;
      if (iv.status === 'Maintenance' && iv.windowId) fixed.excludedMs += ms;
    }
    port.fixed = fixed;
  }
  let outageMs = fixed.outageMs;
  let excludedMs = fixed.excludedMs;
  for (const iv of fixed.going) {
    const ms = overlap(iv.start, now, from, until);
    outageMs += ms;
    if (iv.status === 'Maintenance' && iv.windowId) excludedMs += ms;
  }
  return [outageMs, excludedMs];
}

/** A day's uptime as uptimeFigures computes it (the same arithmetic, without the object). */
const dayUptime = (periodMs: number, outageMs: number, excludedMs: number) =>
  uptimePercent(periodMs / MINUTE_MS, outageMs / MINUTE_MS, excludedMs / MINUTE_MS);

/**
 * What the figures of a period are computed from, read once: every port's roll-up days and the outage intervals near
 * the period's ends, for the period's end as it was at `until` (backend/history/preparedUptime.ts keeps it up to date).
 */
export interface PreparedRollup {
  period: Period;
  /** The period's end as read: min(period.to, now) when prepared. */
  until: number;
  /** The ports in the order asked, each read for the fast path or the exact one. */
  entries: (Fast | Exact)[];
  /** The entries by history number. */
  byN: Map<number, Fast | Exact>;
  zoneOf(siteId: string): string;
}

export type { Fast as FastPort, Exact as ExactPort };

export function rollupUptime(
  store: Store,
  ports: readonly HistoryPort[],
  period: Period,
  now: number,
  opts: { daily: boolean },
): RollupUptime {
  const prepared = prepareRollup(store, ports, period, now);
  return rollupFigures(prepared, prepared.entries, now, opts);
}

export function prepareRollup(
  store: Store,
  ports: readonly HistoryPort[],
  period: Period,
  now: number,
): PreparedRollup {
  const history = store.history;
  const zones = history.rollups.zoneMap();
  // Every site's zone in one query (one per site was most of a second at 2,000 sites on a busy machine).
  const zoneOfSite = new Map(store.stations.allSites().map((site) => [site.id, site.timeZone ?? 'UTC']));
  const zoneOf = (siteId: string) => {
    let z = zoneOfSite.get(siteId);
    if (z === undefined) zoneOfSite.set(siteId, (z = store.stations.site(siteId)?.timeZone ?? 'UTC'));
    return z;
  };
  const until = Math.min(period.to, now);
  const excluded = new Map<string, PortInputs['exclusions']>();
  for (const e of history.exclusionsBetween(period.from, period.to)) {
    let l = excluded.get(e.pointId);
    if (!l) excluded.set(e.pointId, (l = []));
    l.push({ start: e.start, end: e.end, reason: e.reason });
  }

  const byN = new Map<number, Fast | Exact>();
  const fastByN = new Map<number, Fast>();
  const entries: (Fast | Exact)[] = ports.map((port) => {
    const exclusions = excluded.get(port.id) ?? [];
    if (
      port.n !== null &&
      port.since !== null &&
      port.since <= period.from &&
      exclusions.length === 0 &&
      zones.get(port.n) === zoneOf(port.siteId)
    ) {
      const fast: Fast = { kind: 'fast', port, n: port.n, days: null, edges: null };
      fastByN.set(port.n, fast);
      byN.set(port.n, fast);
      return fast;
    }
    const intervals =
      port.n !== null
        ? history.between(port.n, period.from, period.to).filter((i) => uptimeClass(i.status) === 'outage')
        : [];
    const exact: Exact = { kind: 'exact', n: port.n, input: { point: port, intervals, exclusions, since: port.since } };
    if (port.n !== null) byN.set(port.n, exact);
    return exact;
  });

  if (until > period.from) readDaysAndEdges(store, fastByN, period.from, until);
  return { period, until, entries, byN, zoneOf };
}

/**
 * Reads one port's entry again (after its history changed): a fast port's roll-up days and every outage interval of
 * it in the period (more than the ones near the ends: those inside whole days add nothing), an exact port's intervals.
 */
export function rereadPort(store: Store, prepared: PreparedRollup, entry: Fast | Exact, dayStarts: readonly number[]) {
  const { from, to } = prepared.period;
  const history = store.history;
  if (entry.kind === 'exact') {
    if (entry.n !== null) {
      const intervals = history.between(entry.n, from, to).filter((i) => uptimeClass(i.status) === 'outage');
      entry.input = { ...entry.input, intervals };
    }
    return;
  }
  if (prepared.until <= from) return;
  const days = packDays(history.rollups.rowsOf(entry.n, dayStarts).flatMap((d) => [d[1], d[2], d[3], d[4]]));
  const edges = history.between(entry.n, from, to).filter((i) => uptimeClass(i.status) === 'outage');
  entry.days = days;
  entry.edges = edges.length > 0 ? edges : null;
  entry.fixed = undefined;
  entry.dayUptimes = undefined;
}

/** The day starts of a zone in [from, until). */
export function dayStartsIn(from: number, until: number, zone: string): number[] {
  const out: number[] = [];
  const first = localDayAt(from, zone);
  for (let t = first.start === from ? from : first.end; t < until; t = localDayAt(t, zone).end) out.push(t);
  return out;
}

/** The whole local days inside [period.from, until) of each zone asked (what must not move for reads to stay true). */
export function wholeDaysOf(from: number, until: number, zones: Iterable<string>): Map<string, Span> {
  const out = new Map<string, Span>();
  for (const zone of zones) if (!out.has(zone)) out.set(zone, wholeDays(from, until, zone));
  return out;
}

/** The figures at `now` of the prepared entries given (all of them, or one site's or station's, in their order). */
export function rollupFigures(
  prepared: PreparedRollup,
  entries: readonly (Fast | Exact)[],
  now: number,
  opts: { daily: boolean },
): RollupUptime {
  const { period, zoneOf } = prepared;
  const until = Math.min(period.to, now);
  const all = entries;
  const wholeOfZone = new Map<string, Span>();
  const figures = all.map((p): PortUptime => {
    if (p.kind === 'exact') return portResult(p.input, period, now).figures;
    const { port } = p;
    let f = uptimeFigures(0, 0, 0);
    if (until > period.from) {
      const zone = zoneOf(port.siteId);
      let whole = wholeOfZone.get(zone);
      if (!whole) wholeOfZone.set(zone, (whole = wholeDays(period.from, until, zone)));
      const [outageMs, excludedMs] = spanMs(p, period.from, until, whole, now);
      f = uptimeFigures(until - period.from, outageMs, excludedMs);
    }
    // One literal (not a spread of the place): a spread made each of 50,000 figures a slow object.
    return {
      pointId: port.id,
      stationId: port.stationId,
      siteId: port.siteId,
      periodMinutes: f.periodMinutes,
      outageMinutes: f.outageMinutes,
      excludedMinutes: f.excludedMinutes,
      uptime: f.uptime,
    };
  });

  const daily = new Map<string, DailyUptime>();
  if (opts.daily) {
    const bySite = new Map<string, (Fast | Exact)[]>();
    for (const p of all) {
      const siteId = p.kind === 'fast' ? p.port.siteId : p.input.point.siteId;
      let l = bySite.get(siteId);
      if (!l) bySite.set(siteId, (l = []));
      l.push(p);
    }
    // The days and their bounds per zone, not per site: the zone's calendar is costly to ask (Intl).
    const calendars = new Map<string, Calendar>();
    for (const [siteId, mine] of bySite) {
      const zone = zoneOf(siteId);
      let calendar = calendars.get(zone);
      if (!calendar) calendars.set(zone, (calendar = calendarOf(period, zone, now)));
      daily.set(siteId, { from: calendar.days[0]?.label ?? '', uptimes: dayMeans(mine, calendar, now) });
    }
  }
  return { ports: figures, daily };
}

/**
 * Each fast port's roll-up days in the period, and its outage intervals near the period's ends: those that ended in
 * the partial days, those still going, and those going on at either end that ended since.
 */
function readDaysAndEdges(store: Store, byN: ReadonlyMap<number, Fast>, from: number, until: number): void {
  const history = store.history;
  const ends = [Math.min(until, from + EDGE_MS), until];
  const lists = new Map<Fast, number[]>();
  for (const d of history.rollups.rowsBetween(from, until)) {
    const port = byN.get(d[0]);
    if (!port) continue;
    let list = lists.get(port);
    if (!list) lists.set(port, (list = []));
    list.push(d[1], d[2], d[3], d[4]);
  }
  for (const [port, list] of lists) port.days = packDays(list);
  const seen = new Set<string>();
  const near = [
    history.outagesEnded(from, ends[0]),
    history.outagesEnded(Math.max(from, until - EDGE_MS), until),
    // Also one starting at `until` itself (nothing of it counts yet): kept reads stay true as time passes.
    history.openOutages(until + 1),
    history.closedOutagesAt(ends[0]),
    history.closedOutagesAt(ends[1]),
  ];
  for (const map of near) {
    for (const [n, list] of map) {
      const port = byN.get(n);
      if (!port) continue;
      for (const iv of list) {
        const key = `${n}@${iv.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        (port.edges ??= []).push(iv);
      }
    }
  }
}

/** A period's local days in one zone: each day's end (now at the latest), its whole-day range, and the uptime of a
 * port with no outage in it. */
interface Calendar {
  days: CalendarPeriod[];
  untils: number[];
  wholes: Span[];
  clean: (number | null)[];
}

function calendarOf(period: Period, zone: string, now: number): Calendar {
  const days = daysOf(period, zone).slice(-400);
  const untils = days.map((day) => Math.min(day.to, now));
  return {
    days,
    untils,
    wholes: days.map((day, k) =>
      untils[k] > day.from ? wholeDays(day.from, untils[k], zone) : { start: day.from, end: day.from },
    ),
    clean: days.map((day, k) => (untils[k] > day.from ? dayUptime(untils[k] - day.from, 0, 0) : null)),
  };
}

/** Each day's mean of the site's port uptimes, added in the ports' order as meanUptime adds them. */
function dayMeans(ports: readonly (Fast | Exact)[], calendar: Calendar, now: number): (number | null)[] {
  const { days, untils, wholes, clean } = calendar;
  const sums = days.map(() => 0);
  const counts = days.map(() => 0);
  for (const p of ports) {
    if (p.kind === 'exact') {
      days.forEach((day, k) => {
        const u = portResult(p.input, day, now).figures.uptime;
        if (u !== null) {
          sums[k] += u;
          counts[k]++;
        }
      });
      continue;
    }
    // The port's days in time order, walked once beside the period's days.
    const rows = p.days ?? NO_DAYS;
    const edges = p.edges ?? [];
    // The days that had ended are kept, unless an interval still going could reach into them.
    let known = p.dayUptimes;
    if (!known && (rows.length > 0 || edges.length > 0) && !edges.some((iv) => iv.end === null)) {
      p.dayUptimes = known = new Float64Array(days.length).fill(Number.NaN);
    }
    let j = 0;
    for (let k = 0; k < days.length; k++) {
      const day = days[k];
      const dayUntil = untils[k];
      if (dayUntil <= day.from) continue;
      const kept = known ? known[k] : Number.NaN;
      if (kept === kept) {
        sums[k] += kept;
        counts[k]++;
        continue;
      }
      while (j < rows.length && rows[j] < day.from) j += DAY_FIELDS;
      const row = j < rows.length && rows[j] === day.from ? j : -1;
      let u: number | null;
      // A port with nothing rolled up that day and no interval near the ends has no outage in it.
      if (row < 0 && edges.length === 0) u = clean[k];
      else {
        const whole = wholes[k];
        let outageMs = 0;
        let excludedMs = 0;
        if (row >= 0 && whole.start < whole.end && rows[row] >= whole.start && rows[row + 1] <= whole.end) {
          outageMs += rows[row + 2];
          excludedMs += rows[row + 3];
        }
        for (const iv of edges) {
          const ms =
            iv.end === null
              ? overlap(iv.start, now, day.from, dayUntil)
              : overlap(iv.start, iv.end, day.from, dayUntil) - overlap(iv.start, iv.end, whole.start, whole.end);
          outageMs += ms;
          if (iv.status === 'Maintenance' && iv.windowId) excludedMs += ms;
        }
        u = dayUptime(dayUntil - day.from, outageMs, excludedMs);
        if (known && u !== null && dayUntil === day.to) known[k] = u;
      }
      if (u !== null) {
        sums[k] += u;
        counts[k]++;
      }
    }
  }
  return sums.map((s, k) => (counts[k] === 0 ? null : s / counts[k]));
}
