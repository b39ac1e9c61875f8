// The one list of tests that do not run on PostgreSQL yet (VOLTBOARD_TEST_STORE=postgres), each with why. A test
// names its entry: `it('…', skipOnPostgres('bulk 5,000 in 1.5 s'), async () => …)`; on SQLite it always runs.
import { onPostgres } from './testStore.js';

export const POSTGRES_SKIPS = {
  'bulk 5,000 in 1.5 s':
    'a statement is a round trip to PostgreSQL (~0.1 ms under load): the 5,000-point bulk edit takes ~4 s there ' +
    'against its 1.5 s limit until its per-point statements are batched',
} as const;

export function skipOnPostgres(entry: keyof typeof POSTGRES_SKIPS): { skip?: string } {
  return onPostgres ? { skip: `on PostgreSQL: ${POSTGRES_SKIPS[entry]}` } : {};
}
