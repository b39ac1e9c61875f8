// The backend's one database connection: node/'s named, timed statements over SQLite (a file opened with
// synchronous=FULL) or PostgreSQL (store/pg/). The repos see only the StoreDb interface, called Db here.
import { Db as SqliteDb, type Statement, type StoreDb } from '../../node/db.js';
import { PgDb } from './pg/pgDb.js';

export type Db = StoreDb;
export type Stmt<Row = unknown> = Statement<Row>;
export type { Dialect } from '../../node/db.js';

export interface StoreDbOptions {
  log: (line: string) => void;
  /** Statements or transactions slower than this are logged (never with their parameters). */
  slowMs?: number;
}

/**
 * FULL: every commit is on disk before it is answered (an edit the backend said it saved, a station report it
 * acknowledged). NORMAL lost the last commits on power loss. Costs one fsync per commit, ~2.5 ms here
 * (bench/syncModeProbe.ts); edits of one request and station messages of one turn share one commit.
 */
export function openSqliteStoreDb(file: string, opts: StoreDbOptions): SqliteDb {
  return SqliteDb.open(file, {
    synchronous: 'FULL',
    walCheckpointPages: STORE_WAL_CHECKPOINT_PAGES,
    log: opts.log,
    slowMs: opts.slowMs,
  });
}

/**
 * The store's write-ahead log is copied into the database every 10,000 pages (~40 MB) instead of SQLite's 1,000. A
 * station report rewrites the same few pages (the change log's tail, the history's newest rows, their indexes) in
 * every commit: a copy less often writes each of them once for many commits, and the copy runs in the commit that
 * crosses the limit, on the event loop. Measured with 50,000 points: 86–89 µs of event loop per report instead of
 * 118–119 (batches of 20); 91–107 instead of 114–120 (batches of 8). Durability is unchanged: each commit still
 * syncs the log.
 */
export const STORE_WAL_CHECKPOINT_PAGES = 10_000;

/** PostgreSQL commits are durable by default (synchronous_commit on). */
export function openPgStoreDb(url: string, opts: StoreDbOptions): PgDb {
  return new PgDb({ url, log: opts.log, slowMs: opts.slowMs });
}
