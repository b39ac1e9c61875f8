// The question a status dialog asks before changing points a running maintenance window holds: the change ends the
// window for them (they are not put back at its end). Yes saves; No goes back to the form.
import type { ViewPoint } from '../../../../common/consoleApi.js';
import type { Site } from '../../../../common/model.js';
import { siteTime } from '../../model/windows.js';
import '../../styles/planned.css';
import { ConfirmBox } from './ConfirmBox.js';
import type { HeldByWindows } from './runningWindows.js';
import { zoneOfPoints } from './windowZone.js';

export function WindowEndConfirm({
  held,
  total,
  points,
  sites,
  nowMs,
  testId,
  onYes,
  onNo,
}: {
  held: HeldByWindows;
  /** How many points the change is for. */
  total: number;
  points: ReadonlyMap<string, ViewPoint>;
  sites: ReadonlyMap<string, Site>;
  nowMs: number;
  testId: string;
  onYes(): void;
  onNo(): void;
}) {
  const n = held.pointIds.length;
  const first = held.windows[0];
  const zone = zoneOfPoints(held.pointIds, points, sites);
  const until = first.endsAt ? `until ${siteTime(first.endsAt, zone.tz, nowMs)}` : 'open-ended';
  const named =
    held.windows.length === 1
      ? `the running maintenance window “${first.reason}” (${until})`
      : `${held.windows.length} running maintenance windows (“${first.reason}”, ${until}, and others)`;
  const who =
    total === 1
      ? `${points.get(held.pointIds[0])?.label ?? held.pointIds[0]} is in ${named}.`
      : `${n} of these ${total} points ${n === 1 ? 'is' : 'are'} in ${named}.`;
  return (
    <ConfirmBox
      testId={testId}
      yes={n === 1 ? 'Yes, end the window for it' : `Yes, end the windows for these ${n}`}
      onYes={onYes}
      onNo={onNo}
    >
      {who} This change ends the window for {n === 1 ? 'it' : 'them'}: at the window’s end{' '}
      {n === 1 ? 'it is' : 'they are'} not put back to what {n === 1 ? 'it' : 'they'} had before. Save it anyway?
    </ConfirmBox>
  );
}
