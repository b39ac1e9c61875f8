// A refused window's overlap in words: which window, on which points, when, on the site's clock with the viewer's
// own beside it where the two differ ("Overlaps “Pump swap” on Bay 2, Sat 14 Mar 14:00–16:00 Amsterdam time
// (15:00–17:00 your time).").
import type { WindowOverlap } from '../../../../common/windows.js';
import { viewerTimeZone, wallTime, zoneName, zoneOffsetMs } from '../../model/windows.js';
import type { ZoneChoice } from './windowZone.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** "Sat 14 Mar" on the zone's calendar (with the year when it is not the year of `nowMs` there). */
function dayIn(ms: number, tz: string, nowMs: number): string {
  const w = wallTime(ms, tz);
  const weekday = DAYS[new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()];
  const year = w.year === wallTime(nowMs, tz).year ? '' : ` ${w.year}`;
  return `${weekday} ${w.day} ${MONTHS[w.month - 1]}${year}`;
}

const clockIn = (ms: number, tz: string) => {
  const w = wallTime(ms, tz);
  return `${pad(w.hour)}:${pad(w.minute)}`;
};

/**
 * A span on one zone's clock: "Sat 14 Mar 14:00–16:00", "Sat 14 Mar 22:00 – Sun 15 Mar 02:00", "from Sat 14 Mar
 * 14:00, open-ended". `days` false leaves out the days (the viewer's echo, when its days are the site's).
 */
function spanIn(startMs: number, endMs: number | null, tz: string, nowMs: number, days = true): string {
  const start = days ? `${dayIn(startMs, tz, nowMs)} ${clockIn(startMs, tz)}` : clockIn(startMs, tz);
  if (endMs === null) return `from ${start}, open-ended`;
  if (dayIn(startMs, tz, nowMs) === dayIn(endMs, tz, nowMs)) return `${start}–${clockIn(endMs, tz)}`;
  return `${start} – ${days ? `${dayIn(endMs, tz, nowMs)} ` : ''}${clockIn(endMs, tz)}`;
}

/** A window's span on the zone's clock, and on the viewer's beside it where the clocks differ. */
export function overlapSpan(
  o: Pick<WindowOverlap, 'startsAt' | 'endsAt'>,
  zone: ZoneChoice,
  nowMs: number,
  viewerTz = viewerTimeZone(),
): string {
  const startMs = Date.parse(o.startsAt);
  const endMs = o.endsAt === null ? null : Date.parse(o.endsAt);
  const tz = zone.site ? zone.tz : viewerTz;
  const here = spanIn(startMs, endMs, tz, nowMs);
  const same = (ms: number) => zoneOffsetMs(ms, tz) === zoneOffsetMs(ms, viewerTz);
  if (!zone.site || (same(startMs) && (endMs === null || same(endMs)))) {
    return `${here} ${zone.site ? `${zoneName(tz)} time` : 'your time'}`;
  }
  const sameDays = [startMs, ...(endMs === null ? [] : [endMs])].every(
    (ms) => dayIn(ms, tz, nowMs) === dayIn(ms, viewerTz, nowMs),
  );
  return `${here} ${zoneName(tz)} time (${spanIn(startMs, endMs, viewerTz, nowMs, !sameDays)} your time)`;
}

/** The whole sentence: "Overlaps “Pump swap” (running now) on Bay 2 and 3 more points, Sat 14 Mar 14:00–16:00 …". */
export function overlapSentence(
  o: WindowOverlap,
  zone: ZoneChoice,
  pointLabel: (id: string) => string,
  nowMs: number,
  viewerTz = viewerTimeZone(),
): string {
  const more = o.pointCount - 1;
  const points = `${pointLabel(o.pointIds[0])}${more > 0 ? ` and ${more} more point${more === 1 ? '' : 's'}` : ''}`;
  const running = o.state === 'running' ? ' (running now)' : '';
  return `Overlaps “${o.reason}”${running} on ${points}, ${overlapSpan(o, zone, nowMs, viewerTz)}.`;
}
