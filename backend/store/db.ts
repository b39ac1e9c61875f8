// The one SQLite connection of the backend: WAL with synchronous=FULL, prepared statements, slow-query logging.
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';

export interface DbOptions {
  file: string;
  log: (line: string) => void;
  /** Statements or transactions slower than this are logged (never with their parameters). */
  slowMs?: number;
}

/** A prepared statement whose every run is timed; slow ones are logged by name. */
export class Stmt<Row = unknown> {
  constructor(
    private readonly db: Db,
    readonly name: string,
    private readonly stmt: Database.Statement,
  ) {}

  run(...params: unknown[]): Database.RunResult {
    const t0 = performance.now();
    const r = this.stmt.run(...params);
    this.db.timed(this.name, t0);
    return r;
  }

  get(...params: unknown[]): Row | undefined {
    const t0 = performance.now();
    const r = this.stmt.get(...params) as Row | undefined;
    this.db.timed(this.name, t0);
    return r;
  }

  all(...params: unknown[]): Row[] {
    const t0 = performance.now();
    const r = this.stmt.all(...params) as Row[];
    this.db.timed(this.name, t0);
    return r;
  }
}

export class Db {
  readonly raw: Database.Database;
  private readonly slowMs: number;
  private readonly log: (line: string) => void;

  constructor(opts: DbOptions) {
    this.raw = new Database(opts.file);
    this.slowMs = opts.slowMs ?? 200;
    this.log = opts.log;
    this.raw.pragma('journal_mode = WAL');
    // FULL: every commit is on disk before it is answered (an edit the backend said it saved, a station report it
    // acknowledged). NORMAL lost the last commits on power loss. Costs one fsync per commit, ~2.5 ms here
    // (bench/syncModeProbe.ts); edits of one request and station messages of one turn share one commit.
    this.raw.pragma('synchronous = FULL');
    this.raw.pragma('foreign_keys = ON');
    this.raw.pragma('busy_timeout = 5000');
  }

  prepare<Row = unknown>(name: string, sql: string): Stmt<Row> {
    return new Stmt<Row>(this, name, this.raw.prepare(sql));
  }

  /** Rows come back as arrays (much cheaper than objects for wide rows read in bulk). */
  prepareRaw(name: string, sql: string): Stmt<unknown[]> {
    return new Stmt<unknown[]>(this, name, this.raw.prepare(sql).raw(true));
  }

  /** Runs fn in one transaction (a savepoint when nested); logs it when slow. */
  tx<T>(name: string, fn: () => T): T {
    const t0 = performance.now();
    const r = this.raw.transaction(fn)();
    this.timed(`tx ${name}`, t0);
    return r;
  }

  exec(sql: string): void {
    this.raw.exec(sql);
  }

  timed(name: string, t0: number): void {
    const ms = performance.now() - t0;
    if (ms >= this.slowMs) this.log(`slow query: ${name} took ${ms.toFixed(1)} ms`);
  }

  close(): void {
    if (this.raw.open) this.raw.close();
  }
}
