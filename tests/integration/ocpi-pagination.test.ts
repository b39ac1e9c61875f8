// The Locations list over a network of 50,000 EVSEs on 500 sites, crawled by a real eMSP through the Link headers:
// every EVSE exactly once, the totals and limits the pagination chapter requires, and date_from/date_to filters that
// follow an EVSE's change to its location.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ManualClock } from '../../common/clock.js';
import { invitePartner, publishSite } from '../../backend/ocpi/admin.js';
import { saveParty } from '../../backend/ocpi/settings.js';
import { seedStore, startTestBackend, type TestBackend } from '../support/backendHarness.js';
import { generateLargeNetwork } from '../support/largeNetwork.js';
import { OcpiPeer, peerLocationSchema } from '../support/ocpiPeer.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

describe('OCPI Locations pagination at 50,000 EVSEs', () => {
  const data = tempDir('ocpi-pages');
  const clock = new ManualClock();
  const peer = new OcpiPeer();
  let b: TestBackend;
  let url: string;
  let points: number;

  before(async () => {
    const network = generateLargeNetwork({ sites: 500, points: 50_000, seed: 19 });
    await seedStore(data.path, { ...network, users: [] });
    b = await startTestBackend({ dataDir: data.path, network: null, clock, ocpi: { allowPrivatePartnerUrls: true } });
    points = b.store.points.count();
    saveParty(b.ocpi.repo, { countryCode: 'GB', partyId: 'VBD', name: 'Voltboard', publicUrl: null });
    network.sites.forEach((site, i) => {
      const lat = (50 + i / 1000).toFixed(5);
      publishSite(
        b.store,
        b.ocpi.repo,
        site.id,
        { country: 'GBR', latitude: lat, longitude: '-1.50000', postalCode: null },
        new Date(clock.now() + i).toISOString(),
      );
    });
    const t0 = performance.now();
    b.ocpi.publisher.catchUp();
    console.log(`first OCPI catch-up of ${points} points: ${(performance.now() - t0).toFixed(0)} ms`);
    await peer.start();
    peer.mode = 'refuse'; // its receiver refuses the 500 registration PUTs at once: this test is about pulling
    const { tokenA } = invitePartner(b.ocpi.repo, 'Peer', new Date(clock.now()).toISOString());
    await peer.registerWith(`${b.url}/ocpi/versions`, tokenA);
    url = peer.endpoint('locations');
  });

  after(async () => {
    await b.stop();
    await peer.stop();
    data.remove();
  });

  it('gives every EVSE exactly once when the Link headers are followed', async () => {
    assert.equal(points, 50_000);
    const seen = new Set<string>();
    const locations = new Set<string>();
    let next: string | null = `${url}?limit=50`;
    let pages = 0;
    const t0 = performance.now();
    while (next) {
      const r = await peer.call('GET', next, peer.outgoingToken);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-total-count'), '500');
      assert.equal(r.headers.get('x-limit'), '100');
      const page = r.body.data as unknown[];
      assert.ok(page.length <= 50);
      for (const raw of page) {
        const loc = peerLocationSchema.parse(raw);
        assert.ok(!locations.has(loc.id), `location ${loc.id} twice`);
        locations.add(loc.id);
        for (const e of loc.evses ?? []) {
          assert.ok(!seen.has(e.uid), `EVSE ${e.uid} twice`);
          seen.add(e.uid);
        }
      }
      const link = r.headers.get('link');
      next = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : null;
      pages++;
    }
    console.log(
      `crawled 500 locations / ${seen.size} EVSEs in ${pages} pages: ${(performance.now() - t0).toFixed(0)} ms`,
    );
    assert.equal(pages, 10);
    assert.equal(locations.size, 500);
    assert.equal(seen.size, 50_000);
    assert.deepEqual(peer.violations, []);
  });

  it('caps the page at X-Limit and keeps the cap in the next link', async () => {
    const r = await peer.call('GET', `${url}?limit=5000&offset=450`, peer.outgoingToken);
    assert.equal(r.body.data.length, 50, 'the last 50');
    assert.equal(r.headers.get('link'), null, 'no next page after the last');
    const first = await peer.call('GET', `${url}?limit=5000`, peer.outgoingToken);
    assert.equal(first.body.data.length, 100);
    assert.equal(first.headers.get('link'), `<${url}?offset=100&limit=100>; rel="next"`);
  });

  it('finds a location by the last_updated its changed EVSE gave it, with date_from inclusive and date_to exclusive', async () => {
    clock.advance(1000);
    const changedAt = new Date(clock.now()).toISOString();
    const point = b.store.points.all()[1234];
    b.store.points.setConnection(point.stationId, true, changedAt, 'test');
    b.store.points.setReported(
      point.stationId,
      point.evseId,
      { status: 'Faulted', errorCode: 'GroundFailure', info: null, at: changedAt },
      'test',
    );
    b.ocpi.publisher.catchUp();
    const from = await peer.call('GET', `${url}?date_from=${changedAt}`, peer.outgoingToken);
    assert.equal(from.headers.get('x-total-count'), '1');
    const [loc] = from.body.data;
    assert.equal(loc.id, point.siteId);
    assert.equal(loc.last_updated, changedAt);
    assert.equal(loc.evses.find((e: { uid: string }) => e.uid === point.id).status, 'OUTOFORDER');
    const to = await peer.call('GET', `${url}?date_to=${changedAt}&limit=100`, peer.outgoingToken);
    assert.equal(to.headers.get('x-total-count'), '499');
    assert.equal(
      to.headers.get('link'),
      `<${url}?offset=100&limit=100&date_to=${encodeURIComponent(changedAt)}>; rel="next"`,
    );
  });
  it('catches up on 50,000 changed points in slices, without holding the event loop for long', async () => {
    const stationIds = [...new Set(b.store.points.all().map((p) => p.stationId))];
    const at = new Date(clock.now()).toISOString();
    b.store.changes.write('every station connects', () => {
      for (const id of stationIds) b.store.points.setConnection(id, true, at, 'test');
    });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const t0 = performance.now();
    await waitFor(
      'the publisher to reach the last change',
      () => b.ocpi.repo.setting('seq') === String(b.store.seq),
      60_000,
    );
    delay.disable();
    const longest = delay.max / 1e6;
    console.log(
      `catch-up of ${points} changed points: ${(performance.now() - t0).toFixed(0)} ms, longest event-loop stall ${longest.toFixed(0)} ms`,
    );
    assert.ok(longest < 1000, `the event loop stalled ${longest.toFixed(0)} ms`);
  });
});
