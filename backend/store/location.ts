// Where the backend's store lives: `--store sqlite:DIR` (a SQLite file in DIR; `--data DIR` means the same) or
// `--store postgres://user:password@host:port/db`. A URL is shown without its password.

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
