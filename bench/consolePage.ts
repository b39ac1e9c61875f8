// A console's page in Chromium for the benchmarks: a fresh context with the page probes (bench/pageProbes.ts),
// opened once the whole network is on it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { waitFor } from '../tests/support/waitFor.js';
import { PAGE_PROBES } from './pageProbes.js';

export async function openConsolePage(
  browser: Browser,
  url: string,
  log: (line: string) => void,
  timeoutMs = 60_000,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(PAGE_PROBES);
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page.goto(url);
  await page.getByTestId('grid').waitFor({ timeout: timeoutMs });
  await waitFor(
    'the whole network on the page',
    async () => (await page.getByTestId('load-strip').count()) === 0,
    timeoutMs,
    50,
  );
  return { context, page };
}
