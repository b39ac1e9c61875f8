// `npm run backend -- user add NAME --role operator --data DIR`, `user list`, `user disable NAME`, `user enable NAME`.
// Passwords are asked for on the terminal (not echoed) or read from stdin with --password-stdin; never from argv.
// Works on the store a backend may be running on at the same time (SQLite WAL): the running backend re-checks
// its consoles' sessions every few seconds, so `user disable` drops that user's consoles promptly.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ROLES, type Role } from '../common/model.js';
import { Auth } from './auth.js';
import { describeStore, missingStore, storeLocationFromArgs, type StoreLocation } from './store/location.js';
import { Store } from './store/index.js';

export const USER_HELP = `Voltboard users

Usage:
  npm run backend -- user add NAME --role ROLE [--data DIR] [--password-stdin]
  npm run backend -- user list [--data DIR]
  npm run backend -- user disable NAME [--data DIR]
  npm run backend -- user enable NAME [--data DIR]

  ROLE is one of ${ROLES.join(', ')}: viewer reads; operator edits one point at a time; supervisor also edits many
  points at once and undoes; admin also manages users.
  add       asks for the password twice on the terminal (not shown), or reads it from stdin with
            --password-stdin (one line). A password is never taken from the command line.
  disable   the user can no longer sign in; every session of theirs is revoked, and a backend running on the same
            data folder drops their connected consoles within a few seconds.
  --data DIR   the backend's data folder (default ./data)
  --store S    where the store is instead: sqlite:DIR or postgres://USER@HOST:PORT/DB
`;

export const USERNAME = /^[A-Za-z0-9._@-]{1,100}$/;
export const MIN_PASSWORD = 8;
export const MAX_PASSWORD = 200;

export class UsageError extends Error {}

/** Runs a `user`/`station` command: a usage error exits 2 with the help, any other error 1 with its message. */
export async function runCommand(name: string, help: string, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${help}`);
      return 2;
    }
    process.stderr.write(`${name}: ${(err as Error).message}\n`);
    return 1;
  }
}

/** A command's arguments (positionals allowed, unknown options refused); a password in argv is refused. */
export function commandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
  passwordHint: string,
) {
  if (argv.some((a) => a === '--password' || a.startsWith('--password='))) {
    throw new UsageError(`never put a password on the command line (other users can see it): ${passwordHint}`);
  }
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export async function userCommand(argv: string[]): Promise<number> {
  return runCommand('user', USER_HELP, () => run(argv));
}

async function run(argv: string[]): Promise<number> {
  const parsed = commandArgs(
    argv,
    {
      role: { type: 'string' },
      data: { type: 'string' },
      store: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    'use the prompt or --password-stdin',
  );
  const { values, positionals } = parsed;
  const [action, name, ...extra] = positionals;
  if (values.help || !action) {
    process.stdout.write(USER_HELP);
    return values.help ? 0 : 2;
  }
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const location = storeLocationFromArgs(values.store, values.data);

  if (action === 'list') {
    if (name) throw new UsageError('user list takes no name');
    return withStore(location, (store) => {
      const users = store.users.list();
      if (users.length === 0) {
        console.log('no users');
        return 0;
      }
      const rows = users.map((u) => [
        u.username,
        u.role,
        u.disabled_at ? `disabled ${u.disabled_at}` : 'active',
        String(u.live_sessions),
      ]);
      const head = ['USER', 'ROLE', 'STATE', 'SESSIONS'];
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      for (const r of [head, ...rows])
        console.log(
          r
            .map((c, i) => c.padEnd(widths[i]))
            .join('  ')
            .trimEnd(),
        );
      return 0;
    });
  }

  if (!name) throw new UsageError(`user ${action} needs a NAME`);
  if (!USERNAME.test(name)) throw new UsageError(`NAME must be 1-100 of letters, digits and . _ @ -`);

  if (action === 'add') {
    const role = values.role as Role | undefined;
    if (!role || !(ROLES as readonly string[]).includes(role))
      throw new UsageError(`user add needs --role, one of ${ROLES.join(', ')}`);
    if (missingStore(location)) console.log(`no backend store in ${describeStore(location)} yet: creating one`);
    const exists = withStore(location, (store) => store.users.exists(name), true);
    if (exists) throw new Error(`a user "${name}" already exists (disable it, or pick another name)`);
    const password = values['password-stdin'] ? await passwordFromStdin() : await passwordFromTerminal();
    checkPassword(password);
    const store = new Store({ ...location, log: () => undefined });
    try {
      if (store.users.exists(name)) throw new Error(`a user "${name}" already exists`);
      await new Auth(store.users).setUser(name, role, password);
    } finally {
      store.close();
    }
    console.log(`added ${name} (${role})`);
    return 0;
  }

  if (action === 'disable' || action === 'enable') {
    return withStore(location, (store) => {
      if (!store.users.exists(name)) throw new Error(`no user "${name}"`);
      const changed = action === 'disable' ? store.users.disable(name) : store.users.enable(name);
      console.log(
        changed
          ? action === 'disable'
            ? `disabled ${name}: sessions revoked; a running backend drops their consoles within seconds`
            : `enabled ${name}: they can sign in again`
          : `${name} was already ${action}d`,
      );
      return 0;
    });
  }
  throw new UsageError(`unknown user command "${action}"`);
}

function withStore<T>(location: StoreLocation, fn: (store: Store) => T, allowNew = false): T {
  const missing = allowNew ? null : missingStore(location);
  if (missing) throw new Error(missing);
  const store = new Store({ ...location, log: () => undefined });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw new Error(`the password must have at least ${MIN_PASSWORD} characters`);
  if (password.length > MAX_PASSWORD) throw new Error(`the password must have at most ${MAX_PASSWORD} characters`);
}

export async function passwordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 4096) throw new Error('--password-stdin: input too long');
    chunks.push(chunk);
  }
  // One line: the first line, without its line end.
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

async function passwordFromTerminal(): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('no terminal to ask for the password on: pipe it in with --password-stdin');
  const first = await askHidden('Password: ');
  const second = await askHidden('Password again: ');
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

/** Reads one line from the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const stdin = process.stdin;
    stdin.setRawMode(true);
    process.stderr.write(prompt);
    stdin.resume();
    let value = '';
    const done = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolvePromise(value);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
