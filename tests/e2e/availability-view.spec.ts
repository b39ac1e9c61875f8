// Issue 20 in Chromium: the Availability view ranks sites by uptime with a sparkline each, shows a picked site's daily
// uptime chart and the points that cost it the most uptime. The past month's outages are written into the real store's
// history first (as the recorder would have written them: a month of history cannot be lived through in a test).
import path from 'node:path';
import { expect, test } from './fixtures.js';

const SHOTS = path.resolve(process.env.VB_UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');
const H = 3_600_000;
const D = 24 * H;
/** backend/store/history.ts's stored codes. */
const FAULTED = 4;
const OFFLINE = 7;

test("the Availability view: sites ranked with sparklines, a site's daily chart and its costliest points", async ({
  network,
}) => {
  const store = network.backend.store;
  const points = store.points.all();
  const bySite = new Map<string, typeof points>();
  for (const p of points) bySite.set(p.siteId, [...(bySite.get(p.siteId) ?? []), p]);
  const [worstSite, secondSite] = [...bySite.keys()].slice(0, 2);
  const worst = bySite.get(worstSite)!;
  const now = Date.now();
  store.db.tx('e2e past month', () => {
    store.db.prepare('test', 'UPDATE history_points SET since_ms = ?').run(now - 40 * D);
    const add = store.db.prepare(
      'test',
      'INSERT INTO point_history (n, start_ms, end_ms, status, source, cause, window_id) VALUES (?, ?, ?, ?, 0, ?, NULL)',
    );
    const n = (id: string) => store.history.points().get(id)!.n;
    add.run(n(worst[0].id), now - 20 * D, now - 20 * D + 30 * H, FAULTED, 'GroundFailure');
    add.run(n(worst[1].id), now - 12 * D, now - 12 * D + 9 * H, OFFLINE, 'offline');
    add.run(n(worst[0].id), now - 5 * D, now - 5 * D + 6 * H, FAULTED, 'HighTemperature');
    add.run(n(bySite.get(secondSite)![0].id), now - 3 * D, now - 3 * D + 4 * H, FAULTED, 'PowerMeterFailure');
    // Written past the recorder: the points' uptime roll-ups are cut again from their intervals, as the recorder would.
    for (const p of [worst[0], worst[1], bySite.get(secondSite)![0]]) {
      store.history.rollups.rebuild(n(p.id), store.stations.site(p.siteId)?.timeZone ?? 'UTC');
    }
  });

  const { host } = await network.startConsole('supervisor');
  const page = await network.openTab(host);
  // The chart's code (Recharts) is not loaded with the grid, only once a chart is shown (LazyDailyChart).
  const chartChunks = () =>
    page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /\/DailyChart-/.test(e.name)).length);
  await expect(page.getByTestId('grid')).toBeVisible();
  expect(await chartChunks()).toBe(0);
  await page.getByTestId('open-availability').click();
  const panel = page.getByTestId('availability-panel');
  await expect(panel).toContainText('Network uptime');
  const rank = panel.getByTestId('site-rank');
  // Worst first: the site with 45 h of outages, then the one with 4 h.
  await expect(rank.locator('.site-rank-row').first()).toHaveAttribute('data-testid', `site-rank-${worstSite}`);
  await expect(rank.locator('.site-rank-row').nth(1)).toHaveAttribute('data-testid', `site-rank-${secondSite}`);
  await expect(rank.locator('.site-rank-row').first().locator('svg.sparkline polyline')).toHaveCount(1);
  // The reply lists only the worst points, but the mean is of every port; all sites: the network's worst points.
  await expect(panel).toContainText(`mean of ${points.length.toLocaleString('en')} ports`);
  await expect(panel.getByTestId('costly-points').locator('li').first()).toContainText(worst[0].label);

  await rank.getByTestId(`site-rank-${worstSite}`).click();
  const detail = panel.getByTestId('availability-site-detail');
  await expect(detail.getByTestId('daily-chart').locator('.recharts-bar-rectangle')).not.toHaveCount(0);
  expect(await chartChunks()).toBe(1);
  const costly = panel.getByTestId('costly-points');
  // Then the points whose station connected a moment after the backend started (seconds, but counted).
  await expect(costly.locator('li').first()).toContainText(`${worst[0].label}`);
  await expect(costly.locator('li').first()).toContainText(/36 h( \d+ min)? down/);
  await expect(costly.locator('li').nth(1)).toContainText(worst[1].label);
  await expect(costly.locator('li').nth(1)).toContainText(/9 h( \d+ min)? down/);
  await panel.screenshot({ path: path.join(SHOTS, 'availability-view.png') });

  await costly.getByRole('button', { name: worst[1].label }).click();
  await expect(page.getByTestId('drawer')).toContainText(worst[1].label);
});

test('a daily chart whose code cannot be loaded says so in its place, and the rest of the app goes on', async ({
  network,
}) => {
  const { host } = await network.startConsole('supervisor');
  const page = await network.openTab(host);
  // The chart's chunk loads only when a chart is first shown (LazyDailyChart): here it cannot (a host restarted on a
  // newer build, a dropped connection).
  await page.route(/\/assets\/DailyChart-[^/]*\.js$/, (route) => route.abort());
  await page.getByTestId('open-availability').click();
  const panel = page.getByTestId('availability-panel');
  await expect(panel).toContainText('Network uptime');
  await panel.locator('.site-rank-row').first().click();
  await expect(panel.getByTestId('daily-chart-failed')).toContainText('The chart could not be loaded');
  await panel.screenshot({ path: path.join(SHOTS, 'availability-chart-failed.png') });
  await expect(panel.getByTestId('costly-points')).toBeVisible();
  await expect(page.getByTestId('grid')).toBeVisible();
});
