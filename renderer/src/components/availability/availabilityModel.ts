// The Availability view's figures from one uptime reply: sites ranked worst first, and the points that cost the most
// uptime (counted outage minutes: outage minus excluded). Pure.
import type { GroupUptime, PortUptime, UptimeReply } from '../../../../common/uptime.js';

export function rankedSites(reply: UptimeReply): GroupUptime[] {
  return [...reply.sites].sort((a, b) => (a.uptime ?? 101) - (b.uptime ?? 101) || a.id.localeCompare(b.id));
}

export function costliestPoints(reply: UptimeReply, siteId: string | null, limit = 10): PortUptime[] {
  return reply.ports
    .filter((p) => (siteId === null || p.siteId === siteId) && p.outageMinutes - p.excludedMinutes > 0)
    .sort(
      (a, b) =>
        b.outageMinutes - b.excludedMinutes - (a.outageMinutes - a.excludedMinutes) ||
        a.pointId.localeCompare(b.pointId),
    )
    .slice(0, limit);
}

export const percent = (u: number | null): string => (u === null ? '—' : `${u.toFixed(2)} %`);

/** How long ago, in words: 'just now', '12 min ago', '3 h ago', '2 days ago'. */
export function ageText(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

/** The sparkline's box, and the uptime at its bottom edge (lower days sit on it). */
export const SPARKLINE = { width: 120, height: 24, margin: 2, floor: 90 } as const;

/** A site's daily uptime as the sparkline's polyline points ("x,y x,y…"); days without a figure are skipped. */
export function sparklinePoints(uptimes: readonly (number | null)[]): string {
  const { width, height, margin, floor } = SPARKLINE;
  const step = uptimes.length > 1 ? (width - 2 * margin) / (uptimes.length - 1) : 0;
  const out: string[] = [];
  uptimes.forEach((uptime, i) => {
    if (uptime === null) return;
    const share = (Math.min(100, Math.max(floor, uptime)) - floor) / (100 - floor);
    out.push(`${(margin + i * step).toFixed(1)},${(margin + (1 - share) * (height - 2 * margin)).toFixed(1)}`);
  });
  return out.join(' ');
}
