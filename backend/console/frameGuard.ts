// Limits checked before a console's message is parsed, and before sign-in: nesting depth (a linear scan, no
// parsing) and, until the connection has signed in, size. A 5.7 MiB frame of nested arrays cost ~2.2 s of the event
// loop in socket.io's parser, before the auth and rate checks; now it costs one scan and the connection.
import type { Server } from 'socket.io';

/** Deepest nesting of arrays and objects a console message may have (real ones have 5). */
export const MAX_JSON_DEPTH = 32;
/** Largest frame a connection may send before it has signed in (the CONNECT packet with its token is ~100 B). */
export const MAX_PRE_AUTH_FRAME_BYTES = 16 * 1024;

/**
 * The nesting depth of JSON text, or -1 as soon as it exceeds maxDepth (the rest is not read). Brackets inside
 * strings do not count. Not a validator: text that is not JSON is left to the parser, which refuses it.
 */
export function jsonDepth(text: string, maxDepth = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > maxDepth) return -1;
      if (depth > deepest) deepest = depth;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return deepest;
}

/** Why a frame from a console connection is refused before it is parsed, or null. */
export function frameProblem(data: unknown, signedIn: boolean): string | null {
  const size = typeof data === 'string' ? data.length : data instanceof Uint8Array ? data.byteLength : 0;
  if (!signedIn && size > MAX_PRE_AUTH_FRAME_BYTES)
    return `a frame of ${size} bytes before signing in (at most ${MAX_PRE_AUTH_FRAME_BYTES})`;
  if (typeof data === 'string' && jsonDepth(data) < 0) return `a frame nested deeper than ${MAX_JSON_DEPTH} levels`;
  return null;
}

interface EngineConn {
  listeners(event: 'data'): ((data: unknown) => void)[];
  removeAllListeners(event: 'data'): void;
  on(event: 'data', fn: (data: unknown) => void): void;
  on(event: 'packet', fn: (packet: { type: string; data?: unknown }) => void): void;
  on(event: 'upgrade', fn: () => void): void;
  close(): void;
  remoteAddress?: string;
  transport?: { name?: string; maxHttpBufferSize?: number; socket?: { _receiver?: { _maxPayload?: number } } };
}

/**
 * The most the connection's transport reads for one frame (WebSocket) or one request body (polling): engine.io sets
 * its server-wide maxHttpBufferSize; before sign-in it is lowered here, so a connection that has not signed in cannot
 * make the backend hold 8 MiB (ws closes it with 1009 on the frame's header, polling answers 413).
 */
function limitTransport(conn: EngineConn, bytes: number): void {
  const t = conn.transport;
  if (!t) return;
  if (t.name === 'polling' && typeof t.maxHttpBufferSize === 'number') t.maxHttpBufferSize = bytes;
  const receiver = t.socket?._receiver;
  if (receiver && typeof receiver._maxPayload === 'number') receiver._maxPayload = bytes;
}

export interface FrameGuard {
  /** The connection has a signed-in socket: the size limit goes back to maxBytes. */
  signedIn(conn: object): void;
}

/**
 * Puts frameProblem in front of socket.io's parser on every engine.io connection: the connection's 'data' listeners
 * (socket.io's Client, registered when the connection opened) run only for frames that pass; a frame that does not
 * closes the connection. Until `signedIn(conn)` the transport reads at most MAX_PRE_AUTH_FRAME_BYTES per frame;
 * after it, maxBytes (engine.io's maxHttpBufferSize).
 */
export function guardFrames(io: Server, maxBytes: number, log: (line: string) => void): FrameGuard {
  const authed = new WeakSet<object>();
  const signedIn = (conn: object) => authed.has(conn);
  let lastLog = 0;
  io.engine.on('connection', (conn: EngineConn) => {
    limitTransport(conn, MAX_PRE_AUTH_FRAME_BYTES);
    conn.on('upgrade', () => limitTransport(conn, signedIn(conn) ? maxBytes : MAX_PRE_AUTH_FRAME_BYTES));
    const refuse = (problem: string) => {
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(`console: ${problem} from ${conn.remoteAddress ?? '?'}; connection closed`);
      }
      conn.close();
    };
    // Every engine.io packet, whatever its type (a client's 'open' or 'upgrade' packet never reaches 'data'): the
    // size limit before sign-in, and no 'open' packet from a client (it is the server's).
    conn.on('packet', (packet) => {
      if (packet.type === 'open') return refuse('an engine.io open packet from the client');
      if (!signedIn(conn) && packet.type !== 'message') {
        const problem = frameProblem(packet.data, false);
        if (problem) refuse(problem);
      }
    });
    const parsers = conn.listeners('data');
    conn.removeAllListeners('data');
    conn.on('data', (data) => {
      const problem = frameProblem(data, signedIn(conn));
      if (problem) return refuse(problem);
      for (const parse of parsers) parse.call(conn, data);
    });
  });
  return {
    signedIn(conn) {
      authed.add(conn);
      limitTransport(conn as EngineConn, maxBytes);
    },
  };
}
