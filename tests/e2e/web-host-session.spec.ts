// The web host's session in Chromium (issue 15, item 9): two consoles on two ports in one browser do not clash, a
// reload (F5) keeps working after the single-use secret was consumed, the token leaves the address bar, and the
// printed link opened a second time in another browser is refused with a clear page.
import { expect, test } from './fixtures.js';

test('two consoles in one browser both stay signed in across reloads; the used link is refused elsewhere', async ({
  network,
  browser,
}) => {
  const a = await network.startConsole('operator');
  const b = await network.startConsole('viewer');
  const context = await browser.newContext();
  try {
    const pageA = await context.newPage();
    await pageA.goto(a.host.url);
    await expect(pageA.getByTestId('connection-banner')).toHaveAttribute('data-state', 'live');
    const pageB = await context.newPage();
    await pageB.goto(b.host.url);
    await expect(pageB.getByTestId('connection-banner')).toHaveAttribute('data-state', 'live');
    // Neither the secret nor the session token stays in the address bar (or the history).
    expect(pageA.url()).toBe(`http://127.0.0.1:${a.host.port}/`);
    expect(pageB.url()).toBe(`http://127.0.0.1:${b.host.port}/`);

    // F5 on both, after B's start (which, with one cookie name for every port, overwrote A's).
    for (const page of [pageA, pageB]) {
      await page.reload();
      await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'live');
      expect(await page.locator('[data-testid^="row-"]').count()).toBeGreaterThan(10);
    }
    // A new tab of the same console in the same browser, opened from the address without the secret.
    const tabA2 = await context.newPage();
    await tabA2.goto(`http://127.0.0.1:${a.host.port}/`);
    await expect(tabA2.getByTestId('connection-banner')).toHaveAttribute('data-state', 'live');

    // The printed link opened again in another browser profile: refused, and it says why.
    const elsewhere = await browser.newContext();
    try {
      const page = await elsewhere.newPage();
      const response = await page.goto(a.host.url);
      expect(response?.status()).toBe(403);
      await expect(page.locator('h1')).toContainText('used already');
    } finally {
      await elsewhere.close();
    }
  } finally {
    await context.close();
  }
});
