// The Planned panel: maintenance windows in three groups (Upcoming, Running, Past 7 days), each with its reason,
// note, points, start and end in the sites' time zone, who planned it, and Edit / Extend / Shorten / Cancel or
// End now, each behind a confirm step. This console's requests still waiting to be sent, or refused, come first,
// after the notices of those kept here that took effect at once when they got through.
// Live: it renders from the store, which the `windows` event keeps current.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { QueuedWindowOpView, ViewPoint, WindowOpNotice } from '../../../../common/consoleApi.js';
import { roleAllows } from '../../../../common/model.js';
import type { Role, Site } from '../../../../common/model.js';
import type { MaintenanceWindow } from '../../../../common/windows.js';
import type { HostApi } from '../../api/index.js';
import { groupWindows, siteTime } from '../../model/windows.js';
import { errorMessage } from '../../util/errors.js';
import { actorName, ago, fullTime } from '../../util/time.js';
import { SidePanel } from '../SidePanel.js';
import { ConfirmBox } from './ConfirmBox.js';
import { DismissOpButton } from './DismissOpButton.js';
import { OverlapNotice } from './OverlapNotice.js';
import { WindowEditForm } from './WindowEditForm.js';
import { PointStateBadge, WindowBadge } from './WindowBadge.js';
import { WindowNoticeItem } from './WindowNoticeItem.js';
import { zoneOfPoints } from './windowZone.js';
import '../../styles/planned.css';

/** What this console knows of a window it planned that the backend has not answered yet. */
export interface LocalPlan {
  reason: string;
  pointIds: string[];
  startsAt: string;
  endsAt: string | null;
}

export interface PlannedPanelProps {
  api: HostApi;
  windows: ReadonlyMap<string, MaintenanceWindow>;
  windowsVersion: number;
  queued: readonly QueuedWindowOpView[];
  /** Requests kept here that took effect at once when they got through, until dismissed. */
  notices: readonly WindowOpNotice[];
  localPlans: ReadonlyMap<string, LocalPlan>;
  points: ReadonlyMap<string, ViewPoint>;
  sites: ReadonlyMap<string, Site>;
  role: Role | null;
  nowMs: number;
  onClose(): void;
  onShowPoint(pointId: string): void;
  /** A window to show when the panel opens (a refusal's "show the other window"): scrolled to, opened, outlined. */
  focusWindowId?: string | null;
}

/** Windows shown per group before "Show more". */
const GROUP_PAGE = 50;

const OP_WORDS: Record<QueuedWindowOpView['kind'], string> = {
  plan: 'Plan a window',
  change: 'Change a window',
  cancel: 'Cancel or end a window',
};

export function PlannedPanel(p: PlannedPanelProps) {
  const groups = useMemo(
    () => groupWindows(p.windows.values(), p.nowMs),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [p.windows, p.windowsVersion, Math.floor(p.nowMs / 60_000)],
  );
  const pointLabel = (id: string) => {
    const pt = p.points.get(id);
    return pt ? `${pt.label} (${p.sites.get(pt.siteId)?.name ?? pt.siteId})` : id;
  };
  const pointName = (id: string) => {
    const pt = p.points.get(id);
    return pt ? `${pt.label}, ${p.sites.get(pt.siteId)?.name ?? pt.siteId}` : id;
  };
  // Which windows show their points: kept here, so a window that moves group (it starts, it ends) stays open.
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(
    () => new Set(p.focusWindowId ? [p.focusWindowId] : []),
  );
  const [focusId, setFocusId] = useState<string | null>(p.focusWindowId ?? null);
  useEffect(() => {
    if (!p.focusWindowId) return;
    setFocusId(p.focusWindowId);
    setExpanded((prev) => new Set(prev).add(p.focusWindowId!));
  }, [p.focusWindowId]);
  const showWindow = (id: string) => {
    setFocusId(id);
    setExpanded((prev) => new Set(prev).add(id));
  };
  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const waitingFor = new Map<string, QueuedWindowOpView>();
  for (const q of p.queued) if (q.state === 'queued') waitingFor.set(q.windowId, q);
  const shared = { waitingFor, pointLabel, expanded, onToggle: toggle, focusId };

  return (
    <SidePanel
      className="side-panel planned-panel"
      labelledBy="planned-title"
      testId="planned-panel"
      head={<h2 id="planned-title">Planned maintenance</h2>}
      closeLabel="Close planned maintenance (Esc)"
      onClose={p.onClose}
    >
      <p className="muted small">
        Windows the backend runs on its own: at the start their points go to Maintenance, at the end each goes back to
        what it had. Times are the sites&apos; local time.
      </p>
      {p.notices.length > 0 && (
        <section className="wgroup" data-testid="window-notices">
          <h3>
            Answered later <span className="wcount">{p.notices.length}</span>
          </h3>
          <ul className="wlist">
            {p.notices.map((n) => {
              const known = p.windows.get(n.windowId);
              const pointIds = known ? known.points.map((x) => x.pointId) : [n.firstPointId ?? ''];
              return (
                <WindowNoticeItem
                  key={n.opId}
                  notice={n}
                  api={p.api}
                  zone={zoneOfPoints(pointIds, p.points, p.sites)}
                  nowMs={p.nowMs}
                  pointName={pointName}
                  onShowWindow={known ? showWindow : undefined}
                />
              );
            })}
          </ul>
        </section>
      )}
      {p.queued.length > 0 && (
        <section className="wgroup" data-testid="window-ops">
          <h3>On this computer</h3>
          <ul className="wlist">
            {p.queued.map((q) => (
              <QueuedOp
                key={q.opId}
                op={q}
                api={p.api}
                plan={p.localPlans.get(q.windowId) ?? null}
                known={p.windows.get(q.windowId) ?? null}
                nowMs={p.nowMs}
                pointLabel={pointLabel}
                points={p.points}
                sites={p.sites}
                onShowWindow={p.windows.has(q.overlap?.windowId ?? '') ? showWindow : undefined}
              />
            ))}
          </ul>
        </section>
      )}
      <Group
        title="Running"
        testId="window-group-running"
        empty="No window is running."
        {...p}
        {...shared}
        list={groups.running}
      />
      <Group
        title="Upcoming"
        testId="window-group-upcoming"
        empty="Nothing planned."
        {...p}
        {...shared}
        list={groups.upcoming}
      />
      <Group
        title="Past 7 days"
        testId="window-group-past"
        empty="No window ended in the last 7 days."
        {...p}
        {...shared}
        list={groups.past}
      />
    </SidePanel>
  );
}

function QueuedOp({
  op,
  api,
  plan,
  known,
  nowMs,
  pointLabel,
  points,
  sites,
  onShowWindow,
}: {
  op: QueuedWindowOpView;
  api: HostApi;
  plan: LocalPlan | null;
  known: MaintenanceWindow | null;
  nowMs: number;
  pointLabel(id: string): string;
  points: ReadonlyMap<string, ViewPoint>;
  sites: ReadonlyMap<string, Site>;
  onShowWindow?(windowId: string): void;
}) {
  const fromQueue =
    op.reason !== undefined && op.pointCount !== undefined
      ? {
          reason: op.reason,
          pointIds:
            op.pointCount === 1 && op.firstPointId
              ? [op.firstPointId]
              : Array.from({ length: op.pointCount }, () => ''),
        }
      : null;
  const what =
    plan ?? fromQueue ?? (known ? { reason: known.reason, pointIds: known.points.map((x) => x.pointId) } : null);
  return (
    <li
      className={`witem wop wop-${op.state}`}
      data-testid={`window-op-${op.opId}`}
      data-state={op.state}
      data-kind={op.kind}
    >
      <div className="wline">
        <span className={`wbadge ${op.state === 'failed' ? 'wop-refused' : 'wop-waiting'}`}>
          {op.state === 'failed' ? 'Refused' : 'Waiting to be sent'}
        </span>
        <strong>{OP_WORDS[op.kind]}</strong>
        <span className="muted small" title={fullTime(op.createdAt)}>
          {ago(op.createdAt, nowMs)}
        </span>
      </div>
      {what && (
        <div className="wreason">
          {what.reason}
          <span className="muted">
            {' '}
            · {what.pointIds.length === 1 ? pointLabel(what.pointIds[0]) : `${what.pointIds.length} points`}
          </span>
        </div>
      )}
      {op.state === 'queued' ? (
        <p className="muted small">Kept on this computer: sent when the console is online.</p>
      ) : (
        <>
          {op.overlap ? (
            <OverlapNotice
              overlap={op.overlap}
              points={points}
              sites={sites}
              nowMs={nowMs}
              testId="window-op-overlap"
              onShowWindow={onShowWindow}
            />
          ) : (
            <p className="notice notice-error">{op.error ?? 'The backend refused it.'}</p>
          )}
          <DismissOpButton api={api} opId={op.opId} testId="window-op-dismiss" />
        </>
      )}
    </li>
  );
}

function Group(
  props: PlannedPanelProps & {
    title: string;
    testId: string;
    empty: string;
    list: MaintenanceWindow[];
    waitingFor: ReadonlyMap<string, QueuedWindowOpView>;
    pointLabel(id: string): string;
    expanded: ReadonlySet<string>;
    onToggle(id: string): void;
    focusId: string | null;
  },
) {
  // Thousands of windows (one per point, planned at once) would be thousands of items: the first ones, then more on asking.
  const [pageShown, setShown] = useState(GROUP_PAGE);
  const focusAt = props.focusId ? props.list.findIndex((w) => w.id === props.focusId) : -1;
  const shown = Math.max(pageShown, focusAt + 1);
  const list = props.list.slice(0, shown);
  return (
    <section className="wgroup" data-testid={props.testId} data-count={props.list.length}>
      <h3>
        {props.title} <span className="wcount">{props.list.length}</span>
      </h3>
      {props.list.length === 0 ? (
        <p className="empty-note">{props.empty}</p>
      ) : (
        <ul className="wlist">
          {list.map((w) => (
            <WindowItem
              key={w.id}
              w={w}
              {...props}
              open={props.expanded.has(w.id)}
              focused={props.focusId === w.id}
              waiting={props.waitingFor.get(w.id) ?? null}
            />
          ))}
        </ul>
      )}
      {props.list.length > list.length && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setShown(shown + GROUP_PAGE)}
          data-testid="window-group-more"
        >
          Show {Math.min(GROUP_PAGE, props.list.length - list.length)} more of {props.list.length - list.length}
        </button>
      )}
    </section>
  );
}

type Pending = { kind: 'extend' | 'shorten'; endsAt: string } | { kind: 'cancel' } | { kind: 'edit' };

function WindowItem(
  props: PlannedPanelProps & {
    w: MaintenanceWindow;
    waiting: QueuedWindowOpView | null;
    open: boolean;
    focused: boolean;
    onToggle(id: string): void;
    pointLabel(id: string): string;
  },
) {
  const { w, nowMs, api, open, focused } = props;
  const itemRef = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (focused) itemRef.current?.scrollIntoView({ block: 'nearest' });
  }, [focused]);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const zone = useMemo(
    () =>
      zoneOfPoints(
        w.points.map((x) => x.pointId),
        props.points,
        props.sites,
      ),
    [w.points, props.points, props.sites],
  );
  const t = (iso: string | null) => siteTime(iso, zone.tz, nowMs);
  const live = w.state === 'planned' || w.state === 'running';
  const mayChange =
    !props.role || (roleAllows(props.role, 'edit') && (w.points.length <= 1 || roleAllows(props.role, 'bulkEdit')));

  const endMs = w.endsAt ? Date.parse(w.endsAt) : null;
  const startMs = Date.parse(w.startsAt);
  const extendTo = new Date((endMs ?? Math.max(nowMs, startMs)) + 3600_000).toISOString();
  const shortenTo = endMs !== null ? new Date(endMs - 3600_000).toISOString() : null;
  const canShorten = shortenTo !== null && Date.parse(shortenTo) > Math.max(startMs, nowMs);

  const send = async (what: () => Promise<{ queued: boolean; message: string }>) => {
    setBusy(true);
    setResult(null);
    try {
      const r = await what();
      setResult({
        ok: true,
        text: r.queued ? 'Kept on this computer: sent when the console is online.' : capital(r.message),
      });
      setPending(null);
    } catch (e) {
      setResult({ ok: false, text: `Not done: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };

  const byState = w.points.reduce<Record<string, number>>((m, x) => ((m[x.state] = (m[x.state] ?? 0) + 1), m), {});
  const summary = Object.entries(byState)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');

  return (
    <li
      ref={itemRef}
      className={`witem wi-${w.state}${focused ? ' wfocus' : ''}`}
      data-testid={`window-${w.id}`}
      data-state={w.state}
      data-focused={focused || undefined}
    >
      <div className="wline">
        <WindowBadge state={w.state} />
        <strong className="wreason-text">{w.reason}</strong>
      </div>
      <dl className="wfacts">
        <dt>{w.state === 'planned' ? 'Starts' : 'Started'}</dt>
        <dd title={fullTime(w.startedAt ?? w.startsAt)} data-testid="window-start">
          {t(w.startedAt ?? w.startsAt)}
          {w.state === 'planned' ? <span className="muted"> ({ago(w.startsAt, nowMs)})</span> : null}
        </dd>
        <dt>{w.state === 'ended' || w.state === 'cancelled' ? 'Ended' : 'Ends'}</dt>
        <dd title={w.endsAt ? fullTime(w.endedAt ?? w.endsAt) : undefined} data-testid="window-end">
          {w.state === 'ended' || w.state === 'cancelled' ? (
            t(w.endedAt ?? w.endsAt)
          ) : w.endsAt ? (
            <>
              {t(w.endsAt)}
              <span className="muted"> ({ago(w.endsAt, nowMs)})</span>
            </>
          ) : (
            'open-ended: until someone ends it'
          )}
        </dd>
        <dt>Planned by</dt>
        <dd title={fullTime(w.createdAt)}>
          {actorName(w.createdBy)}, {t(w.createdAt)}
        </dd>
        {w.note && (
          <>
            <dt>Note</dt>
            <dd className="prewrap">{w.note}</dd>
          </>
        )}
      </dl>
      <button
        type="button"
        className="link-btn wpoints-toggle"
        aria-expanded={open}
        onClick={() => props.onToggle(w.id)}
        data-testid="window-points-toggle"
        data-count={w.points.length}
      >
        {open ? '▾' : '▸'} {w.points.length} point{w.points.length === 1 ? '' : 's'}
        <span className="muted"> ({summary})</span>
      </button>
      {open && (
        <ul className="wpoints" data-testid="window-points">
          {w.points.slice(0, 500).map((x) => (
            <li key={x.pointId} data-testid={`window-point-${x.pointId}`} data-state={x.state}>
              <button
                type="button"
                className="link-btn"
                onClick={() => props.onShowPoint(x.pointId)}
                title="Show in the grid"
              >
                {props.pointLabel(x.pointId)}
              </button>{' '}
              <PointStateBadge state={x.state} />
            </li>
          ))}
          {w.points.length > 500 && <li className="muted">… and {w.points.length - 500} more</li>}
        </ul>
      )}
      {props.waiting && (
        <p className="muted small wwaiting" data-testid="window-waiting">
          A {props.waiting.kind} of this window is waiting to be sent.
        </p>
      )}
      {live && mayChange && !pending && (
        <div className="wactions" role="group" aria-label={`Actions for ${w.reason}`}>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setPending({ kind: 'edit' })}
            data-testid="window-edit"
          >
            Edit…
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setPending({ kind: 'extend', endsAt: extendTo })}
            data-testid="window-extend"
            title={`End at ${t(extendTo)}`}
          >
            Extend +1 h
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={!canShorten}
            onClick={() => shortenTo && setPending({ kind: 'shorten', endsAt: shortenTo })}
            data-testid="window-shorten"
            title={canShorten ? `End at ${t(shortenTo)}` : 'Less than an hour is left: use End now'}
          >
            Shorten −1 h
          </button>
          <button
            type="button"
            className="btn btn-small btn-danger"
            onClick={() => setPending({ kind: 'cancel' })}
            data-testid="window-cancel"
          >
            {w.state === 'running' ? 'End now…' : 'Cancel…'}
          </button>
        </div>
      )}
      {live && !mayChange && <p className="muted small">Your role ({props.role}) cannot change this window.</p>}
      {pending?.kind === 'edit' && (
        <WindowEditForm
          w={w}
          zone={zone}
          nowMs={nowMs}
          busy={busy}
          onCancel={() => setPending(null)}
          onSave={(change) => send(() => api.call('changeWindow', { id: w.id, version: w.version, ...change }))}
        />
      )}
      {(pending?.kind === 'extend' || pending?.kind === 'shorten') && (
        <ConfirmBox
          testId="window-confirm"
          yes={pending.kind === 'extend' ? 'Yes, extend' : 'Yes, shorten'}
          busy={busy}
          onNo={() => setPending(null)}
          onYes={() =>
            void send(() => api.call('changeWindow', { id: w.id, version: w.version, endsAt: pending.endsAt }))
          }
        >
          {pending.kind === 'extend' ? 'Extend' : 'Shorten'} “{w.reason}” to end at {t(pending.endsAt)}? Its{' '}
          {w.points.length} point
          {w.points.length === 1 ? '' : 's'} {w.state === 'running' ? 'stay' : 'will stay'} in Maintenance until then.
        </ConfirmBox>
      )}
      {pending?.kind === 'cancel' && (
        <ConfirmBox
          testId="window-confirm"
          danger
          yes={w.state === 'running' ? 'Yes, end it now' : 'Yes, cancel the window'}
          busy={busy}
          onNo={() => setPending(null)}
          onYes={() => void send(() => api.call('cancelWindow', { id: w.id, version: w.version }))}
        >
          {w.state === 'running'
            ? `End “${w.reason}” now? Its ${w.points.length} point${w.points.length === 1 ? '' : 's'} go back to the status each had before.`
            : `Cancel “${w.reason}”? It will not start; its points are not changed.`}
        </ConfirmBox>
      )}
      {result && (
        <p
          className={`notice ${result.ok ? 'notice-ok' : 'notice-error'}`}
          role="status"
          data-testid="window-result"
          data-ok={result.ok}
        >
          {result.text}
        </p>
      )}
    </li>
  );
}

function capital(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) + (/[.!?]$/.test(s) ? '' : '.') : s;
}
