// The web host's session, bound to its own port. Pure logic (no sockets), unit-tested.
//
// Why not just a cookie: cookies are not port-scoped. A cookie set by the host on 127.0.0.1:5180 is sent by the
// browser to every port of 127.0.0.1, so any other local service the browser talks to receives it, and a non-browser
// client can replay it with whatever Origin it likes. So here:
// - The start-up secret in the printed URL is single-use: the first request carrying it is answered with a redirect
//   to `/#vb-session=TOKEN` and a cookie named after the port; a second use is refused (unless it comes from the
//   browser that already holds this port's cookie: a second tab of the same console, which is sent on to `/`).
// - The cookie (`vb_host_<port>`: two consoles on two ports in one browser do not overwrite each other's) only
//   opens the static files of the page, which hold nothing secret.
// - The console API needs the per-start TOKEN, which the page got in the URL's fragment (never sent to any server,
//   never in a Referer) and keeps in its own origin's storage (scheme + host + port: another port cannot read it),
//   offered as a WebSocket subprotocol `vb-session.TOKEN`; plus an Origin of exactly this scheme, host and port.
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The subprotocol the page offers and the host selects; the token rides beside it (`vb-session.<token>`). */
export const API_PROTOCOL = 'voltboard';
export const SESSION_PROTOCOL_PREFIX = 'vb-session.';
/** The URL fragment key that carries the token to the page once. */
export const SESSION_FRAGMENT_KEY = 'vb-session';

export function hostCookieName(port: number): string {
  return `vb_host_${port}`;
}

export function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

/** The hosts this web host answers to (DNS rebinding): exactly 127.0.0.1 or localhost with its port. */
export function isOwnHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/**
 * An Origin of exactly this host: scheme http, host 127.0.0.1 or localhost, and this port. Compared as a whole
 * string after parsing, so neither another port, nor a longer host, nor `null` passes.
 */
export function isOwnOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' || (parsed.hostname !== '127.0.0.1' && parsed.hostname !== 'localhost')) return false;
  if (parsed.port !== String(port) || parsed.username || parsed.password) return false;
  return origin === `http://${parsed.hostname}:${port}`;
}

/** The token a page offered among its WebSocket subprotocols (`Sec-WebSocket-Protocol: voltboard, vb-session.T`). */
export function tokenFromProtocols(header: string | undefined): string | null {
  for (const protocol of (header ?? '').split(',')) {
    const trimmed = protocol.trim();
    if (trimmed.startsWith(SESSION_PROTOCOL_PREFIX)) return trimmed.slice(SESSION_PROTOCOL_PREFIX.length);
  }
  return null;
}

export type SecretOutcome =
  | { kind: 'wrong' }
  /** First use: set the cookie and send the page its token. */
  | { kind: 'exchanged'; cookie: string; token: string }
  /** Used before, by this same browser (it sends this port's cookie): on to the page, nothing new given. */
  | { kind: 'alreadyHere' }
  /** Used before, by someone without this port's cookie: refused. */
  | { kind: 'used' };

export class HostSession {
  private readonly secret = randomBytes(24).toString('base64url');
  private readonly cookie = randomBytes(24).toString('base64url');
  private readonly token = randomBytes(32).toString('base64url');
  private secretUsed = false;

  constructor(private readonly port: () => number) {}

  /** The secret for the printed URL. */
  startSecret(): string {
    return this.secret;
  }

  cookieName(): string {
    return hostCookieName(this.port());
  }

  /** Trades the start-up secret for the session, once. */
  useSecret(given: string, cookieHeader: string | undefined): SecretOutcome {
    if (!sameSecret(given, this.secret)) return { kind: 'wrong' };
    if (this.secretUsed) return this.hasCookie(cookieHeader) ? { kind: 'alreadyHere' } : { kind: 'used' };
    this.secretUsed = true;
    return { kind: 'exchanged', cookie: this.cookie, token: this.token };
  }

  /** The page's files: this port's cookie. */
  hasCookie(cookieHeader: string | undefined): boolean {
    return sameSecret(cookieValue(cookieHeader, this.cookieName()), this.cookie);
  }

  /** The console API: this port's cookie, the per-start token, and an Origin of exactly this host. */
  allowsApi(headers: { host?: string; origin?: string; cookie?: string; 'sec-websocket-protocol'?: string }): boolean {
    const port = this.port();
    return (
      isOwnHost(headers.host, port) &&
      isOwnOrigin(headers.origin, port) &&
      this.hasCookie(headers.cookie) &&
      sameSecret(tokenFromProtocols(headers['sec-websocket-protocol']), this.token)
    );
  }
}
