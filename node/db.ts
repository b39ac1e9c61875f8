// A SQLite connection whose statements and transactions have names: each run is timed, and a slow one is logged by
// its name and time, never with its parameters (they can hold people's notes, tokens' hashes, passwords' salts).
import type Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { durableTransaction, openSqlite, transactionRunner, type OpenOptions, type SqliteDatabase } from './sqlite.js';
import { WriteAheadLogSync } from './walSync.js';
import type { WriterHandoff } from './writerHandoff.js';

export interface DbOptions extends OpenOptions {
  log: (line: string) => void;
  /** Statements or transactions at least this slow are logged. */
  slowMs?: number;
}

export const DEFAULT_SLOW_MS = 200;

/** The SQL engine behind a StoreDb: where one statement must differ, the caller picks its form by this. */
export type Dialect = 'sqlite' | 'postgres';

export interface RunResult {
  /** Rows the statement inserted, updated or deleted. */
  changes: number;
  /** SQLite: the rowid of the last insert. PostgreSQL: the first column of the first row a RETURNING gave, else 0. */
  lastInsertRowid: number | bigint;
}

/** A named statement, timed on every run (a slow one is logged by its name, never its parameters). */
export interface Statement<Row = unknown> {
  readonly name: string;
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): Row | undefined;
  all(...params: unknown[]): Row[];
  iterate(...params: unknown[]): IterableIterator<Row>;
}

/**
 * What the backend's store needs of its database, implemented on SQLite (Db, below) and on PostgreSQL
 * (backend/store/pg/pgDb.ts). Synchronous on both, so a transaction is one uninterrupted run of code.
 */
export interface StoreDb {
  readonly dialect: Dialect;
  prepare<Row = unknown>(name: string, sql: string): Statement<Row>;
  /** Rows come back as arrays (much cheaper than objects for wide rows read in bulk). */
  prepareRaw(name: string, sql: string): Statement<unknown[]>;
  /** Rows come back as their first column's value. */
  preparePluck<Value = unknown>(name: string, sql: string): Statement<Value>;
  /** Runs fn in one transaction (a savepoint when nested). */
  tx<T>(name: string, fn: () => T): T;
  /** Runs fn in one transaction whose commit survives power loss. */
  durableTx<T>(name: string, fn: () => T): T;
  exec(sql: string): void;
  /** True inside a transaction that can still commit (on PostgreSQL, not after an error ended it). */
  readonly inTransaction: boolean;
  /**
   * PostgreSQL, inside the outermost transaction only: sends statements (literal, no parameters) in one round trip
   * with its COMMIT. False where it cannot (nested, or SQLite): run them as usual.
   */
  sendWithCommit?(sql: string): boolean;
  /** SQLite: set when another thread writes the same file (node/writerHandoff.ts), as other instances do on PostgreSQL. */
  readonly sharedWrites?: WriterHandoff | null;
  close(): void;
}

/** A prepared statement whose every run is timed. */
export class Stmt<Row = unknown> implements Statement<Row> {
  constructor(
    private readonly db: Db,
    readonly name: string,
    private readonly stmt: Database.Statement,
  ) {}

  run(...params: unknown[]): Database.RunResult {
    const handoff = this.db.turnToWrite(this.stmt);
    return handoff ? handoff.turn(() => this.runNow(params)) : this.runNow(params);
  }

  get(...params: unknown[]): Row | undefined {
    const handoff = this.db.turnToWrite(this.stmt);
    return handoff ? handoff.turn(() => this.getNow(params)) : this.getNow(params);
  }

  all(...params: unknown[]): Row[] {
    const handoff = this.db.turnToWrite(this.stmt);
    return handoff ? handoff.turn(() => this.allNow(params)) : this.allNow(params);
  }

  private runNow(params: unknown[]): Database.RunResult {
    const t0 = performance.now();
    const r = this.stmt.run(...params);
    this.db.timed(this.name, t0);
    return r;
  }

  private getNow(params: unknown[]): Row | undefined {
    const t0 = performance.now();
    const r = this.stmt.get(...params) as Row | undefined;
    this.db.timed(this.name, t0);
    return r;
  }

  private allNow(params: unknown[]): Row[] {
    const t0 = performance.now();
    const r = this.stmt.all(...params) as Row[];
    this.db.timed(this.name, t0);
    return r;
  }

  /** Timed from the first row to the last, the reader's own work between rows included. */
  *iterate(...params: unknown[]): IterableIterator<Row> {
    const t0 = performance.now();
    try {
      yield* this.stmt.iterate(...params) as IterableIterator<Row>;
    } finally {
      this.db.timed(this.name, t0);
    }
  }
}

export class Db implements StoreDb {
  readonly dialect = 'sqlite';
  private readonly slowMs: number;
  private readonly log: (line: string) => void;
  private readonly runTx: <T>(fn: () => T) => T;
  private syncing: Promise<void> | null = null;
  private writeAheadLog: WriteAheadLogSync | null = null;
  /** Set when another thread writes the same file (node/writerHandoff.ts): each write waits for this thread's turn. */
  private handoff: WriterHandoff | null = null;
  /** How many group-commit syncs were made (each one for every commit that asked in its turn). */
  groupSyncs = 0;

  constructor(
    readonly raw: SqliteDatabase,
    opts: Omit<DbOptions, keyof OpenOptions>,
  ) {
    this.slowMs = opts.slowMs ?? DEFAULT_SLOW_MS;
    this.log = opts.log;
    this.runTx = transactionRunner(raw);
  }

  /** Opens `file` with openSqlite's native build and pragmas. */
  static open(file: string, opts: DbOptions): Db {
    return new Db(
      openSqlite(file, { synchronous: opts.synchronous, walCheckpointPages: opts.walCheckpointPages }),
      opts,
    );
  }

  prepare<Row = unknown>(name: string, sql: string): Stmt<Row> {
    return new Stmt<Row>(this, name, this.raw.prepare(sql));
  }

  /** Rows come back as arrays (much cheaper than objects for wide rows read in bulk). */
  prepareRaw(name: string, sql: string): Stmt<unknown[]> {
    return new Stmt<unknown[]>(this, name, this.raw.prepare(sql).raw(true));
  }

  /** Rows come back as their first column's value. */
  preparePluck<Value = unknown>(name: string, sql: string): Stmt<Value> {
    return new Stmt<Value>(this, name, this.raw.prepare(sql).pluck(true));
  }

  /**
   * From now on another thread writes this file too: every transaction, and every write outside one, takes turns
   * (null: no longer, the other thread has ended).
   */
  shareWrites(handoff: WriterHandoff | null): void {
    this.handoff = handoff;
  }

  /** The handoff this connection takes turns with, if another thread writes the same file. */
  get sharedWrites(): WriterHandoff | null {
    return this.handoff;
  }

  /** The handoff whose turn a statement must run in: one that writes, outside a transaction (reads see a snapshot). */
  turnToWrite(stmt: Database.Statement): WriterHandoff | null {
    if (!this.handoff || stmt.readonly || this.raw.inTransaction) return null;
    return this.handoff;
  }

  /** Runs fn in one transaction (a savepoint when nested). */
  tx<T>(name: string, fn: () => T): T {
    return this.handoff ? this.handoff.turn(() => this.timedTx(name, fn)) : this.timedTx(name, fn);
  }

  private timedTx<T>(name: string, fn: () => T): T {
    const t0 = performance.now();
    const r = this.runTx(fn);
    this.timed(`tx ${name}`, t0);
    return r;
  }

  /** Runs fn in one transaction whose commit survives power loss (see durableTransaction). */
  durableTx<T>(name: string, fn: () => T): T {
    const run = (): T => {
      const t0 = performance.now();
      const r = durableTransaction(this.raw, fn);
      this.timed(`tx ${name}`, t0);
      return r;
    };
    return this.handoff ? this.handoff.turn(run) : run();
  }

  /**
   * Runs fn in one transaction at once (what it wrote is seen from then on) and resolves with its result once the
   * commit is on disk. The commits of one turn share one sync of the write-ahead log, done off the event loop: a group
   * commit, as durable as durableTx for whoever awaits it. The connection must be at synchronous=NORMAL.
   */
  async groupDurableTx<T>(name: string, fn: () => T): Promise<T> {
    const result = this.tx(name, fn);
    await this.commitsOnDisk();
    return result;
  }

  /** Resolves once every commit made before this call is on disk (one sync for all that ask in the same turn). */
  commitsOnDisk(): Promise<void> {
    return (this.syncing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.syncing = null;
      // Closing checkpointed the log into the database and synced both.
      if (!this.raw.open) return;
      const t0 = performance.now();
      return (this.writeAheadLog ??= new WriteAheadLogSync(this.raw.name)).sync().then(
        () => {
          this.groupSyncs++;
          this.timed('group commit sync', t0);
        },
        (error: NodeJS.ErrnoException) => {
          if (!this.raw.open) return;
          throw error;
        },
      );
    }));
  }

  exec(sql: string): void {
    if (this.handoff && !this.raw.inTransaction) this.handoff.turn(() => this.raw.exec(sql));
    else this.raw.exec(sql);
  }

  get inTransaction(): boolean {
    return this.raw.inTransaction;
  }

  timed(name: string, t0: number): void {
    const ms = performance.now() - t0;
    if (ms >= this.slowMs) this.log(`slow query: ${name} took ${ms.toFixed(1)} ms`);
  }

  close(): void {
    if (this.raw.open) this.raw.close();
    this.writeAheadLog?.close();
  }
}
