// The alert rules in force: durable, the defaults until a supervisor changes them, every change kept with who, when,
// the old rules and the new. All their SQL lives here.
import {
  alertRulesSchema,
  mayEditAlertRules,
  type AlertRules,
  type AlertRulesChange,
  type AlertRulesState,
} from '../../common/alerts.js';
import type { Role } from '../../common/model.js';
import type { Db, Stmt } from '../store/db.js';
import { AlertError } from './alertError.js';

interface RulesRow {
  rules: string;
  version: number;
  changed_by: string;
  changed_at: string;
}

export interface AlertRulesChangeEntry {
  version: number;
  at: string;
  actor: string;
  oldRules: AlertRules;
  newRules: AlertRules;
}

export class AlertRuleBook {
  private readonly s: {
    get: Stmt<RulesRow>;
    put: Stmt;
    log: Stmt;
    history: Stmt<{ version: number; at: string; actor: string; old_rules: string; new_rules: string }>;
  };

  /** `defaults`: the rules while no supervisor has changed them (common's defaults, or the backend's options). */
  constructor(
    private readonly db: Db,
    private readonly defaults: AlertRules,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.s = {
      get: db.prepare('alert rules get', 'SELECT rules, version, changed_by, changed_at FROM alert_rules WHERE id = 1'),
      put: db.prepare(
        'alert rules put',
        `INSERT INTO alert_rules (id, rules, version, changed_by, changed_at) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET rules = excluded.rules, version = excluded.version,
           changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
      ),
      log: db.prepare(
        'alert rules log',
        'INSERT INTO alert_rule_changes (version, at, actor, old_rules, new_rules) VALUES (?, ?, ?, ?, ?)',
      ),
      history: db.prepare('alert rules history', 'SELECT * FROM alert_rule_changes ORDER BY id DESC LIMIT ?'),
    };
  }

  state(): AlertRulesState {
    const row = this.s.get.get();
    if (!row) return { rules: this.defaults, version: 0, changedBy: null, changedAt: null };
    const parsed = alertRulesSchema.safeParse(JSON.parse(row.rules));
    if (!parsed.success) {
      this.log(`alert rules: the stored rules are unreadable, using the defaults (${parsed.error.issues[0]?.message})`);
      return { rules: this.defaults, version: row.version, changedBy: row.changed_by, changedAt: row.changed_at };
    }
    return { rules: parsed.data, version: row.version, changedBy: row.changed_by, changedAt: row.changed_at };
  }

  /** A supervisor's change (the request was validated by its schema); refused for other roles and stale versions. */
  change(req: AlertRulesChange, by: { username: string; role: Role }, at: string): AlertRulesState {
    if (!mayEditAlertRules(by.role)) {
      throw new AlertError('forbidden', `only a supervisor may change the alert rules; a ${by.role} may read them`);
    }
    return this.db.tx('alert rules change', () => {
      const now = this.state();
      if (req.version !== now.version) {
        throw new AlertError(
          'conflict',
          `the alert rules were changed since (by ${now.changedBy ?? 'someone'}): look at them again`,
        );
      }
      const version = now.version + 1;
      this.s.put.run(JSON.stringify(req.rules), version, by.username, at);
      this.s.log.run(version, at, by.username, JSON.stringify(now.rules), JSON.stringify(req.rules));
      return { rules: req.rules, version, changedBy: by.username, changedAt: at };
    });
  }

  /** The latest changes first: who, when, old → new. */
  history(limit = 100): AlertRulesChangeEntry[] {
    return this.s.history.all(limit).map((r) => ({
      version: r.version,
      at: r.at,
      actor: r.actor,
      oldRules: JSON.parse(r.old_rules) as AlertRules,
      newRules: JSON.parse(r.new_rules) as AlertRules,
    }));
  }
}
