// The status editor (the seed's flow): choose a status with clearly labelled buttons, give a reason,
// optionally an expected end, then Save — the confirm step. Occupied only behind an explicit override.
// Keyboard: A/O/M/F (or 1–4) choose, Ctrl+S saves, Esc closes. Live changes to the points underneath
// never reset what is typed here; if someone else changes a point meanwhile, the editor says so.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ViewPoint } from '../../../common/consoleApi.js';
import { effectiveView } from '../../../common/consoleApi.js';
import { roleAllows, statusEditSchema } from '../../../common/model.js';
import type { Role, Site, StatusEdit } from '../../../common/model.js';
import { STATUS_LABELS, reasonRequired, untilAllowed } from '../../../common/status.js';
import type { OperatorStatus } from '../../../common/status.js';
import { actorName, fullTime, isoToLocalInput, localInputToIso, shortTime } from '../util/time.js';
import { STATUS_ICONS, IconX } from './icons.js';
import { StatusBadge } from './StatusBadge.js';
import { useFocusTrap } from './useDialogFocus.js';

const CHOICES: { status: OperatorStatus; key: string; digit: string; hint: string }[] = [
  { status: 'Available', key: 'A', digit: '1', hint: 'Open for charging (Operative)' },
  { status: 'OutOfService', key: 'O', digit: '2', hint: 'Temporarily not usable (Inoperative)' },
  { status: 'Maintenance', key: 'M', digit: '3', hint: 'Planned upkeep, with an expected end (Inoperative)' },
  { status: 'Faulted', key: 'F', digit: '4', hint: 'Broken: flagged for a technician (Inoperative)' },
];

export const REASON_PRESETS: Record<OperatorStatus, string[]> = {
  Available: ['Repaired', 'Maintenance finished', 'Checked on site: working'],
  OutOfService: ['Site closed', 'Power outage at the site', 'Bay blocked', 'Awaiting repair', 'Vandalism'],
  Maintenance: ['Scheduled maintenance', 'Firmware update', 'Inspection', 'Cleaning'],
  Faulted: ['Does not start charging', 'Cable or connector damaged', 'Payment terminal fault', 'Display broken', 'Trips the breaker'],
  Occupied: ['Vehicle left connected after charging', 'Bay blocked by a non-charging vehicle', 'Station reports wrongly'],
};

export interface EditorProps {
  pointIds: string[];
  points: ReadonlyMap<string, ViewPoint>;
  sites: ReadonlyMap<string, Site>;
  role: Role | null;
  hiddenCount: number;
  nowMs: number;
  onClose(): void;
  onSave(pointIds: string[], edit: StatusEdit): Promise<void>;
}

export function Editor(props: EditorProps) {
  const { pointIds, points } = props;
  const dialogRef = useRef<HTMLDivElement>(null);
  const reasonRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<OperatorStatus | null>(null);
  const [override, setOverride] = useState(false);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [until, setUntil] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  // Operator versions when the editor opened, to notice someone else's change while editing.
  const [baseVersions] = useState(() => new Map(pointIds.map((id) => [id, points.get(id)?.operator.version ?? 0])));

  useFocusTrap(dialogRef, { initial: () => dialogRef.current?.querySelector<HTMLElement>('.choice') ?? null });

  const targets = useMemo(() => pointIds.map((id) => points.get(id)).filter((p): p is ViewPoint => !!p), [pointIds, points]);
  const single = targets.length === 1 ? targets[0] : null;
  const siteCount = useMemo(() => new Set(targets.map((p) => p.siteId)).size, [targets]);
  const changedMeanwhile = targets.filter((p) => p.operator.version !== baseVersions.get(p.id));

  const currentCounts = useMemo(() => {
    const m = new Map<OperatorStatus, number>();
    for (const p of targets) {
      const s = effectiveView(p).operatorStatus;
      m.set(s, (m.get(s) ?? 0) + 1);
    }
    return m;
  }, [targets]);

  const untilIso = localInputToIso(until);
  const edit: StatusEdit | null = status
    ? {
        status,
        reason: reason.trim() ? reason.trim() : null,
        note: note.trim() ? note.trim() : null,
        until: untilAllowed(status) ? untilIso : null,
      }
    : null;
  const problems: string[] = [];
  if (!status) problems.push('Choose a status.');
  else {
    if (reasonRequired(status) && !reason.trim()) problems.push(`A reason is required for ${STATUS_LABELS[status]}.`);
    if (untilAllowed(status) && until && !untilIso) problems.push('The expected end is not a valid date and time.');
    if (untilAllowed(status) && untilIso && Date.parse(untilIso) <= props.nowMs) problems.push('The expected end is in the past.');
    if (edit) {
      const r = statusEditSchema.safeParse(edit);
      if (!r.success && problems.length === 0) problems.push(r.error.issues.map((i) => i.message).join('; '));
    }
  }
  const role = props.role;
  const roleProblem =
    role && !roleAllows(role, 'edit')
      ? `Your role (${role}) can view but not change statuses.`
      : role && targets.length > 1 && !roleAllows(role, 'bulkEdit')
        ? `Changing several points at once needs a supervisor; your role is ${role}.`
        : null;
  const canSave = problems.length === 0 && !roleProblem && !saving && targets.length > 0;

  const choose = (s: OperatorStatus) => {
    setStatus((prev) => {
      if (prev !== s && REASON_PRESETS[prev ?? 'Available'].includes(reason.trim())) setReason('');
      return s;
    });
    if (!untilAllowed(s)) setUntil('');
    setError(null);
    if (reasonRequired(s)) setTimeout(() => reasonRef.current?.focus(), 0);
  };

  const save = async () => {
    setTried(true);
    if (!canSave || !edit) return;
    setSaving(true);
    setError(null);
    try {
      await props.onSave(targets.map((p) => p.id), edit);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setSaving(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const ctrl = e.ctrlKey || e.metaKey;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      props.onClose();
      return;
    }
    if (ctrl && (e.key === 's' || e.key === 'S' || e.key === 'Enter')) {
      e.preventDefault();
      e.stopPropagation();
      void save();
      return;
    }
    const t = e.target as HTMLElement;
    const typing = t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && (t as HTMLInputElement).type !== 'checkbox');
    if (typing || ctrl || e.altKey) return;
    const k = e.key.toUpperCase();
    const c = CHOICES.find((c) => c.key === k || c.digit === e.key);
    if (c) {
      e.preventDefault();
      choose(c.status);
    } else if (override && (k === 'U' || e.key === '5')) {
      e.preventDefault();
      choose('Occupied');
    }
  };

  useEffect(() => {
    if (!override && status === 'Occupied') setStatus(null);
  }, [override, status]);

  const title = single
    ? `Change status: ${single.label}`
    : `Change status of ${targets.length} points${siteCount > 1 ? ` at ${siteCount} sites` : ''}`;
  const quickUntil = quickUntilOptions(props.nowMs);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
      <div
        ref={dialogRef}
        className="dialog editor"
        role="dialog"
        aria-modal="true"
        aria-labelledby="editor-title"
        aria-describedby="editor-desc"
        data-testid="editor"
        onKeyDown={onKeyDown}
      >
        <header className="dialog-head">
          <h2 id="editor-title">{title}</h2>
          <button type="button" className="icon-btn" onClick={props.onClose} aria-label="Close (Esc)" title="Close (Esc)">
            <IconX />
          </button>
        </header>

        <div id="editor-desc" className="editor-context">
          {single ? (
            <SingleContext p={single} site={props.sites.get(single.siteId) ?? null} nowMs={props.nowMs} />
          ) : (
            <p>
              Operator status now:{' '}
              {[...currentCounts].map(([s, n]) => (
                <span key={s} className="ctx-count">
                  <StatusBadge status={s} size="sm" subtle /> ×{n}
                </span>
              ))}
              {props.hiddenCount > 0 ? (
                <span className="warn-text"> Includes {props.hiddenCount} not shown by the current filter.</span>
              ) : null}
            </p>
          )}
          {changedMeanwhile.length > 0 && (
            <p className="notice notice-warn" role="status">
              {single
                ? `Changed while you were editing: now ${STATUS_LABELS[single.operator.status]} by ${single.operator.by ?? 'someone'} at ${shortTime(single.operator.at, props.nowMs)}.`
                : `${changedMeanwhile.length} of these points were changed by someone else while you were editing.`}{' '}
              Saving will be checked against their change; if it clashes you will be asked to choose.
            </p>
          )}
        </div>

        <fieldset className="choices">
          <legend>New status</legend>
          <div className="choice-row">
            {CHOICES.map((c) => (
              <ChoiceButton
                key={c.status}
                status={c.status}
                keyHint={c.key}
                hint={c.hint}
                chosen={status === c.status}
                current={currentCounts.has(c.status)}
                onChoose={choose}
              />
            ))}
          </div>
          <label className="override">
            <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} data-testid="editor-override" />
            Override: mark as Occupied by hand (normally only the station reports this; a reason is required)
          </label>
          {override && (
            <div className="choice-row">
              <ChoiceButton
                status="Occupied"
                keyHint="U"
                hint="Shown as occupied on every console; nothing is sent to the station"
                chosen={status === 'Occupied'}
                current={currentCounts.has('Occupied')}
                onChoose={choose}
              />
            </div>
          )}
        </fieldset>

        <div className="field">
          <label htmlFor="editor-reason">
            Reason {status && reasonRequired(status) ? <span className="req">(required)</span> : <span className="muted">(optional)</span>}
          </label>
          <input
            ref={reasonRef}
            id="editor-reason"
            type="text"
            maxLength={500}
            autoComplete="off"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={status ? 'Pick one below or type your own' : 'Choose a status first'}
            aria-invalid={tried && !!status && reasonRequired(status) && !reason.trim()}
            data-testid="editor-reason"
          />
          {status && (
            <div className="presets" role="group" aria-label="Common reasons">
              {REASON_PRESETS[status].map((r) => (
                <button type="button" key={r} className={`chip${reason === r ? ' chip-on' : ''}`} onClick={() => setReason(r)}>
                  {r}
                </button>
              ))}
            </div>
          )}
        </div>

        <div className="field-row">
          <div className={`field${status && untilAllowed(status) ? '' : ' field-disabled'}`}>
            <label htmlFor="editor-until">
              Expected end <span className="muted">(optional{status && !untilAllowed(status) ? '; only for Maintenance and Out of Service' : ''})</span>
            </label>
            <input
              id="editor-until"
              type="datetime-local"
              value={until}
              disabled={!status || !untilAllowed(status)}
              onChange={(e) => setUntil(e.target.value)}
              data-testid="editor-until"
            />
            {status && untilAllowed(status) && (
              <div className="presets">
                {quickUntil.map((q) => (
                  <button type="button" key={q.label} className="chip" onClick={() => setUntil(isoToLocalInput(q.iso))}>
                    {q.label}
                  </button>
                ))}
                {until && (
                  <button type="button" className="chip" onClick={() => setUntil('')}>
                    Clear
                  </button>
                )}
              </div>
            )}
          </div>
          <div className="field">
            <label htmlFor="editor-note">
              Note <span className="muted">(optional, shown in the history)</span>
            </label>
            <textarea id="editor-note" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
        </div>

        {tried && problems.length > 0 && (
          <ul className="problems" aria-live="polite">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {roleProblem && <p className="notice notice-error">{roleProblem}</p>}
        {!canSave && (
          <span id="editor-blocked" className="visually-hidden">
            {[...problems, roleProblem ?? ''].join(' ')}
          </span>
        )}
        {error && (
          <p className="notice notice-error" role="alert">
            Not saved: {error}
          </p>
        )}

        <footer className="dialog-foot">
          <span className="muted kbd-hint">
            <kbd>A</kbd> <kbd>O</kbd> <kbd>M</kbd> <kbd>F</kbd> choose · <kbd>Ctrl</kbd>+<kbd>S</kbd> save · <kbd>Esc</kbd> close
          </span>
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button
            type="button"
            className={`btn btn-primary${canSave ? '' : ' is-blocked'}`}
            onClick={() => void save()}
            aria-describedby={!canSave ? 'editor-blocked' : undefined}
            data-testid="editor-save"
          >
            {saving ? 'Saving…' : targets.length > 1 ? `Save for ${targets.length} points` : 'Save'}
          </button>
        </footer>
      </div>
    </div>
  );
}

function ChoiceButton({
  status,
  keyHint,
  hint,
  chosen,
  current,
  onChoose,
}: {
  status: OperatorStatus;
  keyHint: string;
  hint: string;
  chosen: boolean;
  current: boolean;
  onChoose(s: OperatorStatus): void;
}) {
  const Icon = STATUS_ICONS[status];
  return (
    <button
      type="button"
      className={`choice st-${status}${chosen ? ' choice-on' : ''}`}
      aria-pressed={chosen}
      onClick={() => onChoose(status)}
      title={hint}
      data-testid={`editor-status-${status}`}
    >
      <Icon size={18} />
      <span className="choice-label">{STATUS_LABELS[status]}</span>
      <kbd className="choice-key" aria-hidden="true">
        {keyHint}
      </kbd>
      {current && <span className="choice-current">current</span>}
    </button>
  );
}

function SingleContext({ p, site, nowMs }: { p: ViewPoint; site: Site | null; nowMs: number }) {
  const v = effectiveView(p);
  return (
    <dl className="ctx-grid">
      <dt>Point</dt>
      <dd>
        {p.label} · station {p.stationId} · {site?.name ?? p.siteId}
      </dd>
      <dt>Shown now</dt>
      <dd>
        <StatusBadge status={v.shown} size="sm" />
      </dd>
      <dt>Station reports</dt>
      <dd>
        {STATUS_LABELS[p.reported.status]}
        {p.reported.at ? ` at ${shortTime(p.reported.at, nowMs)}` : ''}
        {!p.stationConnected ? ' (station offline)' : ''}
      </dd>
      <dt>Operator status</dt>
      <dd title={p.operator.at ? fullTime(p.operator.at) : undefined}>
        {STATUS_LABELS[v.operatorStatus]}
        {p.operator.by ? ` — set by ${actorName(p.operator.by)} ${shortTime(p.operator.at, nowMs)}` : ''}
        {p.operator.reason ? ` (${p.operator.reason})` : ''}
        {p.pending ? ' · your edit is pending' : ''}
      </dd>
    </dl>
  );
}

function quickUntilOptions(nowMs: number): { label: string; iso: string }[] {
  const now = new Date(nowMs);
  const plus = (h: number) => new Date(nowMs + h * 3600_000).toISOString();
  const at = (dayOffset: number, hour: number) => {
    const d = new Date(now);
    d.setDate(d.getDate() + dayOffset);
    d.setHours(hour, 0, 0, 0);
    return d.toISOString();
  };
  const opts = [
    { label: '+1 h', iso: plus(1) },
    { label: '+4 h', iso: plus(4) },
  ];
  if (now.getHours() < 18) opts.push({ label: 'Today 18:00', iso: at(0, 18) });
  opts.push({ label: 'Tomorrow 08:00', iso: at(1, 8) });
  return opts;
}
