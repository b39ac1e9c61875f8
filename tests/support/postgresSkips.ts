// The one list of tests that do not run on PostgreSQL yet (VOLTBOARD_TEST_STORE=postgres), each with why. A test
// names its entry: `it('…', skipOnPostgres('uptime history'), async () => …)`; on SQLite it always runs.
import { onPostgres } from './testStore.js';

export const POSTGRES_SKIPS = {} as const;

export function skipOnPostgres(entry: keyof typeof POSTGRES_SKIPS): { skip?: string } {
  return onPostgres ? { skip: `on PostgreSQL: ${POSTGRES_SKIPS[entry]}` } : {};
}
