// Maintenance windows as the renderer shows them (pure, no React): the point → next window map the grid reads,
// the Planned panel's groups, the overdue rule for expected ends, and times in a site's time zone.
import type { ViewPoint } from '../../../common/consoleApi.js';
import type { MaintenanceWindow } from '../../../common/windows.js';
import { PAST_WINDOWS_MS } from '../../../common/windows.js';

// ---------------------------------------------------------------- the point → window map

/** The window a point's row mentions: the one running on it, else its next planned one. */
export interface PointWindow {
  window: MaintenanceWindow;
  running: boolean;
}

/**
 * pointId → the window its row shows. Built once per windows change (a pass over every window's points), so a row
 * render is one Map lookup. A point a running window let go of (released, restored) is not in it for that window.
 */
export function buildPointWindows(windows: Iterable<MaintenanceWindow>): Map<string, PointWindow> {
  const map = new Map<string, PointWindow>();
  for (const w of windows) {
    if (w.state !== 'planned' && w.state !== 'running') continue;
    const running = w.state === 'running';
    const start = Date.parse(w.startsAt);
    for (const p of w.points) {
      if (running ? p.state !== 'applied' && p.state !== 'planned' : p.state !== 'planned') continue;
      const cur = map.get(p.pointId);
      if (!cur || better(running, start, cur)) map.set(p.pointId, { window: w, running });
    }
  }
  return map;
}

function better(running: boolean, start: number, cur: PointWindow): boolean {
  if (running !== cur.running) return running;
  return start < Date.parse(cur.window.startsAt);
}

/** A point's windows for its drawer: running first, then upcoming (soonest first), then recent (newest first). */
export function windowsOfPoint(windows: Iterable<MaintenanceWindow>, pointId: string): MaintenanceWindow[] {
  const out: MaintenanceWindow[] = [];
  for (const w of windows) if (w.points.some((p) => p.pointId === pointId)) out.push(w);
  const rank = (w: MaintenanceWindow) => (w.state === 'running' ? 0 : w.state === 'planned' ? 1 : 2);
  return out.sort(
    (a, b) =>
      rank(a) - rank(b) || (rank(a) === 2 ? endedAt(b) - endedAt(a) : Date.parse(a.startsAt) - Date.parse(b.startsAt)),
  );
}

function endedAt(w: MaintenanceWindow): number {
  return Date.parse(w.endedAt ?? w.endsAt ?? w.startsAt);
}

// ---------------------------------------------------------------- the Planned panel

export interface WindowGroups {
  upcoming: MaintenanceWindow[];
  running: MaintenanceWindow[];
  past: MaintenanceWindow[];
}

/** Upcoming (soonest first), running (ending soonest first, open-ended last), past 7 days (newest first). */
export function groupWindows(windows: Iterable<MaintenanceWindow>, nowMs: number): WindowGroups {
  const g: WindowGroups = { upcoming: [], running: [], past: [] };
  for (const w of windows) {
    if (w.state === 'planned') g.upcoming.push(w);
    else if (w.state === 'running') g.running.push(w);
    else if (nowMs - endedAt(w) <= PAST_WINDOWS_MS) g.past.push(w);
  }
  g.upcoming.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const end = (w: MaintenanceWindow) => (w.endsAt ? Date.parse(w.endsAt) : Infinity);
  g.running.sort((a, b) => end(a) - end(b));
  g.past.sort((a, b) => endedAt(b) - endedAt(a));
  return g;
}

/** The toolbar's count: windows running or still to come. */
export function activeWindowCount(windows: Iterable<MaintenanceWindow>): number {
  let n = 0;
  for (const w of windows) if (w.state === 'planned' || w.state === 'running') n++;
  return n;
}

/** Merges a `windows` event into a map: a full one replaces, a partial one merges; never steps a window back. */
export function mergeWindows(
  map: Map<string, MaintenanceWindow>,
  full: boolean,
  windows: readonly MaintenanceWindow[],
): boolean {
  let changed = full && map.size > 0;
  if (full) map.clear();
  for (const w of windows) {
    const cur = map.get(w.id);
    if (cur && cur.version > w.version) continue;
    if (cur && cur.version === w.version && cur.state === w.state) continue;
    map.set(w.id, w);
    changed = true;
  }
  return changed;
}

// ---------------------------------------------------------------- expected ends: overdue and reverting

/** A reverting expected end is the backend's to act on; only if it has not after this long is it overdue. */
export const REVERT_GRACE_MS = 60_000;

export interface UntilState {
  kind: 'overdue' | 'reverts' | 'reminds';
  /** The expected end. */
  until: string;
}

/**
 * What a point's expected end means now: `overdue` (passed, the point still Out of Service or in Maintenance:
 * a reminder, or a revert the backend has not made after a minute), `reverts` (will go back to Available on its
 * own), `reminds` (not passed yet; only a reminder then). null without an expected end. The pending edit of this
 * console counts as the point's status while it is queued or sending.
 */
export function untilState(p: ViewPoint, nowMs: number): UntilState | null {
  const pending = p.pending && (p.pending.state === 'queued' || p.pending.state === 'sending') ? p.pending.edit : null;
  const status = pending ? pending.status : p.operator.status;
  const until = pending ? pending.until : p.operator.until;
  const action = pending ? (pending.untilAction ?? 'remind') : (p.operator.untilAction ?? 'remind');
  if (!until || (status !== 'OutOfService' && status !== 'Maintenance')) return null;
  const t = Date.parse(until);
  if (Number.isNaN(t)) return null;
  const passed = nowMs >= t + (action === 'revert' ? REVERT_GRACE_MS : 0);
  if (passed) return { kind: 'overdue', until };
  return { kind: action === 'revert' ? 'reverts' : 'reminds', until };
}

/** The cheap test of overdueIds: only a point with an expected end, or an edit on its way, can be overdue. */
export function mayBeOverdue(p: ViewPoint): boolean {
  return Boolean(p.operator.until) || Boolean(p.pending);
}

/**
 * The ids of overdue points. Keeps `prev` (same object) when the set is the same, so a filter on it stays put. A point
 * in a running window (`inWindow`) is the window's to end, not overdue.
 */
export function overdueIds(
  points: Iterable<ViewPoint>,
  nowMs: number,
  prev?: ReadonlySet<string>,
  inWindow?: (id: string) => boolean,
): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const p of points) {
    // Cheap test first: most points have no expected end.
    if (!mayBeOverdue(p)) continue;
    if (untilState(p, nowMs)?.kind === 'overdue' && !inWindow?.(p.id)) ids.add(p.id);
  }
  if (prev && prev.size === ids.size) {
    let same = true;
    for (const id of ids) if (!prev.has(id)) same = false;
    if (same) return prev;
  }
  return ids;
}

// ---------------------------------------------------------------- time zones

/** The viewer's own time zone (this computer's). */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(tz: string): Intl.DateTimeFormat {
  let f = partsFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(tz, f);
  }
  return f;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock time in a zone at an instant. */
export function wallTime(ms: number, tz: string): WallTime {
  const out: Record<string, number> = {};
  for (const part of partsFormat(tz).formatToParts(new Date(ms)))
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  return {
    year: out.year,
    month: out.month,
    day: out.day,
    hour: out.hour % 24,
    minute: out.minute,
    second: out.second,
  };
}

/** The zone's offset from UTC at an instant, in ms (Amsterdam in summer: +2 h). */
export function zoneOffsetMs(ms: number, tz: string): number {
  const w = wallTime(ms, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - (ms % 1000));
}

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Amsterdam" for Europe/Amsterdam, "New York" for America/New_York, "UTC" for UTC. */
export function zoneName(tz: string): string {
  const last = tz.split('/').pop() ?? tz;
  return last.replace(/_/g, ' ');
}

/** "14:00" on the zone's today, else "29 Mar 14:00" (with the year when not this year). */
export function zonedClock(ms: number, tz: string, nowMs: number): string {
  const w = wallTime(ms, tz);
  const today = wallTime(nowMs, tz);
  const hm = `${pad(w.hour)}:${pad(w.minute)}`;
  if (w.year === today.year && w.month === today.month && w.day === today.day) return hm;
  return `${w.day} ${MONTHS[w.month - 1]}${w.year === today.year ? '' : ` ${w.year}`} ${hm}`;
}

/**
 * A time in the site's zone, with the viewer's own beside it where the two clocks differ at that instant:
 * "14:00 Amsterdam (13:00 your time)". Where they agree: "14:00".
 */
export function siteTime(
  iso: string | null | undefined,
  siteTz: string | null | undefined,
  nowMs: number,
  viewerTz = viewerTimeZone(),
): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '—';
  const tz = siteTz || 'UTC';
  const here = zonedClock(ms, tz, nowMs);
  if (zoneOffsetMs(ms, tz) === zoneOffsetMs(ms, viewerTz)) return here;
  return `${here} ${zoneName(tz)} (${zonedClock(ms, viewerTz, nowMs)} your time)`;
}

/** A datetime-local value ("2026-03-29T14:00", with `seconds` "…T14:00:05") for an instant, on the zone's clock. */
export function isoToZonedInput(iso: string | null | undefined, tz: string, seconds = false): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const w = wallTime(ms, tz);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}${seconds ? `:${pad(w.second)}` : ''}`;
}

/**
 * A datetime-local value read on the zone's clock → ISO (UTC). A time the clocks skip (the spring change's missing
 * hour) is read with the offset before the change, landing after it (02:30 → 03:30 in Amsterdam); a time that
 * occurs twice (the autumn change) is the first of the two. null when empty or not a date.
 */
export function zonedInputToIso(value: string, tz: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0);
  if (Number.isNaN(asUtc)) return null;
  // The offset an hour either side of the guess: the earlier one first (the first of a repeated hour).
  const before = zoneOffsetMs(asUtc - 3 * 3600_000, tz);
  const after = zoneOffsetMs(asUtc + 3 * 3600_000, tz);
  for (const off of [before, after]) {
    const t = asUtc - off;
    const w = wallTime(t, tz);
    if (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) === asUtc) return new Date(t).toISOString();
  }
  // In the skipped hour: the offset before the change.
  return new Date(asUtc - before).toISOString();
}

/**
 * The next full hour after now on the zone's clock (14:20 → 15:00; 14:00:00 exactly → 15:00): in Asia/Kolkata
 * (+5:30) half past a UTC hour. Across a daylight-saving change it is the next instant the clock shows :00 — after
 * the spring change 03:00 summer time, in the autumn the repeated 02:00 — never more than an hour away.
 */
export function nextFullHour(nowMs: number, tz = 'UTC'): string {
  // Every zone's offset is a multiple of 15 minutes: the site's hours fall on UTC quarter hours.
  const QUARTER = 15 * 60_000;
  for (let t = Math.floor(nowMs / QUARTER) * QUARTER + QUARTER; ; t += QUARTER) {
    const w = wallTime(t, tz);
    if (w.minute === 0 && w.second === 0) return new Date(t).toISOString();
  }
}
