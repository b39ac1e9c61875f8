// The backend's store: one SQLite file in the data folder, migrated on open.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AuditRepo } from './audit.js';
import { ChangeLog } from './changes.js';
import { migrate } from '../../node/migrations.js';
import { openStoreDb, type Db } from './db.js';
import { MIGRATIONS } from './migrations.js';
import { MutationsRepo } from './mutations.js';
import { PointsRepo } from './points.js';
import { StationsRepo } from './stations.js';
import { UsersRepo } from './users.js';
import { WindowsRepo } from './windows.js';
import { AlertsRepo } from './alerts.js';
import { WebhooksRepo } from './webhooks.js';
import { HistoryRepo } from './history.js';

export const STORE_FILE = 'voltboard-backend.sqlite';

export interface StoreOptions {
  dataDir: string;
  log: (line: string) => void;
  slowQueryMs?: number;
}

export class Store {
  readonly db: Db;
  readonly changes: ChangeLog;
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
    mkdirSync(opts.dataDir, { recursive: true });
    this.db = openStoreDb({ file: join(opts.dataDir, STORE_FILE), log: opts.log, slowMs: opts.slowQueryMs });
    try {
      migrate(this.db.raw, MIGRATIONS, (line) => opts.log(`store: ${line}`));
      this.networkId = this.meta('networkId') ?? this.initNetworkId();
      this.changes = new ChangeLog(this.db);
      this.audit = new AuditRepo(this.db);
      this.stations = new StationsRepo(this.db, this.changes);
      this.points = new PointsRepo(this.db, this.changes, this.audit, this.stations);
      this.mutations = new MutationsRepo(this.db, this.changes, this.audit);
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
    const row = this.db.raw.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.db.raw
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  close(): void {
    this.db.close();
  }

  private initNetworkId(): string {
    const id = randomUUID();
    this.setMeta('networkId', id);
    return id;
  }
}
