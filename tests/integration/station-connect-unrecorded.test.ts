// A station's connection that the store cannot record (a failed or timed-out write: here a trigger that refuses the
// update, on either engine) is closed so that the station connects again, and is not kept as connected here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectStation, startTestBackend, type TestBackend } from '../support/backendHarness.js';
import { refuseUpdates } from '../support/refuseWrites.js';
import { waitFor } from '../support/waitFor.js';

describe('a station connection the store cannot record', () => {
  let b: TestBackend;
  before(async () => {
    b = await startTestBackend();
  });
  after(() => b.dispose());

  it('is closed and not kept as connected; the next connection is recorded', async () => {
    const allow = refuseUpdates(b.store.db, 'stations', 'connected');
    const first = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
    await waitFor('the connection closed by the backend', () =>
      first.boot().then(
        () => false,
        () => true,
      ),
    );
    assert.equal(b.ocpp.isConnected('ST16'), false, 'not kept as connected');
    assert.ok(b.logs.some((l) => l.includes('could not record station ST16 as connected')));
    assert.equal(b.store.stations.get('ST16')!.connected, 0);
    await first.close();

    allow();
    const second = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
    try {
      assert.equal((await second.boot()).status, 'Accepted');
      assert.equal(b.ocpp.isConnected('ST16'), true);
      assert.ok(b.store.points.byStation('ST16').every((p) => p.stationConnected));
    } finally {
      await second.close();
    }
  });
});
