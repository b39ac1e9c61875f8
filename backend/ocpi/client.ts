// Requests to a partner's OCPI endpoints: the Token header (Base64, as 2.2.1 requires), unique request and
// correlation ids, and the partner's answer read as an OCPI envelope when it is one.
import { randomUUID } from 'node:crypto';
import { envelopeSchema, type Envelope } from './schemas.js';

export const OCPI_REQUEST_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** `Token <base64 of the UTF-8 token>` (transport and format, "Authorization header"). */
export function tokenHeader(token: string): string {
  return `Token ${Buffer.from(token, 'utf8').toString('base64')}`;
}

export interface OcpiAnswer {
  httpStatus: number;
  /** The answer's OCPI envelope, or null when it was not one (a proxy's error page, an empty body). */
  envelope: Envelope | null;
}

/** Network, timeout or unreadable answer: the request did not reach an OCPI server that answered it. */
export class OcpiUnreachable extends Error {}

export interface OcpiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  token: string;
  body?: unknown;
  /** OCPI-to/from routing headers; only for functional modules (locations), never for versions or credentials. */
  routing?: { fromCountryCode: string; fromPartyId: string; toCountryCode: string; toPartyId: string };
  correlationId?: string;
  timeoutMs?: number;
}

export async function ocpiRequest(r: OcpiRequest): Promise<OcpiAnswer> {
  const headers: Record<string, string> = {
    authorization: tokenHeader(r.token),
    'x-request-id': randomUUID(),
    'x-correlation-id': r.correlationId ?? randomUUID(),
    'user-agent': 'Voltboard-OCPI/2.2.1',
  };
  if (r.body !== undefined) headers['content-type'] = 'application/json';
  if (r.routing) {
    headers['ocpi-from-country-code'] = r.routing.fromCountryCode;
    headers['ocpi-from-party-id'] = r.routing.fromPartyId;
    headers['ocpi-to-country-code'] = r.routing.toCountryCode;
    headers['ocpi-to-party-id'] = r.routing.toPartyId;
  }
  let res: Response;
  try {
    res = await fetch(r.url, {
      method: r.method,
      headers,
      body: r.body === undefined ? undefined : JSON.stringify(r.body),
      redirect: 'error',
      signal: AbortSignal.timeout(r.timeoutMs ?? OCPI_REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const e = error as Error;
    throw new OcpiUnreachable(
      e.name === 'TimeoutError' ? 'no answer in time' : ((e.cause as Error)?.message ?? e.message),
    );
  }
  let text: string;
  try {
    text = await res.text();
  } catch (error) {
    throw new OcpiUnreachable(`answer cut off: ${(error as Error).message}`);
  }
  if (text.length > MAX_ANSWER_BYTES) return { httpStatus: res.status, envelope: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { httpStatus: res.status, envelope: null };
  }
  const parsed = envelopeSchema.safeParse(json);
  return { httpStatus: res.status, envelope: parsed.success ? parsed.data : null };
}

/** The data of a successful answer (HTTP 2xx, status_code 1xxx), or an error saying what the partner answered. */
export function successData(answer: OcpiAnswer, what: string): unknown {
  const e = answer.envelope;
  if (answer.httpStatus >= 200 && answer.httpStatus < 300 && e && e.status_code >= 1000 && e.status_code < 2000)
    return e.data;
  const said = e
    ? `status_code ${e.status_code}${e.status_message ? ` (${e.status_message.slice(0, 100)})` : ''}`
    : 'no OCPI answer';
  throw new Error(`${what}: HTTP ${answer.httpStatus}, ${said}`);
}
