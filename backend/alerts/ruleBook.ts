// The alert rules in force: durable, the defaults until a supervisor changes them, every change kept with who, when,
// the old rules and the new. Their SQL is in backend/store/alertRules.ts.
import {
  alertRulesSchema,
  mayEditAlertRules,
  type AlertRules,
  type AlertRulesChange,
  type AlertRulesState,
} from '../../common/alerts.js';
import type { Role } from '../../common/model.js';
import { AlertRulesRepo } from '../store/alertRules.js';
import type { Db } from '../store/db.js';
import { AlertError } from './alertError.js';

export interface AlertRulesChangeEntry {
  version: number;
  at: string;
  actor: string;
  oldRules: AlertRules;
  newRules: AlertRules;
}

export class AlertRuleBook {
  private readonly repo: AlertRulesRepo;

  /** `defaults`: the rules while no supervisor has changed them (common's defaults, or the backend's options). */
  constructor(
    db: Db,
    private readonly defaults: AlertRules,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.repo = new AlertRulesRepo(db);
  }

  state(): AlertRulesState {
    const row = this.repo.current();
    if (!row) return { rules: this.defaults, version: 0, changedBy: null, changedAt: null };
    // Rules stored before a rule existed take that rule's default.
    const parsed = alertRulesSchema.safeParse({ ...this.defaults, ...(JSON.parse(row.rules) as object) });
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
    return this.repo.tx('alert rules change', () => {
      const now = this.state();
      if (req.version !== now.version) {
        throw new AlertError(
          'conflict',
          `the alert rules were changed since (by ${now.changedBy ?? 'someone'}): look at them again`,
        );
      }
      const version = now.version + 1;
      this.repo.put(version, by.username, at, JSON.stringify(now.rules), JSON.stringify(req.rules));
      return { rules: req.rules, version, changedBy: by.username, changedAt: at };
    });
  }

  /** The latest changes first: who, when, old → new. */
  history(limit = 100): AlertRulesChangeEntry[] {
    return this.repo.history(limit).map((r) => ({
      version: r.version,
      at: r.at,
      actor: r.actor,
      oldRules: JSON.parse(r.old_rules) as AlertRules,
      newRules: JSON.parse(r.new_rules) as AlertRules,
    }));
  }
}
