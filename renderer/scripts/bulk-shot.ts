// Bulk selection screenshot: Space selects rows, Enter then opens the bulk dialog for them all.
// Usage: npx tsx renderer/scripts/bulk-shot.ts <url-with-secret> [outDir]
import path from 'node:path';
import { focusGrid, launchChromium, newPage, openEditor, outDirOf, waitForRows } from './browser.js';

const url = process.argv[2];
const outDir = outDirOf(process.argv[3], '/tmp/shots');
const browser = await launchChromium();
try {
  const page = await newPage(browser, 1600, 900);
  await page.goto(url);
  await waitForRows(page);
  await focusGrid(page, 2);
  await page.keyboard.press('Space');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await page.screenshot({ path: path.join(outDir, 'bulk-select.png') });
  await openEditor(page, 'm', 'bulk-dialog');
  await page.screenshot({ path: path.join(outDir, 'bulk-dialog.png') });
  console.log(await page.getByTestId('bulk-dialog').locator('h2').textContent());
} finally {
  await browser.close();
}
