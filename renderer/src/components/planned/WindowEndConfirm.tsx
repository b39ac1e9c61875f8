// The question a status dialog asks before changing points a running maintenance window holds: the change ends the
// window for them (they are not put back at its end). Yes saves; No goes back to the form. The bulk results ask it
// before a retry (which may also leave them and retry the others) and before an undo (which leaves them).
import type { ViewPoint } from '../../../../common/consoleApi.js';
import type { Site } from '../../../../common/model.js';
import { siteTime } from '../../model/windows.js';
import '../../styles/planned.css';
import { ConfirmBox } from './ConfirmBox.js';
import type { HeldByWindows } from './runningWindows.js';
import { windowEndQuestion, type WindowEndAction } from './windowEndWords.js';
import { zoneOfPoints } from './windowZone.js';

export function WindowEndConfirm({
  held,
  total,
  points,
  sites,
  nowMs,
  testId,
  action = 'change',
  onYes,
  onLeave,
  onNo,
}: {
  held: HeldByWindows;
  /** How many points the change is for. */
  total: number;
  points: ReadonlyMap<string, ViewPoint>;
  sites: ReadonlyMap<string, Site>;
  nowMs: number;
  testId: string;
  action?: WindowEndAction;
  onYes(): void;
  /** Sends the action without the held points (offered when the question has that choice). */
  onLeave?(): void;
  onNo(): void;
}) {
  const first = held.windows[0];
  const zone = zoneOfPoints(held.pointIds, points, sites);
  const q = windowEndQuestion({
    action,
    held,
    total,
    firstLabel: points.get(held.pointIds[0])?.label ?? held.pointIds[0],
    until: first.endsAt ? `until ${siteTime(first.endsAt, zone.tz, nowMs)}` : 'open-ended',
  });
  return (
    <ConfirmBox
      testId={testId}
      yes={q.yes}
      alt={q.leave && onLeave ? { label: q.leave, onClick: onLeave } : undefined}
      onYes={onYes}
      onNo={onNo}
    >
      {q.text}
    </ConfirmBox>
  );
}
