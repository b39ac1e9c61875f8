// Issue 20 in Chromium: the printable per-site uptime report opened from the Availability view: the site's uptime,
// each port's uptime / outage / excluded minutes, the outages with their cause, and the daily chart; printed to PDF
// (print stylesheet) it has pages. The past month's outages are written into the real store's history first.
import path from 'node:path';
import { expect, test } from './fixtures.js';

const SHOTS = path.resolve(process.env.VB_UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');
const H = 3_600_000;
const D = 24 * H;
/** backend/store/history.ts's stored codes. */
const FAULTED = 4;
const MAINTENANCE = 6;

test('the printable site report: uptime, per-port NEVI minutes, outages with cause, the chart, and a PDF', async ({
  network,
}) => {
  const store = network.backend.store;
  const points = store.points.all();
  const siteId = points[0].siteId;
  const mine = points.filter((p) => p.siteId === siteId);
  const now = Date.now();
  store.db.tx('e2e past month', () => {
    store.db.prepare('test', 'UPDATE history_points SET since_ms = ?').run(now - 40 * D);
    const add = store.db.prepare(
      'test',
      'INSERT INTO point_history (n, start_ms, end_ms, status, source, cause, window_id) VALUES (?, ?, ?, ?, 0, ?, ?)',
    );
    const n = (id: string) => store.history.points().get(id)!.n;
    add.run(n(mine[0].id), now - 10 * D, now - 10 * D + 30 * H, FAULTED, 'GroundFailure', null);
    add.run(n(mine[1].id), now - 4 * D, now - 4 * D + 2 * H, MAINTENANCE, 'Quarterly inspection', 'w-1');
    for (const p of [mine[0], mine[1]]) {
      store.history.rollups.rebuild(n(p.id), store.stations.site(p.siteId)?.timeZone ?? 'UTC');
    }
  });
  const siteName = store.stations.site(siteId)!.name;

  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  await page.getByTestId('open-availability').click();
  const panel = page.getByTestId('availability-panel');
  await panel.getByTestId('availability-site').selectOption(siteId);
  await panel.getByTestId('open-uptime-report').click();

  const report = page.getByTestId('uptime-report');
  await expect(report.getByRole('heading', { level: 1 })).toHaveText(`Uptime report: ${siteName}`);
  await expect(report.getByTestId('uptime-report-site-uptime')).toHaveText(/^\d+\.\d\d %$/);
  await expect(report.getByTestId('uptime-report-ports').locator('tbody tr')).toHaveCount(mine.length);
  const faulted = report.getByTestId('uptime-report-ports').locator('tbody tr', { hasText: mine[0].label }).first();
  await expect(faulted).toContainText('1,800');
  const outages = report.getByTestId('uptime-report-outages');
  await expect(outages.locator('tr', { hasText: 'GroundFailure' })).toContainText('1,800');
  await expect(outages.locator('tr', { hasText: 'Quarterly inspection' })).toContainText('120 (Scheduled maintenance)');
  await expect(report.getByTestId('daily-chart').locator('.recharts-bar-rectangle')).not.toHaveCount(0);

  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('grid')).toBeHidden();
  await expect(report.getByTestId('uptime-report-print')).toBeHidden();
  await page.screenshot({ path: path.join(SHOTS, 'uptime-report.png'), fullPage: true });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages).toBeGreaterThan(0);
  const letter = await page.pdf({ format: 'Letter', printBackground: true });
  expect((letter.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThan(0);
});
