// Screenshot of the banner when the console host goes away: opens the page, stops the host process given
// by pid (one the caller started), waits, and captures. Usage: host-down-shot.ts <url> <hostPid> [outDir]
import path from 'node:path';
import { chromium } from 'playwright-core';

const [url, pid, dir] = process.argv.slice(2);
const outDir = path.resolve(dir ?? '/tmp/shots');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 500 } })).newPage();
  await page.goto(url);
  await page.waitForSelector('[data-testid^="row-"]');
  process.kill(Number(pid), 'SIGTERM');
  await page.waitForTimeout(2500);
  console.log(await page.getByTestId('connection-banner').evaluate((el) => ({ link: el.getAttribute('data-link'), text: el.textContent })));
  await page.screenshot({ path: path.join(outDir, 'host-down.png') });
} finally {
  await browser.close();
}
