// The one global sequence number that orders every change, and the write path that advances it.
// On PostgreSQL several instances may share the store: a write's first seq is taken under a lock on the seq row,
// held to its commit, so seqs commit in the order they were taken (docs/cluster.md).
import type { Db, Stmt } from './db.js';

export type ChangeListener = (seq: number) => void;

/** PostgreSQL: each write that takes seqs notifies this channel on commit, with its last seq (docs/cluster.md). */
export const CHANGES_CHANNEL = 'voltboard_changes';

/** The seq's save and notify as literal SQL (a safe integer, nothing else), for sendWithCommit. */
function saveSeqLiteral(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new Error(`not a seq: ${seq}`);
  return `UPDATE meta SET value = '${seq}' WHERE key = 'seq'; SELECT pg_notify('${CHANGES_CHANNEL}', '${seq}')`;
}

export class ChangeLog {
  private seq: number;
  private depth = 0;
  private readonly listeners = new Set<ChangeListener>();
  private readonly beforeCommitHooks = new Set<ChangeListener>();
  /** Saves the seq; on PostgreSQL also tells the other instances, on commit, that changes up to it are there. */
  private readonly saveSeq: Stmt;
  private readonly readSeq: Stmt<string>;
  /** PostgreSQL only: locks the seq row until commit and reads the seq any instance last committed. */
  private readonly lockSeq: Stmt<string> | null;
  /** The innermost write depth that holds the seq row's lock (0: not held). */
  private lockedAt = 0;
  /** The seq read under the lock: the last one committed before this transaction's first. */
  private lockedFrom = 0;
  /**
   * A write here committed after reading, under the lock, changes other instances had committed and refresh() had not
   * yet seen: the seq moved past them without refresh(), which must still report them.
   */
  private othersPassedOver = false;
  /** Whether the outermost write took a seq for a change that may alter a point's shown status. */
  private shownMayChange = false;

  constructor(private readonly db: Db) {
    this.readSeq = db.preparePluck<string>('read seq', "SELECT value FROM meta WHERE key = 'seq'");
    const row = this.readSeq.get();
    if (row === undefined) {
      db.prepare('start seq', "INSERT INTO meta (key, value) VALUES ('seq', '0') ON CONFLICT (key) DO NOTHING").run();
    }
    this.seq = row === undefined ? 0 : Number(row);
    // One statement on PostgreSQL: it runs under the seq row's lock, which every instance's writes wait for.
    this.saveSeq =
      db.dialect === 'postgres'
        ? db.prepare(
            'save seq and notify',
            `WITH saved AS (UPDATE meta SET value = ? WHERE key = 'seq' RETURNING value)
             SELECT pg_notify('${CHANGES_CHANNEL}', value) FROM saved`,
          )
        : db.prepare('save seq', "UPDATE meta SET value = ? WHERE key = 'seq'");
    this.lockSeq =
      db.dialect === 'postgres'
        ? db.preparePluck<string>('lock seq', "SELECT value FROM meta WHERE key = 'seq' FOR UPDATE")
        : null;
  }

  /** Whether others write the same store: other instances on PostgreSQL, a second thread on SQLite. */
  private get othersWrite(): boolean {
    return this.lockSeq !== null || (this.db.sharedWrites ?? null) !== null;
  }

  /** The seq of the last committed change. */
  get current(): number {
    return this.seq;
  }

  /**
   * Takes the next seq; only valid inside write(). keepsShownStatus: the change cannot alter any point's shown status
   * (a delivery step on the way), so the before-commit hooks need not look (shownMayHaveChanged).
   */
  next(opts?: { keepsShownStatus: boolean }): number {
    this.lock();
    if (!opts?.keepsShownStatus) this.shownMayChange = true;
    return ++this.seq;
  }

  /** Inside a write: whether a seq it took may have changed a point's shown status (false: only delivery steps). */
  get shownMayHaveChanged(): boolean {
    return this.shownMayChange;
  }

  /**
   * PostgreSQL: takes the seq row's lock now, before this write's first seq, so that what it reads next is not
   * changed by another instance before it commits (every write of a point takes a seq). On SQLite, only when another
   * thread writes the same file (the station writer, backend/ocpp/stationWriter.ts): the seq is read in this turn.
   */
  lock(): void {
    if (this.depth === 0) throw new Error('seq taken outside a write transaction');
    if (this.othersWrite && this.lockedAt === 0) {
      // SQLite with a second writing thread: its turn (node/writerHandoff.ts) is the lock; the seq is read in it.
      this.lockedFrom = Number((this.lockSeq ?? this.readSeq).get());
      this.lockedAt = this.depth;
      this.seq = this.lockedFrom;
    }
  }

  /**
   * Runs fn in one transaction. The seq advances with the data or not at all; listeners hear about
   * new changes only after the outermost transaction committed.
   */
  write<T>(name: string, fn: () => T): T {
    const before = this.seq;
    this.depth++;
    if (this.depth === 1) this.shownMayChange = false;
    let result: T;
    let from = before;
    try {
      result = this.db.tx(name, () => {
        const r = fn();
        from = this.lockedAt > 0 ? this.lockedFrom : before;
        if (this.depth === 1 && this.seq !== before) for (const h of this.beforeCommitHooks) h(from);
        // Once, by the outermost write: PostgreSQL slows down with every version of one row a transaction makes.
        if (this.depth === 1 && this.seq !== before) {
          // PostgreSQL: in the COMMIT's round trip where this is the outermost transaction (the lock is held for one
          // round trip less).
          if (!this.db.sendWithCommit?.(saveSeqLiteral(this.seq))) this.saveSeq.run(String(this.seq));
        }
        return r;
      });
      // A released savepoint hands its locks to the transaction around it.
      if (this.lockedAt === this.depth) this.lockedAt = this.depth - 1;
    } catch (err) {
      this.seq = before;
      // A rolled-back savepoint releases the locks taken in it (and no seq outside it was taken before them).
      if (this.lockedAt >= this.depth) this.lockedAt = 0;
      throw err;
    } finally {
      this.depth--;
      if (this.depth === 0) this.lockedAt = 0;
    }
    if (this.depth === 0 && this.seq !== before) {
      if (from > before) this.othersPassedOver = true;
      for (const l of this.listeners) l(this.seq);
    }
    return result;
  }

  /**
   * Other writers (instances on PostgreSQL, the station writer's thread on SQLite) may have committed changes since
   * this one last wrote. Catches the seq up to the last
   * committed one and tells the listeners, as after a write here. Outside any transaction only. True when other
   * instances committed changes since the last refresh, also those a write here has already moved the seq past.
   */
  refresh(): boolean {
    if (!this.othersWrite || this.depth > 0) return false;
    const committed = Number(this.readSeq.get());
    const passedOver = this.othersPassedOver;
    this.othersPassedOver = false;
    if (committed <= this.seq) return passedOver;
    this.seq = committed;
    for (const l of this.listeners) l(this.seq);
    return true;
  }

  /**
   * Runs hook(seqBefore) inside the outermost write, after its changes and before its commit: what the hook writes
   * commits with them or not at all (the point status history, backend/history/recorder.ts).
   */
  beforeCommit(hook: ChangeListener): () => void {
    this.beforeCommitHooks.add(hook);
    return () => this.beforeCommitHooks.delete(hook);
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const nowIso = (): string => new Date().toISOString();
