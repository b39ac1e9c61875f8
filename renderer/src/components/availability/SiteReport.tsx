// A printable per-site uptime report for a period: the site's uptime, each port's uptime, outage and excluded minutes
// (the NEVI report's fields, 23 CFR 680.112(a)(7)-(8)), the outages with their cause, and the daily chart. Laid over
// the page; printing (A4 or Letter) shows only the report (SiteReport.css).
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { STATUS_LABELS } from '../../../../common/status.js';
import { dailyDays, EXCLUSION_REASON_LABELS, RULE_UPTIME_TARGET, type UptimeReply } from '../../../../common/uptime.js';
import type { HostApi } from '../../api/index.js';
import { percent } from './availabilityModel.js';
import { LazyDailyChart } from './LazyDailyChart.js';
import './SiteReport.css';

const minutes = (m: number) => (Math.round(m * 10) / 10).toLocaleString('en');
const when = (iso: string, timeZone: string) =>
  new Date(iso).toLocaleString('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' });

export function SiteReport({
  api,
  site,
  period,
  pointLabel,
  onClose,
}: {
  api: HostApi;
  site: { id: string; name: string; timeZone: string };
  period: { from: number; to: number };
  pointLabel(id: string): string;
  onClose(): void;
}) {
  const [reply, setReply] = useState<UptimeReply | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api
      .call('getUptime', {
        scope: 'site',
        id: site.id,
        from: new Date(period.from).toISOString(),
        to: new Date(period.to).toISOString(),
        outages: true,
        maxOutages: 5000,
        daily: true,
      })
      .then((r) => !cancelled && setReply(r))
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [api, site.id, period.from, period.to]);

  const shownTo = Math.min(period.to, Date.now());
  const siteFigures = reply?.sites.find((s) => s.id === site.id) ?? null;
  const outages = reply ? [...reply.outages].sort((a, b) => a.start.localeCompare(b.start)) : [];

  return createPortal(
    <div className="uptime-report" role="dialog" aria-label={`Uptime report: ${site.name}`} data-testid="uptime-report">
      <div className="uptime-report-actions">
        <button type="button" onClick={() => window.print()} data-testid="uptime-report-print">
          Print
        </button>
        <button type="button" onClick={onClose} data-testid="uptime-report-close">
          Close
        </button>
      </div>
      <article className="uptime-report-page">
        <header>
          <h1>Uptime report: {site.name}</h1>
          <p>
            {when(new Date(period.from).toISOString(), site.timeZone)} to{' '}
            {when(new Date(shownTo).toISOString(), site.timeZone)} ({site.timeZone}) · site {site.id}
          </p>
        </header>
        {error ? <p className="export-failed">{error}</p> : null}
        {!reply && !error ? <p>Loading…</p> : null}
        {reply ? (
          <>
            <section className="uptime-report-summary">
              <div>
                <span className="uptime-report-label">Site uptime (mean of its ports)</span>
                <strong data-testid="uptime-report-site-uptime">{percent(siteFigures?.uptime ?? null)}</strong>
              </div>
              <div>
                <span className="uptime-report-label">Ports</span>
                <strong>{reply.ports.length}</strong>
              </div>
              <div>
                <span className="uptime-report-label">Ports at or below {RULE_UPTIME_TARGET} %</span>
                <strong>{reply.ports.filter((p) => p.uptime !== null && p.uptime <= RULE_UPTIME_TARGET).length}</strong>
              </div>
            </section>
            <section>
              <h2>Daily uptime</h2>
              <LazyDailyChart daily={dailyDays(siteFigures?.daily)} />
            </section>
            <section>
              <h2>Ports</h2>
              <table data-testid="uptime-report-ports">
                <thead>
                  <tr>
                    <th>Port</th>
                    <th>Station</th>
                    <th className="num">Uptime</th>
                    <th className="num">Outage min</th>
                    <th className="num">Excluded min</th>
                    <th className="num">Period min</th>
                  </tr>
                </thead>
                <tbody>
                  {reply.ports.map((p) => (
                    <tr key={p.pointId} className={p.uptime !== null && p.uptime <= RULE_UPTIME_TARGET ? 'below' : ''}>
                      <td>{pointLabel(p.pointId)}</td>
                      <td>{p.stationId}</td>
                      <td className="num">{percent(p.uptime)}</td>
                      <td className="num">{minutes(p.outageMinutes)}</td>
                      <td className="num">{minutes(p.excludedMinutes)}</td>
                      <td className="num">{minutes(p.periodMinutes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section>
              <h2>Outages ({outages.length + reply.outagesLeftOff})</h2>
              {outages.length === 0 ? (
                <p>No outages in this period.</p>
              ) : (
                <table data-testid="uptime-report-outages">
                  <thead>
                    <tr>
                      <th>Port</th>
                      <th>Start</th>
                      <th>End</th>
                      <th>Status and cause</th>
                      <th className="num">Minutes</th>
                      <th className="num">Excluded</th>
                    </tr>
                  </thead>
                  <tbody>
                    {outages.map((o) => (
                      <tr key={`${o.pointId}@${o.start}`}>
                        <td>{pointLabel(o.pointId)}</td>
                        <td>{when(o.start, site.timeZone)}</td>
                        <td>{o.end ? when(o.end, site.timeZone) : 'still going'}</td>
                        <td>
                          {STATUS_LABELS[o.status]}
                          {o.cause && o.cause.toLowerCase() !== STATUS_LABELS[o.status].toLowerCase()
                            ? `: ${o.cause}`
                            : ''}
                        </td>
                        <td className="num">{minutes(o.minutes)}</td>
                        <td className="num">
                          {minutes(o.excludedMinutes)}
                          {o.exclusionReason ? ` (${EXCLUSION_REASON_LABELS[o.exclusionReason]})` : ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {reply.outagesLeftOff > 0 ? <p>{reply.outagesLeftOff} more outages are in the CSV export.</p> : null}
            </section>
            <footer>
              Uptime as 23 CFR 680.116(b) computes it over this period: ((minutes − (outage − excluded)) / minutes) ×
              100. Excluded: planned maintenance windows and outages a supervisor marked outside the operator's control.
            </footer>
          </>
        ) : null}
      </article>
    </div>,
    document.body,
  );
}
