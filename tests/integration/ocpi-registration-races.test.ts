// The credentials handshake when answers come late or twice, on a real backend and a real eMSP over HTTP on loopback
// whose answers the test holds back: an admin's remove made while the partner's answer is on its way stays a remove;
// a second registration with the same partner while the first is still on its way is refused; and a partner that
// sends its POST twice with the same token A gets one token C that works, the other request refused; and the whole
// handshake ends by one deadline (the console waits 30 s for an answer), not after each request's own 10 s.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { invitePartner, publishSite, registerPartner, removePartner } from '../../backend/ocpi/admin.js';
import { saveParty } from '../../backend/ocpi/settings.js';
import { startTestBackend, type TestBackend } from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';

const PARTY = { countryCode: 'GB', partyId: 'VBD', name: 'Voltboard', publicUrl: null };
const S1 = { country: 'GBR', latitude: '51.50142', longitude: '-0.14189', postalCode: null };
const token = (t: string) => `Token ${Buffer.from(t).toString('base64')}`;
const envelope = (data: unknown, status_code = 1000) =>
  JSON.stringify({ data, status_code, timestamp: new Date().toISOString() });

/** An eMSP whose answers wait while `held` is set: the credentials POST, and (as a caller registering with us) its
 * versions and details, which our backend reads during the partner's own POST. */
class HeldEmsp {
  held = true;
  /** Requests waiting for release(), by path. */
  readonly waiting: { path: string; go: () => void }[] = [];
  /** The tokens B the CPO sent in its credentials POSTs. */
  readonly tokensB: string[] = [];
  readonly tokenA = randomBytes(16).toString('base64url');
  private server!: Server;
  url = '';

  get versionsUrl(): string {
    return `${this.url}/emsp/versions`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  release(): void {
    this.held = false;
    for (const w of this.waiting.splice(0)) w.go();
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const path = new URL(req.url ?? '/', this.url).pathname;
    const answer = (data: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(envelope(data));
    };
    if (this.held) await new Promise<void>((go) => this.waiting.push({ path, go }));
    if (path === '/emsp/versions') return answer([{ version: '2.2.1', url: `${this.url}/emsp/2.2.1` }]);
    if (path === '/emsp/2.2.1')
      return answer({
        version: '2.2.1',
        endpoints: [
          { identifier: 'credentials', role: 'SENDER', url: `${this.url}/emsp/2.2.1/credentials` },
          { identifier: 'locations', role: 'RECEIVER', url: `${this.url}/emsp/2.2.1/locations` },
        ],
      });
    if (path === '/emsp/2.2.1/credentials' && req.method === 'POST') {
      this.tokensB.push((JSON.parse(body) as { token: string }).token);
      return answer(this.credentials(randomBytes(16).toString('base64url')));
    }
    res.writeHead(404).end(envelope(undefined, 2000));
  }

  credentials(tokenB: string) {
    return {
      token: tokenB,
      url: this.versionsUrl,
      roles: [{ role: 'EMSP', party_id: 'EMP', country_code: 'DE', business_details: { name: 'Held eMSP' } }],
    };
  }
}

describe('OCPI credentials handshake: late and repeated answers', () => {
  let b: TestBackend;
  let emsp: HeldEmsp;
  const register = (deadlineMs?: number) =>
    registerPartner(b.ocpi.repo, {
      name: 'Held eMSP',
      versionsUrl: emsp.versionsUrl,
      tokenA: emsp.tokenA,
      backendUrl: b.url,
      guard: b.ocpi.urlGuard,
      at: () => new Date().toISOString(),
      deadlineMs,
    });

  beforeEach(async () => {
    emsp = new HeldEmsp();
    await emsp.start();
    b = await startTestBackend({ ocpi: { allowPrivatePartnerUrls: true } });
    saveParty(b.ocpi.repo, PARTY);
    publishSite(b.store, b.ocpi.repo, 'S1', S1, new Date().toISOString());
  });

  afterEach(async () => {
    await emsp.stop();
    await b.dispose();
  });

  it('a partner an admin removed while its answer to our POST was on its way stays removed; token B opens nothing', async () => {
    const registering = register();
    const held = () => emsp.waiting.find((w) => w.path === '/emsp/2.2.1/credentials');
    // versions and details first, then our credentials POST, held.
    for (const path of ['/emsp/versions', '/emsp/2.2.1']) {
      const w = await waitFor(`the ${path} request`, () => emsp.waiting.find((x) => x.path === path));
      emsp.waiting.splice(emsp.waiting.indexOf(w), 1);
      w.go();
    }
    await waitFor('our credentials POST, held', held);
    const partner = b.ocpi.repo.partners().find((p) => p.state === 'registering');
    assert.ok(partner, 'the partner is registering while its answer is awaited');
    removePartner(b.ocpi.repo, partner.id);

    emsp.release();
    await assert.rejects(registering, /removed while we registered/);
    assert.equal(b.ocpi.repo.partner(partner.id)?.state, 'removed');
    assert.equal(b.ocpi.repo.partners().length, 0);
    const [tokenB] = emsp.tokensB;
    assert.ok(tokenB);
    const res = await fetch(`${b.url}/ocpi/2.2.1/locations`, { headers: { authorization: token(tokenB) } });
    assert.equal(res.status, 401, 'token B opens nothing once removed');
  });

  it('a second registration with the same partner while the first is on its way is refused', async () => {
    const first = register();
    await waitFor('the first registration to reach the partner', () => emsp.waiting.length > 0);
    // The first waits on the partner; release only the reads so it gets as far as its held credentials POST.
    const step = async (path: string) => {
      const w = await waitFor(`the ${path} request`, () => emsp.waiting.find((x) => x.path === path));
      emsp.waiting.splice(emsp.waiting.indexOf(w), 1);
      w.go();
    };
    await step('/emsp/versions');
    await step('/emsp/2.2.1');
    await waitFor('the first credentials POST', () => emsp.waiting.find((w) => w.path === '/emsp/2.2.1/credentials'));

    const second = register();
    await step('/emsp/versions');
    await step('/emsp/2.2.1');
    await assert.rejects(second, /already registering at that versions URL/);
    assert.equal(emsp.tokensB.length, 0, 'the second never posted credentials');

    emsp.release();
    assert.equal((await first).state, 'registered');
    assert.equal(b.ocpi.repo.partners().length, 1);
    await assert.rejects(register(), /already registered at that versions URL/);
  });

  it("the whole handshake ends by its deadline, not after each request's own timeout; nothing is left behind", async () => {
    const started = Date.now();
    const registering = register(300);
    const w = await waitFor('the versions request', () => emsp.waiting.find((x) => x.path === '/emsp/versions'));
    emsp.waiting.splice(emsp.waiting.indexOf(w), 1);
    w.go();
    // The details request is held: only the deadline ends it (a request alone would wait 10 s).
    await assert.rejects(registering, /no answer in time|in time/);
    const tookMs = Date.now() - started;
    assert.ok(tookMs < 5_000, `gave up after ${tookMs} ms, by the 300 ms deadline, not a request's 10 s timeout`);
    assert.equal(b.ocpi.repo.partners().length, 0);
  });

  it('a partner that POSTs its credentials twice with one token A gets one working token C; the other is refused', async () => {
    const { tokenA } = invitePartner(b.ocpi.repo, 'Held eMSP', new Date().toISOString());
    const post = (tokenB: string) =>
      fetch(`${b.url}/ocpi/2.2.1/credentials`, {
        method: 'POST',
        headers: { authorization: token(tokenA), 'content-type': 'application/json' },
        body: JSON.stringify(emsp.credentials(tokenB)),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));
    const answers = Promise.all([post('first-token-b'), post('second-token-b')]);
    // Both requests are in: our backend is reading the partner's versions for each.
    await waitFor('both reads of the partner', () => emsp.waiting.length === 2);
    emsp.release();
    const [a, c] = await answers;

    const ok = [a, c].filter((r) => r.body.status_code === 1000);
    assert.equal(ok.length, 1, JSON.stringify([a.body, c.body]));
    const refused = [a, c].find((r) => r.body.status_code !== 1000)!;
    assert.equal(refused.status, 400);
    assert.equal(refused.body.status_code, 2000);
    assert.match(refused.body.status_message, /spent or revoked/);
    const tokenC = ok[0]!.body.data.token as string;
    const res = await fetch(`${b.url}/ocpi/2.2.1/locations`, { headers: { authorization: token(tokenC) } });
    assert.equal(res.status, 200, 'the token C the partner was answered with opens our Locations');
    assert.equal(b.ocpi.repo.partners().filter((p) => p.state === 'registered').length, 1);
  });
});
