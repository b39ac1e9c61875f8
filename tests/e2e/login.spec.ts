// Signing in, in Chromium against the web host and a real backend: the sign-in screen of a console that is not
// signed in, a generic error for a wrong password, dropping to read-only when the backend disables the user (and
// back after signing in again), and the embedded demo that signs in by itself and says so.
import type { Browser, Page } from '@playwright/test';
import { launchCore } from '../../electron/core/launch.js';
import { startEmbeddedDemo } from '../../electron/demo/embeddedDemo.js';
import { confSettings } from '../../electron/core/settings.js';
import { rendererDir } from '../../electron/host/rendererBuild.js';
import { startWebHost } from '../../electron/host/webHost.js';
import { openConsole, userOf } from '../support/consoles.js';
import { tempDir } from '../support/tempDir.js';
import { expect, test } from './fixtures.js';

async function openPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

test('a console that is not signed in shows the sign-in screen; a wrong password gets the generic error; then live', async ({
  network,
  browser,
}) => {
  const console = openConsole(network.backend.url, null, tempDir('e2e-login').path);
  const host = await startWebHost({ core: console.core, rendererDir, port: 0 });
  try {
    const page = await openPage(browser, host.url);
    const banner = page.getByTestId('connection-banner');
    await expect(banner).toHaveAttribute('data-state', 'signedOut');
    await expect(banner).toContainText('read-only');
    const dialog = page.getByRole('dialog', { name: 'Sign in' });
    await expect(dialog).toBeVisible();

    const operator = userOf(network.backend, 'operator');
    await dialog.getByLabel('User name').fill(operator.username);
    await dialog.getByLabel('Password').fill('not-the-password');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('sign-in-error')).toHaveText('invalid username or password');

    await dialog.getByLabel('Password').fill(operator.password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect(dialog).toBeHidden();
    await expect(banner).toHaveAttribute('data-state', 'live');
    await expect(banner).toContainText(operator.username);
    await expect(page.getByTestId('grid')).toBeVisible();
    await page.context().close();
  } finally {
    await host.stop();
    await console.close();
  }
});

test('a disabled user is dropped to read-only at once; signing in as someone else brings it back', async ({
  network,
  browser,
}) => {
  const { console, host } = await network.startConsole('supervisor');
  const page = await network.openTab(host, browser);
  const banner = page.getByTestId('connection-banner');
  const supervisor = userOf(network.backend, 'supervisor');
  network.backend.store.users.disable(supervisor.username);

  await expect(banner).toHaveAttribute('data-state', 'signedOut', { timeout: 10_000 });
  await expect(banner).toContainText('Signed out · read-only');
  const dialog = page.getByRole('dialog', { name: 'Sign in' });
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('sign-in-reason')).toContainText('account disabled');
  await expect(page.getByTestId('grid')).toBeVisible();

  // Stay read-only: an edit is refused by the core, with the reason.
  await dialog.getByRole('button', { name: 'Stay read-only' }).click();
  await expect(dialog).toBeHidden();
  const point = console.core.getNetwork().points.find((p) => p.stationConnected)!;
  await page.getByTestId('filter-text').fill(point.stationId);
  await page.getByTestId(`row-${point.id}`).click();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('editor')).toBeVisible();
  await page.getByTestId('editor-status-OutOfService').click();
  await page.getByTestId('editor-reason').fill('Should not go through');
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId('editor')).toContainText('read-only');
  await page.keyboard.press('Escape');

  await page.getByTestId('sign-in').click();
  const operator = userOf(network.backend, 'operator');
  await dialog.getByLabel('User name').fill(operator.username);
  await dialog.getByLabel('Password').fill(operator.password);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await expect(banner).toHaveAttribute('data-state', 'live');
  await expect(banner).toContainText(operator.username);
  network.backend.store.users.enable(supervisor.username);
});

test('the embedded demo signs in by itself and says so; no sign-in screen', async ({ browser }) => {
  const dataDir = tempDir('e2e-demo').path;
  const launched = await launchCore({
    dataDir,
    backendUrl: null,
    settings: confSettings(dataDir),
    startDemo: startEmbeddedDemo,
  });
  const host = await startWebHost({ core: launched.core, rendererDir, port: 0 });
  try {
    const page = await openPage(browser, host.url);
    const banner = page.getByTestId('connection-banner');
    await expect(banner).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
    await expect(page.getByTestId('demo-badge')).toHaveText('Demo network · signed in as the demo operator');
    await expect(page.getByRole('dialog', { name: 'Sign in' })).toHaveCount(0);
    await page.context().close();
  } finally {
    await host.stop();
    await launched.stop();
  }
});
