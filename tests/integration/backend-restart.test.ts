// A restart on the same data folder keeps the network, versions, audit, processed mutation ids and sign-ins.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { MutateReply, SyncReply } from '../../common/protocol.js';
import { startBackend } from '../../backend/server.js';
import {
  connectConsole,
  connectStation,
  seedStore,
  setStatus,
  smallNetwork,
  tokenFor,
} from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';
import { storeLocationFor } from '../support/testStore.js';

describe('backend: restart on the same data folder', () => {
  const tmp = tempDir('backend');
  after(() => tmp.remove());

  it('keeps everything, and marks stations offline until they reconnect', async () => {
    await seedStore(tmp.path, smallNetwork());
    const first = await startBackend({ port: 0, ...storeLocationFor(tmp.path) });
    const token = await tokenFor(first.url, 'operator');
    const c = await connectConsole(first.url, token);
    const st = await connectStation(first.ocppUrl, 'ST16', 'ocpp1.6');
    await st.boot();
    await st.status(1, 'Charging');
    const m = setStatus([{ pointId: 'ST201-1', baseVersion: 0 }], { status: 'Maintenance', reason: 'kept' });
    const r = await c.request<MutateReply>('mutate', { mutations: [m] });
    assert.ok(r.ok);
    const original = r.data.outcomes[0];
    await waitFor('offline delivery', () => first.store.points.get('ST201-1')!.delivery.state === 'stationOffline');
    const snap1 = await c.request<SyncReply>('sync', { networkId: null, sinceSeq: null });
    assert.ok(snap1.ok);
    const audit1 = first.store.audit.history('ST201-1', 100);
    c.close();
    await first.stop();
    await st.close();

    const second = await startBackend({ port: 0, ...storeLocationFor(tmp.path) });
    try {
      assert.equal(second.networkId, first.networkId);
      assert.ok(second.store.seq > snap1.data.seq, 'the station still marked connected became a change');
      const c2 = await connectConsole(second.url, token); // the sign-in survived
      const delta = await c2.request<SyncReply>('sync', { networkId: first.networkId, sinceSeq: snap1.data.seq });
      assert.ok(delta.ok);
      assert.equal(delta.data.kind, 'delta');
      assert.deepEqual(delta.data.points.map((p) => p.id).sort(), ['ST16-1', 'ST16-2']);
      assert.ok(delta.data.points.every((p) => !p.stationConnected));
      const p = second.store.points.get('ST201-1')!;
      const before = snap1.data.points.find((x) => x.id === 'ST201-1')!;
      assert.deepEqual(p, before);
      assert.equal(second.store.points.get('ST16-1')!.reported.status, 'Occupied');
      assert.deepEqual(second.store.audit.history('ST201-1', 100), audit1);
      const replay = await c2.request<MutateReply>('mutate', { mutations: [m] });
      assert.ok(replay.ok);
      assert.deepEqual(replay.data.outcomes[0], { ...original, duplicate: true });
      await tokenFor(second.url, 'admin');
      // the edit made while the station was away is delivered when it comes back
      const st201 = await connectStation(second.ocppUrl, 'ST201', 'ocpp2.0.1');
      await st201.boot();
      await waitFor('delivered after restart', () => st201.received.length === 1);
      assert.deepEqual(st201.received[0], { operationalStatus: 'Inoperative', evse: { id: 1 } });
      await waitFor('accepted', () => second.store.points.get('ST201-1')!.delivery.state === 'accepted');
      await st201.close();
      c2.close();
    } finally {
      await second.stop();
    }
  });

  it('starts and stops many times in one process', async () => {
    const dir = tempDir('backend');
    try {
      for (let i = 0; i < 5; i++) {
        const b = await startBackend({ port: 0, ...storeLocationFor(dir.path) });
        const res = await fetch(`${b.url}/healthz`);
        assert.equal(res.status, 200);
        await b.stop();
      }
    } finally {
      dir.remove();
    }
  });
});
