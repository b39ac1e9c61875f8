// The plain HTTP routes: sign-in, health, sign-out and (demo only) the demo controls.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { roleAllows } from '../common/model.js';
import type { ErrorReply, LoginReply, SessionInfo } from '../common/protocol.js';
import { LOGIN_PATH, loginRequestSchema } from '../common/protocol.js';
import type { Auth } from './auth.js';
import type { LoginLimiter } from './loginLimiter.js';
import { describeIssues } from './console/validation.js';

const MAX_BODY = 64 * 1024;
export const LOGOUT_PATH = '/api/logout';
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
  /** Present only when the demo runs. */
  demo: ((action: DemoAction, body: DemoBody) => Promise<void>) | null;
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
    route(deps, req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return send(res, err.status, { error: { code: err.code, message: err.message } }, err.headers);
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
    const address = req.socket.remoteAddress ?? 'unknown';
    const waitMs = deps.limiter.retryAfterMs(username, address);
    if (waitMs > 0) {
      const sec = Math.ceil(waitMs / 1000);
      throw new HttpError(429, 'rateLimited', `too many failed sign-ins: try again in ${sec} s`, { 'retry-after': String(sec) });
    }
    const session = await deps.auth.login(username, password);
    if (!session) {
      deps.limiter.failed(username, address);
      throw new HttpError(401, 'unauthenticated', 'invalid username or password');
    }
    deps.limiter.succeeded(username);
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
    if (!roleAllows(session.role, 'edit')) throw new HttpError(403, 'forbidden', 'demo controls need an operator or admin');
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

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'tooLarge', `body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid', 'body must be JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}
