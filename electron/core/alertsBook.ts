// The backend's alerts and alert rules as this console last heard them (kept while offline), and which alerts are
// new to it: those it hears of for the first time, whether raised while it listened or while it was away.
import type { Alert, AlertRulesState, Alerts } from '../../common/alerts.js';
import { ConsoleApiError, type AlertsView } from '../../common/consoleApi.js';
import { BackendError } from './sync/backendLink.js';

export class AlertsBook {
  private readonly alerts = new Map<string, Alert>();
  private rules: AlertRulesState | null = null;

  /** Applies a message from the backend: the view for the renderer, and the alerts new to this console. */
  apply(message: Alerts): { view: AlertsView; fresh: Alert[] } {
    const before = message.full ? new Map(this.alerts) : this.alerts;
    const fresh = message.alerts.filter((a) => a.state !== 'resolved' && !before.has(a.id));
    if (message.full) this.alerts.clear();
    for (const a of message.alerts) this.alerts.set(a.id, a);
    if (message.rules) this.rules = message.rules;
    const view: AlertsView = message.full
      ? this.view()
      : { full: false, alerts: message.alerts, ...(message.rules ? { rules: message.rules } : {}) };
    return { view, fresh };
  }

  /** An alert as the backend answered a person's action. */
  set(alert: Alert): void {
    this.alerts.set(alert.id, alert);
  }

  setRules(rules: AlertRulesState): void {
    this.rules = rules;
  }

  /** Another network: its alerts follow the catch-up. */
  clear(): void {
    this.alerts.clear();
    this.rules = null;
  }

  view(): AlertsView {
    return { full: true, alerts: [...this.alerts.values()], rules: this.rules };
  }
}

/** The backend's refusal of an alert request, as the renderer is told it. */
export function alertRequestError(error: unknown): unknown {
  if (!(error instanceof BackendError)) return error;
  if (error.code === 'notFound') return new ConsoleApiError('notFound', error.message);
  if (error.code === 'invalid' || error.code === 'conflict') return new ConsoleApiError('invalid', error.message);
  if (error.code === 'unauthenticated' || error.code === 'forbidden')
    return new ConsoleApiError('forbidden', error.message);
  return new ConsoleApiError('offline', `the backend did not take it: ${error.message}`);
}
