// The consoles' alert requests: the list (with the rules in force), a person acknowledging, assigning or resolving
// one, and a supervisor changing the rules.
import type { AlertRulesState, Alerts } from '../../common/alerts.js';
import type { Clock } from '../../common/clock.js';
import { AlertEngine, AlertError } from '../alerts/engine.js';
import type { AlertRuleBook } from '../alerts/ruleBook.js';
import type { Store } from '../store/index.js';
import { answer } from './answer.js';
import type { AlertRequests } from './gateway.js';

const refused = (error: unknown): error is AlertError => error instanceof AlertError;
/** Resolved alerts stay listed this long. */
const RESOLVED_LISTED_MS = 24 * 3600_000;

export interface AlertRulesParts {
  book: AlertRuleBook;
  /** The rules changed: every console must hear. */
  changed(state: AlertRulesState): void;
  log(line: string): void;
}

export function alertRequests(store: Store, engine: AlertEngine, clock: Clock, rules: AlertRulesParts): AlertRequests {
  return {
    list: () => answer(() => allAlerts(store, clock, rules.book), refused),
    act: (req, session) =>
      answer(() => {
        const by = { username: session.username, role: session.role };
        if (req.action !== 'setRules') return { alert: engine.act(req, by) };
        const state = rules.book.change(req, by, new Date(clock.now()).toISOString());
        engine.setRules(state.rules);
        rules.log(`alert rules: version ${state.version} set by ${by.username}`);
        rules.changed(state);
        return { rules: state };
      }, refused),
  };
}

export function allAlerts(store: Store, clock: Clock, book: AlertRuleBook): Alerts {
  const since = new Date(clock.now() - RESOLVED_LISTED_MS).toISOString();
  return { networkId: store.networkId, full: true, alerts: store.alerts.current(since), rules: book.state() };
}
