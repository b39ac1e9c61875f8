// The alert rules as stored: one row in force, and every change with who, when, the old rules and the new.
// All their SQL lives here; backend/alerts/ruleBook.ts keeps the rules about who may change what.
import type { Db, Stmt } from './db.js';

export interface AlertRulesRow {
  rules: string;
  version: number;
  changed_by: string;
  changed_at: string;
}

export interface AlertRulesChangeRow {
  version: number;
  at: string;
  actor: string;
  old_rules: string;
  new_rules: string;
}

export class AlertRulesRepo {
  private readonly s: {
    get: Stmt<AlertRulesRow>;
    put: Stmt;
    log: Stmt;
    history: Stmt<AlertRulesChangeRow>;
  };

  constructor(private readonly db: Db) {
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
      history: db.prepare(
        'alert rules history',
        'SELECT version, at, actor, old_rules, new_rules FROM alert_rule_changes ORDER BY id DESC LIMIT ?',
      ),
    };
  }

  /** The rules in force as stored (JSON), or undefined while nobody changed the defaults. */
  current(): AlertRulesRow | undefined {
    return this.s.get.get();
  }

  /** Runs `work` in one transaction (a change reads the version and writes the new rules together). */
  tx<T>(name: string, work: () => T): T {
    return this.db.tx(name, work);
  }

  /** Stores new rules and the change (old → new), inside the caller's transaction. */
  put(version: number, actor: string, at: string, oldRules: string, newRules: string): void {
    this.s.put.run(newRules, version, actor, at);
    this.s.log.run(version, at, actor, oldRules, newRules);
  }

  /** The latest changes first. */
  history(limit: number): AlertRulesChangeRow[] {
    return this.s.history.all(limit);
  }
}
