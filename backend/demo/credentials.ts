// The demo network's station passwords (OCPP security profile 1, like a real network's): made per store from a
// random secret kept in the store's meta table, so each demo store has its own, a restart on the same folder finds
// them again, and the store holds only their hashes (plus the secret, in the same file the hashes are in).
import { createHmac, randomBytes } from 'node:crypto';
import { hashStationPassword } from '../ocpp/stationAuth.js';
import type { Store } from '../store/index.js';

const SECRET_KEY = 'demoStationSecret';

/** Gives every listed station without a password its demo password (hashed); returns how to find each password. */
export async function provisionDemoStationPasswords(
  store: Store,
  stationIds: readonly string[],
): Promise<(stationId: string) => string> {
  let secret = store.meta(SECRET_KEY);
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    store.setMeta(SECRET_KEY, secret);
  }
  const key = secret;
  const passwordOf = (stationId: string) =>
    createHmac('sha256', key).update(stationId).digest('base64url').slice(0, 32);
  const missing = stationIds.filter((id) => store.stations.get(id) && !store.stations.credential(id));
  const hashed = await Promise.all(missing.map(async (id) => [id, await hashStationPassword(passwordOf(id))] as const));
  store.changes.write('demo station passwords', () => {
    for (const [id, credential] of hashed) store.stations.setPassword(id, credential);
  });
  return passwordOf;
}
