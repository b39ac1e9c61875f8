// LISTEN on its own connection: PostgreSQL's notifications (NOTIFY, sent on commit) as calls, read off the event
// loop (the store's own connection stays synchronous and never waits for them).
import { endNativeClient, newNativeClient } from './nativeClient.js';
import { sqliteLikeTypes } from './pgTypes.js';
import { withConnectionLimits } from './pgDb.js';

export interface PgListener {
  close(): void;
}

export interface PgListenerHandlers {
  notified(payload: string): void;
  /** The connection broke: nothing more will be heard on it (the caller opens another). */
  failed(err: Error): void;
}

/** Connects and listens; throws if the database cannot be reached. */
export function listen(url: string, channel: string, handlers: PgListenerHandlers): PgListener {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  const client = newNativeClient(sqliteLikeTypes);
  let open = true;
  client.connectSync(withConnectionLimits(url));
  try {
    client.querySync(`LISTEN ${channel}`);
  } catch (err) {
    endNativeClient(client);
    throw err;
  }
  client.on('error', (err) => {
    if (!open) return;
    open = false;
    endNativeClient(client);
    handlers.failed(err);
  });
  client.on('notification', (n) => {
    if (open && n.relname === channel) handlers.notified(n.extra);
  });
  return {
    close() {
      if (!open) return;
      open = false;
      endNativeClient(client);
    },
  };
}
