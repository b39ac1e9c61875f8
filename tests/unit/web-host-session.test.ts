// The web host session's pure parts: the exact Origin check, the port's cookie name, the token's subprotocol, the
// single-use secret; and the page's side (renderer/src/boot/hostSession.ts) against a stand-in window.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as host from '../../electron/host/hostSession.js';
import * as page from '../../renderer/src/boot/hostSession.js';

describe('host session (host side)', () => {
  test('the Origin must be exactly http://127.0.0.1:PORT or http://localhost:PORT', () => {
    assert.ok(host.isOwnOrigin('http://127.0.0.1:5180', 5180));
    assert.ok(host.isOwnOrigin('http://localhost:5180', 5180));
    for (const bad of [
      'http://127.0.0.1:5181',
      'http://127.0.0.1',
      'http://127.0.0.1:51800',
      'https://127.0.0.1:5180',
      'http://127.0.0.1:5180/',
      'http://127.0.0.1.evil.example:5180',
      'http://user@127.0.0.1:5180',
      'http://127.0.0.2:5180',
      'null',
      '',
      undefined,
    ]) {
      assert.equal(host.isOwnOrigin(bad, 5180), false, String(bad));
    }
  });

  test('the cookie is named by port; the token is read from the offered subprotocols', () => {
    assert.equal(host.hostCookieName(5180), 'vb_host_5180');
    assert.equal(host.tokenFromProtocols('voltboard, vb-session.abc_DEF-123'), 'abc_DEF-123');
    assert.equal(host.tokenFromProtocols('voltboard'), null);
    assert.equal(host.tokenFromProtocols(undefined), null);
  });

  test("the secret is traded once; a second use is refused unless the request holds this port's cookie", () => {
    const session = new host.HostSession(() => 5180);
    assert.deepEqual(session.useSecret('wrong', undefined), { kind: 'wrong' });
    const first = session.useSecret(session.startSecret(), undefined);
    assert.equal(first.kind, 'exchanged');
    if (first.kind !== 'exchanged') return;
    assert.deepEqual(session.useSecret(session.startSecret(), undefined), { kind: 'used' });
    assert.deepEqual(
      session.useSecret(session.startSecret(), `vb_host_5181=${first.cookie}`),
      { kind: 'used' },
      "another port's cookie name",
    );
    assert.deepEqual(session.useSecret(session.startSecret(), `vb_host_5180=${first.cookie}`), { kind: 'alreadyHere' });
    const headers = { host: '127.0.0.1:5180', origin: 'http://127.0.0.1:5180', cookie: `vb_host_5180=${first.cookie}` };
    assert.equal(
      session.allowsApi({ ...headers, 'sec-websocket-protocol': `voltboard, vb-session.${first.token}` }),
      true,
    );
    assert.equal(session.allowsApi(headers), false, 'cookie without token');
    assert.equal(
      session.allowsApi({
        ...headers,
        origin: 'http://127.0.0.1:5181',
        'sec-websocket-protocol': `vb-session.${first.token}`,
      }),
      false,
    );
  });

  test('page and host agree on the protocol names', () => {
    assert.equal(page.API_PROTOCOL, host.API_PROTOCOL);
    assert.equal(page.SESSION_PROTOCOL_PREFIX, host.SESSION_PROTOCOL_PREFIX);
    assert.equal(page.SESSION_FRAGMENT_KEY, host.SESSION_FRAGMENT_KEY);
  });
});

describe('host session (page side)', () => {
  function standIn(hash: string) {
    const stored = new Map<string, string>();
    const replaced: string[] = [];
    const win = {
      location: { hash, pathname: '/', search: '' },
      history: { replaceState: (_d: unknown, _u: string, url?: string) => void replaced.push(url ?? '') },
      localStorage: {
        getItem: (k: string) => stored.get(k) ?? null,
        setItem: (k: string, v: string) => void stored.set(k, v),
      },
    };
    return { win, stored, replaced };
  }

  test("takes the token from the fragment once, keeps it in the origin's storage, clears the address bar", () => {
    page.forgetHostSession();
    const token = 'A'.repeat(43);
    const { win, stored, replaced } = standIn(`#vb-session=${token}`);
    assert.deepEqual(page.hostSocketProtocols(win), ['voltboard', `vb-session.${token}`]);
    assert.deepEqual(replaced, ['/']);
    assert.equal([...stored.values()][0], token);
    // A reload: no fragment any more, the kept token is used.
    win.location.hash = '';
    page.forgetHostSession();
    assert.equal(page.hostSessionToken(win), token);
  });

  test('no token: only the API protocol is offered (the host refuses, the page says to open the link)', () => {
    page.forgetHostSession();
    const { win } = standIn('#vb-session=<script>');
    assert.deepEqual(page.hostSocketProtocols(win), ['voltboard']);
  });
});
