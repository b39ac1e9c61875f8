// Quick interaction checks against a running web host (prints JSON; not a test suite).
// Usage: npx tsx renderer/scripts/smoke.ts <url-with-secret>
import { collectProblems, focusGrid, launchChromium, newPage, waitForRows } from './browser.js';

const url = process.argv[2];
const browser = await launchChromium();
const r: Record<string, unknown> = {};
try {
  const page = await newPage(browser, 1400, 850);
  const problems: string[] = [];
  collectProblems(page, problems);
  await page.goto(url);
  await waitForRows(page);
  const rows = () => page.locator('[data-testid^="row-"]').count();
  r.rowsInitially = await rows();
  r.bannerState = await page.getByTestId('connection-banner').getAttribute('data-state');

  // Count click filters; clicking again clears.
  await page.getByTestId('status-count-Occupied').click();
  const statuses = await page
    .locator('[data-testid^="row-"]')
    .evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-shown-status')))]);
  r.countFilterShowsOnly = statuses;
  await page.getByTestId('status-count-Occupied').click();

  // Text filter.
  await page.getByTestId('filter-text').fill('bay 1');
  await page.waitForTimeout(200);
  r.textFilterRows = await rows();
  await page.getByTestId('filter-text').fill('');

  // Collapse a site group.
  const group = page.locator('[data-testid^="site-group-"]').first();
  const gid = await group.getAttribute('data-testid');
  await group.locator('.collapse-btn').click();
  r.groupCollapsed = await page.getByTestId(gid!).getAttribute('data-collapsed');
  await page.getByTestId(gid!).locator('.collapse-btn').click();

  // Keyboard: arrows, Enter opens the editor, Esc closes it and focus is back on the grid.
  await focusGrid(page, 2);
  const active = await page.getByTestId('grid').getAttribute('aria-activedescendant');
  r.activeRow = active;
  await page.keyboard.press('Enter');
  r.editorOpen = await page.getByTestId('editor').isVisible();
  r.editorModal = await page.getByTestId('editor').getAttribute('aria-modal');
  // Focus trap: many Tabs stay inside.
  for (let i = 0; i < 25; i++) await page.keyboard.press('Tab');
  r.focusTrapped = await page.evaluate(() => !!document.activeElement?.closest('[data-testid="editor"]'));
  // Save without a reason: refused with a message.
  await page.getByTestId('editor-status-Faulted').click();
  await page.getByTestId('editor-save').click();
  r.reasonRequiredShown = await page.locator('.problems').textContent();
  await page.keyboard.press('Escape');
  r.editorClosed = (await page.getByTestId('editor').count()) === 0;
  r.focusBackOnGrid = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));

  // Occupied only behind the override.
  await page.keyboard.press('Enter');
  r.occupiedHidden = (await page.getByTestId('editor-status-Occupied').count()) === 0;
  await page.getByTestId('editor-override').check();
  r.occupiedAfterOverride = await page.getByTestId('editor-status-Occupied').isVisible();
  await page.getByTestId('editor-status-Occupied').click();
  r.untilDisabledForOccupied = await page.getByTestId('editor-until').isDisabled();
  await page.keyboard.press('Escape');

  // Keyboard-only edit: Enter, A (Available), Ctrl+S.
  await focusGrid(page);
  await page.keyboard.press('Enter');
  await page.keyboard.press('a');
  await page.keyboard.press('Control+s');
  await page.getByTestId('editor').waitFor({ state: 'detached' });
  r.keyboardSaveClosedEditor = true;

  // Theme remembered across a reload.
  const before = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.getByTestId('theme-toggle').click();
  await page.waitForTimeout(300);
  await page.reload();
  await waitForRows(page);
  await page.waitForTimeout(300);
  r.themeRemembered = (await page.evaluate(() => document.documentElement.dataset.theme)) !== before;
  await page.getByTestId('theme-toggle').click(); // back
  await page.waitForTimeout(300);

  // Panels open from the banner.
  await page.getByTestId('open-outbox').click();
  r.outboxPanel = await page.getByTestId('outbox-panel').isVisible();
  await page.getByTestId('open-conflicts').click();
  r.conflictsPanel = await page.getByTestId('conflicts-panel').isVisible();
  await page.keyboard.press('Escape');
  // CSP: no inline style elements were added at run time.
  r.styleTags = await page.locator('style').count();
  r.problems = problems;
} finally {
  await browser.close();
}
console.log(JSON.stringify(r, null, 2));
