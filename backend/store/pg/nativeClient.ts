// pg-native's Client (libpq), loaded on first use so a SQLite-only backend never loads libpq, and closed safely.
import { createRequire } from 'node:module';
import type { sqliteLikeTypes } from './pgTypes.js';

/** The part of pg-native's Client used here (the package has no types of its own). */
export interface NativeClient {
  arrayMode: boolean;
  connectSync(url: string): void;
  querySync(text: string, values?: (string | null)[]): unknown[];
  prepareSync(name: string, text: string, params: number): void;
  executeSync(name: string, values: (string | null)[]): unknown[];
  /** 'I' idle, 'T' in a transaction, 'E' in a transaction an error ended; null while busy or broken. */
  getTransactionStatus(): 'I' | 'T' | 'E' | null;
  end(): void;
  on(event: 'notification', listener: (n: { relname: string; extra: string }) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  pq: { cmdTuples(): string };
}
type NativeClientClass = new (config: { types: typeof sqliteLikeTypes; arrayMode?: boolean }) => NativeClient;

export function newNativeClient(types: typeof sqliteLikeTypes): NativeClient {
  const Client = createRequire(import.meta.url)('pg-native') as NativeClientClass;
  return new Client({ types });
}

/**
 * Closed clients kept alive until libuv has finished closing their socket watcher: libpq's binding closes the
 * watcher embedded in its object with no callback, so an object collected before the loop's next close phase
 * leaves libuv a freed handle (and Node aborts in uv__finish_close).
 */
const closing = new Set<NativeClient>();

export function endNativeClient(client: NativeClient): void {
  client.end();
  closing.add(client);
  setTimeout(() => closing.delete(client), 1000).unref();
}
