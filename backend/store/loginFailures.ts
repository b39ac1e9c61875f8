// Failed sign-ins counted in the store, so that every instance on one PostgreSQL counts them together (docs/cluster.md):
// the entries of an attempt's username and address are read, changed and written in one transaction that holds the
// sign-ins' one advisory lock, so two instances' attempts are counted one after the other and no two writers of the
// table ever wait on each other in a circle (sign-ins are few; one lock costs them nothing). Rows past their window
// are pruned as attempts come, under the same lock.
import type { Db, Stmt } from './db.js';

export interface LoginEntry {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

/** Where the limiter keeps its entries: changed only through `atomically`. */
export interface LoginCounts {
  /**
   * Calls fn with the entries of these keys (a key without one is absent) and keeps what fn leaves: an entry set is
   * written, a key deleted is forgotten. Nothing else changes those keys meanwhile.
   */
  atomically<T>(keys: string[], fn: (entries: Map<string, LoginEntry>) => T): T;
}

/** The advisory lock space of the keys (others' advisory locks on the database never collide). */
const LOGIN_SPACE = 0x56420003;
const PRUNE_EVERY = 100;

interface Row {
  key: string;
  failures: number;
  last_failure_ms: number;
  locked_until_ms: number;
}

export class LoginFailuresRepo implements LoginCounts {
  private readonly s: { lock: Stmt | null; get: Stmt<Row>; put: Stmt; remove: Stmt; prune: Stmt };
  private calls = 0;

  constructor(
    private readonly db: Db,
    /** Rows whose last failure is older than this and whose lock has ended are pruned. */
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.s = {
      lock:
        db.dialect === 'postgres'
          ? db.prepare('login key lock', 'SELECT 1 AS ok FROM pg_advisory_xact_lock(CAST(? AS INTEGER), 0)')
          : null,
      get: db.prepare(
        'login failures get',
        'SELECT key, failures, last_failure_ms, locked_until_ms FROM login_failures WHERE key = ?',
      ),
      put: db.prepare(
        'login failures put',
        `INSERT INTO login_failures (key, failures, last_failure_ms, locked_until_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_ms = excluded.last_failure_ms,
           locked_until_ms = excluded.locked_until_ms`,
      ),
      remove: db.prepare('login failures remove', 'DELETE FROM login_failures WHERE key = ?'),
      prune: db.prepare(
        'login failures prune',
        'DELETE FROM login_failures WHERE last_failure_ms < ? AND locked_until_ms <= ?',
      ),
    };
  }

  atomically<T>(keys: string[], fn: (entries: Map<string, LoginEntry>) => T): T {
    return this.db.tx('login failures', () => {
      this.s.lock?.get(LOGIN_SPACE);
      if (++this.calls % PRUNE_EVERY === 0) {
        const t = this.now();
        this.s.prune.run(t - this.windowMs, t);
      }
      const entries = new Map<string, LoginEntry>();
      for (const key of keys) {
        const r = this.s.get.get(key);
        if (r) {
          entries.set(key, {
            failures: Number(r.failures),
            lastFailure: Number(r.last_failure_ms),
            lockedUntil: Number(r.locked_until_ms),
          });
        }
      }
      const before = new Map([...entries].map(([k, e]) => [k, { ...e }]));
      const result = fn(entries);
      for (const key of keys) {
        const e = entries.get(key);
        const was = before.get(key);
        if (!e) {
          if (was) this.s.remove.run(key);
        } else if (
          !was ||
          was.failures !== e.failures ||
          was.lastFailure !== e.lastFailure ||
          was.lockedUntil !== e.lockedUntil
        ) {
          this.s.put.run(key, e.failures, e.lastFailure, e.lockedUntil);
        }
      }
      return result;
    });
  }
}
