// Requests to a partner's OCPI endpoints: the Token header (Base64, as 2.2.1 requires), unique request and
// correlation ids, and the partner's answer read as an OCPI envelope when it is one. Over node:http(s), so the
// address guard's lookup decides where each connection goes; redirects are never followed.
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { promisify } from 'node:util';
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
  /** Resolves the host for the connection (the address guard's `connectLookup`); the system's when absent. */
  lookup?: LookupFunction;
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
  let answer: { status: number; text: string | null };
  try {
    answer = await send(r, headers);
  } catch (error) {
    const e = error as Error;
    throw new OcpiUnreachable(e.name === 'AbortError' ? 'no answer in time' : e.message);
  }
  const { text } = answer;
  if (text === null) return { httpStatus: answer.status, envelope: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { httpStatus: answer.status, envelope: null };
  }
  const parsed = envelopeSchema.safeParse(json);
  return { httpStatus: answer.status, envelope: parsed.success ? parsed.data : null };
}

/** One request and its whole answer (text null when over MAX_ANSWER_BYTES); rejects on a network error, a refused
 * address, or after the timeout (AbortError), which covers the answer's body too. */
async function send(r: OcpiRequest, headers: Record<string, string>): Promise<{ status: number; text: string | null }> {
  const target = new URL(r.url);
  const request = target.protocol === 'https:' ? httpsRequest : target.protocol === 'http:' ? httpRequest : null;
  if (!request) throw new Error(`only http and https URLs are fetched, not ${target.protocol}`);
  // Node asks no lookup for an address written in the URL: it goes through the lookup here, to be checked the same.
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  if (r.lookup && isIP(host)) await promisify(r.lookup)(host, {});
  const body = r.body === undefined ? undefined : JSON.stringify(r.body);
  const controller = new AbortController();
  const cancelTimeout = partnerTimeout(r.timeoutMs ?? OCPI_REQUEST_TIMEOUT_MS, () => controller.abort());
  return new Promise<{ status: number; text: string | null }>((resolve, reject) => {
    const req = request(
      target,
      {
        method: r.method,
        headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: controller.signal,
        lookup: r.lookup,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: size > MAX_ANSWER_BYTES ? null : Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  }).finally(cancelTimeout);
}

/** How often the partner's time is counted (see partnerTimeout). */
const TIMEOUT_TICK_MS = 100;

/**
 * Calls onTimeout once the partner has had `ms` of this process's attention without answering. The time is counted
 * in timer ticks, so a turn of the event loop that kept it busy (a large transaction: on PostgreSQL a burst of
 * station reports took over a second per turn under load) is not counted against the partner, and a last poll of the
 * loop reads an answer that arrived meanwhile. Counted by the wall clock instead, a 500 ms timeout expired behind
 * one such turn with the partner's answer already waiting in the socket, and the partner went into backoff.
 * Returns the cancel.
 */
export function partnerTimeout(ms: number, onTimeout: () => void): () => void {
  let left = ms;
  let done = false;
  let timer: NodeJS.Timeout | null = null;
  const tick = (): void => {
    timer = null;
    if (done) return;
    left -= Math.min(left, TIMEOUT_TICK_MS);
    if (left > 0) {
      timer = setTimeout(tick, Math.min(left, TIMEOUT_TICK_MS));
      return;
    }
    // After the poll phase of this turn: what the socket holds is read first.
    setImmediate(() => {
      if (!done) {
        done = true;
        onTimeout();
      }
    });
  };
  timer = setTimeout(tick, Math.min(ms, TIMEOUT_TICK_MS));
  return () => {
    done = true;
    if (timer) clearTimeout(timer);
  };
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
