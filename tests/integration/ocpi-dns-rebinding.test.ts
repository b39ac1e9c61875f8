// DNS rebinding against the OCPI address guard: a partner's host name answers a public address when the guard checks
// it and a loopback one when the backend connects. The guard's check alone let the request through; the address each
// connection is made to must be checked too (addressGuard.ts `connectLookup`, used by every OCPI request). Here the
// check's resolver says "public" for `localhost` (the attacker's first answer) and the system's DNS gives loopback
// (the second); a real HTTP server on loopback must hear nothing. An address written in the URL, which Node connects
// to without a lookup, is checked the same way.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { partnerUrlGuard } from '../../backend/ocpi/addressGuard.js';
import { ocpiRequest, OcpiUnreachable } from '../../backend/ocpi/client.js';
import { fetchPartnerEndpoints, RegistrationError } from '../../backend/ocpi/registration.js';

describe('OCPI address guard: DNS rebinding', () => {
  let server: Server;
  let requests = 0;
  let base = '';
  const rebinding = partnerUrlGuard({ allowPrivate: false, resolve: async () => ['93.184.216.34'] });

  before(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status_code":1000,"timestamp":"x"}');
    });
    // Both loopback families, whichever `localhost` resolves to first.
    await new Promise<void>((r) => server.listen({ port: 0, host: '::', ipv6Only: false }, () => r()));
    base = `http://localhost:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('the host passes the check, yet registration never reaches the loopback address it resolves to', async () => {
    await rebinding(`${base}/versions`); // the check alone is fooled
    await assert.rejects(
      fetchPartnerEndpoints(`${base}/versions`, 'token-a', rebinding),
      (e: Error) => e instanceof RegistrationError && /private, loopback or link-local address/.test(e.message),
    );
    assert.equal(requests, 0);
  });

  it("pushes connect through the same check (the pusher's requests carry the guard's lookup)", async () => {
    await assert.rejects(
      ocpiRequest({ method: 'GET', url: `${base}/locations`, token: 'c', lookup: rebinding.connectLookup }),
      (e: Error) => e instanceof OcpiUnreachable && /localhost is a private, loopback/.test(e.message),
    );
    assert.equal(requests, 0);
  });

  it('an endpoint written as a loopback address (kept from when private addresses were allowed) is refused too', async () => {
    const port = (server.address() as AddressInfo).port;
    for (const host of ['127.0.0.1', '[::1]'])
      await assert.rejects(
        ocpiRequest({ method: 'PATCH', url: `http://${host}:${port}/x`, token: 'c', lookup: rebinding.connectLookup }),
        (e: Error) => e instanceof OcpiUnreachable && /private, loopback or link-local address/.test(e.message),
        host,
      );
    assert.equal(requests, 0);
  });

  it('with private addresses allowed, the same request goes through', async () => {
    const open = partnerUrlGuard({ allowPrivate: true });
    const answer = await ocpiRequest({
      method: 'GET',
      url: `${base}/locations`,
      token: 'c',
      lookup: open.connectLookup,
    });
    assert.equal(answer.httpStatus, 200);
    assert.equal(requests, 1);
  });
});
