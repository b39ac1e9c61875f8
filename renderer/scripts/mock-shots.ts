// Screenshots of states the demo network does not easily reach (offline, conflicts, rejected, stale...),
// by giving the page a fake `window.voltboard` (the Electron preload's slot) before it loads.
// Also measures the grid with a large network. Usage:
//   npx tsx renderer/scripts/mock-shots.ts <any-url-serving-dist/renderer> [outDir] [bigN]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { collectProblems, launchChromium, outDirOf, waitForRows } from './browser.js';
import type { Page } from './browser.js';

const url = process.argv[2];
const outDir = outDirOf(process.argv[3], '/tmp/shots');
const bigN = Number(process.argv[4] ?? 50_000);

const fakeApiSource = readFileSync(fileURLToPath(new URL('./fake-api.js', import.meta.url)), 'utf8');
const withFake = async (page: Page, opts: { n: number; state: string }) => {
  await page.addInitScript(`window.__name = (f) => f;`); // tsx adds __name() to functions passed to evaluate
  await page.addInitScript(`window.__mockOpts = ${JSON.stringify(opts)};`);
  await page.addInitScript(fakeApiSource);
};

const browser = await launchChromium();
const out: Record<string, unknown> = {};
try {
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  // Small network, offline, with every kind of delivery state.
  const page = await ctx.newPage();
  const problems: string[] = [];
  collectProblems(page, problems);
  await withFake(page, { n: 46, state: 'offline' });
  await page.goto(url);
  await waitForRows(page);
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(outDir, 'mock-offline.png') });
  await page.getByTestId('open-conflicts').click();
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(outDir, 'mock-conflicts.png') });
  await page.getByTestId('open-outbox').click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(outDir, 'mock-outbox.png') });
  await page.getByTestId('theme-toggle').click();
  await page.locator('[data-testid^="row-"]').first().click();
  await page.keyboard.press('i');
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(outDir, 'mock-drawer-light.png') });
  out.problems = problems;
  await page.close();

  // A big network: load time, and scroll smoothness (frames during a programmatic scroll).
  const big = await ctx.newPage();
  await withFake(big, { n: bigN, state: 'live' });
  const t0 = Date.now();
  await big.goto(url);
  await waitForRows(big, 60_000);
  out.bigPoints = bigN;
  out.bigFirstRowsMs = Date.now() - t0;
  out.bigDomRows = await big.locator('[role="row"]').count();
  out.bigScroll = await big.getByTestId('grid').evaluate(async (el) => {
    const frames: number[] = [];
    let last = performance.now();
    const start = last;
    await new Promise<void>((resolve) => {
      const step = () => {
        const t = performance.now();
        frames.push(t - last);
        last = t;
        el.scrollTop += 400;
        if (t - start < 3000) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    frames.sort((a, b) => a - b);
    return {
      frames: frames.length,
      medianFrameMs: +frames[Math.floor(frames.length / 2)].toFixed(1),
      p95FrameMs: +frames[Math.floor(frames.length * 0.95)].toFixed(1),
      scrollTop: el.scrollTop,
    };
  });
  // A burst of live changes: 500 points change at once.
  out.bigLiveBurstMs = await big.evaluate(async () => {
    const byId = (window as any).__byId as Map<string, any>;
    const changed = [];
    let i = 0;
    for (const p of byId.values()) {
      if (i++ % 100 !== 0) continue;
      changed.push({
        ...p,
        seq: p.seq + 1_000_000,
        reported: { ...p.reported, status: p.reported.status === 'Available' ? 'Occupied' : 'Available' },
      });
    }
    const t = performance.now();
    (window as any).__emit('points', { points: changed, sites: [] });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return +(performance.now() - t).toFixed(1);
  });
  await big.screenshot({ path: path.join(outDir, 'mock-big.png') });
} finally {
  await browser.close();
}
console.log(JSON.stringify(out, null, 2));
