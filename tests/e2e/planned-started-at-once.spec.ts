// Issue 17: "if its start has passed when it reaches the backend, the backend applies it at once and says so". A
// window planned while the line to the backend is cut is kept on this computer; its start passes before the line is
// back; when it gets through the backend starts it at once, and the Planned panel says so in a notice that stays
// until the person dismisses it, with a way to the window itself. Chromium against the web host and a real demo
// backend, whose scheduler runs on the real clock: the start passing is real time, a few seconds.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { isoToZonedInput } from '../../renderer/src/model/windows.js';
import { expect, test } from './fixtures.js';

const SHOTS = path.resolve(process.env.VB_UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');
/** The top bar with its badge: for looking at, never the docs' screenshots. */
const BANNER_SHOTS = path.resolve('test-results/screenshots');
const ROW = { position: { x: 220, y: 12 } };

test('a window planned offline whose start passes before the line is back: started at once, and the panel says so until dismissed', async ({
  network,
}) => {
  const { console, host, line } = await network.startConsole('operator', { viaProxy: true });
  const net = console.core.getNetwork();
  const site = net.sites.find((s) => s.id === 'site-ctp')!;
  const tz = site.timeZone ?? 'UTC';
  const point = net.points.find(
    (p) => p.siteId === site.id && p.stationConnected && p.operator.status === 'Available',
  )!;
  const page = await network.openTab(host);
  await page.setViewportSize({ width: 1500, height: 900 });
  if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== 'light')
    await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const plannedButton = page.getByTestId('open-planned');
  const attention = plannedButton.getByTestId('planned-attention');
  await expect(attention).toHaveCount(0);
  await page.getByTestId('filter-text').fill(point.stationId);
  await expect(page.getByTestId(`row-${point.id}`)).toBeVisible();

  await line!.cut();
  await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', /offline|reconnecting/);
  await page.getByTestId(`row-${point.id}`).click(ROW);
  await page.keyboard.press('i');
  await page.getByTestId('drawer-plan-window').click();
  const form = page.getByTestId('plan-window-dialog');
  // A start a few seconds away (to the second, on the site's clock), an hour long.
  const startMs = Math.floor((Date.now() + 4_000) / 1000) * 1000;
  await form.getByTestId('plan-start').fill(isoToZonedInput(new Date(startMs).toISOString(), tz, true));
  await form.getByTestId('plan-end').fill(isoToZonedInput(new Date(startMs + 3600_000).toISOString(), tz, true));
  await form.getByTestId('plan-reason').fill('Firmware update');
  await form.getByTestId('plan-submit').click();
  await expect(form.getByTestId('plan-result')).toHaveAttribute('data-result', 'queued');
  await page.getByTestId('plan-close').click();

  await page.getByTestId('open-planned').click();
  const panel = page.getByTestId('planned-panel');
  await expect(panel.getByTestId('window-ops').locator('[data-state="queued"]')).toContainText('Firmware update');
  await expect(panel.getByTestId('window-notices')).toHaveCount(0);
  await expect(attention, 'a request waiting to be sent needs nobody').toHaveCount(0);

  // The start passes while the line is still cut (real time: the backend's scheduler runs on the real clock).
  await expect.poll(() => Date.now(), { timeout: 15_000 }).toBeGreaterThan(startMs + 1_000);
  await line!.restore();

  const notices = panel.getByTestId('window-notices');
  await expect(notices).toBeVisible({ timeout: 20_000 });
  await expect(panel.getByTestId('window-ops')).toHaveCount(0);
  const notice = notices.locator('li.wop-answered');
  await expect(notice).toHaveCount(1);
  await expect(notice.getByTestId('window-notice-text')).toHaveText(
    `Planned while offline: ‘Firmware update’ (${point.label}, ${site.name}) reached the backend after its start — ` +
      'started at once: its start had passed.',
  );
  await expect(notice.getByTestId('window-notice-span')).toContainText(
    isoToZonedInput(new Date(startMs).toISOString(), tz).slice(11),
  );
  const windowId = await notice.getAttribute('data-window-id');
  const item = panel.getByTestId(`window-${windowId}`);
  await expect(item).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId(`row-${point.id}`)).toHaveAttribute('data-shown-status', 'Maintenance', {
    timeout: 20_000,
  });
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(BANNER_SHOTS, { recursive: true });
  await panel.screenshot({ path: path.join(SHOTS, 'planned-started-at-once.png') });

  // The Planned button says a notice waits, whether or not the panel is open: the info badge, its count, its words.
  const waits = '1 planned request answered later: open the Planned panel';
  await expect(attention).toHaveAttribute('data-answered-later', '1');
  await expect(attention).toHaveAttribute('data-refused', '0');
  await expect(attention).toHaveClass(/wop-answered-later/);
  await expect(attention.getByTestId('planned-attention-count')).toHaveText('1');
  await expect(attention).toHaveAttribute('title', waits);
  await expect(plannedButton).toHaveAccessibleName(`Planned 1 (${waits})`);
  const banner = page.getByTestId('connection-banner');
  await banner.screenshot({ path: path.join(BANNER_SHOTS, 'planned-attention-answered-later-light.png') });
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await banner.screenshot({ path: path.join(BANNER_SHOTS, 'planned-attention-answered-later-dark.png') });
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  // "Show … in the list" opens the window; the notice stays until it is dismissed (a reload keeps it too).
  await notice.getByTestId('window-notice-show').click();
  await expect(item).toHaveAttribute('data-focused', 'true');
  await expect(item.getByTestId(`window-point-${point.id}`)).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('grid')).toBeVisible();
  await page.getByTestId('open-planned').click();
  await expect(panel.getByTestId('window-notices').locator('li.wop-answered')).toHaveCount(1);
  await expect(attention).toHaveAttribute('data-answered-later', '1');
  await panel.getByTestId('window-notice-dismiss').click();
  await expect(panel.getByTestId('window-notices')).toHaveCount(0);
  await expect(attention, 'dismissed: nothing waits').toHaveCount(0);
  expect((await console.core.getWindows()).notices).toEqual([]);
  expect((await console.core.getWindows()).windows.filter((w) => w.reason === 'Firmware update')).toHaveLength(1);
});
