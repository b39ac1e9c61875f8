// The page's boot chunk (renderer/src/main.tsx), in Chromium against the web host: it paints in the theme this
// machine remembers, asks for the first screen before the app's code has loaded, and hands its socket over to the
// app, which then fills the grid and follows live changes.
import { expect, test } from './fixtures.js';

test('the boot chunk paints in the remembered theme, asks for the first screen early, and the app takes its socket over', async ({ network, browser }) => {
  const { console, host } = await network.startConsole('operator');
  const context = await browser.newContext();
  await context.addInitScript(() => {
    localStorage.setItem('voltboard.theme', 'dark');
    document.addEventListener('DOMContentLoaded', () => {
      (window as unknown as { themeWhenReady?: string }).themeWhenReady = document.documentElement.dataset.theme;
    });
  });
  try {
    const page = await context.newPage();
    await page.goto(host.url);
    await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'live');
    // Before the settings answer (which may choose another theme), the page is already in the remembered one.
    expect(await page.evaluate(() => (window as unknown as { themeWhenReady?: string }).themeWhenReady)).toBe('dark');
    expect(await page.evaluate(() => performance.getEntriesByName('voltboard:first-screen-asked-early').length)).toBe(1);
    expect(await page.locator('[data-testid^="row-"]').count()).toBeGreaterThan(10);

    // The socket the boot opened is the app's now: a station's change made after loading reaches the grid.
    const point = console.core.getNetwork({ limit: 10 }).points.find((p) => p.stationConnected && p.reported.status === 'Available');
    expect(point, 'an idle, connected point on the first screen').toBeTruthy();
    await network.backend.demo!.network.startSession(point!.id);
    await expect(page.getByTestId(`row-${point!.id}`)).toHaveAttribute('data-shown-status', 'Occupied');
  } finally {
    await context.close();
  }
});
