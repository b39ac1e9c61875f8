// The link between the renderer and its host (Electron IPC or the web host's WebSocket), as distinct from
// the core's link to the backend (ConnectionState). The banner shows both.

export type TransportState = 'connecting' | 'open' | 'closed';

export interface TransportStatus {
  state: TransportState;
  /** How many times the link has opened; >1 means it dropped and came back (the store then reloads). */
  opens: number;
  /** Why the link is down, in words, when it is. */
  error: string | null;
  /** When the next attempt to reconnect is due (ms since epoch), while closed. */
  retryAt: number | null;
}

export interface Transport {
  get(): TransportStatus;
  subscribe(listener: (status: TransportStatus) => void): () => void;
}

/** Electron's IPC cannot drop; it is always open. */
export const ALWAYS_OPEN: Transport = {
  get: () => ({ state: 'open', opens: 1, error: null, retryAt: null }),
  subscribe: () => () => {},
};
