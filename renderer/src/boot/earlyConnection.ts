// In a browser tab, opens the web host's socket and asks for the grid's first screen before the app's code has
// loaded: the core prepares the answer while the browser fetches and evaluates the rest (React, the schemas, the
// grid), instead of after. The socket's events are held until the app adopts it (api/heldSocket.ts), so nothing
// that arrives in between is lost. Electron's preload has no socket to open: there this does nothing.
// Only the network is asked for early: it is what takes the core time. The store asks for the connection's state
// itself once the app runs (a state's seq tells it whether an event is newer than its answer).
// This is the boot chunk's code: it must not import anything that runs code of its own (React, zod, the schemas).
import type { WireCall } from '../../../common/consoleApi.js';
import { FIRST_SCREEN_PARAMS } from '../../../common/firstScreen.js';
import { HeldSocket } from '../api/heldSocket.js';
import { hostSocketProtocols } from './hostSession.js';
import { defaultApiUrl } from '../api/socketLike.js';
import type { SocketFactory } from '../api/socketLike.js';

/** What identifies a call for reuse: its method and params, as sent. */
export function callKey(method: string, params: unknown): string {
  return `${method} ${JSON.stringify(params)}`;
}

export interface EarlyConnection {
  socket: HeldSocket;
  /** Calls sent on the socket before it was adopted: wire id by callKey. */
  readonly sent: ReadonlyMap<string, number>;
  /** Hands the socket to its owner: from now on the boot sends nothing more on it. */
  adopt(): void;
}

let waiting: EarlyConnection | null = null;

export function openEarlyConnection(url: string, createSocket: SocketFactory): EarlyConnection {
  const raw = createSocket(url);
  const sent = new Map<string, number>();
  let adopted = false;
  // Listening on the socket itself, not the held one: this runs as the socket opens, the owner's listeners later.
  raw.addEventListener('open', () => {
    if (adopted) return;
    const call: WireCall = { kind: 'call', id: 1, method: 'getNetworkColumns', params: FIRST_SCREEN_PARAMS };
    raw.send(JSON.stringify(call));
    sent.set(callKey(call.method, call.params), call.id);
    performance.mark('voltboard:first-screen-asked-early');
  });
  return {
    socket: new HeldSocket(raw),
    sent,
    adopt: () => {
      adopted = true;
    },
  };
}

/** Opens the early connection for this page if it talks to a web host (no Electron preload). */
export function startEarlyConnection(win: Window & { voltboard?: unknown }): void {
  if (win.voltboard || typeof WebSocket !== 'function') return;
  try {
    waiting = openEarlyConnection(defaultApiUrl(win.location), (u) => new WebSocket(u, hostSocketProtocols(win)));
  } catch {
    waiting = null; // the app opens its own socket
  }
}

/** The early connection, once: whoever takes it owns the socket (and must adopt() it). */
export function takeEarlyConnection(): EarlyConnection | null {
  const early = waiting;
  waiting = null;
  return early;
}
