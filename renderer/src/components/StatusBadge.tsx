// A status as colour, icon and word together (never colour alone).
import { memo } from 'react';
import { STATUS_LABELS } from '../../../common/status.js';
import type { OperatorStatus, ReportedStatus, ShownStatus } from '../../../common/status.js';
import { STATUS_ICONS } from './icons.js';

export type AnyStatus = ShownStatus | OperatorStatus | ReportedStatus;

export const StatusBadge = memo(function StatusBadge({
  status,
  size = 'md',
  subtle = false,
  title,
}: {
  status: AnyStatus;
  size?: 'sm' | 'md' | 'lg';
  subtle?: boolean;
  title?: string;
}) {
  const Icon = STATUS_ICONS[status];
  return (
    <span className={`badge badge-${size} st-${status}${subtle ? ' badge-subtle' : ''}`} title={title}>
      <Icon size={size === 'lg' ? 16 : size === 'sm' ? 12 : 13} />
      <span className="badge-text">{STATUS_LABELS[status]}</span>
    </span>
  );
});
