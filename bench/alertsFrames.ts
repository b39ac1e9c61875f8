// The grid's frames while alerts arrive, against the same page without them: a console (core + web host, its own
// process) and its page in Chromium, frames timed in the page (bench/pageProbes.ts) over a window of time.
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from '../tests/support/chromium.js';
import { tempDir } from '../tests/support/tempDir.js';
import { waitFor } from '../tests/support/waitFor.js';
import { startConsoleProcess, type ConsoleProcess } from './consoles.js';
import { openConsolePage } from './consolePage.js';
import { buildRenderer } from './rendererBuild.js';

export interface FrameFigures {
  frames: number;
  p95Ms: number;
  /** Share of frames longer than 25 ms, in %. */
  over25Pct: number;
  longTasks: number;
}

export interface AlertsPage {
  page: Page;
  /** Frames from just before `act` until `windowMs` after it. */
  framesDuring(act: () => Promise<void>, windowMs: number): Promise<FrameFigures>;
  close(): Promise<void>;
}

export async function openAlertsPage(
  backendUrl: string,
  user: { username: string; password: string },
  log: (line: string) => void,
): Promise<AlertsPage> {
  const rendererDir = await buildRenderer(log);
  const dir = tempDir('bench-alerts-console');
  let console_: ConsoleProcess | null = null;
  let browser: Browser | null = null;
  try {
    console_ = await startConsoleProcess({ dataDir: dir.path, backendUrl, rendererDir, ...user });
    const c = console_;
    await waitFor('the console to be live', async () => (await c.call('connection')).state === 'live', 120_000, 50);
    browser = await chromium.launch({ ...chromiumLaunchOptions, headless: true });
    const { page } = await openConsolePage(browser, c.url, log);
    const b = browser;
    return {
      page,
      async framesDuring(act, windowMs) {
        await page.evaluate(() => (window as any).__vb.startFrames());
        const started = performance.now();
        await act();
        await new Promise((r) => setTimeout(r, Math.max(0, windowMs - (performance.now() - started))));
        const f = (await page.evaluate(() => (window as any).__vb.stopFrames())) as {
          deltas: number[];
          longTasks: number;
        };
        const sorted = [...f.deltas].sort((x, y) => x - y);
        const p95 = sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] : Infinity;
        const over = f.deltas.filter((d) => d > 25).length;
        return {
          frames: f.deltas.length,
          p95Ms: p95,
          over25Pct: f.deltas.length ? (over / f.deltas.length) * 100 : 100,
          longTasks: f.longTasks,
        };
      },
      async close() {
        await b.close();
        await c.stop();
        dir.remove();
      },
    };
  } catch (error) {
    await browser?.close();
    await console_?.stop();
    dir.remove();
    throw error;
  }
}
