// The desktop window's security settings, checked without Electron (it cannot be downloaded here); the Electron
// end-to-end tests check the running window where the binary exists.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { RENDERER_CSP, fileForAppUrl, isOwnUrl, mainWindowOptions } from '../../electron/shell/policy.js';

test('the window is sandboxed with context isolation and no Node in the page', () => {
  const { webPreferences } = mainWindowOptions('/app/preload.cjs', { width: 1200, height: 800 });
  assert.equal(webPreferences.contextIsolation, true);
  assert.equal(webPreferences.sandbox, true);
  assert.equal(webPreferences.nodeIntegration, false);
  assert.equal(webPreferences.nodeIntegrationInWorker, false);
  assert.equal(webPreferences.nodeIntegrationInSubFrames, false);
  assert.equal(webPreferences.webSecurity, true);
  assert.equal(webPreferences.allowRunningInsecureContent, false);
  assert.equal(webPreferences.webviewTag, false);
  assert.equal(webPreferences.preload, '/app/preload.cjs');
});

test('the CSP allows only our own scripts and styles, no inline code, no framing', () => {
  assert.match(RENDERER_CSP, /default-src 'self'/);
  assert.match(RENDERER_CSP, /script-src 'self'(;|$)/);
  assert.doesNotMatch(RENDERER_CSP, /unsafe-inline|unsafe-eval|\*/);
  assert.match(RENDERER_CSP, /frame-ancestors 'none'/);
  assert.match(RENDERER_CSP, /object-src 'none'/);
});

test('only app://voltboard pages are our own; navigation anywhere else is refused', () => {
  assert.equal(isOwnUrl('app://voltboard/index.html'), true);
  for (const url of [
    'https://example.com/',
    'file:///etc/passwd',
    'app://other/index.html',
    'http://127.0.0.1:5180/',
    'not a url',
  ]) {
    assert.equal(isOwnUrl(url), false, url);
  }
});

test('app:// requests map only to files inside the renderer folder', () => {
  const root = path.resolve('/srv/renderer');
  assert.equal(fileForAppUrl('app://voltboard/', root), path.join(root, 'index.html'));
  assert.equal(fileForAppUrl('app://voltboard/assets/app.js', root), path.join(root, 'assets/app.js'));
  assert.equal(fileForAppUrl('app://voltboard/..%2F..%2Fetc%2Fpasswd', root), null);
  assert.equal(fileForAppUrl('app://evil/index.html', root), null);
});
