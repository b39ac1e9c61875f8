// Availability over time: what counts as up, outages with their cause, excluded minutes, and uptime as 23 CFR 680.116(b)
// computes it. Pure; times are milliseconds since the epoch. docs/uptime.md says why each choice was made.
import { z } from 'zod';
import { SHOWN_STATUSES, type ShownStatus } from './status.js';

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;
/** The rule's fixed number of minutes in the previous year (680.116(b)(3)). */
export const RULE_YEAR_MINUTES = 525_600;
/** The rule's minimum average annual uptime, in percent (more than this). */
export const RULE_UPTIME_TARGET = 97;

/** up: counts as up; outage: counts in T_outage; notCounted: no knowledge of the port (neither). */
export type UptimeClass = 'up' | 'outage' | 'notCounted';

const CLASS_OF: Record<ShownStatus, UptimeClass> = {
  Available: 'up',
  Occupied: 'up',
  Reserved: 'up',
  Faulted: 'outage',
  Offline: 'outage',
  OutOfService: 'outage',
  Maintenance: 'outage',
  Unavailable: 'outage',
  Unknown: 'notCounted',
};

export function uptimeClass(status: ShownStatus): UptimeClass {
  return CLASS_OF[status];
}

/** Where a shown status came from: the station's report, a person (or a window), or the station's connection. */
export const INTERVAL_SOURCES = ['reported', 'operator', 'connection'] as const;
export type IntervalSource = (typeof INTERVAL_SOURCES)[number];

/** One stretch of one shown status of one point. end null: still going. */
export interface StatusInterval {
  status: ShownStatus;
  source: IntervalSource;
  start: number;
  end: number | null;
  /** Faulted: the station's error code or the person's reason; Offline: 'offline'; Out of Service: the reason. */
  cause: string | null;
  /** Maintenance applied by a planned window: its id (such minutes are excluded as scheduled maintenance). */
  windowId: string | null;
}

/** The rule's reasons outside the operator's control (680.116(b)(3)), plus hours outside published opening hours. */
export const EXCLUSION_REASONS = [
  'utilityInterruption',
  'vehicle',
  'scheduledMaintenance',
  'vandalism',
  'naturalDisaster',
  'outsideOpeningHours',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export const EXCLUSION_REASON_LABELS: Record<ExclusionReason, string> = {
  utilityInterruption: 'Electric utility service interruption',
  vehicle: 'Failure to charge due to the vehicle',
  scheduledMaintenance: 'Scheduled maintenance',
  vandalism: 'Vandalism',
  naturalDisaster: 'Natural disaster',
  outsideOpeningHours: 'Outside published hours of operation',
};

/** A supervisor's statement that a point's outage minutes in [start, end) were outside the operator's control. */
export interface Exclusion {
  start: number;
  end: number;
  reason: ExclusionReason;
}

export interface Period {
  from: number;
  to: number;
}

/** The last `days` whole UTC days to the next UTC midnight (the last one is today): the Availability view's periods. */
export function recentDays(now: number, days: number): Period {
  const to = Math.ceil(now / DAY_MS) * DAY_MS;
  return { from: to - days * DAY_MS, to };
}

/** The Availability view's periods, in days (what the backend reads before anyone asks), and the one it opens on. */
export const VIEW_PERIOD_DAYS = [7, 30] as const;
export const VIEW_FIRST_DAYS = 30;

export type ExcludedBy = 'window' | 'supervisor' | null;

/** One outage of one point as seen within a period. */
export interface Outage {
  status: ShownStatus;
  cause: string | null;
  windowId: string | null;
  /** The outage's own start and end (end null: still going), not clipped to the period. */
  start: number;
  end: number | null;
  /** Minutes of it inside the period. */
  minutes: number;
  /** Of those, minutes excluded (inside a planned window, or marked by a supervisor). */
  excludedMinutes: number;
  excludedBy: ExcludedBy;
  exclusionReason: ExclusionReason | null;
}

export interface UptimeFigures {
  /** Minutes of the period (up to now). */
  periodMinutes: number;
  outageMinutes: number;
  excludedMinutes: number;
  /** Percent: ((periodMinutes − (outage − excluded)) / periodMinutes) × 100; null for an empty period. */
  uptime: number | null;
}

const overlap = (a0: number, a1: number, b0: number, b1: number): number =>
  Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** Merges exclusions into disjoint, sorted ranges (so overlapping ones are not counted twice). */
function mergedRanges(exclusions: readonly Exclusion[]): Exclusion[] {
  const sorted = exclusions.filter((e) => e.end > e.start).sort((a, b) => a.start - b.start);
  const out: Exclusion[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && e.start <= last.end) last.end = Math.max(last.end, e.end);
    else out.push({ ...e });
  }
  return out;
}

/**
 * The outages of one point inside a period, with their excluded minutes. An interval still going ends at `now`.
 * A window's Maintenance is excluded whole (scheduled maintenance); otherwise the minutes under a supervisor's
 * exclusion are.
 */
export function outagesIn(
  intervals: readonly StatusInterval[],
  exclusions: readonly Exclusion[],
  period: Period,
  now: number,
): Outage[] {
  return outagePieces(intervals, exclusions, period, now).map((p) => p.outage);
}

/** The outages with their milliseconds: sums are taken in whole milliseconds, so any way of adding them agrees. */
function outagePieces(
  intervals: readonly StatusInterval[],
  exclusions: readonly Exclusion[],
  period: Period,
  now: number,
): { outage: Outage; ms: number; excludedMs: number }[] {
  const to = Math.min(period.to, now);
  const ranges = mergedRanges(exclusions);
  const out: { outage: Outage; ms: number; excludedMs: number }[] = [];
  for (const iv of intervals) {
    if (uptimeClass(iv.status) !== 'outage') continue;
    const end = iv.end ?? now;
    const ms = overlap(iv.start, end, period.from, to);
    if (ms <= 0) continue;
    const from = Math.max(iv.start, period.from);
    const until = Math.min(end, to);
    let excludedMs = 0;
    let excludedBy: ExcludedBy = null;
    let exclusionReason: ExclusionReason | null = null;
    if (iv.status === 'Maintenance' && iv.windowId) {
      excludedMs = ms;
      excludedBy = 'window';
      exclusionReason = 'scheduledMaintenance';
    } else {
      for (const r of ranges) {
        const o = overlap(from, until, r.start, r.end);
        if (o > 0) {
          excludedMs += o;
          excludedBy = 'supervisor';
          exclusionReason ??= r.reason;
        }
      }
    }
    const outage: Outage = {
      status: iv.status,
      cause: iv.cause,
      windowId: iv.windowId,
      start: iv.start,
      end: iv.end,
      minutes: ms / MINUTE_MS,
      excludedMinutes: excludedMs / MINUTE_MS,
      excludedBy,
      exclusionReason,
    };
    out.push({ outage, ms, excludedMs });
  }
  return out;
}

/** The rule's formula over any period: ((P − (T_outage − T_excluded)) / P) × 100, P the period's minutes. */
export function uptimePercent(periodMinutes: number, outageMinutes: number, excludedMinutes: number): number | null {
  if (periodMinutes <= 0) return null;
  return ((periodMinutes - (outageMinutes - excludedMinutes)) / periodMinutes) * 100;
}

/** Uptime of one port over a period (its part after `now` is not counted). */
export function portUptime(
  intervals: readonly StatusInterval[],
  exclusions: readonly Exclusion[],
  period: Period,
  now: number,
): UptimeFigures & { outages: Outage[] } {
  const pieces = outagePieces(intervals, exclusions, period, now);
  const figures = uptimeFigures(
    Math.max(0, Math.min(period.to, now) - period.from),
    sum(pieces.map((p) => p.ms)),
    sum(pieces.map((p) => p.excludedMs)),
  );
  return { ...figures, outages: pieces.map((p) => p.outage) };
}

/** A port's figures from the period's, its outages' and their excluded milliseconds. */
export function uptimeFigures(periodMs: number, outageMs: number, excludedMs: number): UptimeFigures {
  const periodMinutes = periodMs / MINUTE_MS;
  const outageMinutes = outageMs / MINUTE_MS;
  const excludedMinutes = excludedMs / MINUTE_MS;
  return {
    periodMinutes,
    outageMinutes,
    excludedMinutes,
    uptime: uptimePercent(periodMinutes, outageMinutes, excludedMinutes),
  };
}

/**
 * The rule's figure for the month ending at `monthEnd`: T_outage and T_excluded over the previous twelve months, over
 * the rule's fixed 525,600 minutes.
 */
export function rollingUptime(
  intervals: readonly StatusInterval[],
  exclusions: readonly Exclusion[],
  twelveMonths: Period,
  now: number,
): UptimeFigures {
  const { outageMinutes, excludedMinutes } = portUptime(intervals, exclusions, twelveMonths, now);
  return {
    periodMinutes: RULE_YEAR_MINUTES,
    outageMinutes,
    excludedMinutes,
    uptime: uptimePercent(RULE_YEAR_MINUTES, outageMinutes, excludedMinutes),
  };
}

/** A station's, site's or network's uptime: the mean of its ports' uptimes (the rule is per port). */
export function meanUptime(ports: readonly { uptime: number | null }[]): number | null {
  const values = ports.map((p) => p.uptime).filter((u): u is number => u !== null);
  return values.length === 0 ? null : sum(values) / values.length;
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

// ---- calendar periods in a site's time zone ----

const formats = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds the zone is ahead of UTC at instant t. */
function zoneOffsetMs(t: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(t));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** The instant of local midnight starting the given calendar day in the zone (month may overflow: 13 = next January). */
export function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  // Two passes settle the offset on either side of a daylight-saving change (midnight itself always exists in IANA
  // zones that change at 01:00 or later; where it does not, the first instant of the day is taken).
  let t = guess - zoneOffsetMs(guess, timeZone);
  t = guess - zoneOffsetMs(t, timeZone);
  return t;
}

/** Year, month (1–12) and day of an instant in the zone. */
export function localDate(t: number, timeZone: string): { year: number; month: number; day: number } {
  const d = new Date(t + zoneOffsetMs(t, timeZone));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export interface CalendarPeriod extends Period {
  /** YYYY-MM or YYYY-MM-DD, in the zone. */
  label: string;
}

/** The calendar months (in the zone) that overlap [from, to), each cut to it. */
export function monthsOf(period: Period, timeZone: string): CalendarPeriod[] {
  const out: CalendarPeriod[] = [];
  let { year, month } = localDate(period.from, timeZone);
  for (;;) {
    const start = localMidnight(year, month, 1, timeZone);
    if (start >= period.to) break;
    const end = localMidnight(year, month + 1, 1, timeZone);
    out.push({
      label: `${year}-${String(month).padStart(2, '0')}`,
      from: Math.max(start, period.from),
      to: Math.min(end, period.to),
    });
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return out;
}

/** The calendar days (in the zone) that overlap [from, to), each cut to it: a daylight-saving day has 23 or 25 hours. */
export function daysOf(period: Period, timeZone: string): CalendarPeriod[] {
  const out: CalendarPeriod[] = [];
  let { year, month, day } = localDate(period.from, timeZone);
  for (;;) {
    const start = localMidnight(year, month, day, timeZone);
    if (start >= period.to) break;
    const next = localDate(localMidnight(year, month, day, timeZone) + 36 * 60 * MINUTE_MS, timeZone);
    const end = localMidnight(next.year, next.month, next.day, timeZone);
    const label = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    out.push({ label, from: Math.max(start, period.from), to: Math.min(end, period.to) });
    ({ year, month, day } = next);
  }
  return out;
}

/** The twelve months before the month that starts at `monthStart` (in the zone): the rule's rolling window. */
export function twelveMonthsBefore(monthStart: number, timeZone: string): Period {
  const { year, month } = localDate(monthStart, timeZone);
  return { from: localMidnight(year - 1, month, 1, timeZone), to: localMidnight(year, month, 1, timeZone) };
}

// ---- the console API's shapes ----

const isoTime = z.iso.datetime({ offset: true });
const id = z.string().min(1).max(128);

export const TIMELINE_RANGES = ['24h', '7d', '30d'] as const;
export type TimelineRange = (typeof TIMELINE_RANGES)[number];
export const TIMELINE_RANGE_MS: Record<TimelineRange, number> = { '24h': DAY_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS };

export const statusIntervalWireSchema = z.object({
  status: z.enum(SHOWN_STATUSES),
  source: z.enum(INTERVAL_SOURCES),
  start: isoTime,
  end: isoTime.nullable(),
  cause: z.string().max(500).nullable(),
  windowId: z.string().max(100).nullable(),
});
export type StatusIntervalWire = z.infer<typeof statusIntervalWireSchema>;

export const outageWireSchema = z.object({
  pointId: id,
  status: z.enum(SHOWN_STATUSES),
  cause: z.string().max(500).nullable(),
  windowId: z.string().max(100).nullable(),
  start: isoTime,
  end: isoTime.nullable(),
  minutes: z.number().nonnegative(),
  excludedMinutes: z.number().nonnegative(),
  excludedBy: z.enum(['window', 'supervisor']).nullable(),
  exclusionReason: z.enum(EXCLUSION_REASONS).nullable(),
});
export type OutageWire = z.infer<typeof outageWireSchema>;

export const timelineRequestSchema = z.object({ pointId: id, range: z.enum(TIMELINE_RANGES) }).strict();
export type TimelineRequest = z.infer<typeof timelineRequestSchema>;

export const timelineReplySchema = z.object({
  pointId: id,
  from: isoTime,
  to: isoTime,
  intervals: z.array(statusIntervalWireSchema).max(100_000),
  outages: z.array(outageWireSchema).max(100_000),
  uptime: z.number().nullable(),
});
export type TimelineReply = z.infer<typeof timelineReplySchema>;

export const UPTIME_SCOPES = ['point', 'station', 'site', 'network'] as const;
export type UptimeScope = (typeof UPTIME_SCOPES)[number];

/** At most this long a period per request (13 months: the rolling year and the month being built). */
export const MAX_UPTIME_PERIOD_MS = 400 * DAY_MS;

export const uptimeRequestSchema = z
  .object({
    scope: z.enum(UPTIME_SCOPES),
    /** The point, station or site id; absent for the network. */
    id: id.optional(),
    from: isoTime,
    to: isoTime,
    /** Also list the outages (capped at maxOutages, longest counted first). */
    outages: z.boolean().default(false),
    maxOutages: z.number().int().min(1).max(5_000).default(500),
    /** Also each site's uptime per calendar day (the Availability view's charts). */
    daily: z.boolean().default(false),
    /**
     * Only the ports that cost the most uptime, at most this many: those with counted outage minutes (outage minus
     * excluded), most first (then by id); the others are counted in `portsLeftOff`. Absent: every port's figures
     * (50,000 ports are megabytes; the Availability view needs its sites and a few worst points).
     */
    worstPorts: z.number().int().min(1).max(5_000).optional(),
    /** Also each station's figures (false: `stations` is empty). */
    stations: z.boolean().default(true),
  })
  .strict()
  .refine((r) => r.scope === 'network' || r.id !== undefined, {
    message: 'an id is required for this scope',
    path: ['id'],
  })
  .refine((r) => Date.parse(r.to) > Date.parse(r.from), { message: 'the end must be after the start', path: ['to'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= MAX_UPTIME_PERIOD_MS, {
    message: 'the period may be at most 400 days',
    path: ['to'],
  });
export type UptimeRequest = z.input<typeof uptimeRequestSchema>;

const figuresSchema = z.object({
  periodMinutes: z.number().nonnegative(),
  outageMinutes: z.number().nonnegative(),
  excludedMinutes: z.number().nonnegative(),
  uptime: z.number().nullable(),
});

export const portUptimeSchema = figuresSchema.extend({ pointId: id, stationId: id, siteId: id });
export type PortUptime = z.infer<typeof portUptimeSchema>;

/**
 * A site's mean port uptime on each calendar day of the period in the site's zone: the first day's date, then one
 * figure per day in order (null: no port counted). Columns, not a day object each: at 2,000 sites a 30-day reply was
 * 2.8 MiB as objects, and each of its 60,000 objects was encoded, parsed and checked three times on its way.
 */
export const dailyUptimeSchema = z.object({
  from: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/),
  uptimes: z.array(z.number().nullable()).max(400),
});
export type DailyUptime = z.infer<typeof dailyUptimeSchema>;

/**
 * A day's uptime as sent: 4 decimals of a percent (a tenth of a second of a day). The daily figures are drawn, not
 * added up, and the reply at 2,000 sites halves; the period's figures and the ports' are sent as computed.
 */
export const dailyUptimeSent = (u: number | null): number | null => (u === null ? null : Math.round(u * 1e4) / 1e4);

/** The days of a site's daily figures, each with its date (YYYY-MM-DD). */
export function dailyDays(daily: DailyUptime | undefined): { day: string; uptime: number | null }[] {
  if (!daily || daily.from === '') return [];
  const first = Date.parse(`${daily.from}T00:00:00Z`);
  return daily.uptimes.map((uptime, k) => ({ day: new Date(first + k * DAY_MS).toISOString().slice(0, 10), uptime }));
}

export const groupUptimeSchema = z.object({
  id,
  ports: z.number().int().nonnegative(),
  uptime: z.number().nullable(),
  /** Sites only, when asked for. */
  daily: dailyUptimeSchema.optional(),
});
export type GroupUptime = z.infer<typeof groupUptimeSchema>;

export const uptimeReplySchema = z.object({
  scope: z.enum(UPTIME_SCOPES),
  id: id.nullable(),
  from: isoTime,
  to: isoTime,
  /** The mean of the ports' uptimes. */
  uptime: z.number().nullable(),
  /** Every port's figures, or with `worstPorts` those that cost the most. */
  ports: z.array(portUptimeSchema).max(100_000),
  /** Ports in the figures (the means) that `ports` does not list (with `worstPorts`). */
  portsLeftOff: z.number().int().nonnegative().optional(),
  stations: z.array(groupUptimeSchema).max(100_000),
  sites: z.array(groupUptimeSchema).max(100_000),
  outages: z.array(outageWireSchema).max(5_000),
  /** Outages in the period beyond those listed. */
  outagesLeftOff: z.number().int().nonnegative(),
  /** Set by the console when the backend could not be asked: these figures were computed then, and come from the
   * console's own cache (the last ones it had for the same scope and length of period). */
  cachedAt: isoTime.optional(),
});
export type UptimeReply = z.infer<typeof uptimeReplySchema>;

export const excludeOutageRequestSchema = z
  .object({
    pointId: id,
    from: isoTime,
    to: isoTime,
    reason: z.enum(EXCLUSION_REASONS),
    note: z.string().trim().min(1, "say what happened (e.g. the utility's outage reference)").max(2000),
  })
  .strict()
  .refine((r) => Date.parse(r.to) > Date.parse(r.from), { message: 'the end must be after the start', path: ['to'] });
export type ExcludeOutageRequest = z.infer<typeof excludeOutageRequestSchema>;

export const exclusionWireSchema = z.object({
  id: z.number().int().positive(),
  pointId: id,
  from: isoTime,
  to: isoTime,
  reason: z.enum(EXCLUSION_REASONS),
  note: z.string(),
  by: z.string(),
  at: isoTime,
});
export type ExclusionWire = z.infer<typeof exclusionWireSchema>;

export const excludeOutageReplySchema = z.object({ exclusion: exclusionWireSchema });
export type ExcludeOutageReply = z.infer<typeof excludeOutageReplySchema>;

/** HTTP path of the CSV reports: `GET` with `Authorization: Bearer <token>` and the query below. */
export const UPTIME_REPORT_PATH = '/api/reports/uptime.csv';

export const uptimeReportQuerySchema = z
  .object({
    kind: z.enum(['monthly', 'outages']),
    from: isoTime,
    to: isoTime,
    site: id.optional(),
  })
  .strict()
  .refine((r) => Date.parse(r.to) > Date.parse(r.from), { message: 'the end must be after the start', path: ['to'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= MAX_UPTIME_PERIOD_MS, {
    message: 'the period may be at most 400 days',
    path: ['to'],
  });
export type UptimeReportQuery = z.infer<typeof uptimeReportQuerySchema>;

/** Response header of a monthly report: how many rows follow its header line (an export's progress counts them). */
export const UPTIME_REPORT_ROWS_HEADER = 'x-voltboard-rows';

/** An export of a CSV report from the console (the backend's report, fetched with the console's token). */
export const uptimeExportRequestSchema = z
  .object({
    kind: z.enum(['monthly', 'outages']),
    from: isoTime,
    to: isoTime,
    siteId: id.optional(),
  })
  .strict()
  .refine((r) => Date.parse(r.to) > Date.parse(r.from), { message: 'the end must be after the start', path: ['to'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= MAX_UPTIME_PERIOD_MS, {
    message: 'the period may be at most 400 days',
    path: ['to'],
  });
export type UptimeExportRequest = z.infer<typeof uptimeExportRequestSchema>;

export const uptimeExportProgressSchema = z.object({
  exportId: z.string().max(64),
  kind: z.enum(['monthly', 'outages']),
  fileName: z.string().max(200),
  /** running; done (the whole file is there); cancelled or failed (nothing is left of it). */
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  rowsDone: z.number().int().nonnegative(),
  /** Monthly reports: the rows in all; null when unknown (outages: their number is not known in advance). */
  rowsTotal: z.number().int().nonnegative().nullable(),
  bytes: z.number().int().nonnegative(),
  error: z.string().max(1000).nullable(),
});
export type UptimeExportProgress = z.infer<typeof uptimeExportProgressSchema>;

/** Where the web host serves a finished export for download: `GET /exports/<exportId>`. */
export const UPTIME_EXPORT_DOWNLOAD_PATH = '/exports/';
