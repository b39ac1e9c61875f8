// The public status page for drivers over real HTTP: off unless turned on; what a driver needs and nothing more (no
// reason, note or operator name); text from the store escaped; the JSON feed; a snapshot kept briefly; only GET.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  connectConsole,
  setStatus,
  smallNetwork,
  startTestBackend,
  tokenFor,
  type TestBackend,
} from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';

const HOSTILE = '<img src=x onerror="alert(1)">&"\'';

describe('public status page', () => {
  let b: TestBackend;
  let off: TestBackend;

  before(async () => {
    const network = smallNetwork();
    network.sites[0] = { ...network.sites[0], name: `Depot ${HOSTILE}` };
    network.stations[0].evses[0].label = `Bay ${HOSTILE}`;
    b = await startTestBackend({ network, publicStatus: { cacheMs: 300 } });
    off = await startTestBackend();
  });

  after(async () => {
    await b.dispose();
    await off.dispose();
  });

  it('is off unless turned on', async () => {
    assert.equal((await fetch(`${off.url}/status`)).status, 404);
    assert.equal((await fetch(`${off.url}/status/S1.json`)).status, 404);
  });

  it('shows a charger under maintenance with its expected end, without the reason, the note or who set it', async () => {
    const token = await tokenFor(b.url, 'operator');
    const c = await connectConsole(b.url, token);
    const until = '2030-01-01T12:00:00.000Z';
    const ack = await c.request('mutate', {
      mutations: [
        setStatus([{ pointId: 'ST201-1', baseVersion: 0 }], {
          status: 'Maintenance',
          reason: 'Secret reason: vandalism suspected',
          note: 'call Bob on 555-0100',
          until,
        }),
      ],
    });
    c.close();
    assert.equal(ack.ok, true, JSON.stringify(ack));
    const charger = await waitFor('the feed to show maintenance', async () => {
      const feed = (await (await fetch(`${b.url}/status/S1.json`)).json()) as {
        chargers: { id: string; status: string }[];
      };
      return feed.chargers.find((x) => x.id === 'ST201-1' && x.status === 'maintenance');
    });
    assert.deepEqual(Object.keys(charger).sort(), [
      'connectors',
      'expectedBack',
      'id',
      'label',
      'since',
      'status',
      'statusText',
    ]);
    assert.equal((charger as unknown as { expectedBack: string }).expectedBack, until);

    const res = await fetch(`${b.url}/status/S1`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(res.headers.get('cache-control') ?? '', /max-age=1/);
    const html = await res.text();
    assert.match(html, /Maintenance/);
    assert.match(html, /expected back <time datetime="2030-01-01T12:00:00.000Z">/);
    assert.match(html, /CCS2 50 kW/);
    for (const secret of ['vandalism', 'Bob', '555-0100', 'operator'])
      assert.ok(!html.includes(secret), `${secret} is not shown`);
    const json = await (await fetch(`${b.url}/status.json`)).text();
    for (const secret of ['vandalism', 'Bob', 'operator'])
      assert.ok(!json.includes(secret), `${secret} is not in the feed`);
  });

  it('escapes text from the store', async () => {
    for (const path of ['/status', '/status/S1']) {
      const html = await (await fetch(`${b.url}${path}`)).text();
      assert.ok(!html.includes('<img src=x'), `${path}: markup from the store is escaped`);
      assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&quot;&#39;'), path);
    }
  });

  it('serves one snapshot for a short while, and only GET', async () => {
    const a = (await (await fetch(`${b.url}/status.json`)).json()) as { generatedAt: string };
    const again = (await (await fetch(`${b.url}/status.json`)).json()) as { generatedAt: string };
    assert.equal(again.generatedAt, a.generatedAt, 'the same snapshot within the cache time');
    assert.equal((await fetch(`${b.url}/status`, { method: 'POST' })).status, 405);
    assert.equal((await fetch(`${b.url}/status/NOPE`)).status, 404);
    assert.equal((await fetch(`${b.url}/status/%E0%A4%A`)).status, 400);
    const css = await fetch(`${b.url}/status/style.css`);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  });
});
