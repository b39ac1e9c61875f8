// The public status pages as plain HTML: every text from the store goes through escapeHtml, nothing is inline (the
// CSP allows only our own style sheet and script), and each status has a colour, an icon (assets.ts) and its words.
import type { PublicCharger, PublicNetwork, PublicSite } from './statusModel.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function time(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(text)}</time>`;
}

function page(title: string, body: string, liveFeed: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/status/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/status/style.css">
<script src="/status/live.js" defer></script>
</head>
<body data-feed="${escapeHtml(liveFeed)}">
${body}
</body>
</html>
`;
}

function connectorsText(c: PublicCharger): string {
  return c.connectors
    .map((k) => [k.type ?? 'Connector', k.maxKw === null ? '' : `${k.maxKw} kW`].filter(Boolean).join(' '))
    .join(', ');
}

export function chargerHtml(c: PublicCharger, timeZone: string): string {
  const since = c.since ? `<span class="since">since ${time(c.since, timeZone)}</span>` : '';
  const back = c.expectedBack ? `<span class="back">expected back ${time(c.expectedBack, timeZone)}</span>` : '';
  return `<li class="charger s-${c.status}" data-id="${escapeHtml(c.id)}">
<span class="name">${escapeHtml(c.label)}</span>
<span class="status"><span class="icon" aria-hidden="true"></span> <span class="word">${escapeHtml(c.statusText)}</span></span>
<span class="when">${since}${back}</span>
<span class="plugs">${escapeHtml(connectorsText(c))}</span>
</li>`;
}

export function sitePage(site: PublicSite, generatedAt: string): string {
  const body = `<header><a href="/status">All sites</a><h1>${escapeHtml(site.name)}</h1>
<p class="where">${escapeHtml(site.address)}, ${escapeHtml(site.city)}</p>
<p class="summary" aria-live="polite"><span data-available>${site.available}</span> of ${site.chargers.length} chargers available</p></header>
<main><ul class="chargers" aria-label="Chargers">
${site.chargers.map((c) => chargerHtml(c, site.timeZone)).join('\n')}
</ul></main>
<footer>Updated <span data-generated>${time(generatedAt, site.timeZone)}</span>. This page updates itself.
Also as data: <a href="/status/${encodeURIComponent(site.id)}.json">JSON</a>.</footer>`;
  return page(`${site.name}: charger status`, body, `/status/${encodeURIComponent(site.id)}.json`);
}

export function networkPage(network: PublicNetwork): string {
  const items = network.sites
    .map(
      (s) => `<li><a href="/status/${encodeURIComponent(s.id)}"><span class="name">${escapeHtml(s.name)}</span>
<span class="where">${escapeHtml(s.city)}</span>
<span class="count" data-site="${escapeHtml(s.id)}">${s.available} of ${s.chargers.length} available</span></a></li>`,
    )
    .join('\n');
  const body = `<header><h1>Charger status</h1></header>
<main><ul class="sites" aria-label="Sites">
${items}
</ul></main>
<footer>Updated <span data-generated>${time(network.generatedAt, 'UTC')}</span> UTC. This page updates itself.
Also as data: <a href="/status.json">JSON</a>.</footer>`;
  return page('Charger status', body, '/status.json');
}

export function notFoundPage(): string {
  return page('Not found', '<main><h1>No such site</h1><p><a href="/status">All sites</a></p></main>', '');
}
