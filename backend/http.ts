// The plain HTTP routes: sign-in, health, sign-out and (demo only) the demo controls.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import { roleAllows } from '../common/model.js';
import type { ErrorReply, LoginReply, SessionInfo } from '../common/protocol.js';
import { LOGIN_PATH, LOGOUT_PATH, loginRequestSchema } from '../common/protocol.js';
import type { Auth } from './auth.js';
import type { LoginLimiter } from './loginLimiter.js';
import { jsonDepth } from './console/frameGuard.js';
import { describeIssues } from './console/validation.js';

const MAX_BODY = 64 * 1024;
export const DEMO_PATH = '/api/demo/';
export const DEMO_ACTIONS = ['startSession', 'endSession', 'disconnect', 'reconnect', 'fault', 'recover'] as const;
export type DemoAction = (typeof DEMO_ACTIONS)[number];

const demoBodySchema = z.union([
  z.object({ pointId: z.string().min(1).max(128), errorCode: z.string().max(50).optional() }),
  z.object({ stationId: z.string().min(1).max(128) }),
]);
export type DemoBody = z.infer<typeof demoBodySchema>;

export interface HttpDeps {
  auth: Auth;
  log: (line: string) => void;
  health: () => Record<string, unknown>;
  onLogout: (token: string) => void;
  /** Failed sign-ins per username and address; slows guessing down. */
  limiter: LoginLimiter;
  /** Where a sign-in came from (behind a trusted proxy: the address it forwarded, clientAddress.ts). */
  clientAddress?: (req: IncomingMessage) => string;
  /** Present only when the demo runs. */
  demo: ((action: DemoAction, body: DemoBody) => Promise<void>) | null;
  /** Other handlers served on this server under their own paths (OCPI under /ocpi/, the public status page). */
  mounts?: { matches(path: string): boolean; handle(req: IncomingMessage, res: ServerResponse): void }[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorReply['code'],
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function createRequestHandler(deps: HttpDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const mounted = deps.mounts?.find((m) => m.matches(new URL(req.url ?? '/', 'http://localhost').pathname));
    if (mounted) return mounted.handle(req, res);
    route(deps, req, res).catch((err: unknown) => {
      if (err instanceof HttpError)
        return send(res, err.status, { error: { code: err.code, message: err.message } }, err.headers);
      deps.log(`http: ${req.method} ${req.url} failed: ${(err as Error).stack ?? String(err)}`);
      send(res, 500, { error: { code: 'internal', message: 'internal error' } });
    });
  };
}

async function route(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/healthz' && req.method === 'GET') return send(res, 200, { ok: true, ...deps.health() });
  if (path === LOGIN_PATH) {
    if (req.method !== 'POST') throw new HttpError(405, 'invalid', 'use POST');
    const parsed = loginRequestSchema.safeParse(await readJson(req));
    if (!parsed.success) throw new HttpError(400, 'invalid', describeIssues(parsed.error));
    const { username, password } = parsed.data;
    const address = deps.clientAddress?.(req) ?? req.socket.remoteAddress ?? 'unknown';
    // Counted before the password is checked (atomically: nothing awaits between the lock check and the count), so
    // parallel guesses cannot all pass the lock while the slow checks run; a good password gives the slot back.
    const attempt = deps.limiter.attempt(username, address);
    if (!('succeeded' in attempt)) {
      const sec = Math.ceil(attempt.waitMs / 1000);
      throw new HttpError(429, 'rateLimited', `too many failed sign-ins: try again in ${sec} s`, {
        'retry-after': String(sec),
      });
    }
    const session = await deps.auth.login(username, password);
    if (!session) throw new HttpError(401, 'unauthenticated', 'invalid username or password');
    attempt.succeeded();
    deps.log(`http: ${session.username} signed in`);
    const reply: LoginReply = session;
    return send(res, 200, reply);
  }
  if (path === LOGOUT_PATH && req.method === 'POST') {
    const { token } = bearer(deps, req);
    deps.auth.revoke(token);
    deps.onLogout(token);
    return send(res, 200, { ok: true });
  }
  if (path.startsWith(DEMO_PATH) && deps.demo) {
    if (req.method !== 'POST') throw new HttpError(405, 'invalid', 'use POST');
    const action = path.slice(DEMO_PATH.length) as DemoAction;
    if (!DEMO_ACTIONS.includes(action)) throw new HttpError(404, 'notFound', `unknown demo action "${action}"`);
    const { session } = bearer(deps, req);
    if (!roleAllows(session.role, 'edit'))
      throw new HttpError(403, 'forbidden', 'demo controls need an operator or admin');
    const body = demoBodySchema.safeParse(await readJson(req));
    if (!body.success) throw new HttpError(400, 'invalid', 'body must be { "pointId": "…" } or { "stationId": "…" }');
    try {
      await deps.demo(action, body.data);
    } catch (err) {
      throw new HttpError(400, 'invalid', (err as Error).message);
    }
    return send(res, 200, { ok: true });
  }
  throw new HttpError(404, 'notFound', 'not found');
}

function bearer(deps: HttpDeps, req: IncomingMessage): { token: string; session: SessionInfo } {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const session = m ? deps.auth.session(m[1]) : null;
  if (!m || !session) throw new HttpError(401, 'unauthenticated', 'unauthenticated');
  return { token: m[1], session };
}

/** Deepest nesting a JSON body may have (sign-in and demo bodies are flat objects). */
const MAX_BODY_DEPTH = 8;

async function readJson(req: IncomingMessage): Promise<unknown> {
  // Size and nesting are checked before parsing: a declared length over the limit is refused before reading.
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY)
    throw new HttpError(413, 'tooLarge', `body larger than ${MAX_BODY} bytes`, { connection: 'close' });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'tooLarge', `body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (jsonDepth(text, MAX_BODY_DEPTH) < 0)
    throw new HttpError(400, 'invalid', `body nested deeper than ${MAX_BODY_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid', 'body must be JSON');
  }
}

/** On every answer of the backend's HTTP routes, /healthz included: JSON that no browser may sniff, cache, frame,
 * or run anything in. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    ...SECURITY_HEADERS,
    ...headers,
  });
  res.end(text);
}

/** Limits on the HTTP server itself, before any route or upgrade handler runs. */
export interface ServerLimits {
  /** A connection that has had no answer at all this long after it opened (a request or an upgrade that never
   * completes, or nothing sent) is closed. Default 10 000 ms (`VB_HANDSHAKE_TIMEOUT_MS`). */
  handshakeMs: number;
  /** Open connections from one address; more are closed at once. Default 1 000
   * (`VB_MAX_CONNECTIONS_PER_ADDRESS`). */
  perAddress: number;
  /** Node's own: the request head must arrive within this, and the whole request within requestTimeoutMs. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export function serverLimits(env: NodeJS.ProcessEnv = process.env): ServerLimits {
  const num = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);
  return {
    handshakeMs: num(env.VB_HANDSHAKE_TIMEOUT_MS, 10_000),
    perAddress: num(env.VB_MAX_CONNECTIONS_PER_ADDRESS, 1000),
    headersTimeoutMs: 20_000,
    requestTimeoutMs: 30_000,
  };
}

/**
 * Guards the backend's HTTP server before anything else sees a connection: per-address connection limits, a
 * handshake timeout on every connection (also those upgraded to /ocpp or the console socket), Node's header and
 * request timeouts, and upgrade requests to any path other than the console socket (`consolePath/…`) and
 * `ocppPath/<stationId>` answered 404 and closed at once (near misses such as `/console/socket.io` without the
 * slash, or `/ocpp/../x`, were never answered: 20,000 of them filled the file descriptors).
 */
export function guardServer(
  server: Server,
  opts: { consolePath: string; ocppPath: string; log: (line: string) => void; limits?: Partial<ServerLimits> },
): void {
  const limits = { ...serverLimits(), ...opts.limits };
  const tls = 'setSecureContext' in server;
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  const open = new Map<string, number>();
  let refusedLogged = 0;
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const n = (open.get(address) ?? 0) + 1;
    if (n > limits.perAddress) {
      // Once a minute at most: the log must not become the attacker's amplifier.
      if (Date.now() - refusedLogged > 60_000) {
        refusedLogged = Date.now();
        opts.log(`http: more than ${limits.perAddress} connections from ${address}; closing the new ones`);
      }
      socket.destroy();
      return;
    }
    open.set(address, n);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
    const timer = setTimeout(() => {
      if (socket.destroyed || socket.bytesWritten > 0) return;
      // Under TLS this is the raw TCP socket, before any handshake: nothing readable can be said, just close it.
      if (tls) return socket.destroy();
      socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroySoon?.();
      setTimeout(() => socket.destroy(), 1000).unref();
    }, limits.handshakeMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
  // First of the upgrade listeners: a path nobody serves is answered and closed before the others look at it.
  server.prependListener('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const problem = upgradeProblem(req.url ?? '', opts.consolePath, opts.ocppPath);
    if (!problem) return;
    const body = JSON.stringify({ error: { code: 'notFound', message: problem } });
    const headers = Object.entries(SECURITY_HEADERS)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.end(
      `HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n${headers}` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    socket.destroy();
  });
}

/** Why an upgrade to this request target is refused, or null for `consolePath/…` and `ocppPath/<one segment>`. */
export function upgradeProblem(target: string, consolePath: string, ocppPath: string): string | null {
  const path = target.split('?')[0];
  const refuse = `no WebSocket is served at ${JSON.stringify(path.slice(0, 100))}`;
  if (path.includes('\\') || path.includes('//')) return refuse;
  let segments: string[];
  try {
    segments = path
      .split('/')
      .slice(1)
      .map((s) => decodeURIComponent(s));
  } catch {
    return refuse;
  }
  if (segments.some((s) => s === '.' || s === '..' || s.includes('/') || s.includes('\\'))) return refuse;
  if (path.startsWith(`${consolePath}/`)) return null;
  const ocpp = ocppPath.split('/').slice(1);
  if (segments.length === ocpp.length + 1 && ocpp.every((s, i) => segments[i] === s) && segments.at(-1) !== '')
    return null;
  return refuse;
}
