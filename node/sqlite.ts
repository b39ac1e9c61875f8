// Opens a better-sqlite3 database with the native build of the running runtime, its pragmas, durable transactions.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Under Electron the addon must be built against Electron's ABI: `npm run native:electron` puts that build in
 * native/electron-<modules>/better_sqlite3.node (or electron-builder's own rebuild does, when packaged).
 * Under plain Node the addon npm built in node_modules is used.
 */
export function nativeBindingPath(): string | undefined {
  const electronVersion = process.versions.electron;
  if (!electronVersion) return undefined;
  const candidate = path.join(projectRoot, 'native', `electron-${process.versions.modules}`, 'better_sqlite3.node');
  return existsSync(candidate) ? candidate : undefined;
}

export type SqliteDatabase = Database.Database;

/**
 * How every commit reaches the disk. FULL: each commit is on disk before it returns (the backend: an edit it said it
 * saved, a station report it acknowledged). NORMAL: the last commits may be lost on power loss but the file stays
 * sound; the commits that must not be lost use durableTransaction (the console's outbox).
 */
export type SynchronousMode = 'NORMAL' | 'FULL';

/**
 * For a database written all day by a live load (the backend's store, a console's cache): its write-ahead log is
 * copied into the database every 10,000 pages (~40 MB) instead of SQLite's 1,000. A live change rewrites the same
 * few pages in commit after commit (the change log's tail, the newest history rows, their indexes); copying less
 * often writes each of them once for many commits, and the copy runs in the commit that crosses the limit, on the
 * event loop. The costs: each database keeps a log file of ~41 MB (not ~4 MB), a single copy takes longer (an earlier
 * session measured stalls of up to 65 ms; docs/performance.md), and at synchronous=NORMAL (a console's cache) a power
 * loss may take back more of the last live changes, which the console fetches again from the backend; commits that
 * must not be lost (the outbox) are synced as before. Measured with 50,000 points, alternating:
 * the backend's store 86–89 µs of event loop per station report instead of 118–119 (batches of 20), 91–107 instead
 * of 114–120 (batches of 8); a console's cache 20.7–25.8 µs per live change instead of 25.7–33.8 (batches of 100).
 */
export const WAL_CHECKPOINT_PAGES_UNDER_LOAD = 10_000;

export interface OpenOptions {
  synchronous?: SynchronousMode;
  /** Pages the write-ahead log may hold before a commit copies them into the database (SQLite's default: 1,000). */
  walCheckpointPages?: number;
}

export function openSqlite(
  file: string,
  { synchronous = 'NORMAL', walCheckpointPages }: OpenOptions = {},
): SqliteDatabase {
  const binding = nativeBindingPath();
  const db = new Database(file, binding ? { nativeBinding: binding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  if (walCheckpointPages !== undefined)
    db.pragma(`wal_autocheckpoint = ${Math.max(1, Math.floor(walCheckpointPages))}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** SQLite's number for synchronous=FULL (`PRAGMA synchronous` answers 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA). */
const SYNCHRONOUS_FULL = 2;

/** Transaction runners, one per database: better-sqlite3 builds four wrapped functions per `transaction()` call. */
const runners = new WeakMap<SqliteDatabase, <T>(fn: () => T) => T>();

/** A transaction runner made once per database: runs fn in a transaction (a savepoint when nested). */
export function transactionRunner(db: SqliteDatabase): <T>(fn: () => T) => T {
  let run = runners.get(db);
  if (!run) {
    run = db.transaction((fn: () => unknown) => fn()) as <T>(fn: () => T) => T;
    runners.set(db, run);
  }
  return run;
}

/**
 * Runs fn in a transaction with synchronous=FULL, so that its commit survives power loss. The pragmas go through
 * db.pragma, prepared each time: SQLite applies `PRAGMA synchronous = …` when the statement is prepared, so a
 * statement prepared once and run again would not set it again.
 */
export function durableTransaction<T>(db: SqliteDatabase, fn: () => T): T {
  const run = transactionRunner(db);
  if ((db.pragma('synchronous', { simple: true }) as number) >= SYNCHRONOUS_FULL) return run(fn);
  db.pragma('synchronous = FULL');
  try {
    return run(fn);
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}

/** The files SQLite keeps beside a database: moved together with it, never separated. */
export const SQLITE_SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

/** True when the file starts with SQLite's 16-byte header string ("SQLite format 3\0"). */
export function hasSqliteHeader(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

/**
 * SQLite's `PRAGMA quick_check` (the b-tree and page structure, without the index cross-checks of integrity_check):
 * the problems it lists, or [] when the file is sound. An error while checking is a problem too.
 */
export function quickCheck(db: SqliteDatabase, maxProblems = 10): string[] {
  try {
    const rows = db.pragma(`quick_check(${maxProblems})`) as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check);
    return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
  } catch (error) {
    return [(error as Error).message];
  }
}
