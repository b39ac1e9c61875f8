// The backend's one SQLite connection: node/'s named, timed statements over a file opened with synchronous=FULL.
import { Db } from '../../node/db.js';

export { Db, Stmt } from '../../node/db.js';

export interface StoreDbOptions {
  file: string;
  log: (line: string) => void;
  /** Statements or transactions slower than this are logged (never with their parameters). */
  slowMs?: number;
}

/**
 * FULL: every commit is on disk before it is answered (an edit the backend said it saved, a station report it
 * acknowledged). NORMAL lost the last commits on power loss. Costs one fsync per commit, ~2.5 ms here
 * (bench/syncModeProbe.ts); edits of one request and station messages of one turn share one commit.
 */
export function openStoreDb(opts: StoreDbOptions): Db {
  return Db.open(opts.file, { synchronous: 'FULL', log: opts.log, slowMs: opts.slowMs });
}
