// A station's connection that the store cannot record (a failed or timed-out write: here a trigger that refuses the
// update, on either engine) is closed so that the station connects again, and is not kept as connected here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectStation, startTestBackend, type TestBackend } from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';

const REFUSE = {
  sqlite: `CREATE TRIGGER vb_test_refuse BEFORE UPDATE OF connected ON stations
           BEGIN SELECT RAISE(ABORT, 'injected: the store refuses the write'); END`,
  postgres: `CREATE FUNCTION vb_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION 'injected: the store refuses the write'; END $$;
             CREATE TRIGGER vb_test_refuse BEFORE UPDATE OF connected ON stations
             FOR EACH ROW EXECUTE FUNCTION vb_test_refuse()`,
};
const ALLOW = {
  sqlite: 'DROP TRIGGER vb_test_refuse',
  postgres: 'DROP TRIGGER vb_test_refuse ON stations; DROP FUNCTION vb_test_refuse()',
};

describe('a station connection the store cannot record', () => {
  let b: TestBackend;
  before(async () => {
    b = await startTestBackend();
  });
  after(() => b.dispose());

  it('is closed and not kept as connected; the next connection is recorded', async () => {
    b.store.db.exec(REFUSE[b.store.db.dialect]);
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

    b.store.db.exec(ALLOW[b.store.db.dialect]);
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
