// The part of the WebSocket interface the renderer uses (the browser's, or `ws` in tests), and where the web
// host's socket is. Types and one pure function only: the boot chunk imports this.

export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as WebSocket's: the event type decides the event
  addEventListener(type: SocketEventType, listener: (ev: any) => void): void;
}
export type SocketEventType = 'open' | 'close' | 'error' | 'message';
export type SocketFactory = (url: string) => SocketLike;

export const SOCKET_OPEN = 1;

export function defaultApiUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api`;
}
