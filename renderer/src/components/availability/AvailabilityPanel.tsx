// The Availability view: sites ranked by uptime for a period (worst first, a sparkline each, virtualised so only the
// rows on screen draw one), a site's daily uptime chart and the points that cost it the most uptime, filters by site
// and period. docs/uptime.md says what counts.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Site } from '../../../../common/model.js';
import {
  dailyDays,
  recentDays,
  RULE_UPTIME_TARGET,
  VIEW_PERIOD_DAYS,
  type UptimeReply,
} from '../../../../common/uptime.js';
import type { HostApi } from '../../api/index.js';
import { SidePanel } from '../SidePanel.js';
import { ageText, costliestPoints, percent, rankedSites } from './availabilityModel.js';
import { LazyDailyChart } from './LazyDailyChart.js';
import { ExportCsv } from './ExportCsv.js';
import { SiteReport } from './SiteReport.js';
import { minutesText } from './timelineModel.js';
import { Sparkline } from './Sparkline.js';
import './AvailabilityPanel.css';

const PERIODS = { '7d': VIEW_PERIOD_DAYS[0], '30d': VIEW_PERIOD_DAYS[1] } as const;
type PeriodKey = keyof typeof PERIODS;
const ROW_H = 32;
/** How many points the "cost the most" list shows. */
const COSTLY_POINTS = 10;
const NO_DAYS: readonly (number | null)[] = [];

export function AvailabilityPanel({
  api,
  sites,
  pointLabel,
  onShowPoint,
  onClose,
}: {
  api: HostApi;
  sites: ReadonlyMap<string, Site>;
  pointLabel(id: string): string;
  onShowPoint(pointId: string): void;
  onClose(): void;
}) {
  const [period, setPeriod] = useState<PeriodKey>('30d');
  const [siteId, setSiteId] = useState<string | null>(null);
  const [reply, setReply] = useState<UptimeReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reportOpen, setReportOpen] = useState(false);

  // Whole days: the period ends at the next UTC midnight, so the last bar is today.
  const range = useMemo(() => recentDays(Date.now(), PERIODS[period]), [period]);

  useEffect(() => {
    let cancelled = false;
    const { from, to } = range;
    api
      .call('getUptime', {
        scope: 'network',
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        daily: true,
        // The view shows sites and a few worst points: not 50,000 ports' figures, nor the stations'.
        worstPorts: COSTLY_POINTS,
        stations: false,
      })
      .then((r) => {
        if (cancelled) return;
        setReply(r);
        setError(null);
      })
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [api, range]);

  // A picked site's worst points: the network's reply lists the network's worst only.
  const [siteReply, setSiteReply] = useState<UptimeReply | null>(null);
  useEffect(() => {
    setSiteReply(null);
    if (siteId === null) return;
    let cancelled = false;
    api
      .call('getUptime', {
        scope: 'site',
        id: siteId,
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
        worstPorts: COSTLY_POINTS,
        stations: false,
      })
      .then((r) => !cancelled && setSiteReply(r))
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [api, range, siteId]);

  const ranked = useMemo(() => (reply ? rankedSites(reply) : []), [reply]);
  const shownSites = siteId === null ? ranked : ranked.filter((s) => s.id === siteId);
  const selected = siteId === null ? null : (ranked.find((s) => s.id === siteId) ?? null);
  const costly = useMemo(() => {
    const from = siteId === null ? reply : siteReply;
    return from ? costliestPoints(from, siteId, COSTLY_POINTS) : [];
  }, [reply, siteReply, siteId]);
  const listRef = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: shownSites.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_H,
    overscan: 6,
  });
  const siteName = (id: string) => sites.get(id)?.name ?? id;

  return (
    <SidePanel
      className="side-panel availability-panel"
      label="Availability"
      testId="availability-panel"
      head={<h2>Availability</h2>}
      closeLabel="Close availability"
      onClose={onClose}
    >
      <div className="availability-filters">
        <label>
          Period{' '}
          <select
            value={period}
            onChange={(e) => setPeriod(e.target.value as PeriodKey)}
            data-testid="availability-period"
          >
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
          </select>
        </label>
        <label>
          Site{' '}
          <select
            value={siteId ?? ''}
            onChange={(e) => setSiteId(e.target.value || null)}
            data-testid="availability-site"
          >
            <option value="">All sites</option>
            {ranked.map((s) => (
              <option key={s.id} value={s.id}>
                {siteName(s.id)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? <p className="muted">{error}</p> : null}
      {!reply && !error ? <p className="muted">Loading…</p> : null}
      {reply ? (
        <>
          {reply.cachedAt ? (
            <p className="notice notice-warn availability-cached" role="status" data-testid="availability-cached">
              Offline: the last figures this console computed, {ageText(Date.now() - Date.parse(reply.cachedAt))} (
              {new Date(reply.cachedAt).toLocaleString()}). They are refreshed when the backend can be reached.
            </p>
          ) : null}
          <p className="availability-summary">
            Network uptime <strong>{percent(reply.uptime)}</strong>{' '}
            <span className="muted">
              (mean of {(reply.ports.length + (reply.portsLeftOff ?? 0)).toLocaleString('en')} ports; the rule asks for
              more than {RULE_UPTIME_TARGET} % per port)
            </span>
          </p>
          {selected ? (
            <section data-testid="availability-site-detail">
              <h3>
                {siteName(selected.id)}: {percent(selected.uptime)}{' '}
                <button type="button" onClick={() => setReportOpen(true)} data-testid="open-uptime-report">
                  Printable report
                </button>
              </h3>
              <LazyDailyChart daily={dailyDays(selected.daily)} />
            </section>
          ) : null}
          <section>
            <h3>{siteId === null ? 'Sites, lowest uptime first' : 'Site'}</h3>
            <div
              className="site-rank"
              ref={listRef}
              data-testid="site-rank"
              style={{ height: Math.min(320, shownSites.length * ROW_H + 2) }}
            >
              <div className="site-rank-sizer" style={{ height: virtual.getTotalSize() }}>
                {virtual.getVirtualItems().map((row) => {
                  const s = shownSites[row.index];
                  return (
                    <button
                      key={s.id}
                      type="button"
                      className={`site-rank-row${s.uptime !== null && s.uptime <= RULE_UPTIME_TARGET ? ' below-target' : ''}`}
                      style={{ transform: `translateY(${row.start}px)`, height: ROW_H }}
                      onClick={() => setSiteId(s.id)}
                      data-testid={`site-rank-${s.id}`}
                    >
                      <span className="site-rank-name">{siteName(s.id)}</span>
                      <Sparkline uptimes={s.daily?.uptimes ?? NO_DAYS} />
                      <span className="site-rank-uptime">{percent(s.uptime)}</span>
                    </button>
                  );
                })}
              </div>
            </div>
          </section>
          <section>
            <h3>Points that cost the most uptime</h3>
            {siteId !== null && siteReply === null ? (
              <p className="muted">Loading…</p>
            ) : costly.length === 0 ? (
              <p className="muted">No counted outages in this period.</p>
            ) : (
              <ol className="costly-points" data-testid="costly-points">
                {costly.map((p) => (
                  <li key={p.pointId}>
                    <button type="button" className="linklike" onClick={() => onShowPoint(p.pointId)}>
                      {pointLabel(p.pointId)}
                    </button>{' '}
                    <span className="muted">
                      {minutesText(p.outageMinutes - p.excludedMinutes)} down · {percent(p.uptime)}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>
          <ExportCsv api={api} period={range} siteId={siteId} />
          {reportOpen && selected ? (
            <SiteReport
              api={api}
              site={{
                id: selected.id,
                name: siteName(selected.id),
                timeZone: sites.get(selected.id)?.timeZone ?? 'UTC',
              }}
              period={range}
              pointLabel={pointLabel}
              onClose={() => setReportOpen(false)}
            />
          ) : null}
        </>
      ) : null}
    </SidePanel>
  );
}
