// The drawer strip's segments: a point's intervals cut to the range, as fractions of its width, with the words shown
// on hover. Pure, so the tests can check it without a browser.
import { STATUS_LABELS, type ShownStatus } from '../../../../common/status.js';
import {
  EXCLUSION_REASON_LABELS,
  uptimeClass,
  type OutageWire,
  type StatusIntervalWire,
} from '../../../../common/uptime.js';

export interface StripSegment {
  status: ShownStatus;
  /** 0–1 from the range's start. */
  left: number;
  width: number;
  outage: boolean;
  excluded: boolean;
  title: string;
}

export function minutesText(minutes: number): string {
  if (minutes < 1) return '< 1 min';
  if (minutes < 60) return `${Math.round(minutes)} min`;
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

const time = (ms: number, timeZone: string) =>
  new Date(ms).toLocaleString('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

export function stripSegments(
  intervals: readonly StatusIntervalWire[],
  from: number,
  to: number,
  timeZone: string,
): StripSegment[] {
  const span = to - from;
  if (span <= 0) return [];
  const out: StripSegment[] = [];
  for (const iv of intervals) {
    const start = Math.max(from, Date.parse(iv.start));
    const end = Math.min(to, iv.end === null ? to : Date.parse(iv.end));
    if (end <= start) continue;
    const outage = uptimeClass(iv.status) === 'outage';
    const excluded = iv.status === 'Maintenance' && iv.windowId !== null;
    const words = [
      `${STATUS_LABELS[iv.status]}${iv.cause ? `: ${iv.cause}` : ''}`,
      `${time(Date.parse(iv.start), timeZone)} – ${iv.end === null ? 'now' : time(Date.parse(iv.end), timeZone)}`,
      minutesText((end - start) / 60_000) + (iv.start < new Date(from).toISOString() ? ' in this range' : ''),
    ];
    if (excluded) words.push('planned window: excluded from uptime');
    out.push({
      status: iv.status,
      left: (start - from) / span,
      width: (end - start) / span,
      outage,
      excluded,
      title: words.join('\n'),
    });
  }
  return out;
}

export function outageLine(o: OutageWire, timeZone: string): string {
  const when = `${time(Date.parse(o.start), timeZone)} – ${o.end === null ? 'now' : time(Date.parse(o.end), timeZone)}`;
  const excluded =
    o.excludedMinutes > 0
      ? ` · ${minutesText(o.excludedMinutes)} excluded (${o.exclusionReason ? EXCLUSION_REASON_LABELS[o.exclusionReason] : o.excludedBy})`
      : '';
  return `${when} · ${minutesText(o.minutes)}${o.cause && o.cause !== 'offline' ? ` · ${o.cause}` : ''}${excluded}`;
}
