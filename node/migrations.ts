// The one migration runner: numbered migrations, each applied once, in order, in its own transaction.
import { performance } from 'node:perf_hooks';
import type { SqliteDatabase } from './sqlite.js';

/** A migration's SQL where the two engines' DDL differs (AUTOINCREMENT or identity, STRICT, triggers...). */
export interface DialectSql {
  sqlite: string;
  postgres: string;
}

export interface Migration {
  version: number;
  name: string;
  /** SQL both engines run, or one form for each. */
  sql: string | DialectSql;
}

/** The SQL of a migration for one engine. */
export function migrationSql(m: Migration, dialect: keyof DialectSql): string {
  return typeof m.sql === 'string' ? m.sql : m.sql[dialect];
}

/** A list of migrations that cannot be applied as written (the code is wrong, not the database). */
export class MigrationListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationListError';
  }
}

export function checkList(migrations: readonly Migration[]): void {
  const seen = new Set<number>();
  for (const m of migrations) {
    if (!Number.isSafeInteger(m.version) || m.version < 1) {
      throw new MigrationListError(
        `migration "${m.name}": its version must be a whole number from 1, not ${m.version}`,
      );
    }
    if (seen.has(m.version)) throw new MigrationListError(`two migrations are numbered ${m.version}`);
    seen.add(m.version);
  }
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, lowest version first, each in its own
 * transaction with its record (a failing one leaves nothing of itself). Returns the versions applied.
 */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[], log?: (line: string) => void): number[] {
  checkList(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    const t0 = performance.now();
    db.transaction(() => {
      db.exec(migrationSql(m, 'sqlite'));
      record.run(m.version, m.name, new Date().toISOString());
    })();
    log?.(`sqlite: applied migration ${m.version} (${m.name}) in ${(performance.now() - t0).toFixed(1)} ms`);
    done.push(m.version);
  }
  return done;
}
