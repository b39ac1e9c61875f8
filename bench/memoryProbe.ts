// Diagnostics, not a benchmark: where a console process's memory goes with a 50,000-point network. Prints RSS,
// JS heap (used/total, and live after a full GC), external memory and array buffers at each step:
// cache loaded, a page loaded the network, and a live load of 2,000 changes/s.
// Run: npx tsx bench/memoryProbe.ts [seconds of load]
import { backendWithNetwork, BENCH_USER } from './backendWithNetwork.js';
import { startConsoleProcess } from './consoles.js';
import { buildRenderer } from './rendererBuild.js';
import { startLoad } from './liveLoad.js';
import { tempDir } from '../tests/support/tempDir.js';
import { launchChromium } from '../renderer/scripts/browser.js';

const mb = (n: number) => (n / 2 ** 20).toFixed(0);
const loadSeconds = Number(process.argv[2] ?? 20);

const rendererDir = await buildRenderer(() => undefined);
const backend = await backendWithNetwork({ sites: 2000, points: 50_000 });
const user = { rendererDir, backendUrl: backend.url, username: BENCH_USER.username, password: BENCH_USER.password };
const dataDir = tempDir('memory-probe').path;
let c = await startConsoleProcess({ dataDir, ...user });
const waitLive = async () => {
  while ((await c.call('connection')).state !== 'live') await new Promise((r) => setTimeout(r, 100));
};
// A forced full GC sets V8's heap limits from the live size, which changes what follows: only at the end.
const show = async (step: string, collect = false) => {
  const m = await c.call('memory');
  const live = collect ? await c.call('memory', { collect: true }) : null;
  console.log(
    `${step.padEnd(34)} rss ${mb(m.rss)}  heap used ${mb(m.heapUsed)} / total ${mb(m.heapTotal)}  external ${mb(m.external)}  arrayBuffers ${mb(m.arrayBuffers)}${live ? `  live after a full GC ${mb(live.heapUsed)} (rss ${mb(live.rss)})` : ''}`,
  );
};
await waitLive();
await c.stop();
c = await startConsoleProcess({ dataDir, ...user });
await waitLive();
await show('warm cache, live');
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.goto(c.url);
await page.getByTestId('load-strip').waitFor({ state: 'detached', timeout: 60_000 });
await show('a page loaded the network');
const cpuBefore = (await c.call('memory')).cpuMs as number;
await c.call('loopDelay', { reset: true });
await c.call('allocationsStart');
const load = startLoad(backend, backend.store.points.all(), 2000);
let peak = { rss: 0, heap: 0 };
for (let s = 1; s <= loadSeconds; s++) {
  await new Promise((r) => setTimeout(r, 1000));
  const m = await c.call('memory');
  peak = { rss: Math.max(peak.rss, m.rss), heap: Math.max(peak.heap, m.heapUsed) };
}
await load.stop();
const cpuMs = ((await c.call('memory')).cpuMs as number) - cpuBefore;
const delay = (await c.call('loopDelay')) as { p99: number; max: number };
console.log(
  `live load ${loadSeconds} s: console CPU ${Math.round(cpuMs)} ms, event loop delay p99 ${delay.p99} max ${delay.max} ms, peak rss ${mb(peak.rss)}, peak heap used ${mb(peak.heap)}; allocated (MB, sampled) by function:`,
);
for (const site of await c.call('allocationsStop')) console.log(`  ${String(site.mb).padStart(7)}  ${site.where}`);
await show('after the live load');
// A second tab of the same browser profile: the printed link is single-use, and the profile's cookie lets it in.
const page2 = await page.context().newPage();
await page2.goto(c.url);
await page2.getByTestId('load-strip').waitFor({ state: 'detached', timeout: 60_000 });
await show('a second page loaded', true);
await browser.close();
await c.stop();
await backend.stop();
