// What the screenshot and check scripts share: the Chromium they drive (Debian's, as in the e2e tests), a page
// on the console, and the few steps they all take (wait for the rows, move in the grid, open the editor).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumLaunchOptions } from '../../tests/support/chromium.js';

export type { Browser, BrowserContext, Page };

/** The Chromium the tests launch (CHROMIUM_PATH, else Debian's), with their flags. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions);
}

/** A new page in a new context of the given size. */
export async function newPage(browser: Browser, width: number, height: number): Promise<Page> {
  return (await browser.newContext({ viewport: { width, height } })).newPage();
}

/** The screenshot folder: the argument (or the default), resolved and created. */
export function outDirOf(arg: string | undefined, fallback: string): string {
  const dir = path.resolve(arg ?? fallback);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Collects uncaught page errors and console errors into `problems`. */
export function collectProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
}

/** Waits until the grid has drawn its first rows. */
export async function waitForRows(page: Page, timeout?: number): Promise<void> {
  await page.waitForSelector('[data-testid^="row-"]', timeout === undefined ? undefined : { timeout });
}

/** Focuses the grid, then moves its focused row `down` rows. */
export async function focusGrid(page: Page, down = 0): Promise<void> {
  await page.getByTestId('grid').focus();
  for (let i = 0; i < down; i++) await page.keyboard.press('ArrowDown');
}

/** Enter on the focused row (or the selection) opens `dialog` (the editor, or the bulk dialog); then `key` is pressed in it. */
export async function openEditor(page: Page, key?: string, dialog: 'editor' | 'bulk-dialog' = 'editor'): Promise<void> {
  await page.keyboard.press('Enter');
  await page.getByTestId(dialog).waitFor();
  if (key) await page.keyboard.press(key);
}
