// The web host: the console core in plain Node, the built renderer served on loopback, and the console API
// bridged over a WebSocket. Guarded by a secret made at each start: the printed URL carries it once, the page
// then holds an HttpOnly cookie; requests without it, or from another origin, are refused.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { wireCallSchema, type WireEvent } from '../../common/consoleApi.js';
import { sendReply as send } from './replies.js';
import { dispatch, toWireError } from '../core/api/dispatch.js';
import type { ConsoleCore } from '../core/consoleCore.js';
import { securityHeaders, serveStatic } from './staticFiles.js';

export const HOST_COOKIE = 'vb_host';
export const API_PATH = '/api';
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface WebHostOptions {
  core: ConsoleCore;
  rendererDir: string;
  port: number;
  log?: (line: string) => void;
}

export interface WebHost {
  /** The URL to open: carries the start-up secret. */
  url: string;
  port: number;
  secret: string;
  stop(): Promise<void>;
}

function sameSecret(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const secret = randomBytes(24).toString('base64url');
  const cookie = randomBytes(24).toString('base64url');
  let port = options.port;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const refuse = (res: ServerResponse, status: number, text: string) =>
    res.writeHead(status, { ...securityHeaders(port), 'Content-Type': 'text/plain; charset=utf-8' }).end(text);

  const server = createServer((req, res) => {
    void (async () => {
      if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 421, 'wrong host');
      // Another site's page may not even try (the cookie is SameSite=Strict too): a foreign Origin is refused.
      if (req.headers.origin !== undefined && !allowedOrigins().has(req.headers.origin)) return refuse(res, 403, 'cross-origin request refused');
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      const given = url.searchParams.get('secret');
      if (given !== null) {
        if (!sameSecret(given, secret)) return refuse(res, 403, 'wrong start-up secret: open the URL that `npm run web` printed');
        res.writeHead(303, {
          ...securityHeaders(port),
          'Set-Cookie': `${HOST_COOKIE}=${cookie}; HttpOnly; SameSite=Strict; Path=/`,
          Location: '/',
        });
        return res.end();
      }
      if (!sameSecret(cookieValue(req, HOST_COOKIE), cookie)) {
        return refuse(res, 403, 'This console is guarded by a start-up secret: open the full URL that `npm run web` printed.');
      }
      if (url.pathname === '/healthz') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify(options.core.connection()));
      }
      await serveStatic(options.rendererDir, url.pathname, res, port);
    })().catch((error: unknown) => {
      options.log?.(`web host request failed: ${(error as Error).message}`);
      if (!res.headersSent) refuse(res, 500, 'internal error');
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const ok =
      url.pathname === API_PATH &&
      allowedHosts().has(req.headers.host ?? '') &&
      allowedOrigins().has(req.headers.origin ?? '') &&
      sameSecret(cookieValue(req, HOST_COOKIE), cookie);
    if (!ok) {
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
          if (!call.success) throw Object.assign(new Error(`not a valid call: ${call.error.issues[0]?.message}`), { wire: true });
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
          if (!wire && toWireError(error).code === 'internal') options.log?.(`console API error: ${(error as Error).stack}`);
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
    url: `http://127.0.0.1:${port}/?secret=${secret}`,
    port,
    secret,
    async stop() {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Calls slower than this are logged (like slow SQL), with where the time went. */
const SLOW_CALL_MS = 250;
