// What the Availability view's CSV export asks for and how its progress reads. Pure.
import type { UptimeExportProgress, UptimeExportRequest } from '../../../../common/uptime.js';

/** The monthly report: the twelve calendar months (UTC) before this one and this month so far. */
export function monthlyExportPeriod(now: number): { from: string; to: string } {
  const d = new Date(now);
  const from = Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), 1);
  const to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

export function exportRequest(
  kind: UptimeExportRequest['kind'],
  period: { from: number; to: number },
  siteId: string | null,
  now: number,
): UptimeExportRequest {
  const range =
    kind === 'monthly'
      ? monthlyExportPeriod(now)
      : { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() };
  return { kind, ...range, ...(siteId ? { siteId } : {}) };
}

/** 0–1 when the rows in all are known, else null (an indeterminate bar). */
export function exportFraction(p: UptimeExportProgress): number | null {
  if (p.rowsTotal === null || p.rowsTotal === 0) return null;
  return Math.min(1, p.rowsDone / p.rowsTotal);
}

const kib = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1048576).toFixed(1)} MB`;

export function exportText(p: UptimeExportProgress): string {
  const rows =
    p.rowsTotal === null
      ? `${p.rowsDone.toLocaleString('en')} rows`
      : `${p.rowsDone.toLocaleString('en')} of ${p.rowsTotal.toLocaleString('en')} rows`;
  switch (p.state) {
    case 'running':
      return `Exporting ${p.fileName}: ${rows} (${kib(p.bytes)})`;
    case 'done':
      return `Exported ${p.fileName}: ${rows}, ${kib(p.bytes)}`;
    case 'cancelled':
      return `Export cancelled: nothing was saved`;
    case 'failed':
      return `Export failed: ${p.error ?? 'unknown error'}. Nothing was saved`;
  }
}
