// Behind a trusted reverse proxy a sign-in's address is the one the proxy appended to X-Forwarded-For; from anyone
// else the header is ignored (a client could claim any address to escape the limits on failed sign-ins).
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { clientAddressOf, trustedProxies } from '../../backend/clientAddress.js';

const request = (peer: string, forwarded?: string | string[]) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  }) as unknown as IncomingMessage;

describe('the address a sign-in came from', () => {
  const behindProxy = clientAddressOf(trustedProxies(['10.0.0.5', '::1']));

  it('is the last forwarded address when the connection comes from a trusted proxy', () => {
    assert.equal(behindProxy(request('10.0.0.5', '198.51.100.7')), '198.51.100.7');
    assert.equal(behindProxy(request('::ffff:10.0.0.5', '203.0.113.9, 198.51.100.7')), '198.51.100.7');
    assert.equal(behindProxy(request('::1', ['1.1.1.1', '2001:db8::2'])), '2001:db8::2');
  });

  it("is the connection's own address from anyone else, whatever they forward", () => {
    assert.equal(behindProxy(request('192.0.2.1', '198.51.100.7')), '192.0.2.1');
    assert.equal(clientAddressOf(new Set())(request('::ffff:192.0.2.1', '198.51.100.7')), '192.0.2.1');
  });

  it("is the proxy's when what it forwarded is not an address", () => {
    assert.equal(behindProxy(request('10.0.0.5')), '10.0.0.5');
    assert.equal(behindProxy(request('10.0.0.5', 'unknown')), '10.0.0.5');
    assert.equal(behindProxy(request('10.0.0.5', '198.51.100.7, ')), '10.0.0.5');
  });

  it('refuses a trusted proxy named by anything but an address', () => {
    assert.throws(() => trustedProxies(['proxy.internal']), /not an IP address: "proxy.internal"/);
  });
});
