// Bulk selection screenshot: Space selects rows, the editor then edits them all.
// Usage: npx tsx renderer/scripts/bulk-shot.ts <url-with-secret> [outDir]
import path from 'node:path';
import { chromium } from 'playwright-core';

const url = process.argv[2];
const outDir = path.resolve(process.argv[3] ?? '/tmp/shots');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  await page.goto(url);
  await page.waitForSelector('[data-testid^="row-"]');
  await page.getByTestId('grid').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await page.screenshot({ path: path.join(outDir, 'bulk-select.png') });
  await page.keyboard.press('Enter');
  await page.getByTestId('editor').waitFor();
  await page.keyboard.press('m');
  await page.screenshot({ path: path.join(outDir, 'bulk-editor.png') });
  console.log(await page.getByTestId('editor').locator('h2').textContent());
} finally {
  await browser.close();
}
