// The credentials handshake both ways: a partner registering with us (they hold our token A), and us registering with
// a partner (we hold theirs). After it, each side holds a token to call the other with, and token A is gone.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { OcpiRepo, PartnerRow } from '../store/ocpi.js';
import { AddressRefused, type UrlGuard } from './addressGuard.js';
import { OCPI_REQUEST_TIMEOUT_MS, ocpiRequest, OcpiUnreachable, successData } from './client.js';
import {
  credentialsSchema,
  OCPI_STATUS,
  OCPI_VERSION,
  versionDetailsSchema,
  versionsListSchema,
  type Credentials,
  type Endpoint,
  type PartySettings,
} from './schemas.js';
import { ourUrls } from './settings.js';

/** A registration step that failed, with the OCPI status code the credentials module gives it. */
export class RegistrationError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** 256 random bits, printable and without whitespace as a credentials token must be. */
export const newToken = (): string => randomBytes(32).toString('base64url');

export function ourCredentials(token: string, party: PartySettings, base: string): Credentials {
  return {
    token,
    url: ourUrls(base).versions,
    roles: [
      { role: 'CPO', party_id: party.partyId, country_code: party.countryCode, business_details: { name: party.name } },
    ],
  };
}

/** How long registering with a partner may take in all (up to five requests): under the console's 30 s wait for an
 * answer, so the admin who asked hears how it ended rather than "no answer" and a partner that registers later. */
export const REGISTRATION_DEADLINE_MS = 25_000;

/** Each request's timeout within a handshake's deadline; throws once the deadline has passed. */
function requestTimeout(deadline: number | null): number {
  if (deadline === null) return OCPI_REQUEST_TIMEOUT_MS;
  const left = deadline - Date.now();
  if (left <= 0)
    throw new RegistrationError(OCPI_STATUS.unableToUseClientApi, 'the partner did not complete the handshake in time');
  return Math.min(OCPI_REQUEST_TIMEOUT_MS, left);
}

export interface PartnerEndpoints {
  version: string;
  endpoints: Endpoint[];
}

/** Reads the partner's versions and the 2.2.1 details with `token`; they must offer a Locations receiver. Every URL
 * is checked by the guard before it is fetched, and every endpoint it lists before it is kept. */
export async function fetchPartnerEndpoints(
  versionsUrl: string,
  token: string,
  guard: UrlGuard,
  deadline: number | null = null,
): Promise<PartnerEndpoints> {
  const check = async (url: string, what: string) => {
    try {
      await guard(url);
    } catch (error) {
      if (!(error instanceof AddressRefused)) throw error;
      throw new RegistrationError(OCPI_STATUS.unableToUseClientApi, `${what}: ${error.message}`);
    }
  };
  const get = async <T>(url: string, what: string, schema: z.ZodType<T>): Promise<T> => {
    await check(url, what);
    const timeoutMs = requestTimeout(deadline);
    let data: unknown;
    try {
      data = successData(
        await ocpiRequest({ method: 'GET', url, token, timeoutMs, lookup: guard.connectLookup }),
        what,
      );
    } catch (error) {
      const reason = error instanceof OcpiUnreachable ? `${what}: ${error.message}` : (error as Error).message;
      throw new RegistrationError(OCPI_STATUS.unableToUseClientApi, reason);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success)
      throw new RegistrationError(OCPI_STATUS.unableToUseClientApi, `${what}: not a valid OCPI answer`);
    return parsed.data;
  };
  const versions = await get(versionsUrl, "the partner's versions", versionsListSchema);
  const ours = versions.find((v) => v.version === OCPI_VERSION);
  if (!ours) {
    const offered = versions.map((v) => v.version).join(', ') || 'none';
    throw new RegistrationError(
      OCPI_STATUS.unsupportedVersion,
      `the partner offers no OCPI ${OCPI_VERSION} (offers: ${offered})`,
    );
  }
  const details = await get(ours.url, `the partner's ${OCPI_VERSION} details`, versionDetailsSchema);
  if (!locationsReceiver(details.endpoints)) {
    throw new RegistrationError(OCPI_STATUS.noMatchingEndpoints, 'the partner has no Locations receiver endpoint');
  }
  for (const e of details.endpoints) await check(e.url, `the partner's ${e.identifier} endpoint`);
  return { version: OCPI_VERSION, endpoints: details.endpoints };
}

export function locationsReceiver(endpoints: readonly Endpoint[]): string | null {
  return endpoints.find((e) => e.identifier === 'locations' && e.role === 'RECEIVER')?.url ?? null;
}

/**
 * A partner's POST (registration, with token A) or PUT (update, with token C) of its credentials: we read its
 * endpoints with the token it gave us (B), then issue a new token C for it. Returns the credentials to answer with.
 * `caller` is the partner and the token its request came with: when, by the time its endpoints are read, that token no
 * longer opens that partner (a second POST with the same token A finished first, a PUT rotated it, an admin removed
 * the partner), this request is refused and changes nothing.
 */
export async function acceptCredentials(
  repo: OcpiRepo,
  caller: { partner: PartnerRow; token: string },
  theirs: Credentials,
  party: PartySettings,
  base: string,
  at: () => string,
  guard: UrlGuard,
): Promise<Credentials> {
  const endpoints = await fetchPartnerEndpoints(theirs.url, theirs.token, guard);
  const tokenC = newToken();
  repo.tx('accept credentials', () => {
    if (repo.partnerByToken(caller.token)?.partner.id !== caller.partner.id)
      throw new RegistrationError(
        OCPI_STATUS.clientError,
        'the token this request came with was spent or revoked while it ran (another credentials request, or the partnership ended)',
      );
    repo.registered(caller.partner.id, {
      incomingToken: tokenC,
      outgoingToken: theirs.token,
      versionsUrl: theirs.url,
      version: endpoints.version,
      endpoints: endpoints.endpoints,
      roles: theirs.roles,
      at: at(),
    });
  });
  return ourCredentials(tokenC, party, base);
}

/**
 * We register with a partner whose token A and versions URL we were given: read its endpoints with token A, make
 * token B (what it will call us with, stored before we send it so its first call back succeeds), POST our
 * credentials, and keep the token C it answers with for our calls to it.
 */
export async function registerWithPartner(
  repo: OcpiRepo,
  opts: {
    name: string;
    versionsUrl: string;
    tokenA: string;
    party: PartySettings;
    base: string;
    at: () => string;
    guard: UrlGuard;
    /** Default REGISTRATION_DEADLINE_MS. */
    deadlineMs?: number;
  },
): Promise<PartnerRow> {
  const deadline = Date.now() + (opts.deadlineMs ?? REGISTRATION_DEADLINE_MS);
  const endpoints = await fetchPartnerEndpoints(opts.versionsUrl, opts.tokenA, opts.guard, deadline);
  const credentialsUrl = endpoints.endpoints.find((e) => e.identifier === 'credentials')?.url;
  if (!credentialsUrl)
    throw new RegistrationError(OCPI_STATUS.noMatchingEndpoints, 'the partner has no credentials endpoint');
  const tokenB = newToken();
  const partner = repo.tx('start registration', () => {
    // One partnership per partner: a second request (a double click, a retry after the console stopped waiting)
    // while the first is still on its way, or once it succeeded, is refused rather than registering twice.
    const same = repo.partners().find((p) => p.versions_url === opts.versionsUrl);
    if (same)
      throw new RegistrationError(
        OCPI_STATUS.clientError,
        `partner ${same.name} (${same.id}) is already ${same.state} at that versions URL; remove it first to register again`,
      );
    return repo.startRegistration(opts.name, opts.versionsUrl, tokenB, opts.at());
  });
  try {
    const answer = await ocpiRequest({
      method: 'POST',
      url: credentialsUrl,
      token: opts.tokenA,
      body: ourCredentials(tokenB, opts.party, opts.base),
      timeoutMs: requestTimeout(deadline),
      lookup: opts.guard.connectLookup,
    });
    const theirs = credentialsSchema.safeParse(successData(answer, "the partner's answer to our credentials"));
    if (!theirs.success)
      throw new RegistrationError(OCPI_STATUS.unableToUseClientApi, 'the partner answered invalid credentials');
    // Their answer may name another versions URL; its endpoints are the ones to use from now on.
    const final =
      theirs.data.url === opts.versionsUrl
        ? endpoints
        : await fetchPartnerEndpoints(theirs.data.url, theirs.data.token, opts.guard, deadline);
    repo.tx('registered with partner', () => {
      // An admin may have removed the partner while its answer was on the way: removed stays removed.
      const now = repo.partner(partner.id);
      if (!now || now.state === 'removed')
        throw new RegistrationError(OCPI_STATUS.clientError, 'the partner was removed while we registered with it');
      repo.registered(partner.id, {
        incomingToken: tokenB,
        outgoingToken: theirs.data.token,
        versionsUrl: theirs.data.url,
        version: final.version,
        endpoints: final.endpoints,
        roles: theirs.data.roles,
        at: opts.at(),
      });
      repo.enqueueAllLocations(partner.id, opts.at());
    });
    return repo.partner(partner.id)!;
  } catch (error) {
    repo.unregister(partner.id);
    if (error instanceof RegistrationError) throw error;
    throw new RegistrationError(OCPI_STATUS.unableToUseClientApi, (error as Error).message);
  }
}
