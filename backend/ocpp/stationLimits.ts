// Limits on what one station may send, checked on the raw frame before ocpp-rpc parses it: a message rate and a
// byte rate (token buckets per connection) and the nesting depth of the JSON. The frame size itself is capped by
// the WebSocket (MAX_OCPP_MESSAGE_BYTES, closed with 1009) before a frame is even buffered whole.
//
// Why before the parse: JSON.parse of a 256 KiB frame of nested arrays costs 50–110 ms of the event loop here (a
// flat 160 KB frame ~4 ms); the depth scan stops at the 33rd bracket, in microseconds. A station over its rate gets
// a CALLERROR without its frame being parsed (the message id is read from the frame's first bytes).
import ocpp from 'ocpp-rpc';

/** One station connection's limits. */
export interface StationLimits {
  /** Messages a station may send at once… */
  burst: number;
  /** …and per second after that. */
  perSecond: number;
  /** Bytes a station may send at once (at least one largest frame)… */
  bytesBurst: number;
  /** …and per second after that. */
  bytesPerSecond: number;
  /** Deepest nesting of arrays and objects in a frame (OCPP 2.0.1's deepest message, ReportChargingProfiles, has 14
   * counting the frame's own array). */
  maxDepth: number;
  /** Frames refused (rate or depth) within refusedWindowMs after which the connection is closed (1008). */
  closeAfterRefused: number;
  refusedWindowMs: number;
}

export const DEFAULT_STATION_LIMITS: StationLimits = {
  burst: 500,
  perSecond: 50,
  bytesBurst: 1024 * 1024,
  bytesPerSecond: 256 * 1024,
  maxDepth: 32,
  closeAfterRefused: 200,
  refusedWindowMs: 10_000,
};

/** The nesting depth of JSON bytes is over max (brackets inside strings do not count); stops reading once it is. */
export function nestedDeeperThan(frame: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < frame.length; i++) {
    const c = frame[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

const CALL_HEAD = /^\s*\[\s*2\s*,\s*"([^"\\]{1,64})"/;
const RESULT_HEAD = /^\s*\[\s*[34]\s*,/;

/** The id of an OCPP-J CALL read from the frame's first bytes, without parsing the rest; null when it is not one. */
export function callIdOf(frame: Buffer): string | null {
  return CALL_HEAD.exec(frame.toString('latin1', 0, 96))?.[1] ?? null;
}

class Bucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly size: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = size;
    this.at = now;
  }

  take(n: number, now: number): boolean {
    this.tokens = Math.min(this.size, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
}

export type FrameVerdict = { ok: true } | { ok: false; code: string; message: string; close: boolean };

/** The limits of one station connection. */
export class StationFrameGuard {
  private readonly messages: Bucket;
  private readonly bytes: Bucket;
  private refused: number[] = [];

  constructor(
    private readonly limits: StationLimits,
    /** OCPP 1.6 spells the error FormationViolation, 2.0.1 FormatViolation. */
    private readonly formatError: 'FormationViolation' | 'FormatViolation',
    private readonly now: () => number = Date.now,
  ) {
    const t = now();
    this.messages = new Bucket(limits.burst, limits.perSecond, t);
    this.bytes = new Bucket(limits.bytesBurst, limits.bytesPerSecond, t);
  }

  check(frame: Buffer): FrameVerdict {
    const t = this.now();
    // Replies to the backend's own calls pass the rate limits (they are as many as the calls it makes, one at a
    // time); unsolicited ones are refused by ocpp-rpc and count as bad messages there.
    const reply = RESULT_HEAD.test(frame.toString('latin1', 0, 16));
    if (nestedDeeperThan(frame, this.limits.maxDepth)) {
      return this.refuse(t, this.formatError, `frame nested deeper than ${this.limits.maxDepth} levels`);
    }
    if (reply) return { ok: true };
    if (!this.messages.take(1, t)) {
      return this.refuse(
        t,
        'GenericError',
        `rate limit: more than ${this.limits.perSecond} messages a second from this station; slow down`,
      );
    }
    if (!this.bytes.take(frame.length, t)) {
      return this.refuse(
        t,
        'GenericError',
        `rate limit: more than ${this.limits.bytesPerSecond} bytes a second from this station; slow down`,
      );
    }
    return { ok: true };
  }

  private refuse(t: number, code: string, message: string): FrameVerdict {
    this.refused.push(t);
    const since = t - this.limits.refusedWindowMs;
    if (this.refused[0] < since) this.refused = this.refused.filter((x) => x >= since);
    return { ok: false, code, message, close: this.refused.length >= this.limits.closeAfterRefused };
  }
}

type ServerClient = InstanceType<typeof ocpp.RPCClient>;

/**
 * Puts a StationFrameGuard in front of ocpp-rpc's parser on one server-side connection. Must run when the 'client'
 * event is emitted (ocpp-rpc starts reading the socket on the next tick). ocpp-rpc (pinned) has no hook before its
 * parse; its client reads every frame through its own _onMessage, which this wraps.
 * tests/integration/security-stations.test.ts fails if this stops working.
 */
export function guardStationFrames(
  client: ServerClient,
  guard: StationFrameGuard,
  onRefused: (message: string, closing: boolean) => void,
): void {
  const target = client as unknown as { _onMessage(frame: Buffer): void };
  const parse = target._onMessage.bind(client);
  let closing = false;
  target._onMessage = (frame: Buffer) => {
    if (closing) return;
    const verdict = guard.check(frame);
    if (verdict.ok) return parse(frame);
    onRefused(verdict.message, verdict.close);
    if (verdict.close) {
      closing = true;
      void client.close({ code: 1008, reason: 'too many refused messages' });
      return;
    }
    const id = callIdOf(frame);
    if (id !== null) client.sendRaw(JSON.stringify([4, id, verdict.code, verdict.message, {}]));
  };
}
