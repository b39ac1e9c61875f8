// Planning a maintenance window for one point or a selection: start (default: the next full hour), end or
// open-ended, reason (required), note. Times are typed on the sites' clock when all the points share one zone,
// else on the viewer's, and the form says which. "Plan window" is the confirm step; the answer is shown as text:
// planned, started at once, kept on this computer, or the refusal.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { QueuedWindowOpView, ViewPoint } from '../../../../common/consoleApi.js';
import { roleProblem as roleProblemFor } from '../edit/roleProblem.js';
import { NOTE_MAX, REASON_MAX, type Role, type Site } from '../../../../common/model.js';
import type { HostApi } from '../../api/index.js';
import { isoToZonedInput, nextFullHour, siteTime, zonedInputToIso } from '../../model/windows.js';
import { errorMessage } from '../../util/errors.js';
import { REASON_PRESETS } from '../edit/ReasonField.js';
import { DialogHead, Modal } from '../Modal.js';
import { useFocusTrap } from '../useDialogFocus.js';
import type { LocalPlan } from './PlannedPanel.js';
import { OverlapNotice } from './OverlapNotice.js';
import { zoneOfPoints } from './windowZone.js';
import { ZonedTimeField } from './ZonedTimeField.js';
import '../../styles/planned.css';

type Result = { kind: 'planned' | 'started' | 'queued' | 'error'; text: string };

export function PlanWindowDialog({
  api,
  pointIds,
  points,
  sites,
  role,
  nowMs,
  queued,
  onPlanned,
  onShowWindow,
  onClose,
}: {
  api: HostApi;
  pointIds: string[];
  points: ReadonlyMap<string, ViewPoint>;
  sites: ReadonlyMap<string, Site>;
  role: Role | null;
  nowMs: number;
  /** This console's window requests: a refusal of this plan for an overlap is found there, with its fields. */
  queued: readonly QueuedWindowOpView[];
  /** Shows a window in the Planned panel (the one this plan overlaps). */
  onShowWindow(windowId: string): void;
  /** A plan was sent (answered or queued): its id and what it asked, for the Planned panel while it waits. */
  onPlanned(windowId: string, plan: LocalPlan): void;
  onClose(): void;
}) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const zone = useMemo(() => zoneOfPoints(pointIds, points, sites), [pointIds, points, sites]);
  const [start, setStart] = useState(() => isoToZonedInput(nextFullHour(nowMs, zone.tz), zone.tz));
  const [end, setEnd] = useState(() =>
    isoToZonedInput(new Date(Date.parse(nextFullHour(nowMs, zone.tz)) + 2 * 3600_000).toISOString(), zone.tz),
  );
  const [openEnded, setOpenEnded] = useState(false);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  /** The id of the last plan sent: its refusal, if it overlaps another window, names that window. */
  const [sentId, setSentId] = useState<string | null>(null);
  const overlap =
    result?.kind === 'error' && sentId
      ? queued.find((q) => q.windowId === sentId && q.state === 'failed')?.overlap
      : undefined;
  useFocusTrap(dialogRef, { initial: () => dialogRef.current?.querySelector<HTMLElement>('#plan-reason') ?? null });

  const targets = pointIds.filter((id) => points.has(id));
  const siteCount = new Set(targets.map((id) => points.get(id)!.siteId)).size;
  const startIso = zonedInputToIso(start, zone.tz);
  const endIso = openEnded ? null : zonedInputToIso(end, zone.tz);
  const problems: string[] = [];
  if (!startIso) problems.push('The start is not a valid date and time.');
  if (!openEnded && !endIso) problems.push('Give an end, or make the window open-ended.');
  if (startIso && endIso && Date.parse(endIso) <= Date.parse(startIso))
    problems.push('The end must be after the start.');
  if (endIso && Date.parse(endIso) <= nowMs) problems.push('The end has passed.');
  if (!reason.trim()) problems.push('A reason is required.');
  const roleProblem = roleProblemFor(role, targets.length, {
    viewer: 'can view but not plan maintenance',
    several: 'A window for several points',
  });
  const done = result !== null && result.kind !== 'error';
  const canPlan = problems.length === 0 && !roleProblem && !sending && targets.length > 0 && !done;
  // Once planned, the Plan button goes: focus moves to Close (Enter or Esc closes), not to the page behind.
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (done) closeRef.current?.focus();
  }, [done]);

  const plan = async () => {
    setTried(true);
    if (!canPlan || !startIso) return;
    setSending(true);
    setResult(null);
    const id = newWindowId();
    setSentId(id);
    const request = {
      id,
      pointIds: targets,
      startsAt: startIso,
      endsAt: endIso,
      reason: reason.trim(),
      note: note.trim() || null,
    };
    try {
      const r = await api.call('planWindow', request);
      onPlanned(r.windowId, { reason: request.reason, pointIds: targets, startsAt: startIso, endsAt: endIso });
      const kind = r.queued ? 'queued' : /started/i.test(r.message) ? 'started' : 'planned';
      setResult({
        kind,
        text: r.queued ? 'Kept on this computer: sent when the console is online.' : capital(r.message),
      });
    } catch (e) {
      setResult({ kind: 'error', text: `Not planned: ${errorMessage(e)}` });
    } finally {
      setSending(false);
    }
  };

  const startMs = startIso ? Date.parse(startIso) : nowMs;
  const quickEnd = (hours: number) =>
    setEnd(isoToZonedInput(new Date(startMs + hours * 3600_000).toISOString(), zone.tz));
  const title =
    targets.length === 1
      ? `Plan maintenance: ${points.get(targets[0])!.label}`
      : `Plan maintenance for ${targets.length} points${siteCount > 1 ? ` at ${siteCount} sites` : ''}`;

  return (
    <Modal
      dialogRef={dialogRef}
      className="dialog plan-window"
      labelledBy="plan-title"
      describedBy="plan-desc"
      testId="plan-window-dialog"
      onClose={onClose}
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S' || e.key === 'Enter')) {
          e.preventDefault();
          e.stopPropagation();
          void plan();
        }
      }}
    >
      <DialogHead titleId="plan-title" onClose={onClose}>
        {title}
      </DialogHead>
      <p id="plan-desc" className="muted">
        The backend runs the window on its own: at the start the point{targets.length === 1 ? ' goes' : 's go'} to
        Maintenance, at the end back to the status {targets.length === 1 ? 'it' : 'each'} had before. Times are{' '}
        {zone.site
          ? `the site's local time (${zone.label})`
          : `in ${zone.label}: the points are at sites in different time zones`}
        .
      </p>
      <div className="field-row">
        <ZonedTimeField
          id="plan-start"
          label="Start"
          value={start}
          zone={zone}
          nowMs={nowMs}
          invalid={tried && !startIso}
          onChange={setStart}
        >
          <div className="presets">
            <button
              type="button"
              className="chip"
              onClick={() => setStart(isoToZonedInput(new Date(nowMs).toISOString(), zone.tz))}
            >
              Now
            </button>
            <button
              type="button"
              className="chip"
              onClick={() => setStart(isoToZonedInput(nextFullHour(nowMs, zone.tz), zone.tz))}
            >
              Next full hour
            </button>
          </div>
        </ZonedTimeField>
        <ZonedTimeField
          id="plan-end"
          label="End"
          value={end}
          zone={zone}
          nowMs={nowMs}
          disabled={openEnded}
          invalid={tried && !openEnded && !endIso}
          onChange={setEnd}
        >
          <div className="presets">
            <label className="toggle">
              <input
                type="checkbox"
                checked={openEnded}
                onChange={(e) => setOpenEnded(e.target.checked)}
                data-testid="plan-open-ended"
              />{' '}
              Open-ended
            </label>
            {!openEnded &&
              [1, 2, 4, 8].map((h) => (
                <button type="button" key={h} className="chip" onClick={() => quickEnd(h)}>
                  {h} h after the start
                </button>
              ))}
          </div>
        </ZonedTimeField>
      </div>
      <div className="field">
        <label htmlFor="plan-reason">
          Reason <span className="req">(required)</span>
        </label>
        <input
          id="plan-reason"
          type="text"
          maxLength={REASON_MAX}
          autoComplete="off"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={tried && !reason.trim()}
          placeholder="Pick one below or type your own"
          data-testid="plan-reason"
        />
        <div className="presets" role="group" aria-label="Common reasons">
          {REASON_PRESETS.Maintenance.map((r) => (
            <button
              type="button"
              key={r}
              className={`chip${reason === r ? ' chip-on' : ''}`}
              onClick={() => setReason(r)}
            >
              {r}
            </button>
          ))}
        </div>
      </div>
      <div className="field">
        <label htmlFor="plan-note">
          Note <span className="muted">(optional, shown in the Planned panel and the history)</span>
        </label>
        <textarea
          id="plan-note"
          rows={2}
          maxLength={NOTE_MAX}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          data-testid="plan-note"
        />
      </div>
      {startIso && (endIso || openEnded) && problems.length === 0 && (
        <p className="plan-summary" data-testid="plan-summary">
          {targets.length} point{targets.length === 1 ? '' : 's'} in Maintenance from{' '}
          <b>{siteTime(startIso, zone.tz, nowMs)}</b>{' '}
          {endIso ? (
            <>
              until <b>{siteTime(endIso, zone.tz, nowMs)}</b>
            </>
          ) : (
            'until someone ends it'
          )}
          {Date.parse(startIso) <= nowMs ? ' — the start has passed: it starts at once.' : '.'}
        </p>
      )}
      {tried && problems.length > 0 && (
        <ul className="problems" aria-live="polite">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {roleProblem && <p className="notice notice-error">{roleProblem}</p>}
      {overlap && (
        <OverlapNotice
          overlap={overlap}
          points={points}
          sites={sites}
          nowMs={nowMs}
          testId="plan-overlap"
          onShowWindow={onShowWindow}
        />
      )}
      {result && !overlap && (
        <p
          className={`notice ${result.kind === 'error' ? 'notice-error' : result.kind === 'queued' ? 'notice-warn' : 'notice-ok'}`}
          role="status"
          data-testid="plan-result"
          data-result={result.kind}
        >
          {result.text}
        </p>
      )}
      {!canPlan && !done && (
        <span id="plan-blocked" className="visually-hidden">
          {[...problems, roleProblem ?? ''].join(' ')}
        </span>
      )}
      <footer className="dialog-foot">
        <span className="muted small kbd-hint">
          <kbd>Ctrl</kbd>+<kbd>S</kbd> plan · <kbd>Esc</kbd> close
        </span>
        <button ref={closeRef} type="button" className="btn" onClick={onClose} data-testid="plan-close">
          {done ? 'Close' : 'Cancel'}
        </button>
        {!done && (
          <button
            type="button"
            className={`btn btn-primary${canPlan ? '' : ' is-blocked'}`}
            aria-describedby={canPlan ? undefined : 'plan-blocked'}
            onClick={() => void plan()}
            data-testid="plan-submit"
          >
            {sending ? 'Planning…' : targets.length > 1 ? `Plan window for ${targets.length} points` : 'Plan window'}
          </button>
        )}
      </footer>
    </Modal>
  );
}

/** A UUID for a new window (crypto.randomUUID needs a secure context; getRandomValues does not). */
function newWindowId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function capital(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) + (/[.!?]$/.test(s) ? '' : '.') : s;
}
