// A status as colour, icon and word together (never colour alone).
import { memo } from 'react';
import { STATUS_LABELS } from '../../../common/status.js';
import type { OperatorStatus, ReportedStatus, ShownStatus } from '../../../common/status.js';
import { IconHourglass, STATUS_ICONS } from './icons.js';
import './StatusBadge.css';

export type AnyStatus = ShownStatus | OperatorStatus | ReportedStatus;

export const StatusBadge = memo(function StatusBadge({
  status,
  size = 'md',
  subtle = false,
  applying = false,
  title,
}: {
  status: AnyStatus;
  size?: 'sm' | 'md' | 'lg';
  subtle?: boolean;
  /** The status is on its way to the station, not yet applied there (effectiveView's `applying`): an hourglass and a
   *  dashed outline instead of the status's own icon, and words saying so. */
  applying?: boolean;
  title?: string;
}) {
  const Icon = applying ? IconHourglass : STATUS_ICONS[status];
  return (
    <span
      className={`badge badge-${size} st-${status}${subtle ? ' badge-subtle' : ''}${applying ? ' badge-applying' : ''}`}
      title={
        title ??
        (applying ? `${STATUS_LABELS[status]}: on its way to the station, which has not applied it yet` : undefined)
      }
    >
      <Icon size={size === 'lg' ? 16 : size === 'sm' ? 12 : 13} />
      <span className="badge-text">
        {STATUS_LABELS[status]}
        {applying && size !== 'lg' ? '…' : null}
      </span>
      {applying && size === 'lg' ? <span className="badge-applying-word">on its way to the station</span> : null}
    </span>
  );
});
