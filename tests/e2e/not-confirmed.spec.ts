// Issue 14 in Chromium: a real OCPP-J station that takes a change and never shows it applied ends "Not confirmed" in
// the grid, the toolbar and the drawer, and a person re-sends it; a station that stops answering is shown Silent, as
// the backend says. Short waits make the backend's checks happen within seconds.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { connectStation, type TestStation } from '../support/backendHarness.js';
import { expect, pickPoint, test } from './fixtures.js';

// The docs' screenshots are refreshed with VB_UPDATE_SCREENSHOTS=1; otherwise they go with the test results.
const SHOTS = path.resolve(process.env.VB_UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');
// The light-theme variants are for checking by eye; the docs show the dark ones.
const CHECK_SHOTS = path.resolve('test-results/screenshots');

test.use({
  backendOptions: {
    acceptUnknownStations: true,
    // Accepted and no fresh report for 1 s: the station is asked (TriggerMessage); 1 s more without one: not confirmed.
    deliveryWaits: { confirmAfterMs: 1000, triggerAnswerMs: 1000 },
    // Nothing heard for 4 s: Silent (pings every 1.5 s; the demo's stations answer them).
    liveness: { pingIntervalMs: 1500, silentAfterMs: 4000, offlineAfterMs: 10 * 60_000 },
  },
});

const stations: TestStation[] = [];
test.afterEach(async () => {
  for (const s of stations.splice(0)) await s.close().catch(() => undefined);
});

async function online(ocppUrl: string, id: string, opts: { answerPings?: boolean } = {}): Promise<TestStation> {
  const station = await connectStation(ocppUrl, id, 'ocpp1.6', opts);
  stations.push(station);
  await station.boot();
  await station.status(1, 'Available');
  return station;
}

/** The banner, toolbar and the rows down to `lastRow`, in the current theme (toasts dismissed). */
async function shootGrid(page: Page, file: string, lastRow: string) {
  for (const close of await page.locator('.toast button').all()) await close.click().catch(() => undefined);
  await expect(page.locator('.toast')).toHaveCount(0);
  const box = (await page.getByTestId(lastRow).boundingBox())!;
  await page.screenshot({ path: file, clip: { x: 0, y: 0, width: 1440, height: Math.ceil(box.y + box.height + 12) } });
}

async function setTheme(page: Page, theme: 'light' | 'dark') {
  const toggle = page.getByTestId('theme-toggle');
  if ((await page.locator('html').getAttribute('data-theme')) !== theme) await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

async function setOutOfService(page: Page, pointId: string, reason: string) {
  await page.getByTestId(`row-${pointId}`).click();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('editor')).toBeVisible();
  await page.getByTestId('editor-status-OutOfService').click();
  await page.getByTestId('editor-reason').fill(reason);
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId('editor')).toBeHidden();
}

test('a station that ignores a change: "Not confirmed" in the grid, the toolbar and the drawer; re-sent, then confirmed', async ({
  network,
}) => {
  const ignores = await online(network.backend.ocppUrl, 'E2E-IGNORES');
  // Answers ChangeAvailability Accepted and TriggerMessage Accepted, and never reports.
  ignores.trigger = 'acceptSilently';
  const silent = await online(network.backend.ocppUrl, 'E2E-SILENT', { answerPings: false });
  const pointId = 'E2E-IGNORES-1';

  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  await page.getByTestId('filter-text').fill('E2E-');
  const row = page.getByTestId(`row-${pointId}`);
  await expect(row).toHaveAttribute('data-shown-status', 'Available');

  // The station that answers nothing (not even pings) is Silent because the backend says so.
  const silentRow = page.getByTestId('row-E2E-SILENT-1');
  await expect(silentRow.locator('.col-connectivity')).toContainText(/Silent\s*since \d\d:\d\d/, { timeout: 15_000 });
  await expect(row.locator('.col-connectivity')).toContainText('Online');
  void silent;

  await setOutOfService(page, pointId, 'Card reader broken');
  await expect(row).toHaveAttribute('data-delivery', 'notConfirmed', { timeout: 15_000 });
  await expect(row).toContainText('Not confirmed');
  await expect(row.locator('.delivery')).toHaveAttribute('title', /Not confirmed by the station/);
  expect(ignores.triggers.length, 'the backend asked the station first').toBeGreaterThan(0);
  // Counted in the toolbar; the count filters the grid to those points.
  const count = page.getByTestId('delivery-count-notConfirmed');
  await expect(count).toHaveAttribute('data-count', '1');
  await page.getByTestId('filter-text').fill('');
  await count.click();
  await expect(page.locator('[data-testid^="row-"]')).toHaveCount(1);
  await expect(row).toBeVisible();
  await count.click();
  await page.getByTestId('filter-text').fill('E2E-');
  await expect(silentRow).toBeVisible();
  await setTheme(page, 'dark');
  await shootGrid(page, path.join(SHOTS, 'not-confirmed.png'), 'row-E2E-SILENT-1');
  await setTheme(page, 'light');
  await shootGrid(page, path.join(CHECK_SHOTS, 'not-confirmed-light.png'), 'row-E2E-SILENT-1');

  await row.click();
  await page.keyboard.press('i');
  const drawer = page.getByTestId('drawer');
  await expect(drawer.getByTestId('delivery-timeline')).toHaveAttribute('data-delivery', 'notConfirmed');
  await expect(drawer.getByTestId('delivery-timeline')).toContainText('Not confirmed by the station');
  await expect(drawer.getByTestId('delivery-resend')).toBeEnabled();
  await expect(drawer.getByTestId('delivery-withdraw')).toBeEnabled();
  await expect(drawer.getByTestId('drawer-liveness')).toContainText(/Online · last heard/);
  await drawer.screenshot({ path: path.join(CHECK_SHOTS, 'delivery-actions-light.png') });
  await setTheme(page, 'dark');
  await drawer.screenshot({ path: path.join(SHOTS, 'delivery-actions.png') });

  // Withdraw asks first; Esc keeps the change.
  await drawer.getByTestId('delivery-withdraw').click();
  await expect(drawer.getByTestId('withdraw-confirm')).toContainText('Withdraw the change to Out of Service?');
  await page.keyboard.press('Escape');
  await expect(drawer.getByTestId('withdraw-confirm')).toBeHidden();
  await expect(drawer).toBeVisible();

  // This time the station reports the change when it is sent again (a 1.6 station reports before it replies).
  ignores.beforeAnswer = async () => {
    await ignores.status(1, 'Unavailable');
  };
  await drawer.getByTestId('delivery-resend').click();
  await expect(drawer.getByTestId('delivery-action-result')).toHaveAttribute('data-result', 'resent');
  await expect(row).toHaveAttribute('data-delivery', 'confirmed', { timeout: 15_000 });
  await expect(row).toHaveAttribute('data-shown-status', 'OutOfService');
  await expect(drawer.getByTestId('delivery-timeline')).toHaveAttribute('data-delivery', 'confirmed');
  await expect(count).toHaveAttribute('data-count', '0');
});

test('a viewer sees why re-send and withdraw are not offered to them', async ({ network }) => {
  const ignores = await online(network.backend.ocppUrl, 'E2E-IGNORES');
  ignores.trigger = 'acceptSilently';
  const pointId = 'E2E-IGNORES-1';
  const operator = await network.startConsole('operator');
  const viewer = await network.startConsole('viewer');
  const opPage = await network.openTab(operator.host);
  await opPage.getByTestId('filter-text').fill('E2E-IGNORES');
  await setOutOfService(opPage, pointId, 'Cable damaged');

  const page = await network.openTab(viewer.host);
  await page.getByTestId('filter-text').fill('E2E-IGNORES');
  const row = page.getByTestId(`row-${pointId}`);
  await expect(row).toHaveAttribute('data-delivery', 'notConfirmed', { timeout: 15_000 });
  await row.click();
  await page.keyboard.press('i');
  const drawer = page.getByTestId('drawer');
  await expect(drawer.getByTestId('delivery-resend')).toBeDisabled();
  await expect(drawer.getByTestId('delivery-actions-why')).toContainText('viewer');
});

test('withdraw asks first, then takes the stuck change back', async ({ network }) => {
  const ignores = await online(network.backend.ocppUrl, 'E2E-IGNORES');
  ignores.trigger = 'acceptSilently';
  const pointId = 'E2E-IGNORES-1';
  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  await page.getByTestId('filter-text').fill('E2E-IGNORES');
  const row = page.getByTestId(`row-${pointId}`);
  await setOutOfService(page, pointId, 'Wrong point');
  await expect(row).toHaveAttribute('data-delivery', 'notConfirmed', { timeout: 15_000 });
  await row.click();
  await page.keyboard.press('i');
  const drawer = page.getByTestId('drawer');
  await drawer.getByTestId('delivery-withdraw').click();
  const confirm = drawer.getByTestId('withdraw-confirm');
  await expect(confirm).toContainText('Withdraw the change to Out of Service?');
  await expect(confirm.getByTestId('withdraw-confirm-no')).toBeFocused();
  await confirm.getByTestId('withdraw-confirm-yes').click();
  await expect(drawer.getByTestId('delivery-action-result')).toHaveAttribute('data-result', 'withdrawn');
  await expect(row).toHaveAttribute('data-shown-status', 'Available');
  // The operator status is Available again, the backend's reason says why.
  await expect(row.locator('.col-operator')).toContainText(/^Available\s*Withdrawn/);
});

test('a change back to Available never shows a bare "Unavailable" on its way (no flicker)', async ({ network }) => {
  const { console, host } = await network.startConsole('operator');
  const point = pickPoint(
    console,
    (p) => p.stationConnected && p.reported.status === 'Available' && p.operator.status === 'Available',
  );
  const page = await network.openTab(host);
  await page.getByTestId('filter-text').fill(point.stationId);
  const row = page.getByTestId(`row-${point.id}`);
  await setOutOfService(page, point.id, 'Cleaning');
  await expect(row).toHaveAttribute('data-delivery', 'confirmed');
  await expect(row.locator('.col-reported')).toContainText('Unavailable');

  // Every shown status the row takes, frame or not, from here on.
  await row.evaluate((el) => {
    const seen: string[] = [];
    (window as unknown as { seenShown: string[] }).seenShown = seen;
    new MutationObserver(() => seen.push(el.getAttribute('data-shown-status') ?? '')).observe(el, {
      attributeFilter: ['data-shown-status'],
    });
  });
  await row.click();
  await page.keyboard.press('Enter');
  await page.getByTestId('editor-status-Available').click();
  await page.getByTestId('editor-save').click();
  await expect(row).toHaveAttribute('data-delivery', 'confirmed');
  await expect(row.locator('.col-reported')).toContainText('Available');
  const seen = await page.evaluate(() => (window as unknown as { seenShown: string[] }).seenShown);
  expect(seen).toContain('Available');
  expect(seen).not.toContain('Unavailable');
});

test('a change back to Available is shown on its way until the station shows it, then what the station says', async ({
  network,
}) => {
  const station = await online(network.backend.ocppUrl, 'E2E-IGNORES');
  const pointId = 'E2E-IGNORES-1';
  // The Out of Service is applied and reported (as a 1.6 station does, before it replies).
  station.beforeAnswer = async () => station.status(1, 'Unavailable');
  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  await page.getByTestId('filter-text').fill('E2E-IGNORES');
  const row = page.getByTestId(`row-${pointId}`);
  await setOutOfService(page, pointId, 'Cleaning');
  await expect(row).toHaveAttribute('data-delivery', 'confirmed');

  // Back to Available: the station takes it and stays silent.
  station.beforeAnswer = null;
  station.trigger = 'acceptSilently';
  await row.click();
  await page.keyboard.press('Enter');
  await page.getByTestId('editor-status-Available').click();
  await page.getByTestId('editor-save').click();
  await expect(row).toHaveAttribute('data-delivery', 'accepted');
  await expect(row).toHaveAttribute('data-shown-status', 'Available');
  await expect(row).toHaveAttribute('data-applying', 'Available');
  await expect(row.locator('.badge-applying')).toContainText('Available');
  await page.getByTestId('grid').screenshot({ path: path.join(CHECK_SHOTS, 'applying.png') });
  // Not confirmed: the station still says Unavailable, and that is now the news.
  await expect(row).toHaveAttribute('data-delivery', 'notConfirmed', { timeout: 15_000 });
  await expect(row).toHaveAttribute('data-shown-status', 'Unavailable');
  await expect(row).not.toHaveAttribute('data-applying', /.*/);
});
