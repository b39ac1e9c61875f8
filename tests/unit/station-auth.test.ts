// Station passwords (OCPP security profile 1): hashed with salt and cost, checked a bounded number at a time, a
// verified password remembered only while the stored hash is the same.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  STATION_PASSWORD_COST,
  StationVerifier,
  generateStationPassword,
  hashStationPassword,
  stationPasswordProblem,
  verifyStationPassword,
} from '../../backend/ocpp/stationAuth.js';

test('a station password is stored as a salted scrypt hash with its cost, and checked against it', async () => {
  const password = generateStationPassword();
  assert.match(password, /^[A-Za-z0-9_-]{32}$/);
  assert.equal(stationPasswordProblem(password), null);
  const a = await hashStationPassword(password);
  const b = await hashStationPassword(password);
  assert.equal(a.cost, STATION_PASSWORD_COST);
  assert.notEqual(a.salt, b.salt);
  assert.notEqual(a.hash, b.hash, 'salted: the same password hashes differently');
  assert.ok(!a.hash.includes(password) && !a.salt.includes(password));
  assert.equal(await verifyStationPassword(password, a), true);
  assert.equal(await verifyStationPassword(Buffer.from(password), a), true, 'the Basic header gives a Buffer');
  assert.equal(await verifyStationPassword(`${password}x`, a), false);
  assert.match(stationPasswordProblem('short')!, /at least 16/);
  assert.match(stationPasswordProblem('x'.repeat(41))!, /at most 40/);
});

test('the verifier remembers a verified password only while the stored hash is unchanged, and is bounded', async () => {
  const verifier = new StationVerifier({ concurrent: 1, queued: 1 });
  const password = Buffer.from('a-station-password-0001');
  const stored = await hashStationPassword(password);
  assert.equal(await verifier.verify('S1', password, stored), true);
  // Remembered: answered at once, even while every hashing slot is taken.
  const slow = verifier.verify('S2', Buffer.from('wrong-password-00000'), stored);
  const queued = verifier.verify('S3', Buffer.from('wrong-password-00001'), stored);
  assert.equal(
    await verifier.verify('S3', Buffer.from('wrong-password-00002'), stored),
    'busy',
    'beyond the queue: busy',
  );
  assert.equal(await verifier.verify('S1', password, stored), true);
  assert.deepEqual(await Promise.all([slow, queued]), [false, false]);
  // A wrong password is never let in by the memo.
  assert.equal(await verifier.verify('S1', Buffer.from('a-station-password-0002'), stored), false);
  // A new password set (another hash): the old one no longer opens it.
  const changed = await hashStationPassword('a-station-password-0003');
  assert.equal(await verifier.verify('S1', password, changed), false);
  assert.equal(await verifier.verify('S1', Buffer.from('a-station-password-0003'), changed), true);
});
