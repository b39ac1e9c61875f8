// The OCPI address guard (backend/ocpi/addressGuard.ts) on the ways a URL can name a private IPv4 address without
// looking like one: IPv6 forms that carry an IPv4 address (mapped, compatible, translated, 6to4, NAT64, Teredo),
// deprecated site-local IPv6, and decimal, octal and hex IPv4 hosts. Public addresses in the same forms still pass.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressRefused, isReservedAddress, partnerUrlGuard } from '../../backend/ocpi/addressGuard.js';

const guard = partnerUrlGuard({
  allowPrivate: false,
  resolve: async () => {
    throw Object.assign(new Error('no DNS in this test'), { code: 'ENOTFOUND' });
  },
});

describe('address guard: private IPv4 inside other forms', () => {
  it('refuses IPv6 addresses that carry a private or loopback IPv4 address', () => {
    for (const a of [
      '::ffff:127.0.0.1', // mapped
      '::ffff:7f00:1', // mapped, hex
      '::127.0.0.1', // IPv4-compatible
      '::a00:1', // IPv4-compatible 10.0.0.1
      '::ffff:0:a00:1', // IPv4-translated (SIIT) 10.0.0.1
      '2002:7f00:1::', // 6to4 of 127.0.0.1
      '2002:c0a8:101::1', // 6to4 of 192.168.1.1
      '2002:a9fe:a9fe::', // 6to4 of 169.254.169.254
      '64:ff9b:1::a00:1', // local-use NAT64 of 10.0.0.1
      '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
      'fec0::1', // site-local
    ])
      assert.ok(isReservedAddress(a), a);
  });

  it('lets public addresses in the same forms through', () => {
    for (const a of ['::ffff:8.8.8.8', '2002:808:808::1', '2001:4860:4860::8888', '2606:4700::1111', '8.8.8.8'])
      assert.ok(!isReservedAddress(a), a);
  });

  it('refuses such hosts in URLs, and decimal, octal and hex IPv4 hosts, without resolving them', async () => {
    for (const url of [
      'http://[::127.0.0.1]:8080/versions',
      'http://[2002:7f00:1::]/versions',
      'http://[64:ff9b:1::a9fe:a9fe]/latest',
      'http://[::ffff:0:a00:1]/versions',
      'http://[fec0::1]/versions',
      'http://2130706433/versions',
      'http://0177.0.0.1/versions',
      'http://0x7f.1/versions',
      'http://127.1/versions',
      'http://0/versions',
    ])
      await assert.rejects(
        guard(url),
        (e: Error) => e instanceof AddressRefused && /private, loopback or link-local/.test(e.message),
        url,
      );
    await guard('https://[2002:808:808::1]/versions');
  });
});
