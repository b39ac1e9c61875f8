// The consoles' alert requests: the list, and a person acknowledging, assigning or resolving one.
import type { Alerts } from '../../common/alerts.js';
import type { Clock } from '../../common/clock.js';
import { AlertEngine, AlertError } from '../alerts/engine.js';
import type { Store } from '../store/index.js';
import { answer } from './answer.js';
import type { AlertRequests } from './gateway.js';

const refused = (error: unknown): error is AlertError => error instanceof AlertError;
/** Resolved alerts stay listed this long. */
const RESOLVED_LISTED_MS = 24 * 3600_000;

export function alertRequests(store: Store, engine: AlertEngine, clock: Clock): AlertRequests {
  return {
    list: () => answer(() => allAlerts(store, clock), refused),
    act: (req, session) => answer(() => ({ alert: engine.act(req, { username: session.username, role: session.role }) }), refused),
  };
}

export function allAlerts(store: Store, clock: Clock): Alerts {
  const since = new Date(clock.now() - RESOLVED_LISTED_MS).toISOString();
  return { networkId: store.networkId, full: true, alerts: store.alerts.current(since) };
}
