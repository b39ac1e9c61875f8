// The address guard (backend/ocpi/addressGuard.ts): a partner's URLs are fetched by the backend, so only http(s),
// and no private, loopback, link-local or reserved address after DNS resolution unless the backend allows it. Proved
// on the guard with a resolver that answers as an attacker's DNS would, and on a real backend (no allow option) that
// refuses to register with a loopback eMSP from the console, and refuses a loopback eMSP registering with it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PartnerActionReply } from '../../common/ocpiPartners.js';
import type { Ack } from '../../common/protocol.js';
import { invitePartner, publishSite } from '../../backend/ocpi/admin.js';
import { AddressRefused, isReservedAddress, partnerUrlGuard } from '../../backend/ocpi/addressGuard.js';
import { saveParty } from '../../backend/ocpi/settings.js';
import { connectConsole, startTestBackend, tokenFor, type TestBackend } from '../support/backendHarness.js';
import { OcpiPeer } from '../support/ocpiPeer.js';

const dns: Record<string, string[]> = {
  'emsp.example.com': ['93.184.216.34'],
  'inside.example.com': ['10.1.2.3'],
  'rebind.example.com': ['93.184.216.34', '127.0.0.1'],
  'metadata.example.com': ['169.254.169.254'],
  'v6inside.example.com': ['fd00::1'],
  'mapped.example.com': ['::ffff:192.168.1.1'],
  'v6public.example.com': ['2606:4700::1111'],
};
const resolve = async (host: string) => {
  const a = dns[host];
  if (!a) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return a;
};

describe('OCPI address guard', () => {
  const guard = partnerUrlGuard({ allowPrivate: false, resolve });
  const refused = (url: string, why: RegExp) =>
    assert.rejects(guard(url), (e: Error) => e instanceof AddressRefused && why.test(e.message), url);

  it('refuses other schemes, credentials in the URL, and non-URLs, even when private addresses are allowed', async () => {
    const open = partnerUrlGuard({ allowPrivate: true, resolve });
    for (const url of ['file:///etc/passwd', 'gopher://emsp.example.com/', 'ftp://emsp.example.com/versions'])
      await assert.rejects(open(url), /only http and https/);
    await assert.rejects(open('https://user:pw@emsp.example.com/versions'), /credentials/);
    await assert.rejects(open('not a url'), /not a URL/);
    await open('http://127.0.0.1:9/versions');
  });

  it('refuses private, loopback, link-local and mapped addresses after resolution; lets public ones through', async () => {
    await guard('https://emsp.example.com/ocpi/versions');
    await guard('https://v6public.example.com/ocpi/versions');
    await guard('https://93.184.216.34/ocpi/versions');
    await refused('https://inside.example.com/versions', /10\.1\.2\.3/);
    await refused('https://rebind.example.com/versions', /127\.0\.0\.1/);
    await refused('http://metadata.example.com/latest', /169\.254\.169\.254/);
    await refused('https://v6inside.example.com/versions', /fd00::1/);
    await refused('https://mapped.example.com/versions', /::ffff:192\.168\.1\.1/);
    await refused('http://127.0.0.1:8080/versions', /private, loopback or link-local/);
    await refused('http://[::1]:8080/versions', /::1/);
    await refused('http://0.0.0.0/versions', /0\.0\.0\.0/);
    await refused('https://nowhere.example.com/versions', /could not be resolved: ENOTFOUND/);
    for (const a of ['172.16.0.1', '172.31.255.255', '192.168.0.1', '100.64.0.1', 'fe80::1', '::', 'ff02::1'])
      assert.ok(isReservedAddress(a), a);
    for (const a of ['172.32.0.1', '8.8.8.8', '2001:4860:4860::8888']) assert.ok(!isReservedAddress(a), a);
  });

  describe('on a backend started without the allow option', () => {
    let b: TestBackend;
    let peer: OcpiPeer;
    before(async () => {
      peer = new OcpiPeer();
      await peer.start();
      b = await startTestBackend({});
      saveParty(b.ocpi.repo, { countryCode: 'GB', partyId: 'VBD', name: 'Voltboard', publicUrl: null });
      publishSite(
        b.store,
        b.ocpi.repo,
        'S1',
        { country: 'GBR', latitude: '51.50142', longitude: '-0.14189', postalCode: null },
        '2026-01-05T08:00:00.000Z',
      );
    });
    after(async () => {
      await b.dispose();
      await peer.stop();
    });

    it("refuses an admin's registration with a loopback partner; the partner hears nothing", async () => {
      const admin = await connectConsole(b.url, await tokenFor(b.url, 'admin'));
      try {
        const r: Ack<PartnerActionReply> = await admin.request('partnerAction', {
          action: 'register',
          name: 'Inside',
          versionsUrl: peer.versionsUrl,
          tokenA: peer.issueTokenA(),
        });
        assert.ok(!r.ok && r.error.code === 'invalid', JSON.stringify(r));
        assert.match(r.error.message, /private, loopback or link-local address \(127\.0\.0\.1\)/);
        assert.equal(peer.requests, 0);
        assert.equal(b.ocpi.repo.partners().length, 0);
      } finally {
        admin.close();
      }
    });

    it('refuses a partner registering with us whose versions URL is on loopback (3001), without calling it', async () => {
      const { tokenA } = invitePartner(b.ocpi.repo, 'Inside', '2026-01-05T08:00:00.000Z');
      await assert.rejects(peer.registerWith(`${b.url}/ocpi/versions`, tokenA), /"status_code":3001.*loopback/);
      assert.equal(peer.requests, 0);
      assert.equal(b.ocpi.repo.partners()[0]!.state, 'invited');
    });
  });
});
