// Drives a running web host with Chromium and takes screenshots into docs/screenshots/.
// Usage: npx tsx renderer/scripts/shoot.ts <url-with-secret> [outDir]
import path from 'node:path';
import { focusGrid, launchChromium, newPage, openEditor, outDirOf, waitForRows } from './browser.js';

const url = process.argv[2];
if (!url) throw new Error('usage: shoot.ts URL [outDir]');
const outDir = outDirOf(process.argv[3], 'docs/screenshots');

const browser = await launchChromium();
try {
  const page = await newPage(browser, 1600, 900);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.getByTestId('grid').waitFor();
  await waitForRows(page);
  await page.waitForTimeout(1500);

  const setTheme = async (t: 'light' | 'dark') => {
    const cur = await page.evaluate(() => document.documentElement.dataset.theme);
    if (cur !== t) await page.getByTestId('theme-toggle').click();
    await page.waitForTimeout(200);
  };
  await setTheme('dark');
  // One real change first, so the grid shows an operator status and its delivery.
  await focusGrid(page, 3);
  await openEditor(page, 'm');
  await page.getByTestId('editor-reason').fill('Firmware update');
  await page.getByRole('button', { name: '+4 h' }).click();
  await page.keyboard.press('Control+s');
  await page.getByTestId('editor').waitFor({ state: 'detached' });
  await page.waitForTimeout(2500);
  await focusGrid(page, 4);
  await page.waitForTimeout(2000); // let toasts and highlights settle
  await page.screenshot({ path: path.join(outDir, 'grid-dark.png') });
  await setTheme('light');
  await page.screenshot({ path: path.join(outDir, 'grid-light.png') });
  await setTheme('dark');

  // The editor: Enter on a point, choose Maintenance with M, a reason.
  await focusGrid(page);
  await openEditor(page, 'm');
  await page.getByTestId('editor-reason').fill('Firmware update');
  await page.screenshot({ path: path.join(outDir, 'editor.png') });
  if (process.env.SAVE) {
    await page.keyboard.press('Control+s');
    await page.waitForTimeout(3000);
    await page.screenshot({ path: path.join(outDir, 'after-save.png') });
    await page.getByTestId('grid').focus();
    await page.keyboard.press('i');
    await page.waitForTimeout(1200);
    await page.screenshot({ path: path.join(outDir, 'drawer.png') });
  }
  console.log(JSON.stringify({ problems }, null, 2));
} finally {
  await browser.close();
}
