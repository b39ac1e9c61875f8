// Where the backend's store lives: `--store sqlite:DIR` (a SQLite file in DIR; `--data DIR` means the same) or
// `--store postgres://user:password@host:port/db`. A URL is shown without its password.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The SQLite store's file in its data folder. */
export const STORE_FILE = 'voltboard-backend.sqlite';

export type StoreLocation = { dataDir: string } | { postgresUrl: string };

export class StoreLocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreLocationError';
  }
}

export function parseStoreLocation(text: string): StoreLocation {
  if (text.startsWith('sqlite:')) {
    const dir = text.slice('sqlite:'.length);
    if (dir === '') throw new StoreLocationError('--store sqlite:DIR needs a folder after "sqlite:"');
    return { dataDir: dir };
  }
  if (/^postgres(ql)?:\/\//.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new StoreLocationError(`--store: not a valid PostgreSQL URL: ${redactUrl(text)}`);
    }
    if (url.hostname === '' || url.pathname.length <= 1) {
      throw new StoreLocationError(`--store: a PostgreSQL URL needs a host and a database: ${redactUrl(text)}`);
    }
    return { postgresUrl: text };
  }
  throw new StoreLocationError(
    `--store must be sqlite:DIR or postgres://user@host:port/database, not "${redactUrl(text).slice(0, 80)}"`,
  );
}

/** The URL with any password replaced by ***, for logs and errors. */
export function redactUrl(text: string): string {
  return text
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&]*/i, '$1***');
}

export function describeStore(location: StoreLocation): string {
  return 'postgresUrl' in location ? `PostgreSQL ${redactUrl(location.postgresUrl)}` : `SQLite in ${location.dataDir}`;
}

/** The store the command line names: `--store` (sqlite:DIR or a URL), else `--data DIR`, else ./data. */
export function storeLocationFromArgs(store: string | undefined, data: string | undefined): StoreLocation {
  if (store !== undefined && data !== undefined) throw new StoreLocationError('give --store or --data, not both');
  if (store === undefined) return { dataDir: resolve(data ?? './data') };
  const location = parseStoreLocation(store);
  return 'dataDir' in location ? { dataDir: resolve(location.dataDir) } : location;
}

/** For commands that need an existing store: why it is not there (SQLite without its file), else null. */
export function missingStore(location: StoreLocation): string | null {
  if ('postgresUrl' in location) return null;
  return existsSync(join(location.dataDir, STORE_FILE))
    ? null
    : `no backend store in ${location.dataDir} (use --data DIR or --store sqlite:DIR|postgres://…)`;
}
