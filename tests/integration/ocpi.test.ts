// OCPI 2.2.1 against a real eMSP written from the spec (tests/support/ocpiPeer.ts), over HTTP on loopback, with real
// OCPP-J stations: the credentials handshake both ways, refused tokens, a station's change reaching the partner as a
// PATCH, a burst coalesced, a partner that is down or refusing, and a restart that delivers what was queued.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { connectStation, startTestBackend, type TestBackend, type TestStation } from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';
import { invitePartner, publishSite, setSuspended } from '../../backend/ocpi/admin.js';
import { registerWithPartner } from '../../backend/ocpi/registration.js';
import { saveParty } from '../../backend/ocpi/settings.js';
import { ocpiBackoffMs } from '../../backend/ocpi/pusher.js';
import { OcpiPeer } from '../support/ocpiPeer.js';

const PARTY = { countryCode: 'GB', partyId: 'VBD', name: 'Voltboard Test CPO', publicUrl: null };
const S1 = { country: 'GBR', latitude: '51.50142', longitude: '-0.14189', postalCode: 'SW1A 1AA' };

describe('OCPI 2.2.1 with a real eMSP', () => {
  let clock: ManualClock;
  let data: ReturnType<typeof tempDir>;
  let b: TestBackend;
  let peer: OcpiPeer;
  const stations: TestStation[] = [];

  const iso = () => new Date(clock.now()).toISOString();

  async function startBackend(): Promise<TestBackend> {
    return startTestBackend({
      clock,
      dataDir: data.path,
      network: b ? null : undefined,
      liveness: { pingIntervalMs: 24 * 3600_000 },
      stationLimits: { burst: 10_000, perSecond: 10_000 },
      ocpi: { requestTimeoutMs: 500, allowPrivatePartnerUrls: true },
    });
  }

  /** Our party set up, site S1 published, and the peer registered with the token A we gave it. */
  async function registerPeer(): Promise<void> {
    const { tokenA } = invitePartner(b.ocpi.repo, 'Peer eMSP', iso());
    await peer.registerWith(`${b.url}/ocpi/versions`, tokenA);
  }

  async function station(id: string, protocol: 'ocpp1.6' | 'ocpp2.0.1'): Promise<TestStation> {
    const s = await connectStation(b.ocppUrl, id, protocol);
    stations.push(s);
    await s.boot();
    return s;
  }

  beforeEach(async () => {
    clock = new ManualClock();
    data = tempDir('backend');
    peer = new OcpiPeer();
    await peer.start();
    b = undefined as unknown as TestBackend;
    b = await startBackend();
    saveParty(b.ocpi.repo, PARTY);
    publishSite(b.store, b.ocpi.repo, 'S1', S1, iso());
    b.ocpi.publisher.poke();
    await waitFor('the EVSEs to be known to OCPI', () => b.ocpi.repo.evse('ST16-1'));
  });

  afterEach(async () => {
    for (const s of stations.splice(0)) await s.close().catch(() => undefined);
    await b.stop();
    await peer.stop();
    data.remove();
  });

  it('registers a partner with token A, gives it token C, and then refuses token A', async () => {
    const { tokenA } = invitePartner(b.ocpi.repo, 'Peer eMSP', iso());
    // Token A opens versions and credentials only (transport chapter): 401 on Locations.
    const early = await peer.call('GET', `${b.url}/ocpi/2.2.1/locations`, tokenA);
    assert.equal(early.status, 401);
    assert.equal(early.body.status_code, 2000);

    await peer.registerWith(`${b.url}/ocpi/versions`, tokenA);
    assert.deepEqual(
      peer.cpoEndpoints.map((e) => [e.identifier, e.role]),
      [
        ['credentials', 'SENDER'],
        ['locations', 'SENDER'],
      ],
    );
    const [partner] = b.ocpi.repo.partners();
    assert.equal(partner.state, 'registered');
    assert.equal(partner.outgoing_token, peer.incomingToken, 'we call the peer with the token it gave us (B)');
    const row = b.store.db
      .prepare('test', 'SELECT token_a_hash, incoming_token_hash FROM ocpi_partners')
      .get() as Record<string, string | null>;
    assert.equal(row.token_a_hash, null, 'token A is forgotten');
    assert.notEqual(row.incoming_token_hash, peer.outgoingToken, 'token C is stored hashed, not as given');

    const again = await peer.call('GET', `${b.url}/ocpi/versions`, tokenA);
    assert.equal(again.status, 401, 'token A no longer works after the handshake');

    // With token C: our credentials (GET), a second POST is 405, PUT renews token C.
    const creds = await peer.call('GET', peer.endpoint('credentials'), peer.outgoingToken);
    assert.equal(creds.status, 200);
    assert.equal(creds.body.data.token, peer.outgoingToken);
    assert.deepEqual(creds.body.data.roles[0], {
      role: 'CPO',
      party_id: 'VBD',
      country_code: 'GB',
      business_details: { name: 'Voltboard Test CPO' },
    });
    const post = await peer.call('POST', peer.endpoint('credentials'), peer.outgoingToken, creds.body.data);
    assert.equal(post.status, 405);
    const oldC = peer.outgoingToken!;
    const put = await peer.call('PUT', peer.endpoint('credentials'), oldC, {
      token: peer.incomingToken,
      url: peer.versionsUrl,
      roles: [{ role: 'EMSP', party_id: 'EMP', country_code: 'DE', business_details: { name: 'Peer eMSP' } }],
    });
    assert.equal(put.status, 200);
    assert.notEqual(put.body.data.token, oldC, 'a PUT issues a new token C');
    assert.equal((await peer.call('GET', peer.endpoint('locations'), oldC)).status, 401, 'the old token C is refused');
    const fresh = put.body.data.token as string;
    assert.equal((await peer.call('GET', peer.endpoint('locations'), fresh)).status, 200);

    // DELETE unregisters: the token stops working and a second DELETE is 405 (not registered).
    assert.equal((await peer.call('DELETE', peer.endpoint('credentials'), fresh)).status, 200);
    assert.equal((await peer.call('GET', peer.endpoint('locations'), fresh)).status, 401);
    assert.equal(b.ocpi.repo.partners().length, 0);
    assert.deepEqual(peer.violations, []);
  });

  it('refuses a missing, unknown or malformed token with HTTP 401 and status_code 2000, and bad queries with 2001', async () => {
    await registerPeer();
    const url = peer.endpoint('locations');
    for (const token of [null, 'not-a-token', peer.incomingToken]) {
      const r = await peer.call('GET', url, token);
      assert.equal(r.status, 401, String(token));
      assert.equal(r.body.status_code, 2000);
      assert.equal(r.body.data, undefined);
    }
    const raw = await peer.call('GET', url, peer.outgoingToken, undefined, true);
    assert.equal(
      raw.status,
      200,
      'the raw (not Base64) form of a valid token is accepted, as the spec advises for older partners',
    );
    const bad = await peer.call('GET', `${url}?limit=-3&date_from=yesterday`, peer.outgoingToken);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.status_code, 2001);
    const unknown = await peer.call('GET', `${url}/NOPE`, peer.outgoingToken);
    assert.equal(unknown.body.status_code, 2003);
    const badPost = await peer.call(
      'POST',
      `${b.url}/ocpi/2.2.1/credentials`,
      invitePartner(b.ocpi.repo, 'x', iso()).tokenA,
      { token: 'has space', url: 'nope' },
    );
    assert.equal(badPost.body.status_code, 2001);
    assert.deepEqual(peer.violations, []);
  });

  it('serves one location, one EVSE and one connector as the spec shapes them', async () => {
    await registerPeer();
    const url = peer.endpoint('locations');
    const list = await peer.call('GET', url, peer.outgoingToken);
    assert.equal(list.headers.get('x-total-count'), '1');
    assert.equal(list.headers.get('x-limit'), '100');
    assert.equal(list.headers.get('link'), null, 'one page: no next link');
    const [loc] = list.body.data;
    assert.equal(loc.id, 'S1');
    assert.deepEqual(loc.coordinates, { latitude: '51.50142', longitude: '-0.14189' });
    assert.equal(loc.evses.length, 4);
    const one = await peer.call('GET', `${url}/S1`, peer.outgoingToken);
    assert.deepEqual(one.body.data, loc);
    const evse = await peer.call('GET', `${url}/S1/ST201-2`, peer.outgoingToken);
    assert.equal(evse.body.data.connectors.length, 2, 'one EVSE with two connectors');
    const connector = await peer.call('GET', `${url}/S1/ST201-2/2`, peer.outgoingToken);
    assert.equal(connector.body.data.standard, 'IEC_62196_T2_COMBO');
    assert.equal(connector.body.data.power_type, 'DC');
    assert.deepEqual(peer.violations, []);
  });

  it("pushes a station's status change as a PATCH of status and last_updated within 1 s", async () => {
    await registerPeer();
    await waitFor('the registration PUT of S1', () => peer.locations.get('S1'));
    const st = await station('ST16', 'ocpp1.6');
    await st.status(1, 'Available');
    await waitFor('ST16-1 AVAILABLE at the peer', () => peer.statusOf('S1', 'ST16-1') === 'AVAILABLE');
    clock.advance(60_000);
    const t0 = Date.now();
    await st.status(1, 'Charging');
    const patch = await waitFor('the CHARGING PATCH', () =>
      peer.patchesTo('ST16-1').find((p) => p.body.status === 'CHARGING'),
    );
    const latency = patch.at - t0;
    console.log(`station report → eMSP PATCH: ${latency} ms`);
    assert.ok(latency < 1000, `took ${latency} ms`);
    assert.deepEqual(Object.keys(patch.body).sort(), ['last_updated', 'status']);
    assert.equal(patch.body.last_updated, iso(), 'last_updated is when the status changed');
    assert.equal(patch.path, '/emsp/2.2.1/locations/GB/VBD/S1/ST16-1');
    await waitFor('accepted', () => b.ocpi.repo.pointDelivery('ST16-1')[0]?.state === 'accepted');
    // The location's last_updated follows its EVSE's (Locations module: date_from must find it).
    const loc = await peer.call('GET', `${peer.endpoint('locations')}/S1`, peer.outgoingToken);
    assert.equal(loc.body.data.last_updated, iso());
    assert.deepEqual(peer.violations, []);
  });

  it('coalesces a burst of 1,000 changes of one EVSE: the partner ends with the newest status', async () => {
    await registerPeer();
    const st = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6', { callConcurrency: 100 });
    stations.push(st);
    await st.boot();
    await waitFor('registration PUT', () => peer.locations.get('S1'));
    await b.ocpi.pusher.idle();
    peer.delayMs = 20;
    const before = peer.pushes.length;
    const t0 = Date.now();
    const burst: Promise<void>[] = [];
    for (let i = 0; i < 1000; i++) burst.push(st.status(1, i % 2 === 0 ? 'Charging' : 'Available'));
    burst.push(st.status(1, 'Faulted'));
    await Promise.all(burst);
    await waitFor('OUTOFORDER at the peer', () => peer.statusOf('S1', 'ST16-1') === 'OUTOFORDER');
    const ms = Date.now() - t0;
    await b.ocpi.pusher.idle();
    const sent = peer.pushes.length - before;
    console.log(`1,001 status changes in a burst → ${sent} pushes; newest status at the partner after ${ms} ms`);
    assert.ok(sent <= 50, `${sent} pushes for 1,001 changes`);
    assert.equal(peer.pushes.at(-1)!.body.status, 'OUTOFORDER', 'the last push carries the newest status');
    assert.deepEqual(peer.violations, []);
  });

  it('retries a partner that is down with backoff and then sends only the current state; records refusals', async () => {
    await registerPeer();
    const st = await station('ST16', 'ocpp1.6');
    await waitFor('registration PUT', () => peer.locations.get('S1'));
    await st.status(1, 'Available');
    await waitFor('AVAILABLE', () => peer.statusOf('S1', 'ST16-1') === 'AVAILABLE');
    await b.ocpi.pusher.idle();

    peer.mode = 'unavailable';
    await st.status(1, 'Charging');
    const failing = await waitFor('the partner marked failing', () => b.ocpi.repo.partners()[0].failing_since);
    assert.equal(failing, iso());
    assert.match(b.ocpi.repo.partners()[0].last_error ?? '', /HTTP 503/);
    // An hour of changes while it is down, then it is gone altogether.
    await peer.stop();
    for (let minute = 0; minute < 60; minute++) {
      clock.advance(60_000);
      await st.status(1, minute % 2 ? 'Charging' : 'Available');
      await st.status(2, minute % 2 ? 'Available' : 'Charging');
    }
    await st.status(1, 'Reserved');
    await b.ocpi.pusher.idle();
    assert.equal(b.ocpi.repo.partners()[0].failing_since, failing, 'failing since the first failure');
    assert.ok(b.ocpi.repo.partners()[0].attempts >= 2);
    assert.equal(
      b.ocpi.repo.pendingCount(b.ocpi.repo.partners()[0].id),
      2,
      'one push per changed EVSE, not one per change',
    );

    await peer.restart();
    peer.mode = 'ok';
    const before = peer.pushes.length;
    clock.advance(ocpiBackoffMs(20));
    await waitFor(
      'the current state at the returned partner',
      () => peer.statusOf('S1', 'ST16-1') === 'RESERVED' && peer.statusOf('S1', 'ST16-2') === 'AVAILABLE',
    );
    await b.ocpi.pusher.idle();
    assert.equal(peer.pushes.length - before, 2, 'the current state of the two EVSEs, not an hour of history');
    assert.equal(b.ocpi.repo.partners()[0].failing_since, null);

    peer.mode = 'refuse';
    await st.status(1, 'Available');
    await waitFor('refused with 2001', () => {
      const d = b.ocpi.repo.pointDelivery('ST16-1')[0];
      return d.state === 'refused' && d.statusCode === 2001;
    });
    assert.deepEqual(peer.violations, []);
  });

  it('gives up on a partner that does not answer in time, and retries it', async () => {
    await registerPeer();
    const st = await station('ST16', 'ocpp1.6');
    await waitFor('registration PUT', () => peer.locations.get('S1'));
    await b.ocpi.pusher.idle();
    peer.mode = 'slow';
    await st.status(1, 'Charging');
    await waitFor('the partner marked failing', () =>
      /no answer in time/.test(b.ocpi.repo.partners()[0].last_error ?? ''),
    );
    peer.mode = 'ok';
    clock.advance(ocpiBackoffMs(1));
    await waitFor('CHARGING after the retry', () => peer.statusOf('S1', 'ST16-1') === 'CHARGING');
    assert.deepEqual(peer.violations, []);
  });

  it('tells partners of a planned maintenance window in status_schedule, and pushes INOPERATIVE when it starts', async () => {
    await registerPeer();
    const st = await station('ST16', 'ocpp1.6');
    await st.status(2, 'Available');
    await waitFor('AVAILABLE', () => peer.statusOf('S1', 'ST16-2') === 'AVAILABLE');
    const startsAt = new Date(clock.now() + 3600_000).toISOString();
    const endsAt = new Date(clock.now() + 3 * 3600_000).toISOString();
    b.scheduler.plan(
      { id: 'window-ocpi-1', pointIds: ['ST16-2'], startsAt, endsAt, reason: 'New cable', note: null },
      { username: 'admin', role: 'admin' },
    );
    const evse = await peer.call('GET', `${peer.endpoint('locations')}/S1/ST16-2`, peer.outgoingToken);
    assert.equal(evse.body.data.status, 'AVAILABLE');
    assert.deepEqual(evse.body.data.status_schedule, [
      { period_begin: startsAt, period_end: endsAt, status: 'INOPERATIVE' },
    ]);
    clock.advance(3600_000);
    const patch = await waitFor('the INOPERATIVE PATCH at the start', () =>
      peer.patchesTo('ST16-2').find((p) => p.body.status === 'INOPERATIVE'),
    );
    assert.equal(patch.body.last_updated, startsAt);
    assert.deepEqual(peer.violations, []);
  });

  it('does not send an object of ours that OCPI would refuse, and says why', async () => {
    await registerPeer();
    await waitFor('registration PUT', () => peer.locations.get('S1'));
    await b.ocpi.pusher.idle();
    // Damaged data (a latitude no admin could have set through `ocpi site`).
    b.store.db.prepare('test', "UPDATE ocpi_locations SET latitude = 'north' WHERE site_id = 'S1'").run();
    const partner = b.ocpi.repo.partners()[0];
    b.ocpi.repo.enqueue(partner.id, 'location', 'S1', iso());
    const before = peer.pushes.length;
    b.ocpi.pusher.kick();
    await waitFor('refused locally', () => b.ocpi.repo.counts(partner.id).refused === 1);
    assert.equal(peer.pushes.length, before, 'nothing reached the partner');
    assert.ok(b.logs.some((l) => /not sent to Peer eMSP: invalid OCPI object \(coordinates\.latitude/.test(l)));
  });

  it('sends nothing to a suspended partner and the newest state when it is resumed', async () => {
    await registerPeer();
    const st = await station('ST16', 'ocpp1.6');
    await waitFor('registration PUT', () => peer.locations.get('S1'));
    await b.ocpi.pusher.idle();
    const partner = b.ocpi.repo.partners()[0];
    setSuspended(b.ocpi.repo, partner.id, true);
    const before = peer.pushes.length;
    await st.status(1, 'Charging');
    await st.status(1, 'Faulted');
    await waitFor('queued', () => b.ocpi.repo.pendingCount(partner.id) === 1);
    assert.equal((await peer.call('GET', peer.endpoint('locations'), peer.outgoingToken)).status, 401);
    await b.ocpi.pusher.idle();
    assert.equal(peer.pushes.length, before);
    setSuspended(b.ocpi.repo, partner.id, false);
    b.ocpi.pusher.kick();
    await waitFor('OUTOFORDER after resume', () => peer.statusOf('S1', 'ST16-1') === 'OUTOFORDER');
  });

  it('delivers what was queued before a restart', async () => {
    await registerPeer();
    const st = await station('ST16', 'ocpp1.6');
    await waitFor('registration PUT', () => peer.locations.get('S1'));
    await st.status(1, 'Available');
    await waitFor('AVAILABLE', () => peer.statusOf('S1', 'ST16-1') === 'AVAILABLE');
    await peer.stop();
    await st.status(1, 'Charging');
    await waitFor('failing', () => b.ocpi.repo.partners()[0].failing_since);
    await st.close();
    stations.splice(0);
    await b.stop();

    await peer.restart();
    b = await startBackend();
    // The restart marks the station offline (UNKNOWN); the queued push carries the current state when sent.
    clock.advance(ocpiBackoffMs(20));
    await waitFor('the state after the restart at the peer', () => peer.statusOf('S1', 'ST16-1') === 'UNKNOWN');
    assert.deepEqual(peer.violations, []);
  });

  it('registers with a partner that gave us its token A (we are the sender)', async () => {
    const tokenA = peer.issueTokenA();
    const partner = await registerWithPartner(b.ocpi.repo, {
      name: 'Peer eMSP',
      versionsUrl: peer.versionsUrl,
      tokenA,
      party: PARTY,
      base: b.url,
      at: iso,
      guard: b.ocpi.urlGuard,
    });
    assert.equal(partner.state, 'registered');
    assert.equal(partner.outgoing_token, peer.incomingToken, 'we call the peer with the token C it answered');
    assert.ok(peer.outgoingToken, 'the peer got our token B');
    assert.equal(peer.tokenA, null, 'its token A is spent');
    // The peer reads our Locations with token B; we push to it with token C.
    peer.cpoEndpoints = (await peer.call('GET', `${b.url}/ocpi/2.2.1`, peer.outgoingToken)).body.data.endpoints;
    assert.equal((await peer.call('GET', peer.endpoint('locations'), peer.outgoingToken)).status, 200);
    b.ocpi.pusher.kick();
    await waitFor('the location PUT', () => peer.locations.get('S1'));
    assert.deepEqual(peer.violations, []);

    const refused = new OcpiPeer();
    await refused.start();
    try {
      await assert.rejects(
        registerWithPartner(b.ocpi.repo, {
          name: 'x',
          versionsUrl: refused.versionsUrl,
          tokenA: 'wrong',
          party: PARTY,
          base: b.url,
          at: iso,
          guard: b.ocpi.urlGuard,
        }),
        (e: Error & { statusCode?: number }) => e.statusCode === 3001 && /HTTP 401/.test(e.message),
      );
    } finally {
      await refused.stop();
    }
    assert.equal(b.ocpi.repo.partners().length, 1, 'a failed registration leaves no partner behind');
  });
});
