// Issue 20 in Chromium through the web host: an owner's laptop that cannot reach the backend (the line to it cut by a
// real TCP proxy) still shows its sites' last computed figures in the Availability view, from the console's own
// cache, marked as such with their age; after a reload of the page too.
import { expect, test } from './fixtures.js';

test('offline, the Availability view shows the last computed figures, marked with their age', async ({ network }) => {
  const { host, line } = await network.startConsole('operator', { viaProxy: true });
  const page = await network.openTab(host);
  await page.getByTestId('open-availability').click();
  const panel = page.getByTestId('availability-panel');
  await expect(panel).toContainText('Network uptime');
  const online = await panel.locator('.availability-summary strong').textContent();
  const sites = await panel.locator('.site-rank-row').count();
  await expect(panel.getByTestId('availability-cached')).toHaveCount(0);
  await page.getByRole('button', { name: 'Close availability' }).click();

  await line!.cut();
  await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', /offline|reconnecting/);
  await page.reload();
  await expect(page.getByTestId('grid')).toBeVisible();
  await page.getByTestId('open-availability').click();
  const cached = panel.getByTestId('availability-cached');
  await expect(cached).toContainText('Offline: the last figures this console computed, just now');
  await expect(panel.locator('.availability-summary strong')).toHaveText(online!);
  await expect(panel.locator('.site-rank-row')).toHaveCount(sites);

  // A question never asked online has no figures to show: the view says the backend is needed.
  await panel.getByTestId('availability-period').selectOption('7d');
  await expect(panel).toContainText(/available when the console is online/);
});
