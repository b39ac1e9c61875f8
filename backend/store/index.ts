// The backend's store: one SQLite file in the data folder, or a PostgreSQL database; migrated on open.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AuditRepo } from './audit.js';
import { ChangeLog } from './changes.js';
import { migrate } from '../../node/migrations.js';
import { openPgStoreDb, openSqliteStoreDb, type Db } from './db.js';
import { migratePg } from './pg/pgMigrate.js';
import { STORE_FILE, type StoreLocation } from './location.js';
import { MIGRATIONS } from './migrations.js';
import { MutationsRepo } from './mutations.js';
import { PointsRepo } from './points.js';
import { StationsRepo } from './stations.js';
import { UsersRepo } from './users.js';
import { WindowsRepo } from './windows.js';
import { AlertsRepo } from './alerts.js';
import { WebhooksRepo } from './webhooks.js';
import { HistoryRepo } from './history.js';
import { TurnCommit } from './turnCommit.js';
import type { WriterHandoff } from '../../node/writerHandoff.js';

export { STORE_FILE };

export type StoreOptions = StoreLocation & {
  log: (line: string) => void;
  slowQueryMs?: number;
  /** SQLite: this connection takes turns with another thread's writing the same file (node/writerHandoff.ts). */
  handoff?: WriterHandoff;
};

export class Store {
  readonly db: Db;
  readonly changes: ChangeLog;
  /** Writes that may wait for the end of the event loop's turn, committed together (store/turnCommit.ts). */
  readonly turn: TurnCommit;
  readonly audit: AuditRepo;
  readonly stations: StationsRepo;
  readonly points: PointsRepo;
  readonly mutations: MutationsRepo;
  readonly users: UsersRepo;
  readonly windows: WindowsRepo;
  readonly alerts: AlertsRepo;
  readonly webhooks: WebhooksRepo;
  /** Each point's shown status over time, and uptime exclusions (backend/history/). */
  readonly history: HistoryRepo;
  /** Identifies this store; made when the store is created. */
  readonly networkId: string;

  constructor(opts: StoreOptions) {
    this.db = openMigrated(opts);
    try {
      this.networkId = this.meta('networkId') ?? this.initNetworkId();
      this.changes = new ChangeLog(this.db);
      this.turn = new TurnCommit(this.db, this.changes, opts.log);
      this.audit = new AuditRepo(this.db);
      this.stations = new StationsRepo(this.db, this.changes);
      this.points = new PointsRepo(this.db, this.changes, this.audit, this.stations);
      this.mutations = new MutationsRepo(this.db, this.changes);
      this.users = new UsersRepo(this.db);
      this.windows = new WindowsRepo(this.db, this.changes);
      this.webhooks = new WebhooksRepo(this.db);
      this.history = new HistoryRepo(this.db);
      this.alerts = new AlertsRepo(this.db, this.changes, this.audit, this.webhooks);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /** The seq of the last committed change. */
  get seq(): number {
    return this.changes.current;
  }

  /** True for a store with no network in it yet. */
  isEmpty(): boolean {
    return this.points.count() === 0 && this.stations.allSites().length === 0;
  }

  meta(key: string): string | null {
    return this.db.preparePluck<string>('meta get', 'SELECT value FROM meta WHERE key = ?').get(key) ?? null;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        'meta set',
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  close(): void {
    this.db.close();
  }

  /** Another instance starting on the same database at once may make it first: its id is kept. */
  private initNetworkId(): string {
    this.db
      .prepare('network id', 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING')
      .run('networkId', randomUUID());
    return this.meta('networkId')!;
  }
}

function openMigrated(opts: StoreOptions): Db {
  const log = (line: string): void => opts.log(`store: ${line}`);
  if ('postgresUrl' in opts) {
    const db = openPgStoreDb(opts.postgresUrl, { log: opts.log, slowMs: opts.slowQueryMs });
    try {
      checkCollation(db);
      migratePg(db, MIGRATIONS, log);
    } catch (err) {
      db.close();
      throw err;
    }
    return db;
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const db = openSqliteStoreDb(join(opts.dataDir, STORE_FILE), { log: opts.log, slowMs: opts.slowQueryMs });
  if (opts.handoff) db.shareWrites(opts.handoff);
  try {
    migrate(db.raw, MIGRATIONS, log);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/**
 * Ids are compared and paged in byte order, as SQLite does; a PostgreSQL database with a language's collation would
 * sort 'ST1-10' and 'st1-2' otherwise. Such a database is refused with what to do.
 */
function checkCollation(db: Db): void {
  const row = db
    .prepare<Record<string, unknown>>('collation', 'SELECT * FROM pg_database WHERE datname = current_database()')
    .get();
  if (!row) return;
  // datlocprovider: c = the C library, i = ICU, b = PostgreSQL's own (17+); ICU's locale column is named by version.
  const icu = row.datlocprovider === 'i';
  const collation = String(icu ? (row.daticulocale ?? row.datlocale ?? 'ICU') : row.datcollate);
  if (!icu && /^(C|POSIX|C\.UTF-?8)$/i.test(collation)) return;
  throw new Error(
    `the PostgreSQL database sorts text by "${collation}"; the store needs byte order: ` +
      "create it with CREATE DATABASE ... TEMPLATE template0 LOCALE_PROVIDER libc LC_COLLATE 'C' LC_CTYPE 'C'",
  );
}
