// Opening the console's cache so that a damaged file never costs queued edits silently (issue 15, item 10).
//
// At open the file is checked: it must exist with its write-ahead log (a log without its database means the
// database was removed), be non-empty, start with SQLite's header, pass `PRAGMA quick_check`, and hold readable
// JSON where the cache keeps JSON. A file that fails is MOVED ASIDE with its side files (`…sqlite.damaged-<time>`,
// `-wal`, `-shm`: never deleted), a fresh cache is made in its place, and the outbox is read back from a copy of the
// damaged file as far as it can be read: every edit found whole goes back into the fresh outbox, with its own
// mutation id (so an edit the backend already applied is answered as a duplicate, not applied twice) and its own
// order; every edit found in part is reported. What could not be recovered is kept in the CacheRecovery the core
// hands to the renderer and written next to the damaged file (`….report.json`).
//
// Why the empty file lost edits: SQLite deletes a `-wal` file when its database file is empty, and the edits queued
// since the last checkpoint live only in that log. The log is now moved aside before SQLite opens anything, and its
// committed pages are read over a fresh cache's pages (walImage.ts).
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { CacheRecovery } from '../../../common/consoleApi.js';
import { statusEditSchema } from '../../../common/model.js';
import { Db } from '../../../node/db.js';
import { migrate } from '../../../node/migrations.js';
import {
  durableTransaction,
  hasSqliteHeader,
  openSqlite,
  WAL_CHECKPOINT_PAGES_UNDER_LOAD,
  quickCheck,
  SQLITE_SIDE_FILES,
  type SqliteDatabase,
} from '../../../node/sqlite.js';
import { CACHE_MIGRATIONS } from './migrations.js';
import { imageFromWal } from './walImage.js';

export interface OpenedCache {
  /** Its statements are named: a slow one is logged with `log` (by name, never with its parameters). */
  db: Db;
  /** Set when the file was damaged and replaced. */
  recovery: CacheRecovery | null;
}

/** A cache file as the console opens it: written all day by the live load (node/sqlite.ts). */
function openCacheFile(file: string): SqliteDatabase {
  return openSqlite(file, { walCheckpointPages: WAL_CHECKPOINT_PAGES_UNDER_LOAD });
}

/** Opens (or creates) the cache at `file`, replacing a damaged one as described above. */
export function openConsoleCache(file: string, log: (line: string) => void = () => undefined): OpenedCache {
  const checked = checkCacheFile(file);
  if ('db' in checked) {
    migrate(checked.db, CACHE_MIGRATIONS);
    return { db: new Db(checked.db, { log }), recovery: null };
  }
  const replaced = replaceDamagedCache(file, checked.problem, log);
  return { db: new Db(replaced.db, { log }), recovery: replaced.recovery };
}

/** The open database when the file is sound (or absent: a new cache), else what is wrong with it. */
function checkCacheFile(file: string): { db: SqliteDatabase } | { problem: string } {
  const wal = file + '-wal';
  if (!existsSync(file)) {
    if (existsSync(wal) && statSync(wal).size > 0)
      return { problem: 'the cache file is missing, but its write-ahead log is still there' };
    return { db: openCacheFile(file) };
  }
  if (statSync(file).size === 0) return { problem: 'the cache file is empty (zero bytes)' };
  if (!hasSqliteHeader(file))
    return { problem: 'the cache file is not an SQLite database any more (its header is damaged)' };
  let db: SqliteDatabase | null = null;
  try {
    db = openCacheFile(file);
    const problems = quickCheck(db);
    if (problems.length > 0) throw new Error(`SQLite's quick_check found damage: ${problems.slice(0, 3).join('; ')}`);
    const badJson = unreadableJsonRows(db);
    if (badJson > 0) throw new Error(`${badJson} of its rows hold data that is not readable JSON`);
    return { db };
  } catch (error) {
    try {
      db?.close();
    } catch {
      // closing a damaged file may fail too: it is moved aside all the same
    }
    return { problem: (error as Error).message };
  }
}

/** The JSON columns the cache reads at start; a damaged value would otherwise stop the core with one cryptic line. */
const JSON_COLUMNS: [table: string, column: string][] = [
  ['points', 'json'],
  ['sites', 'json'],
  ['outbox', 'edit_json'],
];

function unreadableJsonRows(db: SqliteDatabase): number {
  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  let bad = 0;
  for (const [table, column] of JSON_COLUMNS) {
    if (tables.has(table))
      bad += db.prepare(`SELECT COUNT(*) FROM ${table} WHERE NOT json_valid(${column})`).pluck().get() as number;
  }
  return bad;
}

function replaceDamagedCache(
  file: string,
  problem: string,
  log: (line: string) => void,
): { db: SqliteDatabase; recovery: CacheRecovery } {
  const at = new Date().toISOString();
  const movedTo = `${file}.damaged-${at.replace(/[:.]/g, '-')}`;
  for (const suffix of ['', ...SQLITE_SIDE_FILES]) {
    if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
  }
  const db = openCacheFile(file);
  migrate(db, CACHE_MIGRATIONS);
  let found: Omit<CacheRecovery, 'at' | 'problem' | 'movedTo'>;
  try {
    found = recoverOutbox(db, movedTo);
  } catch (error) {
    found = { recovered: 0, lost: [], unreadable: `The damaged file could not be read: ${(error as Error).message}` };
  }
  const recovery: CacheRecovery = { at, problem, movedTo, ...found };
  try {
    writeFileSync(`${movedTo}.report.json`, JSON.stringify(recovery, null, 2));
  } catch {
    // the report is in the console too
  }
  log(
    `console cache was damaged (${problem}): moved aside to ${movedTo}; ${recovery.recovered} queued edit(s) recovered, ` +
      `${recovery.lost.length} could not be${recovery.unreadable ? `; ${recovery.unreadable}` : ''}`,
  );
  return { db, recovery };
}

interface Readable<T> {
  rows: T[];
  /** The error that stopped reading part of the table, if any. */
  error: string | null;
}

/**
 * Every row of a table that can be read: in rowid order until a damaged page stops the scan, then from the other
 * end back to it, so rows on both sides of the damage come back.
 */
function readTable<T>(db: SqliteDatabase, table: string, columns: string): Readable<T> {
  const rows = new Map<number, T>();
  const scan = (order: 'ASC' | 'DESC') => {
    for (const row of db
      .prepare(`SELECT rowid AS rowid_, ${columns} FROM ${table} ORDER BY rowid ${order}`)
      .iterate() as IterableIterator<T & { rowid_: number }>) {
      if (rows.has(row.rowid_)) return;
      rows.set(row.rowid_, row);
    }
  };
  let error: string | null = null;
  try {
    scan('ASC');
  } catch (forward) {
    error = (forward as Error).message;
    try {
      scan('DESC');
    } catch {
      // what lies between the two damaged places is not readable
    }
  }
  return { rows: [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row), error };
}

interface OldOutboxRow {
  mutation_id: string;
  created_at: string;
  edit_json: string;
  state: string;
  attempts: number;
  error: string | null;
}
interface OldPointRow {
  mutation_id: string;
  point_id: string;
  base_version: number;
  based_on_mutation: string | null;
  state: string;
  theirs_json: string | null;
  error: string | null;
}

/** A fresh cache's file, to read a write-ahead log over when its own database file is gone. */
function templateImage(dir: string): Buffer {
  const file = path.join(dir, 'template.sqlite');
  const db = openCacheFile(file);
  migrate(db, CACHE_MIGRATIONS);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return readFileSync(file);
}

/**
 * A file cut short is shorter than its header says: SQLite then calls every read malformed, even of the pages still
 * there. Padded with empty pages up to the header's size, the pages before the cut read again.
 */
function paddedToHeaderSize(file: Buffer): Buffer {
  if (file.length < 100) return file;
  const pageSize = file.readUInt16BE(16) === 1 ? 65536 : file.readUInt16BE(16);
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return file;
  const pages = Math.max(file.readUInt32BE(28), Math.ceil(file.length / pageSize));
  if (pages * pageSize <= file.length || pages > 1_000_000) return file;
  const padded = Buffer.alloc(pages * pageSize);
  file.copy(padded);
  return padded;
}

/** A readable copy of the damaged file in a scratch folder (the damaged file itself is left as it is), or null. */
function readableCopy(movedTo: string, scratch: string): string | null {
  const copy = path.join(scratch, 'damaged.sqlite');
  const wal = existsSync(movedTo + '-wal') ? readFileSync(movedTo + '-wal') : null;
  const mainReadable = existsSync(movedTo) && statSync(movedTo).size > 0 && hasSqliteHeader(movedTo);
  if (mainReadable) {
    writeFileSync(copy, paddedToHeaderSize(readFileSync(movedTo)));
    if (wal) writeFileSync(copy + '-wal', wal);
    return copy;
  }
  const image = wal ? imageFromWal(wal, templateImage(scratch)) : null;
  if (!image) return null;
  writeFileSync(copy, image);
  return copy;
}

function recoverOutbox(db: SqliteDatabase, movedTo: string): Omit<CacheRecovery, 'at' | 'problem' | 'movedTo'> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'vb-cache-recovery-'));
  try {
    const copy = readableCopy(movedTo, scratch);
    if (!copy) {
      return {
        recovered: 0,
        lost: [],
        unreadable:
          'Nothing in the damaged file could be read (no database and no write-ahead log to read it from): edits queued on this computer before, if any, are not here.',
      };
    }
    let old: SqliteDatabase;
    try {
      old = new Database(copy);
    } catch (error) {
      return {
        recovered: 0,
        lost: [],
        unreadable: `The damaged file could not be opened: ${(error as Error).message}`,
      };
    }
    try {
      return copyOutbox(old, db);
    } finally {
      old.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function copyOutbox(old: SqliteDatabase, db: SqliteDatabase): Omit<CacheRecovery, 'at' | 'problem' | 'movedTo'> {
  const meta = readTable<{ key: string; value: string }>(old, 'meta', 'key, value');
  const outbox = readTable<OldOutboxRow>(old, 'outbox', 'mutation_id, created_at, edit_json, state, attempts, error');
  const points = readTable<OldPointRow>(
    old,
    'outbox_points',
    'mutation_id, point_id, base_version, based_on_mutation, state, theirs_json, error',
  );

  const pointsOf = new Map<string, OldPointRow[]>();
  for (const point of points.rows) {
    const list = pointsOf.get(point.mutation_id) ?? [];
    list.push(point);
    pointsOf.set(point.mutation_id, list);
  }
  const lost: CacheRecovery['lost'] = [];
  const whole: { row: OldOutboxRow; points: OldPointRow[] }[] = [];
  for (const row of outbox.rows) {
    let edit: ReturnType<typeof statusEditSchema.safeParse> | null;
    try {
      edit = statusEditSchema.safeParse(JSON.parse(row.edit_json));
    } catch {
      edit = null;
    }
    const targets = pointsOf.get(row.mutation_id) ?? [];
    pointsOf.delete(row.mutation_id);
    const pointIds = targets.map((p) => p.point_id);
    if (!edit?.success) {
      lost.push({
        mutationId: String(row.mutation_id),
        edit: null,
        pointIds,
        createdAt: row.created_at ?? null,
        why: 'the edit itself could not be read',
      });
    } else if (targets.length === 0) {
      lost.push({
        mutationId: row.mutation_id,
        edit: edit.data,
        pointIds: [],
        createdAt: row.created_at,
        why: 'the points it changes could not be read',
      });
    } else {
      whole.push({ row, points: targets });
    }
  }
  for (const [mutationId, targets] of pointsOf) {
    lost.push({
      mutationId,
      edit: null,
      pointIds: targets.map((p) => p.point_id),
      createdAt: null,
      why: 'the edit itself could not be read (only the points it changes were found)',
    });
  }

  const kept = new Set(whole.map((w) => w.row.mutation_id));
  const installId = meta.rows.find((r) => r.key === 'installId')?.value;
  const counter = Number(meta.rows.find((r) => r.key === 'mutationCounter')?.value);
  let recovered = 0;
  durableTransaction(db, () => {
    // The install id is kept only with its counter: without it, new ids could repeat ones the backend has seen and
    // be answered as duplicates, never applied. A fresh cache makes a new install id then.
    if (installId && Number.isInteger(counter) && counter > 0) {
      const highest = Math.max(
        counter,
        ...[...kept]
          .filter((id) => id.startsWith(`${installId}-`))
          .map((id) => Number(id.slice(installId.length + 1)) || 0),
      );
      db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('installId', installId);
      db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('mutationCounter', String(highest));
    }
    const insert = db.prepare(
      'INSERT INTO outbox (mutation_id, created_at, edit_json, state, attempts, error) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertPoint = db.prepare(
      'INSERT INTO outbox_points (mutation_id, point_id, base_version, based_on_mutation, state, theirs_json, error) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const { row, points: targets } of whole) {
      const save = db.transaction(() => {
        // Nothing is in flight in a new process: what was being sent is queued again (as requeueInFlight does).
        insert.run(
          row.mutation_id,
          row.created_at,
          row.edit_json,
          row.state === 'answered' ? 'answered' : 'queued',
          row.attempts ?? 0,
          row.error,
        );
        for (const p of targets) {
          // An edit built on one that is not here would wait for it for ever: it goes on its own base version.
          const basedOn = p.based_on_mutation && kept.has(p.based_on_mutation) ? p.based_on_mutation : null;
          insertPoint.run(row.mutation_id, p.point_id, p.base_version, basedOn, p.state, p.theirs_json, p.error);
        }
      });
      try {
        save();
        recovered++;
      } catch (error) {
        lost.push({
          mutationId: row.mutation_id,
          edit: statusEditSchema.parse(JSON.parse(row.edit_json)),
          pointIds: targets.map((p) => p.point_id),
          createdAt: row.created_at,
          why: `it could not be stored again: ${(error as Error).message}`,
        });
      }
    }
  });

  const errors = [
    outbox.error && `the outbox (${outbox.error})`,
    points.error && `the outbox's points (${points.error})`,
  ].filter(Boolean);
  return {
    recovered,
    lost,
    unreadable:
      errors.length > 0
        ? `Part of ${errors.join(' and ')} could not be read: edits stored there are not listed.`
        : null,
  };
}
