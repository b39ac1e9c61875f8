// Issue 21's cluster test: three instances on one PostgreSQL, 200 real OCPP-J stations spread across them, three
// consoles on different instances making 100 edits/s for 60 s while one instance is killed (SIGKILL) every 15 s and
// started again. At the end every console, the store and every station agree on every point; no mutation was applied
// twice; no change was lost; every console saw the changes in seq order with no gap. The figures are printed.
// VB_CHAOS_SECONDS shortens or lengthens the run.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { runClusterChaos } from '../support/clusterChaos.js';
import { tempDir } from '../support/tempDir.js';
import { disposeStoreOf, onPostgres, storeLocationFor } from '../support/testStore.js';

const skip = onPostgres ? false : 'needs PostgreSQL: runs in the step "node (backend on PostgreSQL)"';

describe('cluster under fire', { skip }, () => {
  const tmp = tempDir('cluster-chaos');
  after(() => {
    disposeStoreOf(tmp.path);
    tmp.remove();
  });

  it('three instances, 200 stations, 3 consoles at 100 edits/s, one instance killed every 15 s: all agree', async () => {
    const location = storeLocationFor(tmp.path);
    const figures = await runClusterChaos({
      dataDir: tmp.path,
      postgresUrl: 'postgresUrl' in location ? location.postgresUrl : '',
      instances: 3,
      stations: 200,
      consoles: 3,
      editsPerSecond: 100,
      seconds: Number(process.env.VB_CHAOS_SECONDS ?? 60),
      killEveryMs: 15_000,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`cluster figures: ${JSON.stringify(figures)}\n`);
    assert.deepEqual(figures.disagreements, []);
    assert.ok(figures.kills >= Math.floor(figures.seconds / 15) - 1, `${figures.kills} kills`);
    assert.ok(figures.applied > 0);
  });
});
