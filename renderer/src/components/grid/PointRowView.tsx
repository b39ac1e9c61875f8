// A point's row in the grid: its statuses, the operator's change and its delivery, the last change and the station.
import { memo } from 'react';
import type { MouseEvent } from 'react';
import type { AlertState } from '../../../../common/alerts.js';
import type { StationLiveness } from '../../../../common/consoleApi.js';
import { DELIVERY_LABELS } from '../../../../common/status.js';
import { connectivityOf } from '../../model/connectivity.js';
import { deliveryAdvice } from '../../model/deliveryLabels.js';
import type { FlashLevel } from '../../model/flash.js';
import type { PointGridRow } from '../../model/rows.js';
import type { PointWindow } from '../../model/windows.js';
import { actorName, fullTime, shortTime } from '../../util/time.js';
import { DeliverySteps } from '../DeliverySteps.js';
import { IconInfo } from '../icons.js';
import { AlertMark } from '../alerts/AlertsButton.js';
import { PlannedMark, UntilMark } from '../planned/RowMarks.js';
import { StatusBadge } from '../StatusBadge.js';
import { ConnectivityCell } from './ConnectivityCell.js';
import { POINT_ROW_H, rowDomId } from './gridColumns.js';
import { ReportedCell } from './ReportedCell.js';
import { useFocusLeavesReusedRow } from './useFocusLeavesReusedRow.js';

export const PointRowView = memo(function PointRowView({
  row,
  index,
  start,
  focused,
  selected,
  editing,
  flashLevel,
  live,
  planned,
  alert,
  invalid,
  nowMs,
  grouped,
  onRowClick,
  onOpenEditor,
  onOpenDrawer,
  onSelect,
}: {
  row: PointGridRow;
  index: number;
  start: number;
  focused: boolean;
  selected: boolean;
  editing: boolean;
  flashLevel: FlashLevel;
  /** The station's liveness entry (a new object only when it changed, so other rows do not render again). */
  live: StationLiveness | undefined;
  /** The window this point is in or planned for (the same object until the windows change). */
  planned: PointWindow | undefined;
  /** The state of an alert about this point or its station that is not resolved. */
  alert: AlertState | undefined;
  /** Why the backend's latest record of this point was skipped (undefined: it was not). */
  invalid: string | undefined;
  nowMs: number;
  grouped: boolean;
  onRowClick(e: MouseEvent, key: string): void;
  onOpenEditor(pointId?: string): void;
  onOpenDrawer(pointId: string): void;
  onSelect(ids: string[], mode: 'toggle' | 'replace' | 'add'): void;
}) {
  const d = row.data;
  const p = d.point;
  const v = d.view;
  const conn = connectivityOf(p, live);
  const pending = p.pending && p.pending.state !== 'failed' ? p.pending : null;
  const op = pending
    ? { status: pending.edit.status, reason: pending.edit.reason, until: pending.edit.until }
    : p.operator;
  const hasOperatorChange = p.operator.version > 0 || p.pending != null || p.operator.status !== 'Available';
  const advice = deliveryAdvice(v.delivery);
  const cls =
    `grid-row point-row${focused ? ' is-focused' : ''}${selected ? ' is-selected' : ''}${editing ? ' is-editing' : ''}` +
    `${flashLevel ? ' is-flashing' : ''}${v.shown === 'Faulted' ? ' is-faulted' : ''}${conn.kind !== 'online' ? ' is-' + conn.kind : ''}` +
    `${invalid !== undefined ? ' is-invalid' : ''}`;
  const ref = useFocusLeavesReusedRow(row.key);
  return (
    <div
      ref={ref}
      id={rowDomId(row.key)}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-level={grouped ? 2 : undefined}
      className={cls}
      style={{ transform: `translateY(${start}px)`, height: POINT_ROW_H }}
      data-testid={`row-${p.id}`}
      data-point-id={p.id}
      data-shown-status={v.shown}
      data-delivery={v.delivery}
      data-applying={v.applying ?? undefined}
      onClick={(e) => onRowClick(e, row.key)}
      onDoubleClick={() => onOpenEditor(p.id)}
    >
      <div role="gridcell" className="cell col-select">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={selected}
          aria-label={`Select ${p.label}`}
          onClick={(e) => e.stopPropagation()}
          onChange={() => onSelect([p.id], 'toggle')}
        />
      </div>
      <div
        role="gridcell"
        className="cell col-site"
        title={d.site?.city ? `${d.siteName}, ${d.site.city}` : d.siteName}
      >
        <span className="ellipsis">{d.siteName}</span>
      </div>
      <div role="gridcell" className="cell col-point">
        <span className="point-label">{p.label}</span>
        <span className="point-station" title={`Station ${p.stationId}, EVSE ${p.evseId} (${p.protocol})`}>
          {p.stationId} · {p.evseId}
        </span>
        <button
          type="button"
          className="row-info"
          tabIndex={-1}
          aria-label={`Details for ${p.label}`}
          title="Details (I)"
          onClick={(e) => {
            e.stopPropagation();
            onRowClick(e, row.key);
            onOpenDrawer(p.id);
          }}
        >
          <IconInfo size={13} />
        </button>
      </div>
      <div role="gridcell" className="cell col-shown">
        <StatusBadge status={v.shown} applying={v.applying !== null} />
        {alert && alert !== 'resolved' ? <AlertMark state={alert} /> : null}
        {invalid !== undefined && (
          <span
            className="invalid-mark"
            title={`Invalid data from the backend: ${invalid}. This row shows what the console had before.`}
            data-testid="invalid-mark"
          >
            invalid
          </span>
        )}
      </div>
      <div role="gridcell" className="cell col-reported">
        <ReportedCell d={d} stale={conn.kind !== 'online'} nowMs={nowMs} />
      </div>
      <div role="gridcell" className="cell col-operator" title={op.reason ?? undefined}>
        {hasOperatorChange || op.status !== 'Available' ? (
          <>
            <StatusBadge status={op.status} size="sm" subtle />
            {/* In a running window the window's mark says when it ends (the until is the window's end), before the reason. */}
            {planned?.running ? <PlannedMark planned={planned} tz={d.site?.timeZone} nowMs={nowMs} /> : null}
            {op.reason ? <span className="op-reason ellipsis">{op.reason}</span> : null}
            {op.until && !planned?.running ? <UntilMark point={p} tz={d.site?.timeZone} nowMs={nowMs} /> : null}
            {planned && !planned.running ? <PlannedMark planned={planned} tz={d.site?.timeZone} nowMs={nowMs} /> : null}
          </>
        ) : planned ? (
          <PlannedMark planned={planned} tz={d.site?.timeZone} nowMs={nowMs} />
        ) : (
          <span className="muted">—</span>
        )}
      </div>
      <div role="gridcell" className="cell col-delivery" title={advice ?? undefined}>
        {hasOperatorChange ? (
          <DeliverySteps
            state={v.delivery}
            detail={p.pending?.error ?? p.delivery.detail}
            at={p.pending ? null : p.delivery.at}
            nowMs={nowMs}
            compact
          />
        ) : (
          <span className="muted" title={DELIVERY_LABELS[v.delivery]}>
            —
          </span>
        )}
      </div>
      <div
        role="gridcell"
        className="cell col-lastChange"
        title={d.lastChangeAt ? fullTime(d.lastChangeAt) : undefined}
      >
        {d.lastChangeAt ? (
          <>
            <span className="ellipsis lc-who">{d.lastChangeBy ? actorName(d.lastChangeBy) : 'unknown'}</span>
            <span className="lc-when">{shortTime(d.lastChangeAt, nowMs)}</span>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </div>
      <div role="gridcell" className="cell col-connectivity">
        <ConnectivityCell conn={conn} nowMs={nowMs} />
      </div>
      {flashLevel ? <span className={`row-flash flash-${flashLevel}`} aria-hidden="true" /> : null}
    </div>
  );
});
