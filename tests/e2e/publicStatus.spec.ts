// Issue 19's public page, in Chromium on a phone-sized screen: a driver watching a demo site sees a change made in the
// console appear without reloading, in words, colour and icon, and never the reason the operator typed.
import { expect, pickPoint, test } from './fixtures.js';

test.use({ backendOptions: { publicStatus: { pollMs: 500, cacheMs: 200 } } });

test('a driver on a phone sees a change made in the console, without its reason', async ({ network, browser }) => {
  const { console, host } = await network.startConsole('operator');
  const point = pickPoint(
    console,
    (p) => p.stationConnected && p.reported.status === 'Available' && p.operator.status === 'Available',
  );

  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const driver = await phone.newPage();
  const errors: string[] = [];
  driver.on('pageerror', (e) => errors.push(e.message));
  driver.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await driver.goto(`${network.backend.url}/status/${point.siteId}`);
  const charger = driver.locator(`li[data-id="${point.id}"]`);
  await expect(charger).toHaveClass(/s-available/);
  await expect(charger).toContainText('Available');
  await expect(driver.getByRole('list', { name: 'Chargers' })).toBeVisible();

  const page = await network.openTab(host);
  await page.getByTestId('filter-text').fill(point.stationId);
  await page.getByTestId(`row-${point.id}`).click();
  await page.keyboard.press('Enter');
  await page.getByTestId('editor-status-Maintenance').click();
  await page.getByTestId('editor-reason').fill('Cable chewed by a fox, Joe on site');
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId(`row-${point.id}`)).toHaveAttribute('data-shown-status', 'Maintenance');

  // No reload: the page reads its feed again on its own.
  await expect(charger).toHaveClass(/s-maintenance/);
  await expect(charger.locator('.word')).toHaveText('Maintenance');
  await expect(charger).toContainText('since');
  await expect(driver.locator('body')).not.toContainText('fox');
  await expect(driver.locator('body')).not.toContainText('Joe');
  const width = await driver.evaluate(() => document.documentElement.scrollWidth);
  expect(width, 'no sideways scrolling on a phone').toBeLessThanOrEqual(390);
  await charger.scrollIntoViewIfNeeded();
  await driver.screenshot({ path: 'docs/screenshots/public-status-phone.png' });
  await driver.goto(`${network.backend.url}/status`);
  await driver.screenshot({ path: 'docs/screenshots/public-status-sites.png' });
  expect(errors).toEqual([]);
  await phone.close();
});
