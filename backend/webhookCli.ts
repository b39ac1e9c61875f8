// `npm run backend -- webhook add URL`, `webhook list`, `webhook remove ID`: where alerts are sent, set by an admin on
// the store (also while a backend runs on it), and how their deliveries stand.
import { missingStore, storeLocationFromArgs, type StoreLocation } from './store/location.js';
import { Store } from './store/index.js';
import { UsageError, commandArgs, passwordFromStdin, runCommand } from './userCli.js';

export const WEBHOOK_HELP = `Voltboard alert webhooks

Usage:
  npm run backend -- webhook add URL [--data DIR] [--secret-stdin]
  npm run backend -- webhook list [--data DIR]
  npm run backend -- webhook remove ID [--data DIR]

  add     sends every alert event (raised, acknowledged, assigned, resolved…) to URL as a signed JSON POST
          (docs/protocol.md, "Webhooks"). Without --secret-stdin a signing secret is made and printed once; with it,
          the first line of stdin is the secret (at least 16 characters). https:// unless the receiver is on this machine.
  list    every receiver with its deliveries: pending, delivered, failed, and the last error.
  remove  stops sending to a receiver (what was queued for it is kept, not sent).
  --data DIR   the backend's data folder (default ./data)
  --store S    where the store is instead: sqlite:DIR or postgres://USER@HOST:PORT/DB
`;

export async function webhookCommand(argv: string[]): Promise<number> {
  return runCommand('webhook', WEBHOOK_HELP, () => run(argv));
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = commandArgs(
    argv,
    {
      data: { type: 'string' },
      store: { type: 'string' },
      'secret-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    'use --secret-stdin, or let one be made',
  );
  const [action, arg, ...extra] = positionals;
  if (values.help || !action) {
    process.stdout.write(WEBHOOK_HELP);
    return values.help ? 0 : 2;
  }
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const location = storeLocationFromArgs(values.store, values.data);
  const missing = missingStore(location);
  if (missing) throw new Error(missing);
  if (action === 'add') {
    if (!arg) throw new UsageError('webhook add needs the receiver URL');
    const url = receiverUrl(arg);
    const secret = values['secret-stdin'] ? await passwordFromStdin() : null;
    if (secret !== null && secret.length < 16) throw new Error('a webhook secret needs at least 16 characters');
    return withStore(location, (store) => {
      const w = store.webhooks.add(url, secret, new Date().toISOString());
      console.log(`added webhook ${w.id} → ${url}`);
      if (secret === null)
        console.log(`its signing secret (shown only now; configure it on the receiver):\n${w.secret}`);
      return 0;
    });
  }
  if (action === 'list') {
    return withStore(location, (store) => {
      const rows = store.webhooks.counts();
      if (rows.length === 0) console.log('no webhooks');
      for (const r of rows) {
        console.log(
          `${r.webhookId}  ${r.url}  pending ${r.pending}  delivered ${r.delivered}  failed ${r.failed}${r.lastError ? `  last error: ${r.lastError}` : ''}`,
        );
      }
      return 0;
    });
  }
  if (action === 'remove') {
    if (!arg) throw new UsageError('webhook remove needs the webhook ID (see webhook list)');
    return withStore(location, (store) => {
      if (!store.webhooks.disable(arg, new Date().toISOString())) throw new Error(`no active webhook ${arg}`);
      console.log(`removed webhook ${arg}`);
      return 0;
    });
  }
  throw new UsageError(`unknown webhook command "${action}"`);
}

/** An http(s) URL; plain http only to this machine (secrets and alert text would cross the network in the clear). */
export function receiverUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`not a URL: ${text}`);
  }
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new UsageError('a webhook URL must be https:// (plain http:// only for a receiver on this machine)');
  }
  return url.toString();
}

function withStore(location: StoreLocation, fn: (store: Store) => number): number {
  const store = new Store({ ...location, log: () => undefined });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}
