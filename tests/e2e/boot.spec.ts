// The page's boot chunk (renderer/src/main.tsx), in Chromium against the web host: it paints in the theme this
// machine remembers, opens the page's one socket and hands it over to the app, which fills the grid and follows live
// changes. Whether the boot also asked for the first screen depends on the socket opening before the app has loaded
// (not so for the first page of a newly started browser): the unit tests of webSocketApi cover both cases.
import { expect, test } from './fixtures.js';

test('the boot chunk paints in the remembered theme and opens the socket the app takes over', async ({
  network,
  browser,
}) => {
  const { console, host } = await network.startConsole('operator');
  const context = await browser.newContext();
  await context.addInitScript(() => {
    localStorage.setItem('voltboard.theme', 'dark');
    const Native = window.WebSocket;
    const opened: string[] = ((window as unknown as { socketsOpened: string[] }).socketsOpened = []);
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        opened.push(`${String(url)} from ${new Error().stack ?? ''}`);
      }
    };
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
    const sockets = await page.evaluate(() => (window as unknown as { socketsOpened: string[] }).socketsOpened);
    expect(sockets, 'one socket: the app took over the one the boot opened').toHaveLength(1);
    const bootScript = await page.evaluate(
      () => document.querySelector<HTMLScriptElement>('script[type="module"]')!.src,
    );
    expect(sockets[0], 'opened by the entry script (the boot chunk), not by the app chunk').toContain(`/api from `);
    expect(sockets[0].slice(sockets[0].indexOf(' from '))).toContain(bootScript);
    const askedEarly = await page.evaluate(
      () => performance.getEntriesByName('voltboard:first-screen-asked-early').length,
    );
    expect(askedEarly).toBeLessThanOrEqual(1);
    expect(await page.locator('[data-testid^="row-"]').count()).toBeGreaterThan(10);

    // The socket the boot opened is the app's now: a station's change made after loading reaches the grid.
    const point = console.core
      .getNetwork({ limit: 10 })
      .points.find((p) => p.stationConnected && p.reported.status === 'Available');
    expect(point, 'an idle, connected point on the first screen').toBeTruthy();
    await network.backend.demo!.network.startSession(point!.id);
    await expect(page.getByTestId(`row-${point!.id}`)).toHaveAttribute('data-shown-status', 'Occupied');
  } finally {
    await context.close();
  }
});
