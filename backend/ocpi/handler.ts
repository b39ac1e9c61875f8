// The OCPI 2.2.1 endpoints of the backend as a CPO, under /ocpi/: versions, version details, credentials (the
// registration handshake) and the Locations sender interface. Every answer is an OCPI envelope and carries the
// request's X-Request-ID and X-Correlation-ID. docs/ocpi.md says what is implemented and where we chose.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../common/clock.js';
import { SECURITY_HEADERS } from '../http.js';
import type { OcpiRepo, PartnerRow, TokenKind } from '../store/ocpi.js';
import { locationObjectOf } from './locations.js';
import type { UrlGuard } from './addressGuard.js';
import { acceptCredentials, ourCredentials, RegistrationError } from './registration.js';
import { credentialsSchema, locationsQuerySchema, OCPI_STATUS, OCPI_VERSION, type PartySettings } from './schemas.js';
import { OCPI_BASE_PATH, ourUrls, publicBase, readParty } from './settings.js';

/** Most locations one page of the Locations list holds (X-Limit). */
export const MAX_LOCATIONS_PER_PAGE = 100;
const MAX_BODY = 64 * 1024;

export interface OcpiHandlerDeps {
  repo: OcpiRepo;
  clock: Clock;
  /** The backend's own URL (used when no public URL is set). */
  backendUrl: () => string;
  log: (line: string) => void;
  /** A partner registered, updated its credentials or left: the push queue looks again. */
  partnersChanged: () => void;
  /** Checks the partner's URLs before they are fetched (addressGuard.ts). */
  urlGuard: UrlGuard;
}

class OcpiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  party: PartySettings;
  base: string;
  ids: { requestId: string; correlationId: string };
  now: () => string;
}

export function createOcpiHandler(deps: OcpiHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const ids = {
      requestId: headerId(req, 'x-request-id'),
      correlationId: headerId(req, 'x-correlation-id'),
    };
    const now = () => new Date(deps.clock.now()).toISOString();
    const party = readParty(deps.repo);
    if (!party) return reply(res, ids, now(), 404, OCPI_STATUS.clientError, 'OCPI is not set up on this backend');
    const ctx: Ctx = { req, res, party, base: publicBase(party, deps.backendUrl()), ids, now };
    route(deps, ctx).catch((error: unknown) => {
      if (error instanceof OcpiError) return reply(res, ids, now(), error.httpStatus, error.statusCode, error.message);
      deps.log(
        `ocpi: ${req.method} ${new URL(req.url ?? '/', 'http://x').pathname} failed: ${(error as Error).message}`,
      );
      reply(res, ids, now(), 500, OCPI_STATUS.serverError, 'internal error');
    });
  };
}

async function route(deps: OcpiHandlerDeps, ctx: Ctx): Promise<void> {
  const { req } = ctx;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '');
  const auth = authenticate(deps.repo, req.headers.authorization);
  const method = req.method ?? 'GET';
  const urls = ourUrls(ctx.base);
  if (path === `${OCPI_BASE_PATH}/versions`) {
    requireAuth(auth, 'A');
    onlyGet(method);
    return ok(ctx, [{ version: OCPI_VERSION, url: urls.version }]);
  }
  if (path === `${OCPI_BASE_PATH}/${OCPI_VERSION}`) {
    requireAuth(auth, 'A');
    onlyGet(method);
    return ok(ctx, {
      version: OCPI_VERSION,
      endpoints: [
        { identifier: 'credentials', role: 'SENDER', url: urls.credentials },
        { identifier: 'locations', role: 'SENDER', url: urls.locations },
      ],
    });
  }
  if (path === `${OCPI_BASE_PATH}/${OCPI_VERSION}/credentials`)
    return credentials(deps, ctx, requireAuth(auth, 'A'), method);
  const prefix = `${OCPI_BASE_PATH}/${OCPI_VERSION}/locations`;
  if (path === prefix || path.startsWith(`${prefix}/`)) {
    const who = requireAuth(auth, 'C');
    if (who.partner.state !== 'registered')
      throw new OcpiError(401, OCPI_STATUS.clientError, 'this partnership is not active');
    onlyGet(method);
    const segments = path.slice(prefix.length).split('/').filter(Boolean).map(decodeSegment);
    return segments.length === 0 ? locationsList(deps, ctx, url) : locationObject(deps, ctx, segments);
  }
  throw new OcpiError(404, OCPI_STATUS.clientError, 'no such OCPI endpoint');
}

async function credentials(
  deps: OcpiHandlerDeps,
  ctx: Ctx,
  who: { partner: PartnerRow; kind: TokenKind; token: string },
  method: string,
): Promise<void> {
  const registered = who.kind === 'C' && who.partner.state !== 'registering';
  if (method === 'GET') {
    // The token in our credentials is the one the caller presented: we keep only its hash.
    return ok(ctx, ourCredentials(who.token, ctx.party, ctx.base));
  }
  if (method === 'POST' || method === 'PUT') {
    if (method === 'POST' && registered)
      throw new OcpiError(405, OCPI_STATUS.clientError, 'already registered: use PUT to update');
    if (method === 'PUT' && !registered)
      throw new OcpiError(405, OCPI_STATUS.clientError, 'not registered: use POST to register');
    const body = credentialsSchema.safeParse(await readJson(ctx.req));
    if (!body.success)
      throw new OcpiError(400, OCPI_STATUS.invalidParameters, `invalid credentials object: ${issues(body.error)}`);
    let answer;
    try {
      answer = await acceptCredentials(deps.repo, who, body.data, ctx.party, ctx.base, ctx.now, deps.urlGuard);
    } catch (error) {
      if (error instanceof RegistrationError) throw new OcpiError(400, error.statusCode, error.message);
      throw error;
    }
    if (method === 'POST') deps.repo.enqueueAllLocations(who.partner.id, ctx.now());
    deps.log(
      `ocpi: partner ${who.partner.name} (${who.partner.id}) ${method === 'POST' ? 'registered' : 'updated its credentials'}`,
    );
    deps.partnersChanged();
    return ok(ctx, answer);
  }
  if (method === 'DELETE') {
    if (!registered) throw new OcpiError(405, OCPI_STATUS.clientError, 'not registered');
    deps.repo.unregister(who.partner.id);
    deps.log(`ocpi: partner ${who.partner.name} (${who.partner.id}) unregistered itself`);
    deps.partnersChanged();
    return ok(ctx, undefined);
  }
  throw new OcpiError(405, OCPI_STATUS.clientError, 'method not allowed');
}

function locationsList(deps: OcpiHandlerDeps, ctx: Ctx, url: URL): void {
  const query = locationsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) throw new OcpiError(400, OCPI_STATUS.invalidParameters, `invalid query: ${issues(query.error)}`);
  const { date_from, date_to, offset } = query.data;
  const limit = Math.min(query.data.limit ?? MAX_LOCATIONS_PER_PAGE, MAX_LOCATIONS_PER_PAGE);
  const from = date_from ? new Date(date_from).toISOString() : null;
  const to = date_to ? new Date(date_to).toISOString() : null;
  const nowMs = deps.clock.now();
  const page = deps.repo.locationsPage(from, to, offset, limit);
  const headers: Record<string, string> = {
    'x-total-count': String(page.total),
    'x-limit': String(MAX_LOCATIONS_PER_PAGE),
  };
  if (offset + page.rows.length < page.total) {
    const next = new URLSearchParams();
    next.set('offset', String(offset + page.rows.length));
    next.set('limit', String(limit));
    if (date_from) next.set('date_from', date_from);
    if (date_to) next.set('date_to', date_to);
    headers.link = `<${ourUrls(ctx.base).locations}?${next.toString()}>; rel="next"`;
  }
  ok(
    ctx,
    page.rows.map((row) => locationObjectOf(deps.repo, row, ctx.party, nowMs)),
    headers,
  );
}

function locationObject(deps: OcpiHandlerDeps, ctx: Ctx, segments: string[]): void {
  if (segments.length > 3) throw new OcpiError(404, OCPI_STATUS.clientError, 'no such OCPI endpoint');
  const [locationId, evseUid, connectorId] = segments;
  const row = deps.repo.locationById(locationId);
  if (!row)
    throw new OcpiError(
      404,
      OCPI_STATUS.unknownLocation,
      `unknown location ${JSON.stringify(locationId.slice(0, 40))}`,
    );
  const location = locationObjectOf(deps.repo, row, ctx.party, deps.clock.now());
  if (evseUid === undefined) return ok(ctx, location);
  const evse = location.evses?.find((e) => e.uid === evseUid);
  if (!evse)
    throw new OcpiError(404, OCPI_STATUS.unknownLocation, `unknown EVSE ${JSON.stringify(evseUid.slice(0, 40))}`);
  if (connectorId === undefined) return ok(ctx, evse);
  const connector = evse.connectors.find((c) => c.id === connectorId);
  if (!connector)
    throw new OcpiError(
      404,
      OCPI_STATUS.unknownLocation,
      `unknown connector ${JSON.stringify(connectorId.slice(0, 40))}`,
    );
  ok(ctx, connector);
}

/**
 * The tokens an Authorization header may carry: `Token <base64 of the token>` as 2.2.1 requires, and, for partners
 * on 2.1.1/2.2 implementations that do not encode (the spec's note advises accepting both by trial), the raw value.
 */
export function presentedTokens(header: string | undefined): string[] {
  const m = /^Token ([\x21-\x7e]+)$/.exec(header ?? '');
  if (!m) return [];
  const value = m[1];
  const out: string[] = [];
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    if (/^[\x21-\x7e]{1,64}$/.test(decoded) && Buffer.from(decoded, 'utf8').toString('base64') === value)
      out.push(decoded);
  }
  if (value.length <= 64) out.push(value);
  return out;
}

function authenticate(
  repo: OcpiRepo,
  header: string | undefined,
): { partner: PartnerRow; kind: TokenKind; token: string } | null {
  for (const token of presentedTokens(header)) {
    const found = repo.partnerByToken(token);
    if (found) return { ...found, token };
  }
  return null;
}

/** 401 for no or an unknown token, and for token A anywhere but versions and credentials (transport chapter). */
function requireAuth<T extends { kind: TokenKind }>(auth: T | null, least: TokenKind): T {
  if (!auth || (least === 'C' && auth.kind !== 'C')) {
    throw new OcpiError(401, OCPI_STATUS.clientError, 'missing or unknown credentials token');
  }
  return auth;
}

function onlyGet(method: string): void {
  if (method !== 'GET') throw new OcpiError(405, OCPI_STATUS.clientError, 'method not allowed');
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new OcpiError(400, OCPI_STATUS.invalidParameters, 'badly encoded URL');
  }
}

function headerId(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  // Echoed as sent when it is a sane id; a request without one (the spec requires it) gets one made here.
  return typeof v === 'string' && /^[\x21-\x7e]{1,100}$/.test(v) ? v : randomUUID();
}

function ok(ctx: Ctx, data: unknown, headers: Record<string, string> = {}): void {
  reply(ctx.res, ctx.ids, ctx.now(), 200, OCPI_STATUS.success, 'Success', data, headers);
}

function reply(
  res: ServerResponse,
  ids: { requestId: string; correlationId: string },
  timestamp: string,
  httpStatus: number,
  statusCode: number,
  message: string,
  data?: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({
    ...(data === undefined ? {} : { data }),
    status_code: statusCode,
    status_message: message,
    timestamp,
  });
  res.writeHead(httpStatus, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'x-request-id': ids.requestId,
    'x-correlation-id': ids.correlationId,
    ...(httpStatus === 401 ? { 'www-authenticate': 'Token' } : {}),
    ...headers,
  });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY)
    throw new OcpiError(413, OCPI_STATUS.clientError, 'body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new OcpiError(413, OCPI_STATUS.clientError, 'body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new OcpiError(400, OCPI_STATUS.invalidParameters, 'body must be JSON');
  }
}

function issues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`)
    .join('; ');
}
