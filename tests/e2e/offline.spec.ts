// Issue 5 in Chromium: the line to the backend is cut (a real TCP proxy), three edits queue on this computer,
// the line comes back, and each edit is confirmed, exactly once.
import { expect, test } from './fixtures.js';

test('offline: edit three points, see them queued, come back, see them confirmed', async ({ network }) => {
  const { console, host, line } = await network.startConsole('operator', { viaProxy: true });
  const page = await network.openTab(host);
  const site = console.core.getNetwork().sites[0].id;
  const sameSite = console.core
    .getNetwork()
    .points.filter(
      (p) =>
        p.siteId === site &&
        p.stationConnected &&
        p.reported.status === 'Available' &&
        p.operator.status === 'Available',
    )
    .slice(0, 3);
  expect(sameSite).toHaveLength(3);

  await line!.cut();
  const banner = page.getByTestId('connection-banner');
  await expect(banner).toHaveAttribute('data-state', /offline|reconnecting/);

  await page.getByTestId('filter-site').selectOption(site);
  for (const point of sameSite) {
    await page.getByTestId(`row-${point.id}`).click();
    await page.keyboard.press('Enter');
    await page.getByTestId('editor-status-Maintenance').click();
    await page.getByTestId('editor-reason').fill('Offline inspection');
    await page.getByTestId('editor-save').click();
    await expect(page.getByTestId('editor')).toBeHidden();
    await expect(page.getByTestId(`row-${point.id}`)).toHaveAttribute('data-delivery', 'queued');
    await expect(page.getByTestId(`row-${point.id}`)).toContainText(/Queued on this computer/i);
  }
  await expect(banner).toHaveAttribute('data-state', 'offline');
  await expect(banner).toContainText(/3 (edits )?queued/i);
  await expect(banner).toContainText(/last in sync/i);

  await line!.restore();
  await expect(banner).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  for (const point of sameSite) {
    const row = page.getByTestId(`row-${point.id}`);
    await expect(row).toHaveAttribute('data-shown-status', 'Maintenance');
    await expect(row).toHaveAttribute('data-delivery', 'confirmed');
  }
  for (const point of sameSite) {
    const history = network.backend.store.audit.history(point.id, 50).filter((e) => e.fact === 'operator');
    expect(history.map((e) => e.to)).toEqual(['Maintenance']);
  }
});
