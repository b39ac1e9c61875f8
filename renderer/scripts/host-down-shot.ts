// Screenshot of the banner when the console host goes away: opens the page, stops the host process given
// by pid (one the caller started), waits, and captures. Usage: host-down-shot.ts <url> <hostPid> [outDir]
import path from 'node:path';
import { launchChromium, newPage, outDirOf, waitForRows } from './browser.js';

const [url, pid, dir] = process.argv.slice(2);
const outDir = outDirOf(dir, '/tmp/shots');
const browser = await launchChromium();
try {
  const page = await newPage(browser, 1400, 500);
  await page.goto(url);
  await waitForRows(page);
  process.kill(Number(pid), 'SIGTERM');
  await page.waitForTimeout(2500);
  console.log(
    await page
      .getByTestId('connection-banner')
      .evaluate((el) => ({ link: el.getAttribute('data-link'), text: el.textContent })),
  );
  await page.screenshot({ path: path.join(outDir, 'host-down.png') });
} finally {
  await browser.close();
}
