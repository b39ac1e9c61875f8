// Several instances (docs/cluster.md): alerts are raised once, by the leader. An instance that does not lead hears of
// its own stations going offline, but raises nothing, even where a rule says at once (no hold-off, or flapping); it
// raises only if it takes the lead while the condition still holds.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { AlertEngine } from '../../backend/alerts/engine.js';
import { LeaderClock } from '../../backend/cluster/leaderClock.js';
import { seedStore, smallNetwork } from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { disposeStoreOf, testStore } from '../support/testStore.js';

describe('alerts on an instance that does not lead', () => {
  const tmp = tempDir('alerts-follower');
  after(() => {
    disposeStoreOf(tmp.path);
    tmp.remove();
  });

  it('raises nothing at once (no hold-off, or flapping); raises on taking the lead if the condition holds', async () => {
    await seedStore(tmp.path, smallNetwork());
    const store = testStore(tmp.path);
    const clock = new ManualClock();
    const leaderClock = new LeaderClock(clock);
    const engine = new AlertEngine(
      store,
      leaderClock,
      { offlineHoldOffMs: 0, flapCount: 2 },
      {
        changed: () => undefined,
        log: () => undefined,
        leads: () => leaderClock.isLeading,
      },
    );
    try {
      const open = (station: string) => store.alerts.openFor(`station:${station}:offline`);
      engine.stationChanged('ST16', 'offline');
      engine.stationChanged('ST201', 'offline');
      engine.stationChanged('ST201', 'online');
      engine.stationChanged('ST201', 'offline');
      clock.advance(60_000);
      await new Promise((r) => setImmediate(r));
      assert.equal(open('ST16'), null, 'no hold-off: the leader raises it, not this instance');
      assert.equal(open('ST201'), null, 'flapping: the same');
      engine.stationChanged('ST201', 'online');
      leaderClock.lead();
      clock.advance(0);
      await new Promise((r) => setImmediate(r));
      assert.match(open('ST16')?.evidence ?? '', /offline/, 'taking the lead, it raises what still holds');
      assert.equal(open('ST201'), null, 'and not what cleared meanwhile');
    } finally {
      engine.stop();
      store.close();
    }
  });
});
