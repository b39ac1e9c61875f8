// The store a test runs on: SQLite in the test's data folder (default), or, with VOLTBOARD_TEST_STORE=postgres, a
// fresh PostgreSQL database per data folder (voltboard_t_<random>, on VOLTBOARD_TEST_PG, default
// postgres://postgres@127.0.0.1:5432), dropped when the test disposes of it or, at the latest, when the process has nothing left to do.
import { randomBytes } from 'node:crypto';
import { Db, type StoreDb } from '../../node/db.js';
import type { SqliteDatabase } from '../../node/sqlite.js';
import { Store } from '../../backend/store/index.js';
import type { StoreLocation } from '../../backend/store/location.js';
import { PgDb } from '../../backend/store/pg/pgDb.js';

export const TEST_STORE_ENGINE: 'sqlite' | 'postgres' =
  process.env.VOLTBOARD_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = TEST_STORE_ENGINE === 'postgres';

export const TEST_PG_BASE = (process.env.VOLTBOARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');

/** The database of each data folder, made on first use. */
const databases = new Map<string, string>();

function admin<T>(fn: (db: PgDb) => T): T {
  const db = new PgDb({ url: `${TEST_PG_BASE}/postgres`, log: () => undefined });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Makes a fresh, empty PostgreSQL database in byte order and returns its URL. */
export function createTestDatabase(): { name: string; url: string } {
  const name = `voltboard_t_${randomBytes(6).toString('hex')}`;
  admin((db) => db.exec(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`));
  // Before the loop ends rather than at 'exit': libpq's client cannot be closed while Node tears its loop down.
  process.once('beforeExit', () => dropTestDatabase(name));
  return { name, url: `${TEST_PG_BASE}/${name}` };
}

const dropped = new Set<string>();

export function dropTestDatabase(name: string): void {
  if (dropped.has(name)) return;
  dropped.add(name);
  try {
    admin((db) => db.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  } catch {
    // Already gone, or PostgreSQL went away: nothing left to clean here.
  }
}

/** Where a test's store lives for a data folder: the folder itself on SQLite; its own database on PostgreSQL. */
export function storeLocationFor(dataDir: string): StoreLocation & { dataDir: string } {
  if (!onPostgres) return { dataDir };
  let name = databases.get(dataDir);
  if (name === undefined) {
    name = createTestDatabase().name;
    databases.set(dataDir, name);
  }
  return { dataDir, postgresUrl: `${TEST_PG_BASE}/${name}` };
}

/** Drops the data folder's database (PostgreSQL); nothing on SQLite, whose file goes with the folder. */
export function disposeStoreOf(dataDir: string): void {
  const name = databases.get(dataDir);
  if (name === undefined) return;
  databases.delete(dataDir);
  dropTestDatabase(name);
}

/** A Store on the test's engine for a data folder. */
export function testStore(dataDir: string, opts: { log?: (line: string) => void; slowQueryMs?: number } = {}): Store {
  return new Store({ ...storeLocationFor(dataDir), log: opts.log ?? (() => undefined), slowQueryMs: opts.slowQueryMs });
}

/** The SQLite connection under a store's Db, for tests of SQLite's own settings (pragmas); throws on PostgreSQL. */
export function sqliteOf(db: StoreDb): SqliteDatabase {
  if (db instanceof Db) return db.raw;
  throw new Error('this check is about SQLite and the store is on PostgreSQL');
}

/** Null when the test PostgreSQL answers; else why not, in one line. */
export function postgresUnreachable(): string | null {
  try {
    admin((db) => db.exec('SELECT 1'));
    return null;
  } catch (err) {
    return (err as Error).message.split('\n').find((l) => l.trim() !== '') ?? 'no answer';
  }
}

/** The command-line arguments that open a data folder's test store (`--data DIR`, or `--store URL` on PostgreSQL). */
export function storeArgsFor(dataDir: string): string[] {
  const location = storeLocationFor(dataDir);
  return 'postgresUrl' in location ? ['--store', location.postgresUrl] : ['--data', dataDir];
}
