// The Alerts panel: open, acknowledged and resolved today, keyboard first. The list holds the focus: ↑/↓ move
// through the alerts, Enter opens the point (selected, its drawer open), `a` acknowledges, `g` assigns, `r`
// resolves with a note. The active alert shows its evidence and the point's recent history. Everything from the
// network is rendered as text.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ALERT_LABELS, ALERT_LIMITS, type Alert } from '../../../../common/alerts.js';
import type { ViewPoint } from '../../../../common/consoleApi.js';
import { roleAllows, type AuditEntry, type Role, type Site } from '../../../../common/model.js';
import type { HostApi } from '../../api/index.js';
import { alertHistoryWord, alertTarget, groupAlerts, inPanelOrder } from '../../model/alerts.js';
import { errorMessage } from '../../util/errors.js';
import { actorName, ago, fullTime, shortTime } from '../../util/time.js';
import { SidePanel } from '../SidePanel.js';
import { AlertRulesEditor } from './AlertRulesEditor.js';
import { NotificationsOptIn } from './NotificationsOptIn.js';
import type { AlertsState } from './useAlerts.js';
import './alerts.css';

export interface AlertsPanelProps {
  api: HostApi;
  alerts: AlertsState;
  points: ReadonlyMap<string, ViewPoint>;
  sites: ReadonlyMap<string, Site>;
  role: Role | null;
  nowMs: number;
  /** The alert to show first (a clicked notification); else the first in the list. */
  initialId: string | null;
  pointsOfStation(stationId: string): readonly string[];
  /** Selects the point in the grid and opens its drawer. */
  onOpenPoint(pointId: string): void;
  onClose(): void;
}

type Form = { kind: 'assign' | 'resolve'; text: string } | null;

const GROUPS = [
  { key: 'open', title: 'Open' },
  { key: 'acknowledged', title: 'Acknowledged' },
  { key: 'resolvedToday', title: 'Resolved today' },
] as const;

export function AlertsPanel(p: AlertsPanelProps) {
  const groups = useMemo(
    () => groupAlerts(p.alerts.alerts.values(), p.nowMs),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [p.alerts.alerts, p.alerts.version, Math.floor(p.nowMs / 60_000)],
  );
  const order = useMemo(() => inPanelOrder(groups), [groups]);
  const [activeId, setActiveId] = useState<string | null>(p.initialId);
  useEffect(() => {
    if (p.initialId) setActiveId(p.initialId);
  }, [p.initialId]);
  const active = order.find((a) => a.id === activeId) ?? order[0] ?? null;
  const [form, setForm] = useState<Form>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showRules, setShowRules] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);
  const mayAct = p.role !== null && roleAllows(p.role, 'edit');

  useEffect(() => {
    listRef.current?.focus({ preventScroll: true });
  }, []);
  const activeKey = active?.id ?? null;
  useEffect(() => {
    setForm(null);
    setError(null);
    if (activeKey) document.getElementById(itemId(activeKey))?.scrollIntoView({ block: 'nearest' });
  }, [activeKey]);

  const targetOf = (a: Alert) => alertTarget(a, p.pointsOfStation);
  const where = (a: Alert) => {
    const site = p.sites.get(a.siteId)?.name ?? a.siteId;
    if (!a.pointId) return `Station ${a.stationId} · ${site}`;
    return `${p.points.get(a.pointId)?.label ?? a.pointId} · ${site}`;
  };

  const act = async (a: Alert, action: 'acknowledge' | 'assign' | 'resolve', text?: string) => {
    setBusy(true);
    setError(null);
    try {
      if (action === 'acknowledge') await p.api.call('alertAction', { id: a.id, version: a.version, action });
      else if (action === 'assign')
        await p.api.call('alertAction', { id: a.id, version: a.version, action, assignee: text?.trim() || null });
      else await p.api.call('alertAction', { id: a.id, version: a.version, action, note: text ?? '' });
      setForm(null);
      listRef.current?.focus({ preventScroll: true });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const openPoint = (a: Alert) => {
    const id = targetOf(a);
    if (id) p.onOpenPoint(id);
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || e.ctrlKey || e.metaKey || e.altKey) return;
    const i = active ? order.indexOf(active) : -1;
    const move = (to: number) => {
      e.preventDefault();
      if (order.length > 0) setActiveId(order[Math.max(0, Math.min(order.length - 1, to))].id);
    };
    if (e.key === 'ArrowDown') move(i + 1);
    else if (e.key === 'ArrowUp') move(i - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(order.length - 1);
    else if (!active) return;
    else if (e.key === 'Enter') {
      e.preventDefault();
      openPoint(active);
    } else if (e.key === 'a' && mayAct && active.state === 'open') {
      e.preventDefault();
      void act(active, 'acknowledge');
    } else if (e.key === 'g' && mayAct && active.state !== 'resolved') {
      e.preventDefault();
      setForm({ kind: 'assign', text: active.assignedTo ?? '' });
    } else if (e.key === 'r' && mayAct && active.state !== 'resolved') {
      e.preventDefault();
      setForm({ kind: 'resolve', text: '' });
    }
  };

  const total = groups.open.length + groups.acknowledged.length;
  return (
    <SidePanel
      className="side-panel alerts-panel"
      labelledBy="alerts-title"
      testId="alerts-panel"
      head={
        <h2 id="alerts-title">
          Alerts{' '}
          <span className="muted small">
            {total > 0 ? `${groups.open.length} open · ${groups.acknowledged.length} acknowledged` : 'none open'}
          </span>
        </h2>
      }
      closeLabel="Close alerts (Esc)"
      onClose={p.onClose}
    >
      <NotificationsOptIn host={p.api.kind} />
      <p className="muted small kbd-hint">
        <kbd>↑</kbd> <kbd>↓</kbd> move · <kbd>Enter</kbd> open the point{mayAct ? ' · ' : ''}
        {mayAct && (
          <>
            <kbd>a</kbd> acknowledge · <kbd>g</kbd> assign · <kbd>r</kbd> resolve
          </>
        )}
      </p>
      <div
        ref={listRef}
        className="alert-list"
        role="listbox"
        tabIndex={0}
        aria-label="Alerts"
        aria-activedescendant={active ? itemId(active.id) : undefined}
        onKeyDown={onKey}
        data-testid="alert-list"
      >
        {GROUPS.map(({ key, title }) => (
          <div key={key} role="group" aria-label={title} className="agroup" data-testid={`alerts-${key}`}>
            <h3>
              {title} <span className="wcount">{groups[key].length}</span>
            </h3>
            {groups[key].length === 0 && <p className="muted small">None.</p>}
            {groups[key].map((a) => (
              <div
                key={a.id}
                id={itemId(a.id)}
                role="option"
                aria-selected={a.id === active?.id}
                className={`aitem ai-${a.state}${a.id === active?.id ? ' is-active' : ''}`}
                data-testid="alert-item"
                data-alert-id={a.id}
                data-state={a.state}
                onClick={() => setActiveId(a.id)}
                onDoubleClick={() => openPoint(a)}
              >
                <div className="aline">
                  <strong className="akind">{ALERT_LABELS[a.kind]}</strong>
                  {a.raises > 1 && <span className="aflap">flapping ×{a.raises}</span>}
                  <span className="awhen" title={`Since ${fullTime(a.since)}`}>
                    {a.state === 'resolved'
                      ? `resolved ${shortTime(a.resolvedAt, p.nowMs)}`
                      : lasting(a.since, p.nowMs)}
                  </span>
                </div>
                <div className="awhere">{where(a)}</div>
                <div className="aevidence">{a.evidence}</div>
              </div>
            ))}
          </div>
        ))}
      </div>
      {active && (
        <AlertDetails
          api={p.api}
          alert={active}
          where={where(active)}
          target={targetOf(active)}
          nowMs={p.nowMs}
          mayAct={mayAct}
          busy={busy}
          form={form}
          error={error}
          onForm={setForm}
          onAct={act}
          onOpenPoint={() => openPoint(active)}
        />
      )}
      <section className="arules">
        <button
          type="button"
          className="link-btn"
          aria-expanded={showRules}
          onClick={() => setShowRules((s) => !s)}
          data-testid="toggle-rules"
        >
          {showRules ? 'Hide the rules' : 'Rules: when an alert is raised'}
        </button>
        {showRules && <AlertRulesEditor api={p.api} rules={p.alerts.rules} role={p.role} />}
      </section>
    </SidePanel>
  );
}

const itemId = (id: string) => `alert-${id}`;

/** "for 5 min", or "just now". */
function lasting(since: string, nowMs: number): string {
  const age = ago(since, nowMs);
  return age.endsWith(' ago') ? `for ${age.slice(0, -4)}` : age;
}

/** An audit entry's "to" in words: an alert's kind by its label. */
function entryWords(e: AuditEntry): string {
  if (e.to == null) return '—';
  return e.fact === 'alert' ? alertHistoryWord(e.to) : e.to;
}

function AlertDetails(d: {
  api: HostApi;
  alert: Alert;
  where: string;
  target: string | null;
  nowMs: number;
  mayAct: boolean;
  busy: boolean;
  form: Form;
  error: string | null;
  onForm(form: Form): void;
  onAct(a: Alert, action: 'acknowledge' | 'assign' | 'resolve', text?: string): Promise<void>;
  onOpenPoint(): void;
}) {
  const a = d.alert;
  const history = useHistory(d.api, d.target, a.version);
  const stop = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && d.form) {
      e.preventDefault();
      e.stopPropagation();
      d.onForm(null);
    }
  };
  return (
    <section className="adetails" aria-label="The active alert" data-testid="alert-details" onKeyDown={stop}>
      <h3>
        {ALERT_LABELS[a.kind]}: {d.where}
      </h3>
      <p className="aevidence-full prewrap" data-testid="alert-evidence">
        {a.evidence}
      </p>
      <dl className="afacts">
        <dt>Since</dt>
        <dd>
          {fullTime(a.since)} ({ago(a.since, d.nowMs)})
        </dd>
        <dt>Raised</dt>
        <dd>{fullTime(a.raisedAt)}</dd>
        {a.raises > 1 && (
          <>
            <dt>Flapping</dt>
            <dd>came back {a.raises} times; collapsed into this one alert</dd>
          </>
        )}
        {a.acknowledgedBy && (
          <>
            <dt>Acknowledged</dt>
            <dd>
              by {a.acknowledgedBy} at {shortTime(a.acknowledgedAt, d.nowMs)}
            </dd>
          </>
        )}
        <dt>Assigned to</dt>
        <dd data-testid="alert-assignee">{a.assignedTo ?? 'nobody'}</dd>
        {a.state === 'resolved' && (
          <>
            <dt>Resolved</dt>
            <dd className="prewrap">
              by {actorName(a.resolvedBy)} at {shortTime(a.resolvedAt, d.nowMs)}: {a.resolution}
            </dd>
          </>
        )}
      </dl>
      <div className="alert-actions">
        {d.target && (
          <button
            type="button"
            className="btn btn-small btn-primary"
            onClick={d.onOpenPoint}
            data-testid="alert-open-point"
          >
            Open the point <kbd>Enter</kbd>
          </button>
        )}
        {d.mayAct && a.state === 'open' && (
          <button
            type="button"
            className="btn btn-small"
            disabled={d.busy}
            onClick={() => void d.onAct(a, 'acknowledge')}
            data-testid="alert-acknowledge"
          >
            Acknowledge <kbd>a</kbd>
          </button>
        )}
        {d.mayAct && a.state !== 'resolved' && (
          <>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => d.onForm({ kind: 'assign', text: a.assignedTo ?? '' })}
              data-testid="alert-assign"
            >
              Assign <kbd>g</kbd>
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => d.onForm({ kind: 'resolve', text: '' })}
              data-testid="alert-resolve"
            >
              Resolve <kbd>r</kbd>
            </button>
          </>
        )}
      </div>
      {d.form && (
        <form
          className="aform"
          onSubmit={(e) => {
            e.preventDefault();
            void d.onAct(a, d.form!.kind, d.form!.text);
          }}
        >
          <label htmlFor="alert-form-text">
            {d.form.kind === 'assign' ? 'Assign to (a username; empty unassigns)' : 'Resolved: what was done (needed)'}
          </label>
          {d.form.kind === 'assign' ? (
            <input
              id="alert-form-text"
              autoFocus
              maxLength={ALERT_LIMITS.assignee}
              value={d.form.text}
              onChange={(e) => d.onForm({ kind: 'assign', text: e.target.value })}
            />
          ) : (
            <textarea
              id="alert-form-text"
              autoFocus
              rows={2}
              maxLength={ALERT_LIMITS.note}
              value={d.form.text}
              onChange={(e) => d.onForm({ kind: 'resolve', text: e.target.value })}
            />
          )}
          <div className="alert-actions">
            <button
              type="submit"
              className="btn btn-small btn-primary"
              disabled={d.busy || (d.form.kind === 'resolve' && d.form.text.trim() === '')}
            >
              {d.form.kind === 'assign' ? 'Assign' : 'Resolve'}
            </button>
            <button type="button" className="btn btn-small" onClick={() => d.onForm(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {d.error && (
        <p className="notice notice-error" role="alert">
          {d.error}
        </p>
      )}
      <h4>Recent history{d.target && d.target !== a.pointId ? ` of ${d.target}` : ''}</h4>
      {history.error && <p className="muted small">Could not load it: {history.error}</p>}
      {history.entries.length === 0 && !history.error && (
        <p className="muted small">{history.loading ? 'Loading…' : 'Nothing recorded.'}</p>
      )}
      {history.entries.length > 0 && (
        <ol className="ahistory">
          {history.entries.map((e) => (
            <li key={`${e.seq}-${e.fact}`}>
              <span className="hist-when" title={fullTime(e.at)}>
                {shortTime(e.at, d.nowMs)}
              </span>{' '}
              <span>
                {e.fact}: {e.from ? `${e.from} → ` : ''}
                <strong>{entryWords(e)}</strong>
                {e.reason ? ` — ${e.reason}` : ''}
              </span>{' '}
              <span className="hist-who">{actorName(e.actor)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The point's latest history entries (again when the alert changes). */
function useHistory(api: HostApi, pointId: string | null, version: number) {
  const [state, setState] = useState<{ entries: AuditEntry[]; error: string | null; loading: boolean }>({
    entries: [],
    error: null,
    loading: false,
  });
  useEffect(() => {
    if (!pointId) return setState({ entries: [], error: null, loading: false });
    let cancelled = false;
    setState((s) => ({ ...s, loading: true }));
    api
      .call('getHistory', { pointId, limit: 8 })
      .then((r) => !cancelled && setState({ entries: r.entries, error: null, loading: false }))
      .catch((e: unknown) => !cancelled && setState({ entries: [], error: errorMessage(e), loading: false }));
    return () => {
      cancelled = true;
    };
  }, [api, pointId, version]);
  return state;
}
