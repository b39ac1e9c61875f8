// The address guard: a partner's versions URL (and every URL it lists) is fetched by the backend, so it must not be
// a way to make the backend call into its own network. Only http(s), and, unless the backend was started with
// `allowPrivatePartnerUrls` (`--ocpi-allow-private-urls`), no private, loopback, link-local or otherwise reserved
// address after DNS resolution — checked again on the address each connection is made to (`connectLookup`), so a
// host name whose DNS answers a public address to the check and a private one to the connection (DNS rebinding) gets
// nowhere. docs/ocpi.md, "The address guard".
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export class AddressRefused extends Error {}

/** Checks one URL before the backend fetches it; throws AddressRefused saying why. */
export interface UrlGuard {
  (url: string): Promise<void>;
  /** Resolves a host name for a connection (node:http's `lookup`), refusing what the guard refuses: the address
   * connected to is the address checked. Undefined when private addresses are allowed (the system's own lookup). */
  readonly connectLookup: LookupFunction | undefined;
}

const RESERVED_V4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const;

const reserved = new BlockList();
for (const [net, bits] of RESERVED_V4) {
  reserved.addSubnet(net, bits, 'ipv4');
  // 6to4 (2002::/16) carries an IPv4 address in its next 32 bits, and a host with a 6to4 route reaches it.
  const [a, b, c, d] = net.split('.').map(Number) as [number, number, number, number];
  const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
  reserved.addSubnet(`2002:${hex(a, b)}:${hex(c, d)}::`, 16 + bits, 'ipv6');
}
for (const [net, bits] of [
  // IPv4-compatible (deprecated; `::a.b.c.d`, also :: and ::1) and IPv4-translated (SIIT, `::ffff:0:a.b.c.d`).
  ['::', 96],
  ['::ffff:0:0:0', 96],
  ['64:ff9b::', 96],
  // Local-use NAT64 (RFC 8215): a NAT64 inside the network reaches its private IPv4 addresses through it.
  ['64:ff9b:1::', 48],
  ['100::', 64],
  // Teredo: its client address is hidden in the last 32 bits.
  ['2001::', 32],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  // Site-local (deprecated, still routed inside some networks).
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  reserved.addSubnet(net, bits, 'ipv6');

/** Whether an IP address is private, loopback, link-local, multicast or reserved (IPv4-mapped IPv6 as its IPv4). */
export function isReservedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return reserved.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 4) return reserved.check(address, 'ipv4');
  if (family === 6) return reserved.check(address, 'ipv6');
  return true;
}

export type Resolve = (host: string) => Promise<string[]>;
const systemResolve: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

const refusal = (host: string, address: string) =>
  new AddressRefused(
    `${host} is a private, loopback or link-local address (${address}); the backend fetches only public addresses unless started with --ocpi-allow-private-urls`,
  );

/** The system's lookup for a connection, failing with AddressRefused when any address it gives is reserved. */
const refusingLookup: LookupFunction = (host, options, callback) => {
  dnsLookup(host, { ...options, all: true }, (error, found: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const inside = found.find((a) => isReservedAddress(a.address));
    if (inside) return callback(refusal(host, inside.address), '', 0);
    if (found.length === 0) return callback(new AddressRefused(`${host} has no address`), '', 0);
    if (options.all) return callback(null, found);
    callback(null, found[0]!.address, found[0]!.family);
  });
};

export function partnerUrlGuard(opts: { allowPrivate: boolean; resolve?: Resolve }): UrlGuard {
  const resolve = opts.resolve ?? systemResolve;
  const check = async (raw: string): Promise<void> => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new AddressRefused('not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new AddressRefused(`only http and https URLs are fetched, not ${url.protocol.replace(/:$/, '')}`);
    if (url.username || url.password) throw new AddressRefused('a URL with credentials in it is not fetched');
    if (opts.allowPrivate) return;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : await resolve(host);
    } catch (error) {
      throw new AddressRefused(`${host} could not be resolved: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    if (addresses.length === 0) throw new AddressRefused(`${host} has no address`);
    const inside = addresses.find(isReservedAddress);
    if (inside) throw refusal(host, inside);
  };
  return Object.assign(check, { connectLookup: opts.allowPrivate ? undefined : refusingLookup });
}
