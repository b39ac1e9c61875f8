// Issue 17: the bulk dialog's expected end is typed on the sites' clock, like the editor's. This tab runs in New
// York; the selected points are at a London site: the field says "London time", shows New York's beside it, and the
// change sent carries 15:00 London, not 15:00 New York. Chromium against the web host and a real demo backend.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { isoToZonedInput, zonedInputToIso } from '../../renderer/src/model/windows.js';
import { expect, test } from './fixtures.js';

const SHOTS = path.resolve(process.env.VB_UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');
const ROW = { position: { x: 220, y: 12 } };

test('the bulk dialog reads the expected end on the site’s clock and names it', async ({ network, browser }) => {
  const { console, host } = await network.startConsole('supervisor');
  const net = console.core.getNetwork();
  const site = net.sites.find((s) => s.id === 'site-ctp')!;
  const tz = site.timeZone ?? 'UTC';
  expect(tz).toBe('Europe/London');
  const two = net.points.filter((p) => p.siteId === site.id && p.operator.status === 'Available').slice(0, 2);
  expect(two).toHaveLength(2);
  const day = isoToZonedInput(new Date(Date.now() + 24 * 3600_000).toISOString(), tz).slice(0, 10);

  const context = await browser.newContext({ timezoneId: 'America/New_York' });
  const page = await context.newPage();
  await page.goto(host.url);
  await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'live');
  await page.getByTestId('filter-text').fill(site.name);
  for (const p of two) await page.getByTestId(`row-${p.id}`).click({ ...ROW, modifiers: ['Control'] });
  await expect(page.getByTestId('bulk-selected-count')).toHaveAttribute('data-count', '2');
  await page.getByTestId('bulk-set-status').click();
  const dialog = page.getByTestId('bulk-dialog');
  await dialog.getByTestId('bulk-status-Maintenance').click();
  await expect(dialog.locator('label[for="bulk-until"]')).toContainText('London time');
  await dialog.getByTestId('bulk-until').fill(`${day}T15:00`);
  // London in winter is UTC; New York five hours behind.
  await expect(dialog.getByTestId('bulk-until-echo')).toContainText('10:00 your time');
  await dialog.getByTestId('bulk-reason').fill('Resurfacing');
  mkdirSync(SHOTS, { recursive: true });
  await dialog.screenshot({ path: path.join(SHOTS, 'planned-bulk-site-clock.png') });
  await dialog.getByTestId('bulk-confirm').click();
  await expect(page.getByTestId('bulk-results')).toBeVisible();
  const expected = zonedInputToIso(`${day}T15:00`, tz);
  for (const p of two) {
    await expect
      .poll(() => console.core.getNetwork().points.find((x) => x.id === p.id)?.operator.until ?? null)
      .toBe(expected);
  }
  await context.close();
});
