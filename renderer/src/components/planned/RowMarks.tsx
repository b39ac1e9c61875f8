// Marks in a grid row's operator cell: the expected end (overdue since…, back to Available at…, until…) and the
// maintenance window the point is in or planned for. Short text in the site's zone; the tooltip says it in full,
// with the viewer's own time where it differs.
import type { ViewPoint } from '../../../../common/consoleApi.js';
import type { PointWindow } from '../../model/windows.js';
import { siteTime, untilState, zonedClock } from '../../model/windows.js';
import { IconAlert, IconClock, IconUndo, IconWrench } from '../icons.js';

export function UntilMark({ point, tz, nowMs }: { point: ViewPoint; tz: string | undefined; nowMs: number }) {
  const u = untilState(point, nowMs);
  if (!u) return null;
  const zone = tz || 'UTC';
  const at = zonedClock(Date.parse(u.until), zone, nowMs);
  const full = siteTime(u.until, zone, nowMs);
  if (u.kind === 'overdue')
    return (
      <span
        className="row-mark overdue-mark"
        data-testid="overdue-mark"
        title={`Expected end ${full} has passed and the point is still out of operation`}
      >
        <IconAlert size={11} />
        overdue since {at}
      </span>
    );
  if (u.kind === 'reverts')
    return (
      <span
        className="row-mark reverts-mark"
        data-testid="reverts-mark"
        title={`Goes back to Available on its own at ${full}`}
      >
        <IconUndo size={11} />
        back to Available at {at}
      </span>
    );
  return (
    <span className="op-until" title={`Expected end ${full} (a reminder only: shown overdue if it passes)`}>
      until {at}
    </span>
  );
}

export function PlannedMark({ planned, tz, nowMs }: { planned: PointWindow; tz: string | undefined; nowMs: number }) {
  const w = planned.window;
  const zone = tz || 'UTC';
  if (planned.running)
    return (
      <span
        className="row-mark planned-mark is-running"
        data-testid="planned-mark"
        data-window-state="running"
        title={`Maintenance window “${w.reason}” running${w.endsAt ? ` until ${siteTime(w.endsAt, zone, nowMs)}` : ', open-ended'}`}
      >
        <IconWrench size={11} />
        {w.endsAt ? `to ${zonedClock(Date.parse(w.endsAt), zone, nowMs)}` : 'open-ended'}
      </span>
    );
  return (
    <span
      className="row-mark planned-mark"
      data-testid="planned-mark"
      data-window-state="planned"
      title={`Maintenance window “${w.reason}” planned from ${siteTime(w.startsAt, zone, nowMs)}${w.endsAt ? ` until ${siteTime(w.endsAt, zone, nowMs)}` : ' (open-ended)'}`}
    >
      <IconClock size={11} />
      planned {zonedClock(Date.parse(w.startsAt), zone, nowMs)}
    </span>
  );
}
