// Diagnostics, not a benchmark: filters and sorts one at a time on a 50,000-point page (quiet network), each timed
// to its painted frame, several rounds, medians printed. With VB_PROBE_TRACE=1 the first round also writes a
// Chromium timeline trace and a CPU profile per step to DIR (summarise: bench/traceSummary.ts, profileSummary.ts).
// Run: npx tsx bench/filterProbe.ts DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { backendWithNetwork, BENCH_USER } from './backendWithNetwork.js';
import { startConsoleProcess } from './consoles.js';
import { PAGE_PROBES } from './pageProbes.js';
import { buildRenderer } from './rendererBuild.js';
import { tempDir } from '../tests/support/tempDir.js';
import { launchChromium } from '../renderer/scripts/browser.js';

const ROUNDS = Number(process.env.VB_PROBE_ROUNDS ?? 5);
const dir = path.resolve(process.argv[2] ?? 'filter-probe');
mkdirSync(dir, { recursive: true });
process.env.VB_BENCH_NO_MINIFY = '1';
const rendererDir = await buildRenderer(() => undefined);
const backend = await backendWithNetwork({ sites: 2000, points: 50_000 });
const c = await startConsoleProcess({
  dataDir: tempDir('filter-probe').path,
  rendererDir,
  backendUrl: backend.url,
  username: BENCH_USER.username,
  password: BENCH_USER.password,
});
const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await context.addInitScript(PAGE_PROBES);
const page = await context.newPage();
await page.goto(c.url);
await page.waitForFunction(() => (window as any).__vb.firstRowPaintAt !== null, null, { timeout: 60_000 });
await page.getByTestId('load-strip').waitFor({ state: 'detached', timeout: 60_000 });
await new Promise((r) => setTimeout(r, 1000));
const siteWord = backend.store.stations.allSites()[1234].name.split(/\s+/)[0].toLowerCase();
const steps: [string, string, string][] = [
  ['filter by a site word', 'setFilterText', siteWord],
  ['clear the filter', 'setFilterText', ''],
  ['filter matching nothing', 'setFilterText', 'ac-'],
  ['clear the filter again', 'setFilterText', ''],
  ['sort by shown status', 'clickSort', 'shown'],
  ['sort by point', 'clickSort', 'point'],
];
// VB_PROBE_TRACE=1: a timeline trace and a CPU profile of each step of the first round (they slow the steps down).
const trace = Boolean(process.env.VB_PROBE_TRACE);
const times = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn, arg] of steps) {
    const file = path.join(dir, `${round}-${name.replace(/\W+/g, '-')}`);
    const recording = trace && round === 0 ? await record(file) : null;
    const ms = await page.evaluate(([f, a]) => (window as any).__vb[f](a) as Promise<number>, [fn, arg] as const);
    await recording?.stop();
    times.set(name, [...(times.get(name) ?? []), ms]);
    await new Promise((r) => setTimeout(r, 300));
  }
}
for (const [name, ms] of times) {
  const sorted = ms.slice().sort((a, b) => a - b);
  console.log(
    `${name.padEnd(26)} median ${sorted[Math.floor(sorted.length / 2)].toFixed(1).padStart(6)} ms  (${ms.map((x) => x.toFixed(0)).join(' ')})`,
  );
}
async function record(file: string) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await browser.startTracing(page, {
    path: `${file}.trace.json`,
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      ...(process.env.VB_PROBE_INVALIDATIONS ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : []),
    ],
  });
  await cdp.send('Profiler.start');
  return {
    async stop() {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
      await browser.stopTracing();
      writeFileSync(`${file}.cpuprofile`, JSON.stringify(profile));
      await cdp.detach();
    },
  };
}

await browser.close();
await c.stop();
await backend.stop();
