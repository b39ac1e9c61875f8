// The web host: the console core in plain Node, the built renderer served on loopback, and the console API
// bridged over a WebSocket. Guarded by a secret made at each start: the printed URL carries it, it is traded once
// for this port's session (hostSession.ts: a cookie for the page's files, a per-start token for the API); requests
// without them, or from another origin (scheme, host and port), are refused.
import { createServer, type ServerResponse } from 'node:http';
import { UPTIME_EXPORT_DOWNLOAD_PATH } from '../../common/uptime.js';
import { serveExport } from './exportDownload.js';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { wireCallSchema, type WireEvent } from '../../common/consoleApi.js';
import { sendReply as send } from './replies.js';
import { dispatch, toWireError } from '../core/api/dispatch.js';
import type { ConsoleCore } from '../core/consoleCore.js';
import { API_PROTOCOL, HostSession, SESSION_FRAGMENT_KEY, isOwnHost, isOwnOrigin } from './hostSession.js';
import { securityHeaders, serveStatic } from './staticFiles.js';

export { hostCookieName } from './hostSession.js';
export const API_PATH = '/api';
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface WebHostOptions {
  core: ConsoleCore;
  rendererDir: string;
  port: number;
  log?: (line: string) => void;
}

export interface WebHost {
  /** The URL to open: carries the start-up secret (single-use). */
  url: string;
  port: number;
  secret: string;
  stop(): Promise<void>;
}

const USED_LINK_PAGE = `<!doctype html><meta charset="utf-8"><title>Voltboard: this link was used already</title>
<h1>This console link was used already</h1>
<p>The link that <code>npm run web</code> prints opens the console once: it was opened before, in a browser that is
not this one (or whose cookies were cleared). Go back to the tab that opened it, or restart <code>npm run web</code>
to get a new link.</p>
`;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  let port = options.port;
  const session = new HostSession(() => port);

  const refuse = (res: ServerResponse, status: number, text: string, type = 'text/plain') =>
    res
      .writeHead(status, {
        ...securityHeaders(port),
        'Content-Type': `${type}; charset=utf-8`,
        'Cache-Control': 'no-store',
      })
      .end(text);

  const server = createServer((req, res) => {
    void (async () => {
      if (!isOwnHost(req.headers.host, port)) return refuse(res, 421, 'wrong host');
      // Another page (another site, or another port of this machine) may not even try: its Origin is refused.
      if (req.headers.origin !== undefined && !isOwnOrigin(req.headers.origin, port))
        return refuse(res, 403, 'cross-origin request refused');
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
      const url = parseRequestUrl(req.url, port);
      if (!url) return refuse(res, 400, 'bad request: the address is malformed (a broken %-escape or similar)');
      const given = url.searchParams.get('secret');
      if (given !== null) {
        const outcome = session.useSecret(given, req.headers.cookie);
        if (outcome.kind === 'wrong')
          return refuse(res, 403, 'wrong start-up secret: open the URL that `npm run web` printed');
        if (outcome.kind === 'used') return refuse(res, 403, USED_LINK_PAGE, 'text/html');
        res.writeHead(303, {
          ...securityHeaders(port),
          'Cache-Control': 'no-store',
          ...(outcome.kind === 'exchanged'
            ? {
                'Set-Cookie': `${session.cookieName()}=${outcome.cookie}; HttpOnly; SameSite=Strict; Path=/`,
                // The fragment is never sent to a server: the page reads it, keeps it in its origin's storage and
                // takes it out of the address bar.
                Location: `/#${SESSION_FRAGMENT_KEY}=${outcome.token}`,
              }
            : { Location: '/' }),
        });
        return res.end();
      }
      if (!session.hasCookie(req.headers.cookie)) {
        return refuse(
          res,
          403,
          'This console is guarded by a start-up secret: open the full URL that `npm run web` printed.',
        );
      }
      if (url.pathname === '/healthz') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ state: options.core.connection().state }));
      }
      if (url.pathname.startsWith(UPTIME_EXPORT_DOWNLOAD_PATH))
        return serveExport(options.core, url.pathname, res, port);
      await serveStatic(options.rendererDir, url.pathname, res, port);
    })().catch((error: unknown) => {
      options.log?.(`web host request failed: ${(error as Error).message}`);
      if (!res.headersSent) refuse(res, 500, 'internal error');
    });
  });

  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(API_PROTOCOL) ? API_PROTOCOL : false),
  });
  server.on('upgrade', (req, socket, head) => {
    const url = parseRequestUrl(req.url, port);
    if (!url || url.pathname !== API_PATH || !session.allowsApi(req.headers)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });

  sockets.on('connection', (ws: WebSocket) => {
    // A protocol error on one page's socket (e.g. a message over maxPayload: closed with 1009) costs that socket
    // only; without a listener the 'error' event would take the whole host down.
    ws.on('error', (error) => options.log?.(`console API socket closed: ${error.message}`));
    ws.on('message', (data, isBinary) => {
      void (async () => {
        let id = -1;
        try {
          if (isBinary) throw Object.assign(new Error('binary messages are not accepted'), { wire: true });
          const call = wireCallSchema.safeParse(JSON.parse(data.toString()));
          if (!call.success)
            throw Object.assign(new Error(`not a valid call: ${call.error.issues[0]?.message}`), { wire: true });
          id = call.data.id;
          const started = performance.now();
          const result = await dispatch(options.core, call.data.method, call.data.params);
          const answered = performance.now();
          const bytes = send(ws, { kind: 'reply', id, ok: true, data: result });
          const sent = performance.now();
          if (sent - started > SLOW_CALL_MS) {
            options.log?.(
              `slow console API call ${call.data.method}: ${Math.round(sent - started)} ms (answer ${Math.round(answered - started)} ms, encoding and sending ${Math.round(sent - answered)} ms, ${(bytes / 2 ** 20).toFixed(1)} MiB)`,
            );
          }
        } catch (error) {
          const wire = (error as { wire?: boolean }).wire || error instanceof SyntaxError;
          send(ws, {
            kind: 'reply',
            id,
            ok: false,
            error: wire ? { code: 'invalid', message: (error as Error).message } : toWireError(error),
          });
          if (!wire && toWireError(error).code === 'internal')
            options.log?.(`console API error: ${(error as Error).stack}`);
        }
      })();
    });
  });

  const unsubscribe = options.core.on((name, payload) => {
    const message: WireEvent = { kind: 'event', name, payload };
    const text = JSON.stringify(message);
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?secret=${session.startSecret()}`,
    port,
    secret: session.startSecret(),
    async stop() {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The request's URL, or null when it cannot be read: unparseable, or a path with a malformed %-escape (which
 * decodeURIComponent would throw on later): a 400 for the client, not a 500.
 */
export function parseRequestUrl(raw: string | undefined, port: number): URL | null {
  try {
    const url = new URL(raw ?? '/', `http://127.0.0.1:${port}`);
    decodeURIComponent(url.pathname);
    return url;
  } catch {
    return null;
  }
}

/** Calls slower than this are logged (like slow SQL), with where the time went. */
const SLOW_CALL_MS = 250;
