// The desktop shell, for real: needs the Electron binary and `npm run build && npm run native:electron`.
// On machines where Electron cannot be downloaded these are reported as skipped by `npm test`.
import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

test('the window is sandboxed, isolated and served from app://; the live demo network loads', async () => {
  const userData = mkdtempSync(path.join(os.tmpdir(), 'vb-electron-'));
  const app = await electron.launch({ args: [root, `--user-data-dir=${userData}`], cwd: root });
  try {
    const page = await app.firstWindow();
    expect(page.url()).toMatch(/^app:\/\/voltboard\//);
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const win = BrowserWindow.getAllWindows()[0];
      const p = win.webContents.getLastWebPreferences() ?? {};
      return {
        contextIsolation: p.contextIsolation,
        sandbox: p.sandbox,
        nodeIntegration: p.nodeIntegration,
        webSecurity: p.webSecurity,
      };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (window as unknown as { voltboard?: unknown }).voltboard)).toBe('object');
    await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'live', { timeout: 60_000 });

    // Navigation away and new windows are refused. The main process counts the attempts it sees: the window.open
    // request comes before the navigation on the same channel, and both are refused as they arrive, so once the
    // navigation has been seen there is nothing left to wait for.
    await app.evaluate(({ BrowserWindow }) => {
      const seen = globalThis as { navigationsSeen?: number };
      seen.navigationsSeen = 0;
      BrowserWindow.getAllWindows()[0].webContents.on('will-navigate', () => (seen.navigationsSeen! += 1));
    });
    await page.evaluate(() => window.open('https://example.com'));
    await page.evaluate(() => (location.href = 'https://example.com'));
    await expect.poll(() => app.evaluate(() => (globalThis as { navigationsSeen?: number }).navigationsSeen)).toBe(1);
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toMatch(/^app:\/\/voltboard\//);

    // Permission requests are denied.
    const permission = await page.evaluate(() => Notification.requestPermission());
    expect(permission).toBe('denied');
  } finally {
    await app.close();
  }
});

test('only one instance runs at a time', async () => {
  const userData = mkdtempSync(path.join(os.tmpdir(), 'vb-electron-'));
  const first = await electron.launch({ args: [root, `--user-data-dir=${userData}`], cwd: root });
  try {
    await first.firstWindow();
    const second = await electron.launch({ args: [root, `--user-data-dir=${userData}`], cwd: root }).catch(() => null);
    if (second) {
      await expect.poll(() => second.process().exitCode, { timeout: 15_000 }).not.toBeNull();
    }
  } finally {
    await first.close();
  }
});
