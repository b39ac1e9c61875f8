// Drives a running web host with Chromium and takes screenshots into docs/screenshots/.
// Usage: npx tsx renderer/scripts/shoot.ts <url-with-secret> [outDir]
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const url = process.argv[2];
const outDir = path.resolve(process.argv[3] ?? 'docs/screenshots');
if (!url) throw new Error('usage: shoot.ts URL [outDir]');
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.getByTestId('grid').waitFor();
  await page.waitForSelector('[data-testid^="row-"]');
  await page.waitForTimeout(1500);

  const setTheme = async (t: 'light' | 'dark') => {
    const cur = await page.evaluate(() => document.documentElement.dataset.theme);
    if (cur !== t) await page.getByTestId('theme-toggle').click();
    await page.waitForTimeout(200);
  };
  await setTheme('dark');
  // One real change first, so the grid shows an operator status and its delivery.
  await page.getByTestId('grid').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('editor').waitFor();
  await page.keyboard.press('m');
  await page.getByTestId('editor-reason').fill('Firmware update');
  await page.getByRole('button', { name: '+4 h' }).click();
  await page.keyboard.press('Control+s');
  await page.getByTestId('editor').waitFor({ state: 'detached' });
  await page.waitForTimeout(2500);
  await page.getByTestId('grid').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(2000); // let toasts and highlights settle
  await page.screenshot({ path: path.join(outDir, 'grid-dark.png') });
  await setTheme('light');
  await page.screenshot({ path: path.join(outDir, 'grid-light.png') });
  await setTheme('dark');

  // The editor: Enter on a point, choose Maintenance with M, a reason.
  await page.getByTestId('grid').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('editor').waitFor();
  await page.keyboard.press('m');
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
