// The address a sign-in came from. Behind a reverse proxy every connection comes from the proxy, so the limits on
// failed sign-ins per address would count the whole world as one address: for a proxy named as trusted, the address
// is the last one the proxy appended to X-Forwarded-For (earlier entries are whatever the client claimed).
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** IPv4 addresses as Node shows them on a dual-stack socket (::ffff:10.0.0.1) are the plain address. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** Checks a list of trusted proxies' addresses; throws a message naming the first that is not an IP address. */
export function trustedProxies(addresses: readonly string[]): ReadonlySet<string> {
  for (const a of addresses) {
    if (isIP(a) === 0) throw new Error(`not an IP address: "${a}" (name each trusted proxy by its address)`);
  }
  return new Set(addresses.map(plainAddress));
}

export function clientAddressOf(trusted: ReadonlySet<string>): (req: IncomingMessage) => string {
  return (req) => {
    const peer = plainAddress(req.socket.remoteAddress ?? 'unknown');
    if (!trusted.has(peer)) return peer;
    const header = req.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header[header.length - 1] : header;
    const last = value?.split(',').pop()?.trim() ?? '';
    return isIP(last) !== 0 ? plainAddress(last) : peer;
  };
}
