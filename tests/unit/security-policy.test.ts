// Pure security policies, checked without a network: which backend URLs the console may use, sign-in slow-down,
// the settings the renderer may not change, and the Electron handlers (navigation, new windows, webviews,
// permissions, IPC senders) against stand-ins for Electron's objects (Electron cannot be downloaded here; the
// Electron end-to-end tests check the real window where the binary exists).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consoleMethods, DEFAULT_SETTINGS } from '../../common/consoleApi.js';
import { LoginLimiter } from '../../backend/loginLimiter.js';
import { backendUrlProblem, isLoopbackHost } from '../../electron/core/sync/transportPolicy.js';
import {
  installContentsPolicy,
  installSessionPolicy,
  isTrustedSender,
  type ContentsLike,
  type SessionLike,
} from '../../electron/shell/policy.js';

describe('backend URL policy', () => {
  it('loopback is 127.0.0.0/8, ::1 and localhost only', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '[::1]', '::1', 'app.localhost'])
      assert.equal(isLoopbackHost(h), true, h);
    for (const h of [
      '128.0.0.1',
      '10.0.0.1',
      '192.168.1.2',
      'example.com',
      'localhost.example.com',
      '127.0.0.1.nip.io',
      '[::2]',
      '0.0.0.0',
      '127.0.0.256',
    ])
      assert.equal(isLoopbackHost(h), false, h);
  });

  it('https/wss anywhere; http/ws only on loopback unless allowed; anything else never', () => {
    assert.equal(backendUrlProblem('https://backend.example.com', false), null);
    assert.equal(backendUrlProblem('wss://backend.example.com', false), null);
    assert.equal(backendUrlProblem('http://127.0.0.1:7070', false), null);
    assert.equal(backendUrlProblem('http://localhost:7070', false), null);
    assert.equal(backendUrlProblem('http://[::1]:7070', false), null);
    assert.match(
      backendUrlProblem('http://backend.example.com', false) ?? '',
      /Refusing an unencrypted connection to backend\.example\.com/,
    );
    assert.match(backendUrlProblem('ws://10.0.0.5:7070', false) ?? '', /Refusing/);
    assert.equal(backendUrlProblem('http://backend.example.com', true), null);
    assert.match(backendUrlProblem('file:///etc/passwd', true) ?? '', /must start with https/);
    assert.match(backendUrlProblem('not a url', true) ?? '', /not a URL/);
  });
});

describe('sign-in slow-down', () => {
  it('locks a username after its failures, doubling up to the cap; a success clears it; other names are not affected', () => {
    let now = 0;
    const l = new LoginLimiter({ perUser: 3, perAddress: 100, baseLockMs: 1000, maxLockMs: 4000 }, () => now);
    for (let i = 0; i < 2; i++) l.failed('ann', '1.1.1.1');
    assert.equal(l.retryAfterMs('ann', '1.1.1.1'), 0);
    l.failed('ann', '1.1.1.1');
    assert.equal(l.retryAfterMs('ann', '1.1.1.1'), 1000);
    assert.equal(l.retryAfterMs('ANN', '2.2.2.2'), 1000, 'per name, whatever the case and address');
    assert.equal(l.retryAfterMs('bob', '1.1.1.1'), 0);
    now += 1000;
    l.failed('ann', '1.1.1.1');
    assert.equal(l.retryAfterMs('ann', '1.1.1.1'), 2000);
    for (let i = 0; i < 5; i++) l.failed('ann', '1.1.1.1');
    assert.equal(l.retryAfterMs('ann', '1.1.1.1'), 4000, 'capped');
    now += 4000;
    l.succeeded('ann');
    assert.equal(l.retryAfterMs('ann', '1.1.1.1'), 0);
  });

  it('locks an address that tries many names', () => {
    const l = new LoginLimiter({ perUser: 100, perAddress: 5, baseLockMs: 500 }, () => 0);
    for (let i = 0; i < 5; i++) l.failed(`user${i}`, '9.9.9.9');
    assert.equal(l.retryAfterMs('someone-else', '9.9.9.9'), 500);
    assert.equal(l.retryAfterMs('someone-else', '8.8.8.8'), 0);
  });
});

describe('settings the renderer may not change', () => {
  it('allowInsecureBackend is off by default and refused by updateSettings', () => {
    assert.equal(DEFAULT_SETTINGS.allowInsecureBackend, false);
    assert.equal(consoleMethods.updateSettings.params.safeParse({ allowInsecureBackend: true }).success, false);
    assert.equal(consoleMethods.updateSettings.params.safeParse({ theme: 'dark' }).success, true);
  });
});

describe('Electron handlers', () => {
  function fakeContents() {
    const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | null = null;
    const contents = {
      on(name: string, fn: (event: { preventDefault(): void }, url?: string) => void) {
        listeners.set(name, fn);
        return contents;
      },
      setWindowOpenHandler(fn: (d: { url: string }) => { action: string }) {
        openHandler = fn;
      },
    };
    installContentsPolicy(contents as unknown as ContentsLike);
    const fire = (name: string, url?: string) => {
      let prevented = false;
      listeners.get(name)!({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    return { fire, open: (url: string) => openHandler!({ url }) };
  }

  it('navigation and redirects leave app://voltboard never; webviews and new windows are refused', () => {
    const c = fakeContents();
    assert.equal(c.fire('will-navigate', 'app://voltboard/index.html'), false);
    assert.equal(c.fire('will-navigate', 'https://evil.example/'), true);
    assert.equal(c.fire('will-navigate', 'file:///etc/passwd'), true);
    assert.equal(c.fire('will-redirect', 'http://127.0.0.1:9/'), true);
    assert.equal(c.fire('will-attach-webview'), true);
    assert.deepEqual(c.open('https://evil.example/'), { action: 'deny' });
    assert.deepEqual(c.open('app://voltboard/index.html'), { action: 'deny' });
  });

  it('every permission request and check is denied', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | null = null;
    let check: (() => boolean) | null = null;
    const session: SessionLike = {
      setPermissionRequestHandler: (fn) => (request = fn),
      setPermissionCheckHandler: (fn) => (check = fn as () => boolean),
    };
    installSessionPolicy(session);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | null = null;
      request!(null, p, (g) => (granted = g));
      assert.equal(granted, false, p);
    }
    assert.equal(check!(), false);
  });

  it('IPC only from the main frame of our own window', () => {
    const main = { url: 'app://voltboard/index.html' };
    assert.equal(isTrustedSender(main, main), true);
    assert.equal(isTrustedSender({ url: 'app://voltboard/index.html' }, main), false, 'a subframe, even on our URL');
    const navigated = { url: 'https://evil.example/' };
    assert.equal(isTrustedSender(navigated, navigated), false);
    assert.equal(isTrustedSender(null, main), false);
    assert.equal(isTrustedSender(main, null), false);
  });
});
