// Issue 20 in Chromium through the web host: the Availability view's CSV export of uptime per port per month runs
// with its progress shown and arrives as a download with every port's months; the outages export of the period
// too. (Cancelling midway is tests/integration/uptime-export.test.ts: a small network ends before a click could.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MONTHLY_FIELDS, OUTAGE_FIELDS } from '../../backend/history/csvReport.js';
import { expect, test } from './fixtures.js';

const SHOTS = path.resolve(process.env.VB_UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');

test('the Availability view exports CSV: progress, then a download with the documented fields and every row', async ({
  network,
}) => {
  const points = network.backend.store.points.all();
  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  await page.getByTestId('open-availability').click();
  const panel = page.getByTestId('availability-panel');
  await expect(panel).toContainText('Network uptime');

  const exporter = panel.getByTestId('availability-export');
  const monthly = page.waitForEvent('download');
  await exporter.getByTestId('export-monthly').click();
  const download = await monthly;
  expect(download.suggestedFilename()).toMatch(/^uptime-monthly-\d{4}-\d{2}-01-to-\d{4}-\d{2}-01\.csv$/);
  const lines = readFileSync((await download.path())!, 'utf8')
    .trimEnd()
    .split('\r\n');
  expect(lines[0]).toBe(MONTHLY_FIELDS.join(','));
  // Thirteen calendar months (twelve before this one and this one) per port, in UTC sites.
  expect(lines.length - 1).toBe(points.length * 13);
  await expect(exporter.getByTestId('export-progress')).toContainText(
    `Exported ${download.suggestedFilename()}: ${(points.length * 13).toLocaleString('en')} of`,
  );
  await exporter.screenshot({ path: path.join(SHOTS, 'uptime-export.png') });

  const outages = page.waitForEvent('download');
  await exporter.getByTestId('export-outages').click();
  const second = await outages;
  expect(readFileSync((await second.path())!, 'utf8').split('\r\n')[0]).toBe(OUTAGE_FIELDS.join(','));
  await expect(exporter.getByTestId('export-progress')).toContainText('Exported uptime-outages-');
});
