// The store's database on PostgreSQL: the same synchronous StoreDb as SQLite's, over libpq's synchronous calls
// (pg-native). Statements are prepared once per connection; `?` placeholders become `$n`; transactions nest as
// savepoints; a slow statement or transaction is logged by its name and time, never its parameters.
import { performance } from 'node:perf_hooks';
import { DEFAULT_SLOW_MS, type RunResult, type Statement, type StoreDb } from '../../../node/db.js';
import { toPgPlaceholders } from './placeholders.js';
import { sqliteLikeTypes, toPgParam } from './pgTypes.js';
import { endNativeClient, newNativeClient, type NativeClient } from './nativeClient.js';

/** PostgreSQL's error with the statement's name in front (its text and parameters stay out of logs). */
function named(err: unknown, statement: string): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  e.message = `${statement}: ${e.message.replace(/^ERROR:\s+/, '').trim()}`;
  return e;
}

export interface PgDbOptions {
  /** A libpq connection string (postgres://user:password@host:port/db). */
  url: string;
  log: (line: string) => void;
  slowMs?: number;
  /** The longest a statement waits for a lock (default LOCK_TIMEOUT_MS). */
  lockTimeoutMs?: number;
}

type RowShape = 'object' | 'array' | 'first';

class PgStmt<Row> implements Statement<Row> {
  private readonly text: string;
  private readonly paramCount: number;

  constructor(
    private readonly db: PgDb,
    readonly name: string,
    sql: string,
    private readonly shape: RowShape,
  ) {
    const t = toPgPlaceholders(sql);
    this.text = t.text;
    this.paramCount = t.params;
  }

  run(...params: unknown[]): RunResult {
    const t0 = performance.now();
    const rows = this.db.execute(this.name, this.text, this.paramCount, params, true);
    const changes = this.db.affectedRows();
    this.db.timed(this.name, t0);
    const first = rows[0] as unknown[] | undefined;
    const id = first?.[0];
    return { changes, lastInsertRowid: typeof id === 'number' || typeof id === 'bigint' ? id : 0 };
  }

  get(...params: unknown[]): Row | undefined {
    return this.all(...params)[0];
  }

  all(...params: unknown[]): Row[] {
    const t0 = performance.now();
    const rows = this.db.execute(this.name, this.text, this.paramCount, params, this.shape !== 'object');
    this.db.timed(this.name, t0);
    return (this.shape === 'first' ? rows.map((r) => (r as unknown[])[0]) : rows) as Row[];
  }

  *iterate(...params: unknown[]): IterableIterator<Row> {
    yield* this.all(...params);
  }
}

/** The longest one statement may run; a report's heaviest query takes ~2 s on 50,000 points. */
const STATEMENT_TIMEOUT_MS = 60_000;
/** The longest a write waits for a row another instance holds (the seq row is held for one transaction). */
const LOCK_TIMEOUT_MS = 10_000;
const IDLE_IN_TRANSACTION_MS = 60_000;

/**
 * libpq waits for ever by default, for a connection and for a peer that vanished mid-query; the URL's own settings
 * win over these.
 */
export function withConnectionLimits(url: string): string {
  const limits: Record<string, string> = {
    connect_timeout: '10',
    keepalives: '1',
    keepalives_idle: '10',
    keepalives_interval: '5',
    keepalives_count: '3',
  };
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(limits)) {
    if (!parsed.searchParams.has(key)) parsed.searchParams.set(key, value);
  }
  return parsed.toString();
}

export class PgDb implements StoreDb {
  readonly dialect = 'postgres';
  private readonly client: NativeClient;
  private readonly slowMs: number;
  private readonly log: (line: string) => void;
  /** Server-side prepared statements of this connection, by their text. */
  private readonly prepared = new Map<string, string>();
  private depth = 0;
  private open = true;
  /** Statements to send with the outermost COMMIT (sendWithCommit). */
  private atCommit: string[] = [];

  constructor(opts: PgDbOptions) {
    this.slowMs = opts.slowMs ?? DEFAULT_SLOW_MS;
    this.log = opts.log;
    this.client = newNativeClient(sqliteLikeTypes);
    this.client.connectSync(withConnectionLimits(opts.url));
    // Every call blocks the event loop: a statement, a lock or an abandoned transaction must not wait for ever.
    this.client.querySync(
      `SET statement_timeout = ${STATEMENT_TIMEOUT_MS}; SET lock_timeout = ${Math.round(opts.lockTimeoutMs ?? LOCK_TIMEOUT_MS)}; ` +
        `SET idle_in_transaction_session_timeout = ${IDLE_IN_TRANSACTION_MS}`,
    );
  }

  prepare<Row = unknown>(name: string, sql: string): Statement<Row> {
    return new PgStmt<Row>(this, name, sql, 'object');
  }

  prepareRaw(name: string, sql: string): Statement<unknown[]> {
    return new PgStmt<unknown[]>(this, name, sql, 'array');
  }

  preparePluck<Value = unknown>(name: string, sql: string): Statement<Value> {
    return new PgStmt<Value>(this, name, sql, 'first');
  }

  /** Runs fn in one transaction; nested, in a savepoint that a failure rolls back alone. */
  tx<T>(name: string, fn: () => T): T {
    const t0 = performance.now();
    const savepoint = this.depth === 0 ? null : `vb_sp${this.depth}`;
    this.command(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN');
    this.depth++;
    let result: T;
    try {
      result = fn();
    } catch (err) {
      this.depth--;
      if (!savepoint) this.atCommit = [];
      this.undo(savepoint);
      throw err;
    }
    this.depth--;
    if (savepoint) {
      this.command(`RELEASE SAVEPOINT ${savepoint}`);
    } else {
      const atCommit = this.atCommit;
      this.atCommit = [];
      // PostgreSQL answers COMMIT of a transaction an error ended (and someone caught) with a silent ROLLBACK.
      if (this.client.getTransactionStatus() === 'E') {
        this.undo(null);
        throw new Error(`transaction ${name} was ended by an earlier error and rolled back`);
      }
      try {
        // One simple query: a failing statement skips the rest, COMMIT included, and the transaction is rolled back.
        this.command([...atCommit, 'COMMIT'].join('; '));
      } catch (err) {
        this.undo(null);
        throw named(err, `commit of ${name}`);
      }
    }
    this.timed(`tx ${name}`, t0);
    return result;
  }

  /** Every PostgreSQL commit is durable (synchronous_commit on, its default). */
  durableTx<T>(name: string, fn: () => T): T {
    return this.tx(name, fn);
  }

  exec(sql: string): void {
    this.client.querySync(sql);
  }

  sendWithCommit(sql: string): boolean {
    if (this.depth !== 1) return false;
    this.atCommit.push(sql);
    return true;
  }

  /** False once an error ended the transaction: nothing more may run in it (docs/cluster.md, "Errors"). */
  get inTransaction(): boolean {
    return this.client.getTransactionStatus() === 'T';
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    endNativeClient(this.client);
  }

  /** Runs a statement prepared once per connection; rows as arrays when asked. */
  execute(statement: string, text: string, paramCount: number, params: unknown[], asArrays: boolean): unknown[] {
    if (params.length !== paramCount) {
      throw new RangeError(`the statement takes ${paramCount} parameter(s), ${params.length} given`);
    }
    let name = this.prepared.get(text);
    if (name === undefined) {
      name = `vb_${this.prepared.size + 1}`;
      try {
        this.client.prepareSync(name, text, paramCount);
      } catch (err) {
        throw named(err, statement);
      }
      this.prepared.set(text, name);
    }
    this.client.arrayMode = asArrays;
    try {
      return this.client.executeSync(name, params.map(toPgParam));
    } catch (err) {
      throw named(err, statement);
    } finally {
      this.client.arrayMode = false;
    }
  }

  /** Rows the last statement inserted, updated or deleted. */
  affectedRows(): number {
    return Number(this.client.pq.cmdTuples()) || 0;
  }

  timed(name: string, t0: number): void {
    const ms = performance.now() - t0;
    if (ms >= this.slowMs) this.log(`slow query: ${name} took ${ms.toFixed(1)} ms`);
  }

  private command(sql: string): void {
    this.client.querySync(sql);
  }

  private undo(savepoint: string | null): void {
    try {
      this.command(savepoint ? `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}` : 'ROLLBACK');
    } catch {
      // The connection is gone or the outer transaction already ended: the error that brought us here is the news.
    }
  }
}
