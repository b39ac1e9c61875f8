// Roaming partners in the console: a real backend, a real eMSP (tests/support/ocpiPeer.ts) and real socket.io
// consoles. An admin registers a partner from the console (same code as the CLI), sees its delivery go from accepted
// to failing while the peer answers errors and back, sees a refusal's status_code and a point's delivery per partner,
// suspends, resumes and removes it; viewers, operators and supervisors are refused; bad requests are refused.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import type { PartnerActionReply, PartnersReply, PointPartnersReply } from '../../common/ocpiPartners.js';
import type { Ack, MutateReply } from '../../common/protocol.js';
import { publishSite } from '../../backend/ocpi/admin.js';
import { ocpiBackoffMs } from '../../backend/ocpi/pusher.js';
import { saveParty } from '../../backend/ocpi/settings.js';
import {
  connectConsole,
  setStatus,
  startTestBackend,
  tokenFor,
  type TestBackend,
  type TestConsole,
} from '../support/backendHarness.js';
import { OcpiPeer } from '../support/ocpiPeer.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const PARTY = { countryCode: 'GB', partyId: 'VBD', name: 'Voltboard Test CPO', publicUrl: null };
const S1 = { country: 'GBR', latitude: '51.50142', longitude: '-0.14189', postalCode: 'SW1A 1AA' };

describe('OCPI partners in the console', () => {
  let clock: ManualClock;
  let data: ReturnType<typeof tempDir>;
  let b: TestBackend;
  let peer: OcpiPeer;
  let admin: TestConsole;

  const partners = async (c: TestConsole = admin) => {
    const r: Ack<PartnersReply> = await c.request('partners', {});
    assert.ok(r.ok, JSON.stringify(r));
    return r.data.partners;
  };
  const pointPartners = async (pointId: string) => {
    const r: Ack<PointPartnersReply> = await admin.request('pointPartners', { pointId });
    assert.ok(r.ok, JSON.stringify(r));
    return r.data.partners;
  };
  const act = (req: unknown, c: TestConsole = admin): Promise<Ack<PartnerActionReply>> =>
    c.request('partnerAction', req, 30_000);
  const register = async () => {
    const tokenA = peer.issueTokenA();
    const r = await act({ action: 'register', name: 'Peer eMSP', versionsUrl: peer.versionsUrl, tokenA });
    assert.ok(r.ok, JSON.stringify(r));
    return { tokenA, partner: r.data.partners.partners[0]! };
  };
  let version = 0;
  const changeStatus = async (status: string) => {
    const r: Ack<MutateReply> = await admin.request('mutate', {
      mutations: [setStatus([{ pointId: 'ST16-1', baseVersion: version }], { status, reason: 'Inspection' })],
    });
    assert.ok(r.ok && r.data.outcomes[0]!.result === 'applied', JSON.stringify(r));
    version = b.store.points.get('ST16-1')!.operator.version;
  };

  beforeEach(async () => {
    clock = new ManualClock();
    data = tempDir('backend');
    peer = new OcpiPeer();
    await peer.start();
    b = await startTestBackend({
      clock,
      dataDir: data.path,
      ocpi: { requestTimeoutMs: 500, allowPrivatePartnerUrls: true },
    });
    saveParty(b.ocpi.repo, PARTY);
    publishSite(b.store, b.ocpi.repo, 'S1', S1, new Date(clock.now()).toISOString());
    admin = await connectConsole(b.url, await tokenFor(b.url, 'admin'));
    version = 0;
  });

  afterEach(async () => {
    admin.close();
    await b.dispose();
    await peer.stop();
    data.remove();
  });

  it("shows an admin a partner's delivery going from accepted to failing and back, and a point's per partner", async () => {
    const { tokenA, partner } = await register();
    assert.equal(partner.state, 'registered');
    assert.ok(!JSON.stringify(partner).includes(tokenA), 'no token in what the console gets');
    await waitFor('the location PUT accepted', async () => {
      const [p] = await partners();
      return p!.lastAcceptedAt !== null && p!.queueDepth === 0 && p!.failingSince === null;
    });
    // The location PUT carried the point's status: shown in that app before any PATCH.
    assert.equal((await pointPartners('ST16-1'))[0]!.state, 'accepted');

    await changeStatus('OutOfService');
    await waitFor('the PATCH accepted', () => peer.statusOf('S1', 'ST16-1') === 'INOPERATIVE');
    await waitFor('the point shown in 1 of 1 partner apps', async () => {
      const list = await pointPartners('ST16-1');
      return list.length === 1 && list[0]!.state === 'accepted' && list[0]!.partnerName === 'Peer eMSP';
    });

    peer.mode = 'unavailable';
    await changeStatus('Available');
    await waitFor('failing since', async () => {
      const [p] = await partners();
      return p!.failingSince !== null && p!.queueDepth === 1 && /HTTP 503/.test(p!.lastError ?? '');
    });
    const [point] = await pointPartners('ST16-1');
    assert.equal(point!.state, 'failing');
    assert.ok(point!.failingSince);

    peer.mode = 'ok';
    clock.advance(ocpiBackoffMs(20));
    await waitFor('accepted again', async () => {
      const [p] = await partners();
      return p!.failingSince === null && p!.queueDepth === 0 && p!.lastError === null;
    });
    assert.equal((await pointPartners('ST16-1'))[0]!.state, 'accepted');
    // Back to Available with no station connected: the driver sees UNKNOWN (Offline), the current state.
    assert.equal(peer.statusOf('S1', 'ST16-1'), 'UNKNOWN', 'the current state once it is back');

    peer.mode = 'refuse';
    await changeStatus('OutOfService');
    await waitFor('refused with its status_code', async () => {
      const [p] = await partners();
      return p!.lastRefused?.statusCode === 2001 && p!.refused >= 1;
    });
    assert.equal((await pointPartners('ST16-1'))[0]!.state, 'refused');
    assert.deepEqual(peer.violations, []);
    assert.ok(!b.logs.some((l) => l.includes(tokenA) || (peer.incomingToken && l.includes(peer.incomingToken))));
    assert.ok(b.logs.some((l) => /admin registered with partner Peer eMSP/.test(l)));
  });

  it('suspends, resumes and removes a partner from the console, with the CLI code', async () => {
    const { partner } = await register();
    const suspended = await act({ action: 'suspend', partnerId: partner.id });
    assert.ok(suspended.ok);
    assert.equal(suspended.data.partners.partners[0]!.state, 'suspended');
    const again = await act({ action: 'suspend', partnerId: partner.id });
    assert.ok(!again.ok && again.error.code === 'invalid', JSON.stringify(again));
    const resumed = await act({ action: 'resume', partnerId: partner.id });
    assert.ok(resumed.ok && resumed.data.partners.partners[0]!.state === 'registered');
    const removed = await act({ action: 'remove', partnerId: partner.id });
    assert.ok(removed.ok && removed.data.partners.partners.length === 0);
    assert.equal(b.ocpi.repo.partner(partner.id)!.state, 'removed');
    const gone = await act({ action: 'remove', partnerId: partner.id });
    assert.ok(!gone.ok && gone.error.code === 'notFound');
  });

  it('refuses viewers, operators and supervisors, whatever they ask', async () => {
    const { partner } = await register();
    for (const role of ['viewer', 'operator', 'supervisor']) {
      const c = await connectConsole(b.url, await tokenFor(b.url, role));
      try {
        for (const [event, payload] of [
          ['partners', {}],
          ['pointPartners', { pointId: 'ST16-1' }],
          ['partnerAction', { action: 'remove', partnerId: partner.id }],
          ['partnerAction', { action: 'register', name: 'x', versionsUrl: peer.versionsUrl, tokenA: 'abc' }],
        ] as const) {
          const r = await c.request(event, payload);
          assert.ok(!r.ok && r.error.code === 'forbidden', `${role} ${event}: ${JSON.stringify(r)}`);
        }
      } finally {
        c.close();
      }
    }
    assert.equal(b.ocpi.repo.partner(partner.id)!.state, 'registered');
    assert.equal(b.ocpi.repo.partners().length, 1);
  });

  it('refuses bad requests with a clear error', async () => {
    for (const bad of [
      { action: 'register', name: 'x', versionsUrl: 'file:///etc/passwd', tokenA: 'abc' },
      { action: 'register', name: 'x', versionsUrl: 'not a url', tokenA: 'abc' },
      { action: 'register', name: 'x', versionsUrl: peer.versionsUrl, tokenA: 'with space' },
      { action: 'register', name: '', versionsUrl: peer.versionsUrl, tokenA: 'abc' },
      { action: 'explode', partnerId: 'p' },
      { action: 'remove', partnerId: 'p', extra: 1 },
      null,
    ]) {
      const r = await act(bad);
      assert.ok(!r.ok && r.error.code === 'invalid', `${JSON.stringify(bad)}: ${JSON.stringify(r)}`);
    }
    const wrongToken = await act({ action: 'register', name: 'x', versionsUrl: peer.versionsUrl, tokenA: 'wrong' });
    assert.ok(!wrongToken.ok && /registration failed: .*HTTP 401/.test(wrongToken.error.message));
    assert.equal(b.ocpi.repo.partners().length, 0);
    const r: Ack<PointPartnersReply> = await admin.request('pointPartners', { pointId: '' });
    assert.ok(!r.ok && r.error.code === 'invalid');
  });
});
