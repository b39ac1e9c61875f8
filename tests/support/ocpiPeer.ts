// A roaming partner (an eMSP) written from the OCPI 2.2.1 text, not from our code: its own versions, credentials and
// Locations receiver endpoints over real HTTP on 127.0.0.1. It checks every header, envelope and field the spec
// requires of what it receives and of our answers, writes down each deviation in `violations`, and can be told to be
// down, slow or refusing.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const dateTime = z.string().max(25).regex(DATETIME);
const EVSE_STATUS = z.enum([
  'AVAILABLE',
  'BLOCKED',
  'CHARGING',
  'INOPERATIVE',
  'OUTOFORDER',
  'PLANNED',
  'REMOVED',
  'RESERVED',
  'UNKNOWN',
]);

// The spec's tables, card. 1 fields required, lengths as written.
const connector = z.object({
  id: z.string().min(1).max(36),
  standard: z.string().min(1),
  format: z.enum(['SOCKET', 'CABLE']),
  power_type: z.enum(['AC_1_PHASE', 'AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'AC_3_PHASE', 'DC']),
  max_voltage: z.number().int(),
  max_amperage: z.number().int(),
  max_electric_power: z.number().int().optional(),
  last_updated: dateTime,
});
const evse = z.object({
  uid: z.string().min(1).max(36),
  evse_id: z.string().max(48).optional(),
  status: EVSE_STATUS,
  status_schedule: z
    .array(z.object({ period_begin: dateTime, period_end: dateTime.optional(), status: EVSE_STATUS }))
    .optional(),
  connectors: z.array(connector).min(1),
  physical_reference: z.string().max(16).optional(),
  last_updated: dateTime,
});
export const peerLocationSchema = z.object({
  country_code: z.string().length(2),
  party_id: z.string().length(3),
  id: z.string().min(1).max(36),
  publish: z.boolean(),
  name: z.string().max(255).optional(),
  address: z.string().max(45),
  city: z.string().max(45),
  postal_code: z.string().max(10).optional(),
  country: z.string().length(3),
  coordinates: z.object({
    latitude: z
      .string()
      .max(10)
      .regex(/^-?[0-9]{1,2}\.[0-9]{5,7}$/),
    longitude: z
      .string()
      .max(11)
      .regex(/^-?[0-9]{1,3}\.[0-9]{5,7}$/),
  }),
  evses: z.array(evse).optional(),
  time_zone: z.string().min(1).max(255),
  last_updated: dateTime,
});
export type PeerLocation = z.infer<typeof peerLocationSchema>;
export type PeerEvse = z.infer<typeof evse>;
const envelope = z.object({
  data: z.unknown().optional(),
  status_code: z.number().int().min(1000).max(9999),
  status_message: z.string().optional(),
  timestamp: dateTime,
});
const credentials = z.object({
  token: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\x21-\x7e]+$/),
  url: z.string().url(),
  roles: z
    .array(
      z.object({
        role: z.enum(['CPO', 'EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP']),
        business_details: z.object({ name: z.string().min(1).max(100) }),
        party_id: z.string().length(3),
        country_code: z.string().length(2),
      }),
    )
    .min(1),
});

export type PeerMode = 'ok' | 'unavailable' | 'refuse' | 'slow';

export interface ReceivedPush {
  method: 'PUT' | 'PATCH';
  path: string;
  body: any;
  at: number;
}

export class OcpiPeer {
  readonly countryCode = 'DE';
  readonly partyId = 'EMP';
  /** What the receiver endpoints do now: answer, answer 503, refuse with status_code 2001, or never answer. */
  mode: PeerMode = 'ok';
  /** How long its Locations receiver takes to answer (a partner across the internet is not 1 ms away). */
  delayMs = 0;
  readonly violations: string[] = [];
  /** Every request this peer was sent, of any kind (a refused address must cause none). */
  requests = 0;
  readonly pushes: ReceivedPush[] = [];
  /** The locations this eMSP knows, as pushed to it. */
  readonly locations = new Map<string, PeerLocation>();
  /** Token A this peer gave out for a CPO to register with (null: none). */
  tokenA: string | null = null;
  /** The token the CPO calls us with after registration, and the one we call it with. */
  incomingToken: string | null = null;
  outgoingToken: string | null = null;
  /** The CPO's endpoints as read during registration. */
  cpoEndpoints: { identifier: string; role: string; url: string }[] = [];
  private server: Server | null = null;
  private port = 0;
  private readonly hanging = new Set<ServerResponse>();

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get versionsUrl(): string {
    return `${this.url}/emsp/versions`;
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests++;
      this.handle(req, res).catch((error: Error) => {
        this.violations.push(`peer crashed on ${req.method} ${req.url}: ${error.message}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Down: the port stops answering (connections refused) until start(samePort) again. */
  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  async restart(): Promise<void> {
    await this.start(this.port);
  }

  /** Gives out a token A (out of band) for the CPO to register with us. */
  issueTokenA(): string {
    this.tokenA = randomBytes(24).toString('base64url');
    return this.tokenA;
  }

  /** The status this eMSP shows drivers for an EVSE. */
  statusOf(locationId: string, evseUid: string): string | undefined {
    return this.locations.get(locationId)?.evses?.find((e) => e.uid === evseUid)?.status;
  }

  patchesTo(evseUid: string): ReceivedPush[] {
    return this.pushes.filter((p) => p.method === 'PATCH' && p.path.endsWith(`/${evseUid}`));
  }

  // ---- as the client of a CPO

  /** An OCPI request to the CPO, checking its answer's envelope and echo headers. */
  async call(method: string, url: string, token: string | null, body?: unknown, raw = false) {
    const requestId = randomUUID();
    const correlationId = randomUUID();
    const headers: Record<string, string> = { 'x-request-id': requestId, 'x-correlation-id': correlationId };
    if (token !== null)
      headers.authorization = raw ? `Token ${token}` : `Token ${Buffer.from(token).toString('base64')}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json();
    const env = envelope.safeParse(json);
    if (!env.success) this.violations.push(`${method} ${url}: answer is not an OCPI envelope`);
    if (res.headers.get('x-request-id') !== requestId)
      this.violations.push(`${method} ${url}: X-Request-ID not echoed`);
    if (res.headers.get('x-correlation-id') !== correlationId)
      this.violations.push(`${method} ${url}: X-Correlation-ID not echoed`);
    if (!(res.headers.get('content-type') ?? '').startsWith('application/json'))
      this.violations.push(`${method} ${url}: not application/json`);
    return {
      status: res.status,
      headers: res.headers,
      body: json as { data?: any; status_code: number; status_message?: string },
    };
  }

  /** Registers with a CPO whose token A and versions URL we were given: versions, details, POST credentials. */
  async registerWith(cpoVersionsUrl: string, tokenA: string): Promise<void> {
    const versions = await this.call('GET', cpoVersionsUrl, tokenA);
    const v = (versions.body.data as { version: string; url: string }[]).find((x) => x.version === '2.2.1');
    if (!v) throw new Error('the CPO offers no 2.2.1');
    const details = await this.call('GET', v.url, tokenA);
    this.cpoEndpoints = details.body.data.endpoints;
    const credentialsUrl = this.cpoEndpoints.find((e) => e.identifier === 'credentials')!.url;
    this.incomingToken = randomBytes(24).toString('base64url');
    const answer = await this.call('POST', credentialsUrl, tokenA, this.ourCredentials(this.incomingToken));
    if (answer.body.status_code !== 1000) throw new Error(`registration refused: ${JSON.stringify(answer.body)}`);
    const theirs = credentials.safeParse(answer.body.data);
    if (!theirs.success) throw new Error(`the CPO answered invalid credentials: ${theirs.error.message}`);
    this.outgoingToken = theirs.data.token;
  }

  endpoint(identifier: string): string {
    const e = this.cpoEndpoints.find((x) => x.identifier === identifier);
    if (!e) throw new Error(`the CPO has no ${identifier} endpoint`);
    return e.url;
  }

  private ourCredentials(token: string) {
    return {
      token,
      url: this.versionsUrl,
      roles: [
        {
          role: 'EMSP',
          party_id: this.partyId,
          country_code: this.countryCode,
          business_details: { name: 'Peer eMSP' },
        },
      ],
    };
  }

  // ---- as a server

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const requestId = req.headers['x-request-id'];
    const correlationId = req.headers['x-correlation-id'];
    const where = `${method} ${url.pathname}`;
    if (typeof requestId !== 'string' || !requestId) this.violations.push(`${where}: no X-Request-ID`);
    if (typeof correlationId !== 'string' || !correlationId) this.violations.push(`${where}: no X-Correlation-ID`);
    const answer = (http: number, statusCode: number, data?: unknown, message?: string) => {
      res.writeHead(http, {
        'content-type': 'application/json',
        'x-request-id': String(requestId ?? randomUUID()),
        'x-correlation-id': String(correlationId ?? randomUUID()),
      });
      res.end(
        JSON.stringify({
          ...(data === undefined ? {} : { data }),
          status_code: statusCode,
          status_message: message,
          timestamp: new Date().toISOString(),
        }),
      );
    };
    const token = this.tokenOf(req.headers.authorization, where);
    const body = await readBody(req);
    if (body.length > 0 && !(req.headers['content-type'] ?? '').startsWith('application/json')) {
      this.violations.push(`${where}: body without Content-Type application/json`);
    }
    const path = url.pathname.replace(/\/+$/, '');
    const knownTokens = [this.tokenA, this.incomingToken].filter(Boolean);
    if (token === null || !knownTokens.includes(token)) return answer(401, 2000, undefined, 'Unauthorized');
    const isTokenA = token === this.tokenA;

    if (path === '/emsp/versions' && method === 'GET')
      return answer(200, 1000, [{ version: '2.2.1', url: `${this.url}/emsp/2.2.1` }]);
    if (path === '/emsp/2.2.1' && method === 'GET') {
      return answer(200, 1000, {
        version: '2.2.1',
        endpoints: [
          { identifier: 'credentials', role: 'SENDER', url: `${this.url}/emsp/2.2.1/credentials` },
          { identifier: 'locations', role: 'RECEIVER', url: `${this.url}/emsp/2.2.1/locations` },
        ],
      });
    }
    if (path === '/emsp/2.2.1/credentials' && method === 'POST') {
      if (!isTokenA) return answer(405, 2000, undefined, 'already registered');
      const theirs = credentials.safeParse(JSON.parse(body || 'null'));
      if (!theirs.success) return answer(400, 2001, undefined, 'invalid credentials');
      // The receiver reads the sender's versions with the token it was given before answering.
      const versions = await fetch(theirs.data.url, {
        headers: {
          authorization: `Token ${Buffer.from(theirs.data.token).toString('base64')}`,
          'x-request-id': randomUUID(),
          'x-correlation-id': randomUUID(),
        },
      });
      if (versions.status !== 200)
        return answer(200, 3001, undefined, `could not read the CPO's versions: HTTP ${versions.status}`);
      const v = ((await versions.json()) as { data: { version: string; url: string }[] }).data.find(
        (x) => x.version === '2.2.1',
      );
      const details = await fetch(v!.url, {
        headers: {
          authorization: `Token ${Buffer.from(theirs.data.token).toString('base64')}`,
          'x-request-id': randomUUID(),
          'x-correlation-id': randomUUID(),
        },
      });
      this.cpoEndpoints = ((await details.json()) as { data: { endpoints: OcpiPeer['cpoEndpoints'] } }).data.endpoints;
      this.outgoingToken = theirs.data.token;
      this.tokenA = null;
      this.incomingToken = randomBytes(24).toString('base64url');
      return answer(200, 1000, this.ourCredentials(this.incomingToken));
    }
    if (path.startsWith('/emsp/2.2.1/locations/')) {
      if (isTokenA) return answer(401, 2000, undefined, 'token A opens only versions and credentials');
      return this.locationsReceiver(method, path, body, req, res, answer);
    }
    answer(404, 2000, undefined, 'not found');
  }

  private locationsReceiver(
    method: string,
    path: string,
    body: string,
    req: IncomingMessage,
    res: ServerResponse,
    answer: (http: number, code: number, data?: unknown, message?: string) => void,
  ): void {
    const where = `${method} ${path}`;
    const [cc, pid, locationId, evseUid, connectorId] = path
      .slice('/emsp/2.2.1/locations/'.length)
      .split('/')
      .map(decodeURIComponent);
    for (const h of ['ocpi-from-country-code', 'ocpi-from-party-id', 'ocpi-to-country-code', 'ocpi-to-party-id']) {
      if (!req.headers[h]) this.violations.push(`${where}: no ${h} header`);
    }
    if (req.headers['ocpi-to-party-id'] && req.headers['ocpi-to-party-id'] !== this.partyId)
      this.violations.push(`${where}: OCPI-to-party-id is not ours`);
    if (this.mode === 'unavailable')
      return void res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
    if (this.mode === 'slow') {
      this.hanging.add(res);
      return;
    }
    if (this.mode === 'refuse') return answer(400, 2001, undefined, 'refused on purpose');
    if (this.delayMs > 0) {
      const later = answer;
      answer = (...args) => void setTimeout(() => later(...args), this.delayMs);
    }
    if (method === 'GET') {
      const loc = this.locations.get(locationId);
      return loc ? answer(200, 1000, loc) : answer(404, 2003, undefined, 'unknown location');
    }
    let json: any;
    try {
      json = JSON.parse(body);
    } catch {
      this.violations.push(`${where}: body is not JSON`);
      return answer(400, 2001);
    }
    this.pushes.push({ method: method as 'PUT' | 'PATCH', path, body: json, at: Date.now() });
    if (method === 'PUT' && evseUid === undefined) {
      const loc = peerLocationSchema.safeParse(json);
      if (!loc.success) {
        this.violations.push(
          `${where}: invalid Location: ${loc.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
        return answer(400, 2001, undefined, 'invalid location');
      }
      if (loc.data.id !== locationId)
        this.violations.push(`${where}: URL id ${locationId} and object id ${loc.data.id} differ`);
      if (loc.data.country_code !== cc || loc.data.party_id !== pid)
        this.violations.push(`${where}: owner in URL and object differ`);
      this.locations.set(locationId, loc.data);
      return answer(200, 1000);
    }
    if (method === 'PATCH' && evseUid !== undefined && connectorId === undefined) {
      if (typeof json?.last_updated !== 'string' || !DATETIME.test(json.last_updated))
        this.violations.push(`${where}: PATCH without a valid last_updated`);
      if (json.status !== undefined && !EVSE_STATUS.safeParse(json.status).success)
        this.violations.push(`${where}: invalid status ${json.status}`);
      const loc = this.locations.get(locationId);
      const e = loc?.evses?.find((x) => x.uid === evseUid);
      if (!loc || !e) return answer(404, 2003, undefined, 'unknown location or EVSE: PUT it first');
      Object.assign(e, json);
      if (json.last_updated > loc.last_updated) loc.last_updated = json.last_updated;
      return answer(200, 1000);
    }
    this.violations.push(`${where}: not a push this receiver expects`);
    answer(400, 2001);
  }

  private tokenOf(header: string | undefined, where: string): string | null {
    const m = /^Token (\S+)$/.exec(header ?? '');
    if (!m) {
      this.violations.push(`${where}: no Authorization: Token header`);
      return null;
    }
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    if (Buffer.from(decoded).toString('base64') !== m[1]) {
      this.violations.push(`${where}: the credentials token is not Base64 encoded`);
      return null;
    }
    return decoded;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
