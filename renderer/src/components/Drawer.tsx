// The details drawer for one point: reported vs operator status, connectors, delivery progress, and the
// point's recent history from the backend's audit log (getHistory). Non-modal: the grid stays usable.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { ConnectionState, StationLiveness, ViewPoint } from '../../../common/consoleApi.js';
import { effectiveView } from '../../../common/consoleApi.js';
import type { AuditEntry, Role, Site } from '../../../common/model.js';
import { DELIVERY_LABELS, STATUS_LABELS } from '../../../common/status.js';
import type { HostApi } from '../api/index.js';
import { deliveryActionsState } from '../model/deliveryActions.js';
import { connectorPowerLabel, connectorTypeLabel, connectivityLine, NOT_REPORTED } from '../model/labels.js';
import { connectivityOf } from '../model/connectivity.js';
import { deliveryAdvice } from '../model/deliveryLabels.js';
import { actorName, ago, fullTime, shortTime } from '../util/time.js';
import { DeliveryActions } from './DeliveryActions.js';
import { DeliveryTimeline } from './DeliverySteps.js';
import { SidePanel } from './SidePanel.js';
import { StatusBadge } from './StatusBadge.js';
import type { AnyStatus } from './StatusBadge.js';
import type { MaintenanceWindow } from '../../../common/windows.js';
import { siteTime, untilState, windowsOfPoint } from '../model/windows.js';
import { PointStateBadge, WindowBadge } from './planned/WindowBadge.js';
import { AvailabilityStrip } from './availability/AvailabilityStrip.js';
import { alertHistoryWord } from '../model/alerts.js';
import { DrawerPartners } from './partners/DrawerPartners.js';
import './Drawer.css';

const FACT_LABELS: Record<AuditEntry['fact'], string> = {
  operator: 'Operator status',
  reported: 'Station report',
  delivery: 'Delivery',
  connection: 'Connection',
  window: 'Maintenance window',
  alert: 'Alert',
};

export function Drawer({
  api,
  point,
  site,
  live,
  role,
  connection,
  hostReachable,
  nowMs,
  onClose,
  onEdit,
  onPlan,
  windows,
  windowsVersion,
  onOpenPlanned,
  onOpenConflicts,
}: {
  api: HostApi;
  point: ViewPoint | null;
  site: Site | null;
  /** The station's liveness from the backend (undefined: no word yet, the point's connection flag stands in). */
  live: StationLiveness | undefined;
  role: Role | null;
  connection: ConnectionState['state'] | null;
  hostReachable: boolean;
  nowMs: number;
  onClose(): void;
  onEdit(pointId: string): void;
  /** Plans a maintenance window for this point. */
  onPlan?(pointId: string): void;
  /** Every window the console knows (the point's are listed); windowsVersion says when they changed. */
  windows?: ReadonlyMap<string, MaintenanceWindow>;
  windowsVersion?: number;
  onOpenPlanned?(): void;
  onOpenConflicts(): void;
}) {
  const [history, setHistory] = useState<{ pointId: string; entries: AuditEntry[] } | null>(null);
  const [historyError, setHistoryError] = useState<string | null>(null);
  const [loadingHistory, setLoadingHistory] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const pointId = point?.id ?? null;
  const pointWindowList = useMemo(
    () => (windows && pointId ? windowsOfPoint(windows.values(), pointId) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [windows, windowsVersion, pointId],
  );
  const seq = point?.seq ?? 0;
  const pendingState = point?.pending?.state ?? null;

  // Reload the history when the point changes (debounced, so a burst of updates costs one call).
  useEffect(() => {
    if (!pointId) return;
    let cancelled = false;
    setLoadingHistory(true);
    const t = setTimeout(() => {
      api
        .call('getHistory', { pointId, limit: 50 })
        .then((r) => {
          if (cancelled) return;
          setHistory({ pointId, entries: r.entries });
          setHistoryError(null);
        })
        .catch((e: unknown) => {
          if (cancelled) return;
          setHistoryError(e instanceof Error ? e.message : String(e));
        })
        .finally(() => !cancelled && setLoadingHistory(false));
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [api, pointId, seq, pendingState]);

  if (!point) {
    return (
      <SidePanel
        className="side-panel drawer"
        label="Point details"
        testId="drawer"
        head={<h2>Details</h2>}
        closeLabel="Close details"
        closeOnEscape={false}
        bare
        onClose={onClose}
      >
        <p className="muted panel-body">This point is no longer in the network.</p>
      </SidePanel>
    );
  }

  const v = effectiveView(point);
  const conn = connectivityOf(point, live);
  const actions = deliveryActionsState(point, v, role, connection, hostReachable);
  const pending = point.pending;
  const advice = deliveryAdvice(v.delivery);
  const entries = history?.pointId === point.id ? history.entries : [];

  return (
    <SidePanel
      className="side-panel drawer"
      labelledBy="drawer-title"
      testId="drawer"
      head={
        <div>
          <h2 id="drawer-title" ref={headingRef} tabIndex={-1}>
            {point.label}
          </h2>
          <p className="muted small">
            {site?.name ?? point.siteId}
            {site?.city ? `, ${site.city}` : ''} · station {point.stationId} · EVSE {point.evseId} · {point.protocol}
          </p>
        </div>
      }
      closeLabel="Close details (Esc)"
      closeTitle="Close (Esc)"
      onClose={onClose}
    >
      <div className="drawer-shown">
        <StatusBadge status={v.shown} size="lg" applying={v.applying !== null} />
        <button type="button" className="btn btn-primary" onClick={() => onEdit(point.id)}>
          Change status…
        </button>
        {onPlan && (
          <button type="button" className="btn" onClick={() => onPlan(point.id)} data-testid="drawer-plan-window">
            Planned…
          </button>
        )}
      </div>
      <p
        className={`conn-facts conn conn-${conn.kind}`}
        data-testid="drawer-liveness"
        data-liveness={conn.kind}
        title={conn.lastHeardAt ? `Last heard ${fullTime(conn.lastHeardAt)}` : undefined}
      >
        <span className="conn-dot" aria-hidden="true" />
        Station {connectivityLine(conn, nowMs)}
      </p>
      {conn.kind !== 'online' && (
        <p className={`notice ${conn.kind === 'offline' ? 'notice-offline' : 'notice-warn'}`}>
          {conn.kind === 'offline'
            ? `Station offline since ${conn.since ? `${fullTime(conn.since)} (${ago(conn.since, nowMs)})` : 'an unknown time'}. Its last report may be out of date.`
            : `Silent since ${conn.since ? `${fullTime(conn.since)} (${ago(conn.since, nowMs)})` : 'an unknown time'}: the backend has not heard from the station in time (last heard ${conn.lastHeardAt ? fullTime(conn.lastHeardAt) : 'never'}). Its report may be out of date.`}
        </p>
      )}

      <div className="compare">
        <CompareCol title="Station reports" status={point.reported.status}>
          {point.reported.errorCode && point.reported.errorCode !== 'NoError' && (
            <Kv term="Error">{point.reported.errorCode}</Kv>
          )}
          {point.reported.info && <Kv term="Info">{point.reported.info}</Kv>}
          <Kv term="Reported" title={fullTime(point.reported.at)}>
            {point.reported.at ? `${shortTime(point.reported.at, nowMs)} (${ago(point.reported.at, nowMs)})` : 'never'}
          </Kv>
        </CompareCol>
        <CompareCol title="Operator status" status={point.operator.status}>
          <Kv term="Reason">{point.operator.reason ?? '—'}</Kv>
          {point.operator.note && (
            <Kv term="Note" className="prewrap">
              {point.operator.note}
            </Kv>
          )}
          {point.operator.until && (
            <Kv term="Until" title={fullTime(point.operator.until)}>
              <UntilWords
                point={point}
                tz={site?.timeZone}
                nowMs={nowMs}
                inWindow={pointWindowList.some(
                  (w) => w.state === 'running' && w.points.some((x) => x.pointId === point.id && x.state === 'applied'),
                )}
              />
            </Kv>
          )}
          <Kv term="Set by" title={fullTime(point.operator.at)}>
            {point.operator.by ? `${actorName(point.operator.by)}, ${shortTime(point.operator.at, nowMs)}` : '—'}
          </Kv>
          <Kv term="Version">{point.operator.version}</Kv>
        </CompareCol>
      </div>

      {pending && (
        <section className={`pending-box pending-${pending.state}`}>
          <h3>Your pending edit</h3>
          <p>
            <StatusBadge status={pending.edit.status} size="sm" subtle />{' '}
            {pending.edit.reason ? `— ${pending.edit.reason}` : ''}
            <span className="muted"> (made {shortTime(pending.createdAt, nowMs)})</span>
          </p>
          {pending.error && <p className="notice notice-error">{pending.error}</p>}
          {pending.state === 'conflict' && pending.theirs && (
            <p>
              Theirs: {STATUS_LABELS[pending.theirs.status]} by {actorName(pending.theirs.by)} at{' '}
              {shortTime(pending.theirs.at, nowMs)}{' '}
              <button type="button" className="btn btn-small" onClick={onOpenConflicts}>
                Resolve…
              </button>
            </p>
          )}
        </section>
      )}

      <AvailabilityStrip api={api} pointId={point.id} seq={point.seq} timeZone={site?.timeZone ?? 'UTC'} />

      <section data-testid="drawer-windows">
        <h3>Maintenance windows</h3>
        {pointWindowList.length === 0 ? (
          <p className="muted">None planned, running or in the last 7 days.</p>
        ) : (
          <ul className="drawer-windows">
            {pointWindowList.map((w) => {
              const mine = w.points.find((x) => x.pointId === point.id);
              return (
                <li key={w.id} data-testid={`drawer-window-${w.id}`} data-state={w.state}>
                  <WindowBadge state={w.state} /> <strong>{w.reason}</strong>
                  <div className="small">
                    {siteTime(w.startedAt ?? w.startsAt, site?.timeZone, nowMs)} →{' '}
                    {w.state === 'ended' || w.state === 'cancelled'
                      ? siteTime(w.endedAt ?? w.endsAt, site?.timeZone, nowMs)
                      : w.endsAt
                        ? siteTime(w.endsAt, site?.timeZone, nowMs)
                        : 'open-ended'}
                  </div>
                  {mine && <PointStateBadge state={mine.state} />}
                </li>
              );
            })}
          </ul>
        )}
        {onOpenPlanned && (
          <button type="button" className="link-btn small" onClick={onOpenPlanned}>
            Open the Planned panel
          </button>
        )}
      </section>

      <section>
        <h3>Delivery</h3>
        <DeliveryTimeline
          state={v.delivery}
          detail={pending?.error ?? point.delivery.detail}
          at={point.delivery.at && !pending ? shortTime(point.delivery.at, nowMs) : null}
          atIso={pending ? null : point.delivery.at}
          nowMs={nowMs}
        />
        {advice && <p className="advice">{advice}</p>}
        <DeliveryActions
          key={point.id}
          api={api}
          pointId={point.id}
          operatorVersion={point.operator.version}
          operatorStatus={point.operator.status}
          state={actions}
        />
      </section>

      {role === 'admin' && <DrawerPartners api={api} pointId={point.id} seq={point.seq} />}

      <section>
        <h3>Connectors</h3>
        {point.connectors.length === 0 ? (
          <p className="muted">None listed.</p>
        ) : (
          <table className="mini-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Type</th>
                <th scope="col">Max power</th>
              </tr>
            </thead>
            <tbody>
              {point.connectors.map((c) => (
                <tr key={c.id}>
                  <td>{c.id}</td>
                  <td className={connectorTypeLabel(c) === NOT_REPORTED ? 'muted' : undefined}>
                    {connectorTypeLabel(c)}
                  </td>
                  <td className={connectorPowerLabel(c) === NOT_REPORTED ? 'muted' : undefined}>
                    {connectorPowerLabel(c)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section>
        <h3>History {loadingHistory && <span className="muted small">(loading…)</span>}</h3>
        {historyError && <p className="notice notice-error">Could not load the history: {historyError}</p>}
        {!historyError && entries.length === 0 && !loadingHistory && <p className="muted">No history recorded.</p>}
        {entries.length > 0 && (
          <ol className="history">
            {entries.map((e) => (
              <li key={`${e.seq}-${e.fact}`} className={`hist hist-${e.fact}`}>
                <span className="hist-when" title={fullTime(e.at)}>
                  {shortTime(e.at, nowMs)}
                </span>
                <span className="hist-what">
                  <span className="hist-fact">{FACT_LABELS[e.fact]}</span>{' '}
                  {e.from ? <span className="hist-from">{factWord(e.fact, e.from)}</span> : null}
                  {e.from ? ' → ' : ''}
                  <strong>{factWord(e.fact, e.to)}</strong>
                  {e.reason ? <span className="hist-reason"> — {e.reason}</span> : null}
                  {e.note && e.fact !== 'alert' ? <span className="hist-note prewrap"> ({e.note})</span> : null}
                </span>
                <span className="hist-who">{actorName(e.actor)}</span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </SidePanel>
  );
}

/** The expected end in the site's time, and what happens when it passes. */
function UntilWords({
  point,
  tz,
  nowMs,
  inWindow,
}: {
  point: ViewPoint;
  tz: string | undefined;
  nowMs: number;
  inWindow: boolean;
}) {
  const at = siteTime(point.operator.until, tz, nowMs);
  if (inWindow) return <span>{at}: the maintenance window ends then, and the point goes back to what it had</span>;
  const u = untilState({ ...point, pending: null }, nowMs);
  if (u?.kind === 'overdue')
    return (
      <span className="row-mark overdue-mark" data-testid="drawer-overdue">
        overdue since {at}
      </span>
    );
  if (point.operator.untilAction === 'revert') return <span>{at}: back to Available on its own</span>;
  return <span>{at}: a reminder only (shown overdue if it passes)</span>;
}

/** One side of "Station reports / Operator status": its status and the facts about it. */
function CompareCol({ title, status, children }: { title: string; status: AnyStatus; children: ReactNode }) {
  return (
    <section className="compare-col">
      <h3>{title}</h3>
      <p>
        <StatusBadge status={status} size="sm" subtle />
      </p>
      <dl className="kv">{children}</dl>
    </section>
  );
}

/** A term and its value in a `dl`. */
function Kv({
  term,
  className,
  title,
  children,
}: {
  term: string;
  className?: string;
  title?: string;
  children: ReactNode;
}) {
  return (
    <>
      <dt>{term}</dt>
      <dd className={className} title={title}>
        {children}
      </dd>
    </>
  );
}

function factWord(fact: AuditEntry['fact'], value: string | null): string {
  if (value == null) return '—';
  if (fact === 'delivery') return (DELIVERY_LABELS as Record<string, string>)[value] ?? value;
  if (fact === 'alert') return alertHistoryWord(value);
  return (STATUS_LABELS as Record<string, string>)[value] ?? value;
}
