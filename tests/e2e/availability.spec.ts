// Issue 20 in Chromium: the details drawer shows a point's availability over the last 24 h as a coloured strip, its
// uptime, and its outages with their causes, from the backend's recorded history. The hours before the test are
// written into the real store's history first (as the recorder would have written them), then a real OCPP-J station
// faults and recovers live.
import path from 'node:path';
import { connectStation, type TestStation } from '../support/backendHarness.js';
import { expect, test } from './fixtures.js';

const SHOTS = path.resolve(process.env.VB_UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');

test.use({ backendOptions: { acceptUnknownStations: true } });

const stations: TestStation[] = [];
test.afterEach(async () => {
  for (const s of stations.splice(0)) await s.close().catch(() => undefined);
});

test("the drawer shows the point's last 24 h as a strip with its uptime and outages; a live fault appears in it", async ({
  network,
}) => {
  const station = await connectStation(network.backend.ocppUrl, 'E2E-AV', 'ocpp1.6');
  stations.push(station);
  await station.boot();
  await station.status(1, 'Available');
  const pointId = 'E2E-AV-1';
  const store = network.backend.store;
  await expect.poll(() => store.points.get(pointId)?.reported.status).toBe('Available');

  // The past day, before the recorder's own first interval for this point.
  const n = store.history.points().get(pointId)!.n;
  const first = store.history.between(n, 0, Number.MAX_SAFE_INTEGER)[0];
  const H = 3_600_000;
  const t0 = first.start - 23 * H;
  const past = [
    { at: 0, status: 'Available', cause: null, windowId: null },
    { at: 2 * H, status: 'Occupied', cause: null, windowId: null },
    { at: 3 * H, status: 'Available', cause: null, windowId: null },
    { at: 5 * H, status: 'Faulted', cause: 'GroundFailure', windowId: null },
    { at: 7 * H, status: 'Available', cause: null, windowId: null },
    { at: 9 * H, status: 'Maintenance', cause: 'Annual inspection', windowId: 'w-e2e' },
    { at: 12 * H, status: 'Available', cause: null, windowId: null },
    { at: 14 * H, status: 'Occupied', cause: null, windowId: null },
    { at: 15.5 * H, status: 'Available', cause: null, windowId: null },
    { at: 17 * H, status: 'Offline', cause: 'offline', windowId: null },
    { at: 17.5 * H, status: 'Available', cause: null, windowId: null },
    { at: 20 * H, status: 'Occupied', cause: null, windowId: null },
  ] as const;
  store.db.tx('e2e past', () => {
    let open = null;
    for (const p of past) {
      const facts = {
        status: p.status,
        source: p.status === 'Offline' ? 'connection' : p.status === 'Maintenance' ? 'operator' : 'reported',
        cause: p.cause,
        windowId: p.windowId,
      } as const;
      store.history.record(n, open, facts, t0 + p.at);
      open = { ...facts, start: t0 + p.at, end: null, n };
    }
    store.db
      .prepare('test', 'UPDATE point_history SET end_ms = ? WHERE n = ? AND start_ms = ?')
      .run(first.start, n, open!.start);
    store.db.prepare('test', 'UPDATE history_points SET since_ms = ? WHERE n = ?').run(t0, n);
  });

  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  await page.getByTestId('filter-text').fill('E2E-AV');
  await page.getByTestId(`row-${pointId}`).click();
  await page.keyboard.press('i');
  const strip = page.getByTestId('availability-strip');
  await expect(strip.locator('.strip-seg[data-status="Faulted"]')).toHaveCount(1);
  await expect(strip.getByTestId('outage-list')).toContainText('GroundFailure');
  await expect(strip.getByTestId('outage-list')).toContainText('excluded (Scheduled maintenance)');
  await expect(strip.locator('.availability-uptime')).toContainText(/Uptime 89\.1\d %/); // 150 counted outage minutes of 23 h

  // Live: the station faults now; the strip and the list get it.
  await station.status(1, 'Faulted', { errorCode: 'HighTemperature' });
  await expect(strip.getByTestId('outage-list')).toContainText('HighTemperature', { timeout: 10_000 });
  await station.status(1, 'Available');
  await page.getByTestId('drawer').screenshot({ path: path.join(SHOTS, 'availability-strip.png') });
  await strip.getByRole('button', { name: '7 days' }).click();
  await expect(strip).toContainText('over the last 7 days');
});
