// Two browser tabs on one web host: an edit in one must show in the other within a second, without a reload,
// and must not disturb the other tab's scroll, focus or open editor. Prints JSON.
// Usage: npx tsx renderer/scripts/two-consoles.ts <url-with-secret>
import { focusGrid, launchChromium, openEditor, waitForRows } from './browser.js';

const url = process.argv[2];
if (!url) throw new Error('usage: two-consoles.ts URL');
const browser = await launchChromium();
const out: Record<string, unknown> = {};
try {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 800 } });
  const a = await ctx.newPage();
  const problems: string[] = [];
  a.on('pageerror', (e) => problems.push(e.message));
  await a.goto(url);
  const b = await ctx.newPage();
  b.on('pageerror', (e) => problems.push(e.message));
  await b.goto(url.replace(/\?.*/, '')); // the cookie is already set
  for (const p of [a, b]) await waitForRows(p);

  // Tab A: scroll a bit, focus a row, open the editor on it and type a reason (not saved).
  await focusGrid(a, 6);
  await a.getByTestId('grid').evaluate((el) => (el.scrollTop = 120));
  const focusedBefore = await a.getByTestId('grid').getAttribute('aria-activedescendant');
  await openEditor(a, 'o');
  await a.getByTestId('editor-reason').fill('typing in A');
  const scrollBefore = await a.getByTestId('grid').evaluate((el) => el.scrollTop);

  // Tab B: pick a point and set Out of Service.
  const target = await b
    .locator('[data-testid^="row-"][data-shown-status="Available"]')
    .nth(2)
    .getAttribute('data-point-id');
  await b.getByTestId(`row-${target}`).click();
  await openEditor(b);
  await b.getByTestId('editor-status-OutOfService').click();
  await b.getByTestId('editor-reason').fill('Bay blocked');
  const t0 = Date.now();
  await b.keyboard.press('Control+s');
  await b.getByTestId('editor').waitFor({ state: 'detached' });
  await a.waitForSelector(`[data-testid="row-${target}"][data-shown-status="OutOfService"]`, {
    state: 'attached',
    timeout: 5000,
  });
  out.shownInOtherTabMs = Date.now() - t0;
  out.highlightedInA = /flash-/.test((await a.getByTestId(`row-${target}`).getAttribute('class')) ?? '');
  await b.waitForSelector(`[data-testid="row-${target}"][data-delivery="confirmed"]`, { timeout: 15000 });
  out.confirmedByStationMs = Date.now() - t0;
  await a.waitForTimeout(300);
  out.editorStillOpenInA = await a.getByTestId('editor').isVisible();
  out.reasonKeptInA = (await a.getByTestId('editor-reason').inputValue()) === 'typing in A';
  await a.keyboard.press('Escape');
  out.focusKeptInA = (await a.getByTestId('grid').getAttribute('aria-activedescendant')) === focusedBefore;
  out.scrollKeptInA = Math.abs((await a.getByTestId('grid').evaluate((el) => el.scrollTop)) - scrollBefore) < 2;
  out.problems = problems;
} finally {
  await browser.close();
}
console.log(JSON.stringify(out, null, 2));
