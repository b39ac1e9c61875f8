// The numbered migrations on PostgreSQL: the same list and the same schema_migrations table as SQLite's runner
// (node/migrations.ts), each migration in its own transaction with its record. An advisory lock held by each
// transaction lets several instances start at once: one applies a migration, the others find it recorded.
import { performance } from 'node:perf_hooks';
import { checkList, migrationSql, type Migration } from '../../../node/migrations.js';
import type { PgDb } from './pgDb.js';

/** Any fixed number shared by every instance: the key of the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 0x766f6c74;

export function migratePg(db: PgDb, migrations: readonly Migration[], log?: (line: string) => void): number[] {
  checkList(migrations);
  const lock = db.prepare('migration lock', `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
  // Under the lock: IF NOT EXISTS alone is not safe when two instances create the table at once.
  db.tx('migrations table', () => {
    lock.get();
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  });
  const isApplied = db.preparePluck<number>(
    'migration applied',
    'SELECT version FROM schema_migrations WHERE version = ?',
  );
  const record = db.prepare(
    'migration record',
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const done: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    const t0 = performance.now();
    const applied = db.tx(`migration ${m.version}`, () => {
      lock.get();
      if (isApplied.get(m.version) !== undefined) return false;
      db.exec(migrationSql(m, 'postgres'));
      record.run(m.version, m.name, new Date().toISOString());
      return true;
    });
    if (!applied) continue;
    log?.(`postgres: applied migration ${m.version} (${m.name}) in ${(performance.now() - t0).toFixed(1)} ms`);
    done.push(m.version);
  }
  return done;
}
