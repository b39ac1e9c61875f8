// The public status page for drivers, served by the backend without sign-in when turned on (`--public-status`):
//   /status             every site with how many chargers are available
//   /status/<site>      one site's chargers: status in words, colour and icon, since when, expected back, plugs
//   /status.json, /status/<site>.json   the same as JSON for other systems (docs/ocpi.md, "Public status page")
// Built from one snapshot of the network kept for a few seconds, so a crowd of phones costs one read per snapshot.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../common/clock.js';
import type { Store } from '../store/index.js';
import { STATUS_CSS, STATUS_ICON_SVG, STATUS_JS } from './assets.js';
import { networkPage, notFoundPage, sitePage } from './render.js';
import { buildPublicNetwork, type PublicNetwork } from './statusModel.js';

export interface PublicStatusOptions {
  /** How long one snapshot of the network is served. Default 5 000 ms. */
  cacheMs?: number;
  /** How often an open page re-reads its feed. Default 10 000 ms. */
  pollMs?: number;
}

const PAGE_CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const isPublicStatusPath = (path: string): boolean =>
  path === '/status' || path === '/status.json' || path.startsWith('/status/');

export function createPublicStatus(store: Store, clock: Clock, opts: PublicStatusOptions = {}) {
  const cacheMs = opts.cacheMs ?? 5000;
  const pollMs = opts.pollMs ?? 10_000;
  let snapshot: { at: number; network: PublicNetwork } | null = null;
  const network = (): PublicNetwork => {
    const now = clock.now();
    // Real time for the cache: a manual clock that stands still must not freeze the page.
    if (!snapshot || Date.now() - snapshot.at >= cacheMs)
      snapshot = { at: Date.now(), network: buildPublicNetwork(store, now) };
    return snapshot.network;
  };
  const maxAge = Math.max(1, Math.floor(cacheMs / 1000));

  return (req: IncomingMessage, res: ServerResponse): void => {
    const send = (status: number, type: string, body: string, cache = `public, max-age=${maxAge}`) => {
      res.writeHead(status, {
        'content-type': `${type}; charset=utf-8`,
        'cache-control': cache,
        'x-content-type-options': 'nosniff',
        'content-security-policy': PAGE_CSP,
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'use GET', 'no-store');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
    if (path === '/status/style.css') return send(200, 'text/css', STATUS_CSS, 'public, max-age=3600');
    if (path === '/status/icon.svg') return send(200, 'image/svg+xml', STATUS_ICON_SVG, 'public, max-age=3600');
    if (path === '/status/live.js') return send(200, 'text/javascript', STATUS_JS, 'public, max-age=3600');
    const net = network();
    if (path === '/status')
      return send(200, 'text/html', networkPage(net).replace('<body ', `<body data-every="${pollMs}" `));
    if (path === '/status.json') return send(200, 'application/json', JSON.stringify(net));
    let siteId: string;
    try {
      siteId = decodeURIComponent(path.slice('/status/'.length));
    } catch {
      return send(400, 'text/plain', 'bad site id', 'no-store');
    }
    const json = siteId.endsWith('.json');
    if (json) siteId = siteId.slice(0, -'.json'.length);
    const site = net.sites.find((s) => s.id === siteId);
    if (!site)
      return json ? send(404, 'application/json', '{"error":"no such site"}') : send(404, 'text/html', notFoundPage());
    if (json) return send(200, 'application/json', JSON.stringify({ generatedAt: net.generatedAt, ...site }));
    send(200, 'text/html', sitePage(site, net.generatedAt).replace('<body ', `<body data-every="${pollMs}" `));
  };
}
