// --demo in-process: seeding, the simulated stations, the demo controls, and a restart that does not reseed.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startBackend, type Backend } from '../../backend/server.js';
import { login } from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';
import { storeLocationFor } from '../support/testStore.js';

describe('backend: demo mode', () => {
  const tmp = tempDir('backend');
  let b: Backend | null = null;
  after(async () => {
    await b?.stop();
    tmp.remove();
  });

  const control = async (token: string | null, action: string, body: unknown) => {
    const res = await fetch(`${b!.url}/api/demo/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return res.status;
  };

  it('seeds an empty store, runs the stations, and obeys the demo controls', { timeout: 30_000 }, async () => {
    b = await startBackend({ port: 0, ...storeLocationFor(tmp.path), demo: true, demoOptions: { quiet: true } });
    const points = b.store.points.all();
    assert.ok(points.length >= 120 && points.length <= 180, `${points.length} points`);
    assert.equal(b.demoUsers.length, 4);
    await waitFor('stations connected', () => b!.store.points.all().every((p) => p.stationConnected), 10_000);
    const tok = async (role: string) => {
      const u = b!.demoUsers.find((x) => x.role === role)!;
      return (await login(b!.url, u.username, u.password)).body.token as string;
    };
    const operator = await tok('operator');
    const viewer = await tok('viewer');
    const p = points[0];
    assert.equal(await control(null, 'fault', { pointId: p.id }), 401);
    assert.equal(await control(viewer, 'fault', { pointId: p.id }), 403);
    assert.equal(await control(operator, 'fault', { pointId: 'NOPE-1' }), 400);
    assert.equal(await control(operator, 'fly', { pointId: p.id }), 404);
    assert.equal(await control(operator, 'fault', { pointId: p.id, errorCode: 'GroundFailure' }), 200);
    await waitFor('faulted', () => b!.store.points.get(p.id)!.reported.status === 'Faulted');
    assert.equal(await control(operator, 'recover', { pointId: p.id }), 200);
    await waitFor('recovered', () => b!.store.points.get(p.id)!.reported.status === 'Available');
    assert.equal(await control(operator, 'disconnect', { stationId: p.stationId }), 200);
    await waitFor('offline', () => !b!.store.points.get(p.id)!.stationConnected);
    assert.equal(await control(operator, 'reconnect', { pointId: p.id }), 200);
    await waitFor('online', () => b!.store.points.get(p.id)!.stationConnected);
  });

  it('restarts on the same folder without seeding again', { timeout: 30_000 }, async () => {
    const networkId = b!.networkId;
    const count = b!.store.points.count();
    await b!.stop();
    b = await startBackend({ port: 0, ...storeLocationFor(tmp.path), demo: true, demoOptions: { quiet: true } });
    assert.equal(b.networkId, networkId);
    assert.equal(b.store.points.count(), count);
    assert.equal(b.demoUsers.length, 4);
    const u = b.demoUsers[0];
    assert.equal((await login(b.url, u.username, u.password)).status, 200);
    await waitFor('stations back', () => b!.store.points.all().every((p) => p.stationConnected), 10_000);
  });
});
