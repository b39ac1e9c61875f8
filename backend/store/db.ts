// The backend's one database connection: node/'s named, timed statements over SQLite (a file opened with
// synchronous=FULL) or PostgreSQL (store/pg/). The repos see only the StoreDb interface, called Db here.
import { Db as SqliteDb, type Statement, type StoreDb } from '../../node/db.js';
import { WAL_CHECKPOINT_PAGES_UNDER_LOAD } from '../../node/sqlite.js';
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
    walCheckpointPages: WAL_CHECKPOINT_PAGES_UNDER_LOAD,
    log: opts.log,
    slowMs: opts.slowMs,
  });
}

/** PostgreSQL commits are durable by default (synchronous_commit on). */
export function openPgStoreDb(url: string, opts: StoreDbOptions): PgDb {
  return new PgDb({ url, log: opts.log, slowMs: opts.slowMs });
}
