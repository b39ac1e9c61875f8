// The header's Alerts button: how many are open and acknowledged; opens the panel (also Shift+A).
import type { AlertGroups } from '../../model/alerts.js';
import { IconAlert } from '../icons.js';

export function AlertsButton({ groups, onClick }: { groups: AlertGroups; onClick(): void }) {
  const open = groups.open.length;
  const acknowledged = groups.acknowledged.length;
  return (
    <button
      type="button"
      className={`alerts-btn${open > 0 ? ' has-open' : acknowledged > 0 ? ' has-acknowledged' : ''}`}
      onClick={onClick}
      data-testid="open-alerts"
      data-open={open}
      data-acknowledged={acknowledged}
      title="Alerts: open, acknowledged and resolved today (Shift+A)"
      aria-keyshortcuts="Shift+A"
    >
      <IconAlert size={14} />
      {open > 0 ? `${open} open alert${open === 1 ? '' : 's'}` : 'Alerts'}
      {acknowledged > 0 && <span className="alerts-ack"> · {acknowledged} acknowledged</span>}
    </button>
  );
}

/** The mark on a grid row whose point (or station) has an alert that is not resolved. */
export function AlertMark({ state }: { state: 'open' | 'acknowledged' }) {
  return (
    <span
      className={`row-mark alert-mark is-${state}`}
      data-testid="alert-mark"
      data-alert-state={state}
      title={state === 'open' ? 'Alert open: see the Alerts panel (Shift+A)' : 'Alert acknowledged: someone is on it'}
    >
      <IconAlert size={11} />
      {state === 'open' ? 'alert' : 'alert · ack'}
    </span>
  );
}
