// Sites carry their time zone (times of windows and expected ends are shown in it): stored, sent, validated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { siteSchema } from '../../common/model.js';
import { testStore } from '../support/testStore.js';
import { tempDir } from '../support/tempDir.js';

test('a site keeps its time zone; a change of zone is a change; a site without one is UTC', () => {
  const dir = tempDir('site-tz');
  const store = testStore(dir.path);
  try {
    store.stations.upsertSite({
      id: 'A',
      name: 'Harbour',
      city: 'Rotterdam',
      address: 'Kade 1',
      timeZone: 'Europe/Amsterdam',
    });
    store.stations.upsertSite({ id: 'B', name: 'Depot', city: 'Leeds', address: '2 Road' });
    assert.equal(store.stations.site('A')?.timeZone, 'Europe/Amsterdam');
    assert.equal(store.stations.site('B')?.timeZone, 'UTC');
    const seq = store.seq;
    store.stations.upsertSite({
      id: 'A',
      name: 'Harbour',
      city: 'Rotterdam',
      address: 'Kade 1',
      timeZone: 'Europe/Amsterdam',
    });
    assert.equal(store.seq, seq, 'the same site again is no change');
    store.stations.upsertSite({
      id: 'A',
      name: 'Harbour',
      city: 'Rotterdam',
      address: 'Kade 1',
      timeZone: 'Europe/Brussels',
    });
    assert.equal(store.seq, seq + 1);
    assert.deepEqual(
      store.stations.sitesSince(seq).map((s) => [s.id, s.timeZone]),
      [['A', 'Europe/Brussels']],
    );
    for (const s of store.stations.allSites()) siteSchema.parse(s);
  } finally {
    store.close();
    dir.remove();
  }
});

test('the schema refuses a zone the runtime does not know', () => {
  const base = { id: 'A', name: 'n', city: 'c', address: 'a' };
  assert.equal(siteSchema.safeParse({ ...base, timeZone: 'Mars/Olympus_Mons' }).success, false);
  assert.equal(siteSchema.safeParse({ ...base, timeZone: 'America/New_York' }).success, true);
  assert.equal(siteSchema.safeParse(base).success, true, 'absent: UTC');
});
