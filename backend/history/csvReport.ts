// The uptime reports as CSV, produced line by line (a caller streams them and may stop at any line): uptime per port
// per calendar month (in the site's time zone) with the rule's rolling twelve months, and the outages. Fields are
// named after the FHWA EV-ChART data format where it has one; docs/uptime.md lists them all.
import {
  localDate,
  localMidnight,
  monthsOf,
  outagesIn,
  rollingUptime,
  twelveMonthsBefore,
  type Period,
} from '../../common/uptime.js';
import type { Point } from '../../common/model.js';
import type { Store } from '../store/index.js';
import { portResult, type UptimeService } from './uptimeService.js';

export const REPORT_KINDS = ['monthly', 'outages'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const MONTHLY_FIELDS = [
  'station_id',
  'port_id',
  'site_id',
  'uptime_reporting_start',
  'uptime_reporting_end',
  'uptime',
  'total_outage',
  'total_outage_excl',
  'month_uptime',
  'month_outage',
  'month_outage_excl',
  'month_minutes',
] as const;

export const OUTAGE_FIELDS = [
  'station_id',
  'port_id',
  'site_id',
  'outage_id',
  'outage_start',
  'outage_end',
  'outage_duration',
  'outage_excluded',
  'status',
  'cause',
  'excluded_by',
  'exclusion_reason',
] as const;

/** One CSV cell: quoted when needed; text that a spreadsheet would run as a formula is prefixed with '. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const line = (cells: (string | number | null)[]) => `${cells.map(csvCell).join(',')}\r\n`;
const iso = (ms: number) => new Date(ms).toISOString();

export interface ReportOptions {
  kind: ReportKind;
  period: Period;
  /** Only this site's ports (all when absent). */
  siteId?: string;
  /** Called after each site with the ports done and the ports in all. */
  progress?: (done: number, total: number) => void;
}

/** The report's lines, header first. Each site's ports are computed when the lines reach them. */
export function* uptimeReport(store: Store, service: UptimeService, opts: ReportOptions): Generator<string> {
  const bySite = new Map<string, Point[]>();
  for (const p of store.points.all()) {
    if (opts.siteId !== undefined && p.siteId !== opts.siteId) continue;
    let l = bySite.get(p.siteId);
    if (!l) bySite.set(p.siteId, (l = []));
    l.push(p);
  }
  const total = [...bySite.values()].reduce((n, l) => n + l.length, 0);
  let done = 0;
  yield line([...(opts.kind === 'monthly' ? MONTHLY_FIELDS : OUTAGE_FIELDS)]);
  const now = service.now;
  for (const [siteId, points] of bySite) {
    const timeZone = store.stations.site(siteId)?.timeZone ?? 'UTC';
    if (opts.kind === 'monthly') yield* monthlyLines(service, points, opts.period, timeZone, now);
    else yield* outageLines(service, points, opts.period, now);
    done += points.length;
    opts.progress?.(done, total);
  }
}

function* monthlyLines(
  service: UptimeService,
  points: Point[],
  period: Period,
  timeZone: string,
  now: number,
): Generator<string> {
  const months = monthsOf(period, timeZone);
  if (months.length === 0) return;
  const monthEnd = (m: { from: number }) => {
    const { year, month } = localDate(m.from, timeZone);
    return localMidnight(year, month + 1, 1, timeZone);
  };
  const reach = {
    from: twelveMonthsBefore(monthEnd(months[0]), timeZone).from,
    to: monthEnd(months[months.length - 1]),
  };
  const inputs = service.inputs(points, reach);
  for (const m of months) {
    const rolling = twelveMonthsBefore(monthEnd(m), timeZone);
    for (const input of inputs) {
      const month = portResult(input, m, now).figures;
      const year = input.since === null ? null : rollingUptime(input.intervals, input.exclusions, rolling, now);
      yield line([
        input.point.stationId,
        input.point.id,
        input.point.siteId,
        iso(m.from),
        iso(m.to),
        year?.uptime ?? null,
        year?.outageMinutes ?? null,
        year?.excludedMinutes ?? null,
        month.uptime,
        month.outageMinutes,
        month.excludedMinutes,
        month.periodMinutes,
      ]);
    }
  }
}

function* outageLines(service: UptimeService, points: Point[], period: Period, now: number): Generator<string> {
  for (const input of service.inputs(points, period)) {
    for (const o of outagesIn(input.intervals, input.exclusions, period, now)) {
      yield line([
        input.point.stationId,
        input.point.id,
        input.point.siteId,
        `${input.point.id}@${iso(o.start)}`,
        iso(o.start),
        o.end === null ? null : iso(o.end),
        o.minutes,
        o.excludedMinutes,
        o.status,
        o.cause,
        o.excludedBy,
        o.exclusionReason,
      ]);
    }
  }
}
