// The status editor (the seed's flow): choose a status with clearly labelled buttons, give a reason,
// optionally an expected end, then Save — the confirm step. Occupied only behind an explicit override.
// Keyboard: A/O/M/F (or 1–4) choose, Ctrl+S saves, Esc closes. Live changes to the points underneath
// never reset what is typed here; if someone else changes a point meanwhile, the editor says so.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ViewPoint } from '../../../common/consoleApi.js';
import { effectiveView } from '../../../common/consoleApi.js';
import { roleProblem as roleProblemFor } from './edit/roleProblem.js';
import type { Role, Site, StatusEdit } from '../../../common/model.js';
import { STATUS_LABELS, reasonRequired, untilAllowed } from '../../../common/status.js';
import type { OperatorStatus } from '../../../common/status.js';
import { actorName, fullTime, shortTime } from '../util/time.js';
import { EditFields } from './edit/EditFields.js';
import { ChoiceButton, StatusChoices } from './edit/StatusChoices.js';
import { EditFooter, ProblemList } from './edit/SubmitParts.js';
import { quickUntilOptions } from './edit/UntilField.js';
import { zoneOfPoints } from './planned/windowZone.js';
import { heldByRunningWindows } from './planned/runningWindows.js';
import { WindowEndConfirm } from './planned/WindowEndConfirm.js';
import type { MaintenanceWindow } from '../../../common/windows.js';
import { editFormKeys, schemaProblem, untilProblems, useEditForm } from './edit/useEditForm.js';
import { DialogHead, Modal } from './Modal.js';
import { StatusBadge } from './StatusBadge.js';
import { useFocusTrap } from './useDialogFocus.js';
import './Editor.css';

export { REASON_PRESETS } from './edit/ReasonField.js';

export interface EditorProps {
  pointIds: string[];
  points: ReadonlyMap<string, ViewPoint>;
  sites: ReadonlyMap<string, Site>;
  role: Role | null;
  hiddenCount: number;
  nowMs: number;
  /** Maintenance windows: a change to a point a running one holds ends it for that point, so the editor asks first. */
  windows?: ReadonlyMap<string, MaintenanceWindow>;
  windowsVersion?: number;
  onClose(): void;
  onSave(pointIds: string[], edit: StatusEdit): Promise<void>;
  /** Plans a maintenance window for these points instead (opens the planning form). */
  onPlan?(pointIds: string[]): void;
}

export function Editor(props: EditorProps) {
  const { pointIds, points } = props;
  const dialogRef = useRef<HTMLDivElement>(null);
  // The clock the expected end is typed on: the points' site zone (one zone), else this computer's; fixed at open.
  const [zone] = useState(() => zoneOfPoints(pointIds, points, props.sites));
  const form = useEditForm({ focusReason: reasonRequired, zone });
  const { status, setStatus, reason, until, tried, edit, sending: saving, error } = form;
  const [override, setOverride] = useState(false);
  // Operator versions when the editor opened, to notice someone else's change while editing.
  const [baseVersions] = useState(() => new Map(pointIds.map((id) => [id, points.get(id)?.operator.version ?? 0])));

  useFocusTrap(dialogRef, { initial: () => dialogRef.current?.querySelector<HTMLElement>('.choice') ?? null });

  const targets = useMemo(
    () => pointIds.map((id) => points.get(id)).filter((p): p is ViewPoint => !!p),
    [pointIds, points],
  );
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

  const problems: string[] = [];
  if (!status) problems.push('Choose a status.');
  else {
    if (reasonRequired(status) && !reason.trim()) problems.push(`A reason is required for ${STATUS_LABELS[status]}.`);
    problems.push(...untilProblems(status, until, form.untilIso, props.nowMs));
    const bad = edit && problems.length === 0 ? schemaProblem(edit) : null;
    if (bad) problems.push(bad);
  }
  const role = props.role;
  const roleProblem = roleProblemFor(role, targets.length, {
    viewer: 'can view but not change statuses',
    several: 'Changing several points at once',
  });
  const canSave = problems.length === 0 && !roleProblem && !saving && targets.length > 0;

  const choose = (s: OperatorStatus) => {
    form.choose(s);
    form.setError(null);
  };

  const held = useMemo(
    () => heldByRunningWindows(pointIds, props.windows?.values() ?? []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [pointIds, props.windows, props.windowsVersion],
  );
  // Asking whether the change ends a running window for its points (Save pressed, not yet confirmed).
  const [asking, setAsking] = useState(false);

  const save = (windowEndConfirmed = false) => {
    if (canSave && held.pointIds.length > 0 && !windowEndConfirmed) {
      setAsking(true);
      return;
    }
    setAsking(false);
    return form.submit(canSave, (edit) =>
      props.onSave(
        targets.map((p) => p.id),
        edit,
      ),
    );
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const k = editFormKeys(e, { submit: () => void save(), choose, digits: true });
    if (override && (k === 'U' || (k !== null && e.key === '5'))) {
      e.preventDefault();
      choose('Occupied');
    }
  };

  useEffect(() => {
    if (!override && status === 'Occupied') setStatus(null);
  }, [override, status, setStatus]);

  const title = single
    ? `Change status: ${single.label}`
    : `Change status of ${targets.length} points${siteCount > 1 ? ` at ${siteCount} sites` : ''}`;

  return (
    <Modal
      dialogRef={dialogRef}
      className="dialog editor"
      labelledBy="editor-title"
      describedBy="editor-desc"
      testId="editor"
      onClose={props.onClose}
      onKeyDown={onKeyDown}
    >
      <DialogHead titleId="editor-title" onClose={props.onClose}>
        {title}
      </DialogHead>

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

      <StatusChoices
        legend="New status"
        chosen={status}
        isCurrent={(s) => currentCounts.has(s)}
        testIdPrefix="editor"
        onChoose={choose}
      >
        {props.onPlan && (
          <p className="plan-instead">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => props.onPlan?.(targets.map((p) => p.id))}
              data-testid="editor-plan-window"
            >
              Planned…
            </button>{' '}
            <span className="muted small">
              Maintenance later, for a set time: the backend starts and ends it on its own.
            </span>
          </p>
        )}
        <label className="override">
          <input
            type="checkbox"
            checked={override}
            onChange={(e) => setOverride(e.target.checked)}
            data-testid="editor-override"
          />
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
              testIdPrefix="editor"
              onChoose={choose}
            />
          </div>
        )}
      </StatusChoices>

      <EditFields
        form={form}
        idPrefix="editor"
        reasonRequired={!!status && reasonRequired(status)}
        reasonPlaceholder={status ? 'Pick one below or type your own' : 'Choose a status first'}
        reasonInvalid={tried && !!status && reasonRequired(status) && !reason.trim()}
        untilHint={`optional${status && !untilAllowed(status) ? '; only for Maintenance and Out of Service' : ''}`}
        quickUntil={quickUntilOptions(props.nowMs, true, zone.tz)}
        zone={zone}
        nowMs={props.nowMs}
      />

      <ProblemList problems={problems} show={tried} />
      {roleProblem && <p className="notice notice-error">{roleProblem}</p>}
      {asking && held.pointIds.length > 0 && (
        <WindowEndConfirm
          held={held}
          total={targets.length}
          points={points}
          sites={props.sites}
          nowMs={props.nowMs}
          testId="editor-window-confirm"
          onYes={() => void save(true)}
          onNo={() => setAsking(false)}
        />
      )}
      <EditFooter
        idPrefix="editor"
        testId="editor-save"
        submitKey="S"
        submitWord="save"
        canSubmit={canSave}
        blockedText={[...problems, roleProblem ?? ''].join(' ')}
        error={error && `Not saved: ${error}`}
        onSubmit={() => void save()}
        onCancel={props.onClose}
      >
        {saving ? 'Saving…' : targets.length > 1 ? `Save for ${targets.length} points` : 'Save'}
      </EditFooter>
    </Modal>
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
