// Session-level advisory locks on the store's own connection (PostgreSQL only): an instance holds its own lock for
// as long as it lives, and the leader holds the leader's lock. PostgreSQL releases both when the connection ends, so
// another instance taking one proves its holder is gone (docs/cluster.md, "Work that runs once").
import type { Db, Stmt } from './db.js';

/** The first key of every lock taken here, so other applications' advisory locks on the database never collide. */
const LEADER_SPACE = 0x56420001;
const INSTANCE_SPACE = 0x56420002;

export class ClusterLocks {
  private readonly tryLock: Stmt<{ ok: number }>;
  private readonly unlock: Stmt<{ ok: number }>;
  private readonly ping: Stmt<{ ok: number }>;

  constructor(db: Db) {
    if (db.dialect !== 'postgres') throw new Error('cluster locks need the store on PostgreSQL');
    this.tryLock = db.prepare(
      'advisory try lock',
      'SELECT CASE WHEN pg_try_advisory_lock(CAST(? AS INTEGER), CAST(? AS INTEGER)) THEN 1 ELSE 0 END AS ok',
    );
    this.unlock = db.prepare(
      'advisory unlock',
      'SELECT CASE WHEN pg_advisory_unlock(CAST(? AS INTEGER), CAST(? AS INTEGER)) THEN 1 ELSE 0 END AS ok',
    );
    this.ping = db.prepare('store ping', 'SELECT 1 AS ok');
  }

  /** Whether the store's connection still answers (after a failed check: a lost connection stops the instance). */
  storeAnswers(): boolean {
    try {
      return this.ping.get()?.ok === 1;
    } catch {
      return false;
    }
  }

  /** Takes the leader's lock if no live instance holds it. Taking it again while held is harmless (counted once). */
  tryLead(): boolean {
    return this.take(LEADER_SPACE, 0);
  }

  /** Takes an instance's own lock: true when no live connection held it. */
  tryInstance(instance: number): boolean {
    return this.take(INSTANCE_SPACE, instance);
  }

  /** Whether an instance is alive: its lock is held by another connection. Leaves no lock taken. */
  instanceAlive(instance: number): boolean {
    if (!this.take(INSTANCE_SPACE, instance)) return true;
    this.unlock.get(INSTANCE_SPACE, instance);
    return false;
  }

  private take(space: number, key: number): boolean {
    return this.tryLock.get(space, key)?.ok === 1;
  }
}
