// Picks the console API for this window: Electron's preload exposes `window.voltboard`; in a browser tab
// served by the web host we talk to it over a WebSocket on the same origin.
import type { ConsoleApi } from '../../../common/consoleApi.js';
import { ALWAYS_OPEN } from './transport.js';
import type { Transport } from './transport.js';
import { withValidation } from './validated.js';
import { takeEarlyConnection } from '../boot/earlyConnection.js';
import { defaultApiUrl } from './socketLike.js';
import { createWebSocketApi } from './webSocketApi.js';

declare global {
  interface Window {
    voltboard?: ConsoleApi;
  }
}

export interface HostApi extends ConsoleApi {
  transport: Transport;
  kind: 'electron' | 'web';
}

let instance: HostApi | null = null;

export function getApi(): HostApi {
  if (instance) return instance;
  const preload = typeof window !== 'undefined' ? window.voltboard : undefined;
  if (preload && typeof preload.call === 'function' && typeof preload.on === 'function') {
    const api = withValidation(preload, { trustBulkData: true });
    instance = { call: api.call.bind(api), on: api.on.bind(api), transport: ALWAYS_OPEN, kind: 'electron' };
  } else {
    const ws = createWebSocketApi({ url: defaultApiUrl(window.location), early: takeEarlyConnection() });
    const api = withValidation(ws, { trustBulkData: true });
    instance = { call: api.call.bind(api), on: api.on.bind(api), transport: ws.transport, kind: 'web' };
  }
  return instance;
}

export type { Transport, TransportStatus } from './transport.js';
