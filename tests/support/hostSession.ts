// What a browser does with the web host's printed URL, done by hand for tests: trade the single-use secret for this
// port's cookie and the per-start API token (carried in the redirect's fragment), then open the API socket with both.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WebSocket } from 'ws';
import { tempDir } from './tempDir.js';

/** A renderer folder holding only an index.html: enough for the host's own checks. */
export function stubRendererDir(name: string): string {
  const dir = tempDir(name).path;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Voltboard</title>');
  return dir;
}

export interface HostSessionForTest {
  /** `name=value` of this port's cookie, as a Cookie header. */
  cookie: string;
  origin: string;
  token: string;
  /** The subprotocols a page offers: `voltboard` and `vb-session.<token>`. */
  protocols: string[];
}

export async function openHostSession(host: { url: string; port: number }): Promise<HostSessionForTest> {
  const res = await fetch(host.url, { redirect: 'manual' });
  if (res.status !== 303) throw new Error(`the secret was not accepted: HTTP ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const token = new URLSearchParams(new URL(res.headers.get('location') ?? '', host.url).hash.slice(1)).get(
    'vb-session',
  );
  if (!cookie || !token) throw new Error('the host sent no session');
  return { cookie, origin: `http://127.0.0.1:${host.port}`, token, protocols: ['voltboard', `vb-session.${token}`] };
}

/** Opens the API socket as the page would; rejects with `HTTP <status>` when refused. */
export async function openHostSocket(
  port: number,
  protocols: string[],
  headers: Record<string, string>,
): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, protocols, { headers });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return ws;
}
