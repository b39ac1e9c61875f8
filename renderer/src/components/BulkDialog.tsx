// The bulk dialog. First the change and its preview: what will happen to the selected points before anything
// does (current statuses, sessions running, stations offline, what the person may not change). A reason is
// required. Confirm sends ONE request with one outcome per point. Then the same dialog follows it: a progress
// bar that fills as answers arrive (first the backend's, then each station's), a results list per point,
// retry for the failed ones, and undo (one action, with its own outcomes, shown the same way).
import { useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { ConnectionState, ViewPoint } from '../../../common/consoleApi.js';
import type { MutationOutcome, Role, Site, StatusEdit } from '../../../common/model.js';
import { STATUS_LABELS } from '../../../common/status.js';
import { errorMessage } from '../util/errors.js';
import {
  bulkPreview,
  bulkProgress,
  PROBLEM_KINDS,
  RESULT_HINTS,
  RESULT_KINDS,
  RESULT_LABELS,
  RETRYABLE_KINDS,
  retryEdit,
  undoTargets,
} from './BulkModel.js';
import type { ResultKind } from './BulkModel.js';
import type { BulkRun } from './BulkRuns.js';
import { EditFields } from './edit/EditFields.js';
import { StatusChoices } from './edit/StatusChoices.js';
import { AlertNotice, EditFooter, ProblemList } from './edit/SubmitParts.js';
import { quickUntilOptions } from './edit/UntilField.js';
import { editFormKeys, schemaProblem, untilProblems, useEditForm } from './edit/useEditForm.js';
import { DialogHead, Modal } from './Modal.js';
import { zoneOfPoints } from './planned/windowZone.js';
import { heldByRunningWindows, withoutHeld } from './planned/runningWindows.js';
import { WindowEndConfirm } from './planned/WindowEndConfirm.js';
import type { MaintenanceWindow } from '../../../common/windows.js';
import { StatusBadge } from './StatusBadge.js';
import { useFocusTrap } from './useDialogFocus.js';
import '../styles/bulk.css';
import { formatCount } from '../util/numbers.js';

/** How many result rows are drawn at once (the counts above always cover every point). */
const LIST_LIMIT = 400;

const n = formatCount;
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

export interface BulkComposeProps {
  pointIds: string[];
  points: ReadonlyMap<string, ViewPoint>;
  /** Bumped whenever points change (the map is updated in place). */
  pointsVersion: number;
  /** The sites, for the clock the expected end is typed on. */
  sites: ReadonlyMap<string, Site>;
  /** Maintenance windows: a change to points a running one holds ends it for them, so the dialog asks first. */
  windows?: ReadonlyMap<string, MaintenanceWindow>;
  windowsVersion?: number;
  role: Role | null;
  connection: ConnectionState | null;
  hiddenCount: number;
  nowMs: number;
  onClose(): void;
  onConfirm(pointIds: string[], edit: StatusEdit): Promise<void>;
}

export function BulkCompose(props: BulkComposeProps) {
  const dialogRef = useRef<HTMLDivElement>(null);
  // The clock the expected end is typed on: the points' site zone when they share one, else this computer's (and the
  // field says which); fixed at open, as in the editor.
  const [zone] = useState(() => zoneOfPoints(props.pointIds, props.points, props.sites));
  const form = useEditForm({ focusReason: () => true, zone });
  const { status, reason, until, tried, edit, sending, error } = form;
  useFocusTrap(dialogRef, { initial: () => dialogRef.current?.querySelector<HTMLElement>('.choice') ?? null });

  const preview = useMemo(
    () => bulkPreview(props.pointIds, props.points, status, props.role),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [props.pointIds, props.points, props.pointsVersion, status, props.role],
  );
  const problems: string[] = [];
  if (!status) problems.push('Choose the new status.');
  if (!reason.trim())
    problems.push('Give a reason: it is required for a bulk change and shown in every point’s history.');
  problems.push(...untilProblems(status, until, form.untilIso, props.nowMs));
  const bad = edit && problems.length === 0 ? schemaProblem(edit) : null;
  if (bad) problems.push(bad);
  const blocked =
    preview.notAllowedWhy ?? (preview.total === 0 ? 'None of the selected points is in the network any more.' : null);
  const canConfirm = problems.length === 0 && !blocked && !sending;
  const offline = props.connection ? props.connection.state !== 'live' : false;

  const held = useMemo(
    () =>
      heldByRunningWindows(
        props.pointIds.filter((id) => props.points.has(id)),
        props.windows?.values() ?? [],
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [props.pointIds, props.points, props.windows, props.windowsVersion],
  );
  // Asking whether the change ends running windows for their points (Confirm pressed, not yet answered).
  const [asking, setAsking] = useState(false);

  const confirm = (windowEndConfirmed = false) => {
    if (canConfirm && held.pointIds.length > 0 && !windowEndConfirmed) {
      setAsking(true);
      return;
    }
    setAsking(false);
    return form.submit(canConfirm, (edit) =>
      props.onConfirm(
        props.pointIds.filter((id) => props.points.has(id)),
        { ...edit, reason: reason.trim() },
      ),
    );
  };

  const willChange = status ? preview.total - preview.alreadyThat - preview.notAllowed : null;

  return (
    <Modal
      dialogRef={dialogRef}
      className="dialog bulk-dialog"
      labelledBy="bulk-title"
      testId="bulk-dialog"
      onClose={props.onClose}
      onKeyDown={(e) => editFormKeys(e, { submit: () => void confirm(), choose: form.choose, digits: false })}
    >
      <DialogHead titleId="bulk-title" onClose={props.onClose}>
        Set status of {plural(preview.total, 'point')}
        {preview.sites > 1 ? ` at ${n(preview.sites)} sites` : ''}
      </DialogHead>

      {blocked && preview.notAllowedWhy && (
        <p className="notice notice-error" role="alert" data-testid="bulk-not-allowed">
          You may not make this change: {preview.notAllowedWhy}. Ask a supervisor, or change the points one at a time.
        </p>
      )}

      <StatusChoices legend="1. New status" chosen={status} testIdPrefix="bulk" onChoose={form.choose} />

      <EditFields
        form={form}
        idPrefix="bulk"
        reasonStep="2. "
        reasonRequired
        reasonPlaceholder={status ? 'Pick one below or type your own' : 'Choose a status first, or type a reason'}
        reasonInvalid={tried && !reason.trim()}
        untilHint="optional; Maintenance and Out of Service only"
        quickUntil={quickUntilOptions(props.nowMs, false, zone.tz)}
        zone={zone}
        nowMs={props.nowMs}
      />

      <section className="bulk-preview" aria-labelledby="bulk-preview-title" data-testid="bulk-preview">
        <h3 id="bulk-preview-title">3. What will happen{status ? ` when you set ${STATUS_LABELS[status]}` : ''}</h3>
        <ul>
          <PreviewRow testId="bulk-preview-current" label="Operator status now">
            {preview.byCurrent.map(([s, c]) => (
              <span key={s} className="pv-status" data-testid={`bulk-preview-current-${s}`} data-count={c}>
                <StatusBadge status={s} size="sm" subtle /> <b>{n(c)}</b>
              </span>
            ))}
          </PreviewRow>
          {status && (
            <PreviewRow
              tone={willChange === 0 ? 'pv-warn' : 'pv-ok'}
              testId="bulk-preview-change"
              count={willChange ?? 0}
              label="Will change"
            >
              <b>{n(willChange ?? 0)}</b> to {STATUS_LABELS[status]}
              {preview.alreadyThat > 0
                ? ` · ${n(preview.alreadyThat)} already ${STATUS_LABELS[status]} (only the reason is updated)`
                : ''}
            </PreviewRow>
          )}
          <PreviewRow
            tone={preview.occupied ? 'pv-warn' : 'pv-none'}
            testId="bulk-preview-occupied"
            count={preview.occupied}
            label="Occupied now"
          >
            <b>{n(preview.occupied)}</b>
            {preview.occupied
              ? ' with a session running: the station answers Scheduled and applies it when the session ends'
              : ''}
          </PreviewRow>
          <PreviewRow
            tone={preview.offlineStations ? 'pv-warn' : 'pv-none'}
            testId="bulk-preview-offline"
            count={preview.offlineStations}
            points={preview.offlinePoints}
            label="Stations offline"
          >
            <b>{n(preview.offlineStations)}</b>
            {preview.offlineStations
              ? ` (${plural(preview.offlinePoints, 'point')}): saved now, applied when the station reconnects`
              : ''}
          </PreviewRow>
          <PreviewRow
            tone={preview.notAllowed ? 'pv-bad' : 'pv-none'}
            testId="bulk-preview-not-allowed"
            count={preview.notAllowed}
            label="You may not change"
          >
            <b>{n(preview.notAllowed)}</b>
            {preview.notAllowedWhy ? `: ${preview.notAllowedWhy}` : ''}
          </PreviewRow>
          {held.pointIds.length > 0 && (
            <PreviewRow
              tone="pv-warn"
              testId="bulk-preview-in-window"
              count={held.pointIds.length}
              label="In a running window"
            >
              <b>{n(held.pointIds.length)}</b> in running maintenance: this change ends the window for them (they are
              not put back at its end)
            </PreviewRow>
          )}
          {preview.pendingHere > 0 && (
            <PreviewRow tone="pv-warn" testId="bulk-preview-pending" label="Your earlier edits">
              <b>{n(preview.pendingHere)}</b> still pending or in conflict: this change is applied after them
            </PreviewRow>
          )}
          {props.hiddenCount > 0 && (
            <PreviewRow tone="pv-warn" testId="bulk-preview-hidden" label="Not shown">
              <b>{n(props.hiddenCount)}</b> of these are hidden by the current filter
            </PreviewRow>
          )}
        </ul>
        <p className="muted small">
          {offline
            ? 'You are offline: the change is kept on this computer and sent once, when the connection is back.'
            : 'Sent as one request; every point gets its own answer, which you can follow after confirming.'}
        </p>
      </section>

      <ProblemList problems={problems} show={tried} testId="bulk-problems" />
      {asking && held.pointIds.length > 0 && (
        <WindowEndConfirm
          held={held}
          total={preview.total}
          points={props.points}
          sites={props.sites}
          nowMs={props.nowMs}
          testId="bulk-window-confirm"
          onYes={() => void confirm(true)}
          onNo={() => setAsking(false)}
        />
      )}
      <EditFooter
        idPrefix="bulk"
        testId="bulk-confirm"
        submitKey="Enter"
        submitWord="confirm"
        canSubmit={canConfirm}
        blockedText={[blocked ?? '', ...problems].join(' ')}
        error={error && `Not sent: ${error}`}
        onSubmit={() => void confirm()}
        onCancel={props.onClose}
      >
        {sending
          ? 'Sending…'
          : status
            ? `Set ${STATUS_LABELS[status]} on ${plural(preview.total, 'point')}`
            : `Apply to ${plural(preview.total, 'point')}`}
      </EditFooter>
    </Modal>
  );
}

/** One line of the preview: what it counts, and the figure with its explanation. */
function PreviewRow({
  tone,
  testId,
  count,
  points,
  label,
  children,
}: {
  tone?: string;
  testId: string;
  count?: number;
  points?: number;
  label: string;
  children: ReactNode;
}) {
  return (
    <li className={tone} data-testid={testId} data-count={count} data-points={points}>
      <span className="pv-label">{label}</span>
      <span className="pv-value">{children}</span>
    </li>
  );
}

// ---- results ----

export interface BulkResultsProps {
  run: BulkRun;
  undoneRun: BulkRun | null;
  outcomes: ReadonlyMap<string, MutationOutcome>;
  outcomesVersion: number;
  points: ReadonlyMap<string, ViewPoint>;
  pointsVersion: number;
  sites: ReadonlyMap<string, Site>;
  /** Maintenance windows: a retry or undo of points a running one holds asks first, as a change does. */
  windows?: ReadonlyMap<string, MaintenanceWindow>;
  windowsVersion?: number;
  nowMs?: number;
  role: Role | null;
  onClose(): void;
  onRetry(
    run: BulkRun,
    failed: { pointId: string; attempt: NonNullable<ReturnType<typeof bulkProgress>['results'][number]['attempt']> }[],
  ): Promise<void>;
  onUndo(run: BulkRun): Promise<void>;
  onShowRun(runId: number): void;
}

export function BulkResults(props: BulkResultsProps) {
  const { run } = props;
  const dialogRef = useRef<HTMLDivElement>(null);
  const [show, setShow] = useState<ResultKind | 'all'>('all');
  const [busy, setBusy] = useState<'retry' | 'undo' | null>(null);
  const [error, setError] = useState<string | null>(null);
  useFocusTrap(dialogRef);

  const progress = useMemo(
    () => bulkProgress(run.pointIds, run.attempts, props.outcomes, props.points),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [run, props.outcomes, props.outcomesVersion, props.points, props.pointsVersion],
  );
  const retryable = progress.results.filter((r) => RETRYABLE_KINDS.has(r.kind) && r.attempt);
  const notAllowed = progress.byKind.get('notAllowed') ?? 0;
  const problems = progress.results.filter((r) => PROBLEM_KINDS.has(r.kind)).length;
  const done = progress.settled === progress.total;
  const later = (progress.byKind.get('scheduled') ?? 0) + (progress.byKind.get('stationOffline') ?? 0);
  const stationAnswered = ['applied', 'scheduled', 'stationRejected', 'changedSince'].reduce(
    (sum, k) => sum + (progress.byKind.get(k as ResultKind) ?? 0),
    0,
  );
  const listed = show === 'all' ? progress.results : progress.results.filter((r) => r.kind === show);
  const ordered = show === 'all' ? [...listed].sort((a, b) => rank(a.kind) - rank(b.kind)) : listed;
  const title =
    run.kind === 'undo'
      ? `Undo: restoring ${plural(run.pointIds.length, 'point')}`
      : `${STATUS_LABELS[run.edit.status]} for ${plural(run.pointIds.length, 'point')}`;
  // Undo works before the answers too: the restoring edit then waits behind the change in the outbox.
  const canUndo = run.kind === 'change' && !run.undoneBy;

  // Points a running window holds that a retry or an undo would change: asked about before sending, as in the editor.
  const held = useMemo(
    () => ({
      retry: heldByRunningWindows(
        retryable.map((r) => r.pointId),
        props.windows?.values() ?? [],
      ),
      undo: canUndo ? heldByRunningWindows(undoTargets(progress.results), props.windows?.values() ?? []) : null,
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [progress, canUndo, props.windows, props.windowsVersion],
  );
  const [asking, setAsking] = useState<'retry' | 'undo' | null>(null);

  /** `chosen` unset: ask first when a running window holds some of the points; else what the person chose. */
  const act = async (what: 'retry' | 'undo', chosen?: 'end' | 'leave') => {
    const holding = what === 'retry' ? held.retry : held.undo;
    if (!chosen && holding && holding.pointIds.length > 0) {
      setAsking(what);
      return;
    }
    setAsking(null);
    setBusy(what);
    setError(null);
    try {
      if (what === 'retry') {
        const failed = retryable.map((r) => ({ pointId: r.pointId, attempt: r.attempt! }));
        await props.onRetry(run, chosen === 'leave' ? withoutHeld(failed, held.retry) : failed);
      } else await props.onUndo(run);
    } catch (e) {
      setError(`${what === 'retry' ? 'Retry' : 'Undo'} not sent: ${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal
      dialogRef={dialogRef}
      className="dialog bulk-dialog bulk-results"
      labelledBy="bulk-results-title"
      testId="bulk-results"
      data={{ 'data-run-kind': run.kind }}
      onClose={props.onClose}
    >
      <DialogHead titleId="bulk-results-title" onClose={props.onClose}>
        {title}
      </DialogHead>
      <p className="bulk-sub muted">
        {run.kind === 'undo' && props.undoneRun
          ? `Puts back the operator statuses from before “${STATUS_LABELS[props.undoneRun.edit.status]} for ${plural(props.undoneRun.pointIds.length, 'point')}”.`
          : `Reason: ${run.edit.reason ?? '—'}${run.edit.note ? ` · Note: ${run.edit.note}` : ''}`}
        {run.attempts.length > 1
          ? ` · ${plural(run.attempts.length, 'request')} (${run.kind === 'undo' ? 'one per previous status' : 'with retries'})`
          : ''}
      </p>

      <div className="bulk-progress-wrap">
        <div
          className={`bulk-progress${done ? (problems ? ' is-done-problems' : ' is-done') : ''}`}
          role="progressbar"
          aria-label="Points answered"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={progress.percent}
          aria-valuetext={`${progress.settled} of ${progress.total} answered`}
          data-testid="bulk-progress"
          data-percent={progress.percent}
        >
          {SEGMENTS.map((seg) => {
            const count = seg.kinds.reduce((sum, k) => sum + (progress.byKind.get(k) ?? 0), 0);
            return count ? (
              <div
                key={seg.cls}
                className={`bulk-seg ${seg.cls}`}
                style={{ width: `${(count / Math.max(1, progress.total)) * 100}%` }}
              />
            ) : null;
          })}
        </div>
        <div className="bulk-progress-text" aria-live="polite">
          <b data-testid="bulk-progress-percent">{progress.percent} %</b> answered
          {done
            ? problems
              ? ` · ${plural(problems, 'point')} need${problems === 1 ? 's' : ''} attention`
              : ' · nothing failed'
            : ''}
          {later ? ` · ${n(later)} still to take effect (scheduled or station offline)` : ''}
          <span className="muted bulk-progress-figures">
            Backend answered {n(progress.answered)} of {n(progress.total)} · stations answered {n(stationAnswered)} of{' '}
            {n(progress.total)}
          </span>
        </div>
      </div>

      <div className="bulk-kinds" role="toolbar" aria-label="Show points by result">
        <button
          type="button"
          className={`chip${show === 'all' ? ' chip-on' : ''}`}
          onClick={() => setShow('all')}
          data-testid="bulk-count-all"
        >
          All <b>{n(progress.total)}</b>
        </button>
        {RESULT_KINDS.filter((k) => progress.byKind.get(k)).map((k) => (
          <button
            type="button"
            key={k}
            className={`chip kind-${k}${show === k ? ' chip-on' : ''}`}
            title={RESULT_HINTS[k]}
            onClick={() => setShow(show === k ? 'all' : k)}
            data-testid={`bulk-count-${k}`}
            data-count={progress.byKind.get(k)}
          >
            {RESULT_LABELS[k]} <b>{n(progress.byKind.get(k)!)}</b>
          </button>
        ))}
      </div>

      <ol className="bulk-list" aria-label="Result per point" data-testid="bulk-list">
        {ordered.slice(0, LIST_LIMIT).map((r) => {
          const p = props.points.get(r.pointId);
          return (
            <li
              key={r.pointId}
              className={`bulk-item kind-${r.kind}`}
              data-testid={`bulk-result-${r.pointId}`}
              data-result={r.kind}
            >
              <span
                className="bi-point"
                title={
                  p ? `${p.label} · station ${p.stationId} · ${props.sites.get(p.siteId)?.name ?? p.siteId}` : r.pointId
                }
              >
                <b>{p?.label ?? r.pointId}</b>
                <span className="muted"> {p ? (props.sites.get(p.siteId)?.name ?? p.siteId) : ''}</span>
              </span>
              <span className={`bi-kind kind-${r.kind}`} title={RESULT_HINTS[r.kind]}>
                {RESULT_LABELS[r.kind]}
              </span>
              {run.kind === 'undo' && r.attempt ? (
                <StatusBadge status={r.attempt.edit.status} size="sm" subtle />
              ) : null}
              <span className="bi-detail muted" title={r.raw ?? r.detail ?? undefined}>
                {r.detail ?? ''}
              </span>
            </li>
          );
        })}
        {ordered.length > LIST_LIMIT && (
          <li className="muted bulk-more">
            …and {n(ordered.length - LIST_LIMIT)} more (the counts above include them)
          </li>
        )}
      </ol>

      {run.skipped.length > 0 && (
        <p className="muted small" data-testid="bulk-skipped">
          Left as they are: {plural(run.skipped.length, 'point')} this change had not altered (
          {[...new Set(run.skipped.map((s) => s.reason))].join('; ')}).
        </p>
      )}
      {notAllowed > 0 && (
        <p className="notice notice-error">
          {plural(notAllowed, 'point was', 'points were')} not allowed for your role ({props.role ?? 'unknown'}):
          retrying would not help; ask a supervisor.
        </p>
      )}
      {run.undoneBy && (
        <p className="notice notice-warn">
          This change was undone.{' '}
          <button type="button" className="link-btn" onClick={() => props.onShowRun(run.undoneBy!)}>
            Show the undo’s results
          </button>
        </p>
      )}
      {error && <AlertNotice>{error}</AlertNotice>}
      {asking && (asking === 'retry' ? held.retry : held.undo)?.pointIds.length ? (
        <WindowEndConfirm
          held={(asking === 'retry' ? held.retry : held.undo)!}
          total={asking === 'retry' ? retryable.length : undoTargets(progress.results).length}
          points={props.points}
          sites={props.sites}
          nowMs={props.nowMs ?? Date.now()}
          testId={`bulk-${asking}-window-confirm`}
          action={asking}
          onYes={() => void act(asking, 'end')}
          onLeave={() => void act(asking, 'leave')}
          onNo={() => setAsking(null)}
        />
      ) : null}

      <footer className="dialog-foot">
        <span className="muted small bulk-foot-hint">
          {retryable.length > 0
            ? 'Retry sends the failed points again as one request (a conflict is then overwritten with this change).'
            : canUndo
              ? 'Undo puts back each point’s operator status from before this change, as one action.'
              : ''}
        </span>
        {run.kind === 'undo' && run.undoOf !== null && (
          <button type="button" className="btn" onClick={() => props.onShowRun(run.undoOf!)}>
            Back to the change
          </button>
        )}
        {run.kind === 'change' && (
          <button
            type="button"
            className="btn"
            disabled={!canUndo || busy !== null}
            onClick={() => void act('undo')}
            data-testid="bulk-undo"
            title={run.undoneBy ? 'Already undone' : 'Restore the previous operator statuses'}
          >
            {busy === 'undo' ? 'Undoing…' : run.undoneBy ? 'Undone' : 'Undo this change'}
          </button>
        )}
        {(retryable.length > 0 || busy === 'retry') && (
          <button
            type="button"
            className="btn"
            disabled={busy !== null}
            onClick={() => void act('retry')}
            data-testid="bulk-retry"
          >
            {busy === 'retry' ? 'Retrying…' : `Retry ${plural(retryable.length, 'failed point')}`}
          </button>
        )}
        <button type="button" className="btn btn-primary" onClick={props.onClose} data-testid="bulk-close">
          Close
        </button>
      </footer>
    </Modal>
  );
}

/** The progress bar's coloured parts, left to right. */
const SEGMENTS: { cls: string; kinds: ResultKind[] }[] = [
  { cls: 'seg-ok', kinds: ['applied'] },
  { cls: 'seg-later', kinds: ['scheduled', 'stationOffline', 'changedSince'] },
  { cls: 'seg-bad', kinds: ['stationRejected', 'noReply', 'notConfirmed', 'conflict', 'rejected', 'notAllowed'] },
  { cls: 'seg-saved', kinds: ['saved'] },
];

/** Problems first, then what is still moving, then what takes effect later, then what is done. */
function rank(kind: ResultKind): number {
  if (PROBLEM_KINDS.has(kind)) return 0;
  if (kind === 'waiting' || kind === 'saved') return 1;
  if (kind === 'applied') return 3;
  return 2;
}

export { retryEdit };
