// The one global sequence number that orders every change, and the write path that advances it.
import type { Db, Stmt } from './db.js';

export type ChangeListener = (seq: number) => void;

export class ChangeLog {
  private seq: number;
  private depth = 0;
  private readonly listeners = new Set<ChangeListener>();
  private readonly beforeCommitHooks = new Set<ChangeListener>();
  private readonly saveSeq: Stmt;

  constructor(private readonly db: Db) {
    const row = db.raw.prepare("SELECT value FROM meta WHERE key = 'seq'").get() as { value: string } | undefined;
    if (!row) db.raw.prepare("INSERT INTO meta (key, value) VALUES ('seq', '0')").run();
    this.seq = row ? Number(row.value) : 0;
    this.saveSeq = db.prepare('save seq', "UPDATE meta SET value = ? WHERE key = 'seq'");
  }

  /** The seq of the last committed change. */
  get current(): number {
    return this.seq;
  }

  /** Takes the next seq; only valid inside write(). */
  next(): number {
    if (this.depth === 0) throw new Error('seq taken outside a write transaction');
    return ++this.seq;
  }

  /**
   * Runs fn in one transaction. The seq advances with the data or not at all; listeners hear about
   * new changes only after the outermost transaction committed.
   */
  write<T>(name: string, fn: () => T): T {
    const before = this.seq;
    this.depth++;
    let result: T;
    try {
      result = this.db.tx(name, () => {
        const r = fn();
        if (this.depth === 1 && this.seq !== before) for (const h of this.beforeCommitHooks) h(before);
        if (this.seq !== before) this.saveSeq.run(String(this.seq));
        return r;
      });
    } catch (err) {
      this.seq = before;
      throw err;
    } finally {
      this.depth--;
    }
    if (this.depth === 0 && this.seq !== before) {
      for (const l of this.listeners) l(this.seq);
    }
    return result;
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
