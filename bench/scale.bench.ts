// Issue 6: 50,000 points across 2,000 sites, and issue 22: 100,000 points across 4,000 sites, measured in the web
// host in Chromium against the real backend, each on a quiet machine and beside one busy core (bench/busyLoad.ts).
// One backend in its own process (bench/benchBackendProcess.ts) holds the network with every station marked connected
// (so reported statuses show), and pushes the live load through the OCPP gateway's write path (StationWriteBatch: the
// reports due at each tick in one transaction, as the OCPP gateway stores the StatusNotifications of one turn), so the
// coalesced broadcast to consoles is what carries them. Two consoles (core + web host) run in child processes
// (bench/consoleProcess.ts), so their RSS is their own; this process runs Playwright.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ShownStatus } from '../common/status.js';
import { siteOrderKey } from '../common/naturalOrder.js';
import { tempDir } from '../tests/support/tempDir.js';
import { waitFor } from '../tests/support/waitFor.js';
import { BENCH_USER } from './backendWithNetwork.js';
import { startBenchBackend, type Truth } from './benchBackend.js';
import { startConsoleProcess, type ConsoleProcess } from './consoles.js';
import { figure, type Figure } from './figures.js';
import { PAGE_PROBES } from './pageProbes.js';
import { buildRenderer } from './rendererBuild.js';
import { FULL_DERIVE_MARK } from '../renderer/src/model/rows.js';
import { formatGc, gcPauses, type GcSummary } from './gcPauses.js';
import {
  machineCpu,
  mainThreadBusy,
  browserCpuMs,
  rendererMainThreadsCpuMs,
  browserThreadsCpuMs,
  busiestBrowserThreads,
  mainThreadSched,
  rendererMainThreadsSched,
  browserThreadsAboveNormalPriority,
  schedBetween,
  type ThreadSched,
} from './cpuUse.js';
import { startBusyLoad, type BenchMode } from './busyLoad.js';
import { benchChromiumLaunchOptions } from './desktopChromium.js';

/** A network size and the targets that hold for it (issue 6 for 50k, issue 22 for 100k). */
export interface ScaleSize {
  label: string;
  sites: number;
  points: number;
  /** Station status changes per second during the live test. */
  rate: number;
  rendererHeapMb: number;
}

export const SCALE_50K: ScaleSize = { label: '50k', sites: 2000, points: 50_000, rate: 2000, rendererHeapMb: 200 };
export const SCALE_100K: ScaleSize = { label: '100k', sites: 4000, points: 100_000, rate: 5000, rendererHeapMb: 250 };
// VB_BENCH_LOAD_S and VB_BENCH_STOP_AFTER_LIVE=1 shorten a run while profiling; the figures then are not the target's.
const LOAD_S = Number(process.env.VB_BENCH_LOAD_S ?? 30);
const LATENCY_SAMPLES = 120;
const BULK = 5000;

const log = (line: string) => process.stderr.write(`  scale: ${line}\n`);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const median = (values: number[]) => percentile(values, 50);

interface Snapshot {
  at: number;
  counts: Record<string, number>;
  outbox: string;
  rows: Record<string, { shown: string; delivery: string; inView: boolean }>;
}

/** Where the page differs from the backend: count chips and every rendered row. */
function differences(snap: Snapshot, truth: Truth): string[] {
  const out: string[] = [];
  for (const [status, n] of Object.entries(snap.counts)) {
    if (status === 'all') {
      if (n !== truth.byId.size) out.push(`all: ${n} != ${truth.byId.size}`);
    } else if (n !== (truth.counts[status as ShownStatus] ?? 0))
      out.push(`${status}: ${n} != ${truth.counts[status as ShownStatus] ?? 0}`);
  }
  for (const [id, row] of Object.entries(snap.rows)) {
    const t = truth.byId.get(id);
    if (!t || t.shown !== row.shown || t.delivery !== row.delivery)
      out.push(`${id}: ${row.shown}/${row.delivery} != ${t?.shown}/${t?.delivery}`);
  }
  return out;
}

/** VB_BENCH_TRACE=FILE: a Chromium timeline trace of 5 s of the live load; VB_BENCH_TRACE_EDITS=FILE: of the cross-console edits (both pages), VB_BENCH_TRACE_EDITS_S seconds of them (default 5, from 5 s in; longer ones start with the edits; the edits last ~20 s). VB_BENCH_PROFILE=DIR: CPU profiles of page A (start-up, live load) and of the console processes go to DIR. */
const PROFILE_DIR = process.env.VB_BENCH_PROFILE ?? null;
const TRACE_EDITS_S = Math.min(18, Math.max(1, Number(process.env.VB_BENCH_TRACE_EDITS_S) || 5));

async function startPageProfile(page: Page) {
  if (!PROFILE_DIR) return async (_name: string) => undefined;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return async (name: string) => {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
    writeFileSync(path.join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    await cdp.detach();
  };
}

/** Opens url in a fresh context; `navigatingAt` is Date.now() right before the navigation starts. With a
 * profileName (and VB_BENCH_PROFILE), the page's CPU profile runs from before the navigation until the page holds the
 * whole network (the load strip gone): the first screen, the rest of the network and the first full derive. */
async function openPage(browser: Browser, url: string, profileName?: string): Promise<Page & { navigatingAt: number }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(PAGE_PROBES);
  const page = await context.newPage();
  if (profileName) {
    const stop = await startPageProfile(page);
    void page
      .waitForFunction(
        () => (window as any).__vb?.firstRowPaintAt !== null && !document.querySelector('[data-testid="load-strip"]'),
        null,
        { timeout: 120_000, polling: 50 },
      )
      .then(() => stop(profileName));
  }
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') log(`page console: ${m.text().slice(0, 300)}`);
  });
  const navigatingAt = Date.now();
  await page.goto(url);
  return Object.assign(page, { navigatingAt });
}

interface PageTimes {
  messages: number[];
  frames: number[];
  longTasks: [number, number][];
}

/** Page A's part of one edit, from its times: the first message after the core sent, the first frame after that, long tasks meanwhile. */
function pageLeg(times: PageTimes, coreAt: number, shownAt: number): string {
  const message = times.messages.find((t) => t >= coreAt);
  const frame = message === undefined ? undefined : times.frames.find((t) => t >= message);
  const busy = times.longTasks
    .filter(([start, ms]) => start < shownAt && start + ms > coreAt)
    .map(([, ms]) => Math.round(ms));
  const since = (t: number | undefined) => (t === undefined ? '?' : String(t - coreAt));
  return `page: message +${since(message)}, frame +${since(frame)}, long tasks ${busy.join('/') || 'none'}`;
}

/** CSS animations running on the page, by name: each keeps Chromium producing frames. */
function runningAnimations(page: Page): Promise<string> {
  return page.evaluate(() => {
    const byName = new Map<string, number>();
    for (const a of document.getAnimations()) {
      const name = (a as CSSAnimation).animationName ?? a.constructor.name;
      byName.set(name, (byName.get(name) ?? 0) + 1);
    }
    return [...byName].map(([n, c]) => `${n} ×${c}`).join(', ') || 'none';
  });
}

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usedSize / 2 ** 20;
}

export async function scaleBench(size: ScaleSize = SCALE_50K, mode: BenchMode = 'quiet'): Promise<Figure[]> {
  const { rate: RATE } = size;
  const t0 = performance.now();
  const rendererDir = await buildRenderer(log);
  const backend = await startBenchBackend({ sites: size.sites, points: size.points });
  const allPointIds = backend.pointIds;
  log(
    `backend (process ${backend.pid}) with ${allPointIds.length} points, ${backend.stations} stations, all connected (${Math.round(performance.now() - t0)} ms)`,
  );

  const user = { rendererDir, backendUrl: backend.url, username: BENCH_USER.username, password: BENCH_USER.password };
  const dirA = tempDir('bench-scale-a').path;
  const dirB = tempDir('bench-scale-b').path;
  const consoles: ConsoleProcess[] = [];
  const live = (c: ConsoleProcess) =>
    waitFor('the console to be live', async () => (await c.call('connection')).state === 'live', 120_000, 50);
  let browser: Browser | null = null;
  // From the consoles' start to the last figure: every figure of a busy run is measured beside the load.
  const busy = startBusyLoad(mode);
  log(`${size.label} ${mode}: ${mode === 'busy' ? 'one core kept busy by another process' : 'nothing else running'}`);
  try {
    // Console A once to fill its cache, then again from that warm cache; console B stays up.
    let a = await startConsoleProcess({ dataDir: dirA, ...user });
    consoles.push(a);
    const b = await startConsoleProcess({ dataDir: dirB, ...user });
    consoles.push(b);
    const syncStart = performance.now();
    await live(a);
    await live(b);
    log(`two consoles synced from a snapshot (${Math.round(performance.now() - syncStart)} ms)`);
    await a.stop();
    consoles.splice(consoles.indexOf(a), 1);
    a = await startConsoleProcess({ dataDir: dirA, ...user });
    consoles.push(a);
    log(`console A restarted: ${a.points} points in its cache, opened in ${Math.round(a.cacheLoadedMs)} ms`);

    let coreRssMb = 0;
    // Where the peak comes from: the largest RSS and JS heap of any console per phase of the benchmark.
    let phase = 'page load';
    const rssByPhase = new Map<string, { rss: number; heap: number }>();
    const sampleRss = async () => {
      for (const c of consoles) {
        const m = await c.call('memory');
        coreRssMb = Math.max(coreRssMb, m.rss / 2 ** 20);
        const seen = rssByPhase.get(phase) ?? { rss: 0, heap: 0 };
        rssByPhase.set(phase, {
          rss: Math.max(seen.rss, m.rss / 2 ** 20),
          heap: Math.max(seen.heap, m.heapUsed / 2 ** 20),
        });
      }
    };
    const logRss = () =>
      log(
        `console RSS / JS heap max by phase: ${[...rssByPhase].map(([name, m]) => `${name} ${m.rss.toFixed(0)}/${m.heap.toFixed(0)} MB`).join('; ')}`,
      );
    const rssTimer = setInterval(() => void sampleRss().catch(() => undefined), 1000);

    browser = await chromium.launch({ ...benchChromiumLaunchOptions(), headless: true });
    // ---- first grid render from the warm cache ----
    // From the start of the navigation (a new tab's own process start is the browser's, not ours).
    const pageA = await openPage(browser, a.url, 'page-a-start');
    const openedAt = pageA.navigatingAt;
    const firstPaintAt = await waitFor(
      'the first rows',
      () => pageA.evaluate(() => (window as any).__vb.firstRowPaintAt as number | null),
      30_000,
      10,
    );
    const firstRenderMs = firstPaintAt - openedAt;
    await waitFor(
      'the whole network',
      () =>
        pageA
          .getByTestId('load-strip')
          .count()
          .then((n) => n === 0),
      60_000,
      10,
    );
    const wholeNetworkMs = Date.now() - openedAt;
    await waitFor(
      'console A live',
      () =>
        pageA
          .getByTestId('connection-banner')
          .getAttribute('data-state')
          .then((s) => s === 'live'),
      30_000,
    );
    await live(a);
    // A string, not a function: tsx would wrap named inner functions in a helper the page does not have.
    const marks = (await pageA.evaluate(`(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
      return { domContentLoaded: nav ? nav.domContentLoadedEventEnd : NaN, askedEarly: mark('voltboard:first-screen-asked-early'), requested: mark('voltboard:network-requested'), firstScreen: mark('voltboard:first-screen-received'),
        received: mark('voltboard:network-received'), firstPaint: window.__vb.firstRowPaintAt - performance.timeOrigin };
    })()`)) as {
      domContentLoaded: number;
      askedEarly: number;
      requested: number;
      firstScreen: number;
      received: number;
      firstPaint: number;
    };
    log(
      `first rows painted ${firstRenderMs} ms after opening the page, the whole network after ${wholeNetworkMs} ms (page time: DOM ready ${Math.round(marks.domContentLoaded)}, first screen asked by the boot chunk ${Math.round(marks.askedEarly)} and by the app ${Math.round(marks.requested)}, received ${Math.round(marks.firstScreen)}, all received ${Math.round(marks.received)}, rows painted ${Math.round(marks.firstPaint)} ms)`,
    );
    let heapMaxMb = await heapMb(pageA);

    // ---- filter and sort over every row (quiet network) ----
    phase = 'filter and sort';
    const probe = <T>(fn: string, ...args: unknown[]) =>
      pageA.evaluate(([f, a]) => (window as any).__vb[f as string](...(a as unknown[])), [
        fn,
        args,
      ] as const) as Promise<T>;
    const siteWord = (await backend.sites())[1234].name.split(/\s+/)[0].toLowerCase();
    const filterMs: number[] = [];
    const sortMs: number[] = [];
    const stopFilterProfile = await startPageProfile(pageA);
    for (let i = 0; i < 5; i++) {
      filterMs.push(await probe<number>('setFilterText', i % 2 ? 'ac-' : siteWord));
      filterMs.push(await probe<number>('setFilterText', ''));
      sortMs.push(await probe<number>('clickSort', 'shown'));
      sortMs.push(await probe<number>('clickSort', 'point'));
    }
    await stopFilterProfile('page-a-filter-sort');
    // Back to the default order (point, ascending): a click on the active column flips it.
    const sortState = await pageA.getByTestId('sort-point').getAttribute('class');
    log(`filter ms ${filterMs.map(Math.round).join(' ')}; sort ms ${sortMs.map(Math.round).join(' ')} (${sortState})`);

    // ---- the size's status changes per second for LOAD_S seconds ----
    phase = 'live load';
    await pageA.evaluate(() => (window as any).__vb.startFrames());
    const stopLoadProfile = await startPageProfile(pageA);
    const before = await a.call('memory');
    // Who uses the two cores: the backend (with the load generator), this process (Playwright), console A, page A's
    // main thread.
    const pageABusy = await mainThreadBusy(pageA);
    const benchCpuBefore = process.cpuUsage();
    const chromiumThreadsBefore = browserThreadsCpuMs();
    const loadStartedAt = performance.now();
    await backend.probeReset();
    await backend.startLoad(RATE);
    const heapTimer = setInterval(
      () =>
        void heapMb(pageA)
          .then((mb) => (heapMaxMb = Math.max(heapMaxMb, mb)))
          .catch(() => undefined),
      5000,
    );
    if (process.env.VB_BENCH_TRACE) {
      await new Promise((r) => setTimeout(r, 3000));
      await browser.startTracing(pageA, {
        path: process.env.VB_BENCH_TRACE,
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
      });
      await new Promise((r) => setTimeout(r, 5000));
      await browser.stopTracing();
      log(
        `trace of 5 s of the live load written to ${process.env.VB_BENCH_TRACE} (summarise: npx tsx bench/traceSummary.ts FILE)`,
      );
      await new Promise((r) => setTimeout(r, Math.max(0, LOAD_S * 1000 - 8000)));
    } else await new Promise((r) => setTimeout(r, LOAD_S * 1000));
    const pushed = await backend.stopLoad();
    log(
      `Chromium's busiest threads during the live load (in % of one core, summed over processes of a type): ${busiestBrowserThreads(chromiumThreadsBefore, browserThreadsCpuMs(), (performance.now() - loadStartedAt) / 1000)}`,
    );
    const after = await a.call('memory');
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const backendDuringLoad = await backend.probe();
    const pageBusyMs = await pageABusy();
    log(
      `console A during the load: ${after.pointsEvents - before.pointsEvents} points events, ${after.points - before.points} points, CPU ${Math.round(after.cpuMs - before.cpuMs)} ms; ` +
        `page A main thread busy ${Math.round(pageBusyMs)} ms; backend + load generator CPU ${Math.round(backendDuringLoad.cpuMs)} ms (event loop delay p99 ${backendDuringLoad.loopP99Ms.toFixed(1)} max ${backendDuringLoad.loopMaxMs.toFixed(0)} ms); Playwright CPU ${Math.round((benchCpu.user + benchCpu.system) / 1000)} ms`,
    );
    const frames = await pageA.evaluate(
      () => (window as any).__vb.stopFrames() as { deltas: number[]; longTasks: number; longTaskMs: number },
    );
    await stopLoadProfile('page-a-live-load');
    clearInterval(heapTimer);
    log(
      `pushed ${pushed.sent} changes, all written after ${pushed.seconds.toFixed(1)} s (${Math.round(pushed.rate)}/s written, worst lag ${Math.round(pushed.worstLagMs)} ms, at most ${pushed.worstBacklog} sent and not yet written${pushed.failed ? `, ${pushed.failed} FAILED to store` : ''})`,
    );
    const deltas = frames.deltas;
    const slowFrames = deltas.filter((d) => d > 25).length;
    log(
      `frames: ${deltas.length}, over 25 ms ${slowFrames}, p50 ${median(deltas).toFixed(1)} p95 ${percentile(deltas, 95).toFixed(1)} p99 ${percentile(deltas, 99).toFixed(1)} max ${Math.max(...deltas).toFixed(0)} ms; long tasks ${frames.longTasks} (${Math.round(frames.longTaskMs)} ms)`,
    );

    // The end state: console A's cache against the backend point by point, and the page's counts and rows.
    phase = 'end state';
    const settleStart = performance.now();
    let truth = await backend.truth();
    let coreDiff = -1;
    await waitFor(
      'console A to hold the backend state',
      async () => {
        const state = (await a.call('state')) as { seq: number; points: [string, number, ShownStatus][] };
        coreDiff = 0;
        for (const [id, seq, shown] of state.points) {
          const t = truth.byId.get(id);
          if (!t || t.seq !== seq || t.shown !== shown) coreDiff++;
        }
        coreDiff += Math.abs(truth.byId.size - state.points.length);
        return coreDiff === 0;
      },
      20_000,
      200,
    ).catch(() => undefined);
    let pageDiff: string[] = [];
    await waitFor(
      'the grid to equal the backend',
      async () => {
        pageDiff = differences(await probe<Snapshot>('snapshot'), truth);
        return pageDiff.length === 0;
      },
      10_000,
      100,
    ).catch(() => undefined);
    // A sample of rows anywhere in the network: filter to one point id at a time.
    const sample = Array.from({ length: 12 }, (_, i) => allPointIds[(i * 4099 + 17) % allPointIds.length]);
    for (const id of sample) {
      await probe('setFilterText', id);
      // The probe returns at the grid's first change, which can be a highlight ending: wait for the filter itself.
      let row: Snapshot['rows'][string] | undefined;
      await waitFor(
        'the filtered row',
        async () => Boolean((row = (await probe<Snapshot>('snapshot')).rows[id])),
        3000,
        20,
      ).catch(() => undefined);
      const t = truth.byId.get(id)!;
      if (!row || row.shown !== t.shown || row.delivery !== t.delivery)
        pageDiff.push(`sample ${id}: ${row?.shown}/${row?.delivery} != ${t.shown}/${t.delivery}`);
    }
    await probe('setFilterText', '');
    log(
      `end state after ${Math.round(performance.now() - settleStart)} ms: core differs on ${coreDiff} points, page on ${pageDiff.length} (${pageDiff.slice(0, 3).join('; ')})`,
    );

    if (process.env.VB_BENCH_STOP_AFTER_LIVE) {
      clearInterval(rssTimer);
      logRss();
      return [];
    }
    // ---- an edit on console B shown on console A, under the same load ----
    phase = 'cross-console';
    const pageB = await openPage(browser, b.url);
    await waitFor('console B grid', () => pageB.evaluate(() => (window as any).__vb.firstRowPaintAt !== null), 30_000);
    await waitFor(
      'console B to hold the whole network',
      () =>
        pageB
          .getByTestId('load-strip')
          .count()
          .then((n) => n === 0),
      60_000,
      20,
    );
    await pageB.evaluate(() => (window as any).__vb.api());
    const inView = Object.entries((await probe<Snapshot>('snapshot')).rows)
      .filter(([, r]) => r.inView)
      .map(([id]) => id);
    await pageA.evaluate(() => (window as any).__vb.watchStatus());
    await a.call('trackOperator', { pointIds: inView });
    const cpuBefore = machineCpu();
    await backend.startLoad(RATE);
    await new Promise((r) => setTimeout(r, 2000));
    // Garbage collection and event-loop delay from here to the end of the edits.
    for (const c of consoles) await c.call('loopDelay', { reset: true });
    await backend.probeReset();
    const benchGcPauses = gcPauses();
    for (const [name, page] of [
      ['A', pageA],
      ['B', pageB],
    ] as const)
      log(`animations running on page ${name} before the edits: ${await runningAnimations(page)}`);
    const stopEditProfiles = [await startPageProfile(pageA), await startPageProfile(pageB)];
    // From /proc, not from the pages: Chromium's own accounting (Performance.enable) would add work to what it measures.
    /** Each measured process's main thread: the consoles, the backend (with its load) and the renderers (by pid). */
    const editsSched = (): Map<string, ThreadSched | null> =>
      new Map<string, ThreadSched | null>([
        ['console A', mainThreadSched(a.pid)],
        ['console B', mainThreadSched(b.pid)],
        ['backend', mainThreadSched(backend.pid)],
        ...[...rendererMainThreadsSched()].map(([pid, sched]) => [`renderer process ${pid}`, sched] as const),
      ]);
    const editsCpuBefore = {
      renderers: rendererMainThreadsCpuMs(),
      chromium: browserCpuMs(),
      chromiumThreads: browserThreadsCpuMs(),
      sched: editsSched(),
      a: (await a.call('memory')).cpuMs,
      b: (await b.call('memory')).cpuMs,
      bench: process.cpuUsage(),
      at: performance.now(),
    };
    const edits: { id: string; status: string; at: number; mutationId: string }[] = [];
    const traceEdits = process.env.VB_BENCH_TRACE_EDITS;
    const tracing = browser;
    const editsTraced = !traceEdits
      ? Promise.resolve()
      : (async () => {
          await new Promise((r) => setTimeout(r, TRACE_EDITS_S <= 12 ? 5000 : 500));
          await tracing.startTracing(undefined, {
            path: traceEdits,
            categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
          });
          await new Promise((r) => setTimeout(r, TRACE_EDITS_S * 1000));
          await tracing.stopTracing();
          log(
            `trace of ${TRACE_EDITS_S} s of the cross-console edits written to ${traceEdits} (summarise: npx tsx bench/traceSummary.ts FILE)`,
          );
        })().catch((e: unknown) => log(`trace of the edits failed: ${(e as Error).message}`));
    const heapTimer2 = setInterval(
      () =>
        void heapMb(pageA)
          .then((mb) => (heapMaxMb = Math.max(heapMaxMb, mb)))
          .catch(() => undefined),
      5000,
    );
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const id = inView[i % inView.length];
      const status = Math.floor(i / inView.length) % 2 ? 'OutOfService' : 'Maintenance';
      const r = await pageB.evaluate(
        ([pid, s]) => (window as any).__vb.setStatus([pid], s) as Promise<{ at: number; mutationId: string }>,
        [id, status] as const,
      );
      edits.push({ id, status, at: r.at, mutationId: r.mutationId });
      await new Promise((res) => setTimeout(res, 150));
    }
    for (const [name, page] of [
      ['A', pageA],
      ['B', pageB],
    ] as const)
      log(`animations running on page ${name} after the edits: ${await runningAnimations(page)}`);
    await new Promise((r) => setTimeout(r, 1500));
    const pushed2 = await backend.stopLoad();
    const backendDuringEdits = await backend.probe();
    const gcDuringEdits = {
      consoles: await Promise.all([a, b].map(async (c) => ((await c.call('loopDelay')) as { gc: GcSummary }).gc)),
      bench: benchGcPauses.summary(),
      backend: backendDuringEdits.gc,
    };
    benchGcPauses.stop();
    await editsTraced;
    const editsSeconds = (performance.now() - editsCpuBefore.at) / 1000;
    const renderersAfter = rendererMainThreadsCpuMs();
    const rendererMain = [...renderersAfter]
      .sort(([p1], [p2]) => p1 - p2)
      .map(([pid, ms]) => ms - (editsCpuBefore.renderers.get(pid) ?? 0))
      .filter((ms) => ms >= 100);
    const chromiumMs = browserCpuMs();
    const benchEditsCpu = process.cpuUsage(editsCpuBefore.bench);
    const share = (ms: number) => `${Math.round(ms / editsSeconds / 10)} %`;
    log(
      `CPU during the edits (${editsSeconds.toFixed(1)} s, in % of one core): pages' main threads ${rendererMain.map(share).join(' and ') || 'n/a'} (oldest page first), ` +
        `all Chromium processes ${chromiumMs !== null && editsCpuBefore.chromium !== null ? share(chromiumMs - editsCpuBefore.chromium) : 'n/a'}, ` +
        `console A ${share((await a.call('memory')).cpuMs - editsCpuBefore.a)}, console B ${share((await b.call('memory')).cpuMs - editsCpuBefore.b)}, ` +
        `backend + load generator ${share(backendDuringEdits.cpuMs)}, Playwright ${share((benchEditsCpu.user + benchEditsCpu.system) / 1000)}`,
    );
    log(
      `Chromium's busiest threads during the edits (in % of one core, summed over processes of a type): ${busiestBrowserThreads(editsCpuBefore.chromiumThreads, browserThreadsCpuMs(), editsSeconds)}`,
    );
    const schedAfter = editsSched();
    log(
      `main threads during the edits, on a core and waiting for one (runnable, not running; /proc schedstat; page A's renderer is the older process): ${schedBetween(
        [...schedAfter].map(([name, after]) => [name, editsCpuBefore.sched.get(name) ?? null, after]),
      )}; Chromium's threads above normal priority: ${browserThreadsAboveNormalPriority()} (bench/chromiumAsUser.sh)`,
    );
    await stopEditProfiles[0]('page-a-cross-console');
    await stopEditProfiles[1]('page-b-cross-console');
    clearInterval(heapTimer2);
    const changes = await pageA.evaluate(() => (window as any).__vb.statusChanges as [string, string, number][]);
    const pageTimes = await pageA.evaluate(() => (window as any).__vb.unwatchStatus() as PageTimes);
    const fullDerives = await pageA.evaluate(
      ([markName, since]) =>
        performance
          .getEntriesByName(markName)
          .filter((m) => performance.timeOrigin + m.startTime >= since)
          .map(
            (m) => `${Math.round(performance.timeOrigin + m.startTime - since)} ms: ${(m as PerformanceMark).detail}`,
          ),
      [FULL_DERIVE_MARK, edits[0]?.at ?? 0] as const,
    );
    log(
      `page A derived every row from scratch ${fullDerives.length} times during the edits${fullDerives.length ? ` (${fullDerives.slice(0, 5).join('; ')})` : ''}`,
    );
    const latencies: number[] = [];
    let missing = 0;
    for (const e of edits) {
      const seen = changes.find(([id, s, t]) => id === e.id && s === e.status && t >= e.at);
      if (seen) latencies.push(seen[2] - e.at);
      else missing++;
    }
    // Where the time goes: edit → backend applied → console A's core sent it to its page → the page showed it.
    const processedAt = await backend.processedAt(edits.map((e) => e.mutationId));
    const appliedAtOf = (mutationId: string) => Date.parse(processedAt[mutationId] ?? '');
    const seenByCoreA = (await a.call('operatorSeen', { pointIds: [...new Set(edits.map((e) => e.id))] })) as Record<
      string,
      { status: string; at: number }[]
    >;
    const toBackend: number[] = [];
    const toCoreA: number[] = [];
    const toPage: number[] = [];
    for (const e of edits) {
      const appliedAt = appliedAtOf(e.mutationId);
      const coreAt = seenByCoreA[e.id]?.find((x) => x.status === e.status && x.at >= e.at)?.at ?? Number.NaN;
      const shownAt = changes.find(([id, st, t]) => id === e.id && st === e.status && t >= e.at)?.[2] ?? Number.NaN;
      if (!Number.isNaN(appliedAt)) toBackend.push(appliedAt - e.at);
      if (!Number.isNaN(coreAt) && !Number.isNaN(appliedAt)) toCoreA.push(coreAt - appliedAt);
      if (!Number.isNaN(shownAt) && !Number.isNaN(coreAt)) toPage.push(shownAt - coreAt);
    }
    const legs = (xs: number[]) => `p50 ${median(xs)} p99 ${percentile(xs, 99)}`;
    const delays = await Promise.all(
      [a, b].map((c) => c.call('loopDelay') as Promise<{ p50: number; p99: number; max: number }>),
    );
    const cpuAfter = machineCpu();
    if (cpuBefore && cpuAfter) {
      const steal = (cpuAfter.steal - cpuBefore.steal) / (cpuAfter.total - cpuBefore.total);
      const busy = (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total) - steal;
      log(
        `the machine's CPUs during the edits: ${Math.round(busy * 100)} % busy (all ${cpuAfter.cores} cores, every process), and ${Math.round(steal * 100)} % taken by the host (steal)`,
      );
    }
    log(
      `event loop delay during the edits: console A p99 ${delays[0].p99} max ${delays[0].max} ms; console B p99 ${delays[1].p99} max ${delays[1].max} ms; backend (with the load) p99 ${backendDuringEdits.loopP99Ms.toFixed(1)} max ${backendDuringEdits.loopMaxMs.toFixed(0)} ms`,
    );
    log(
      `garbage-collection pauses during the edits: console A ${formatGc(gcDuringEdits.consoles[0])}; console B ${formatGc(gcDuringEdits.consoles[1])}; backend + load generator ${formatGc(gcDuringEdits.backend)}; Playwright ${formatGc(gcDuringEdits.bench)}`,
    );
    const shownAfter = (e: (typeof edits)[number]) =>
      (changes.find(([id, st, t]) => id === e.id && st === e.status && t >= e.at)?.[2] ?? Number.NaN) - e.at;
    const slowest = edits
      .map((e) => ({ e, total: shownAfter(e) }))
      .filter((x) => !Number.isNaN(x.total))
      .sort((x, y) => y.total - x.total)
      .slice(0, 4);
    log(
      `slowest edits (total = to backend + to core A + to page A): ${slowest
        .map(({ e, total }) => {
          const appliedAt = appliedAtOf(e.mutationId);
          const coreAt = seenByCoreA[e.id]?.find((x) => x.status === e.status && x.at >= e.at)?.at ?? Number.NaN;
          return `${total} = ${appliedAt - e.at} + ${coreAt - appliedAt} + ${e.at + total - coreAt} (${pageLeg(pageTimes, coreAt, e.at + total)})`;
        })
        .join('; ')}`,
    );
    log(
      `cross-console legs: page B → backend applied ${legs(toBackend)}; → console A core sent ${legs(toCoreA)}; → page A shows ${legs(toPage)} ms`,
    );
    log(
      `cross-console: ${latencies.length} samples (${missing} not seen) under ${Math.round(pushed2.rate)}/s written (at most ${pushed2.worstBacklog} waiting): p50 ${median(latencies)} p95 ${percentile(latencies, 95)} p99 ${percentile(latencies, 99)} max ${Math.max(...latencies)} ms`,
    );
    await pageB.context().close();

    // ---- a bulk change of 5,000 points, from console A, until every outcome is shown ----
    phase = 'bulk';
    await new Promise((r) => setTimeout(r, 500));
    const sitesInGridOrder = (await backend.sites()).sort((x, y) =>
      siteOrderKey(x.name, x.id) < siteOrderKey(y.name, y.id) ? -1 : 1,
    );
    const bySite = new Map<string, string[]>();
    for (const [id, siteId] of await backend.pointSites()) {
      let list = bySite.get(siteId);
      if (!list) bySite.set(siteId, (list = []));
      list.push(id);
    }
    const bulkIds: string[] = [];
    for (const s of sitesInGridOrder) {
      for (const id of bySite.get(s.id) ?? []) if (bulkIds.length < BULK) bulkIds.push(id);
      if (bulkIds.length >= BULK) break;
    }
    await pageA.evaluate(() => (window as any).__vb.watch());
    const bulk = await pageA.evaluate(
      (ids) => (window as any).__vb.setStatus(ids, 'OutOfService') as Promise<{ at: number; mutationId: string }>,
      bulkIds,
    );
    await waitFor('the bulk edit to be answered', () => backend.processed(bulk.mutationId), 30_000, 20);
    // Every point's delivery settles (station offline: no simulated station answers) as its own change. Read from
    // the first point not yet settled on, so the polling does not take the backend's time from what it measures.
    let unsettledFrom = 0;
    await waitFor(
      'deliveries to settle',
      async () =>
        (unsettledFrom = await backend.firstNotInDeliveryState(bulkIds, 'stationOffline', unsettledFrom)) === -1,
      30_000,
      50,
    ).catch(() => undefined);
    truth = await backend.truth();
    let bulkShownAt: number | null = null;
    let bulkDiff: string[] = [];
    await waitFor(
      'every outcome shown',
      async () => {
        const logSnaps = await pageA.evaluate(() => (window as any).__vb.watchLog as Snapshot[]);
        for (const snap of logSnaps) {
          const diff = differences(snap, truth).concat(
            /\d+ edits? queued/.test(snap.outbox) ? [`outbox: ${snap.outbox}`] : [],
          );
          if (diff.length === 0) {
            bulkShownAt = snap.at;
            return true;
          }
          bulkDiff = diff;
        }
        return false;
      },
      30_000,
      250,
    ).catch(() => undefined);
    await pageA.evaluate(() => (window as any).__vb.unwatch());
    const bulkMs = bulkShownAt === null ? Number.POSITIVE_INFINITY : bulkShownAt - bulk.at;
    log(
      `bulk of ${bulkIds.length}: every outcome shown after ${bulkMs} ms${bulkShownAt === null ? ` (still differs: ${bulkDiff.slice(0, 3).join('; ')})` : ''}`,
    );

    heapMaxMb = Math.max(heapMaxMb, await heapMb(pageA));
    clearInterval(rssTimer);
    await sampleRss();
    logRss();
    log(
      `memory: renderer JS heap max ${heapMaxMb.toFixed(0)} MB; console core process RSS max ${coreRssMb.toFixed(0)} MB`,
    );

    const busyShare = await busy.stop();
    if (mode === 'busy') log(`the busy load took ${Math.round(busyShare * 100)} % of a core while it ran`);
    const n = size.points.toLocaleString('en');
    const changesPerS = RATE.toLocaleString('en');
    const named = (fig: Figure): Figure => ({ ...fig, name: `scale ${size.label} ${mode}: ${fig.name}` });
    return [
      figure(`first grid render from a warm cache (${n} points)`, firstRenderMs, 'ms', '<=', 1000),
      figure(
        'whole network loaded from a warm cache: counts complete, live changes applied (our target)',
        wholeNetworkMs,
        'ms',
        '<=',
        3000,
      ),
      figure('status changes pushed during the live test', pushed.rate, 'per s', '>=', RATE * 0.99),
      figure(
        `live ${changesPerS} changes/s for ${LOAD_S} s: frames over 25 ms`,
        (slowFrames / deltas.length) * 100,
        '%',
        '<=',
        1,
      ),
      figure(`live ${changesPerS} changes/s for ${LOAD_S} s: frame time p95`, percentile(deltas, 95), 'ms', '<=', 17),
      figure(`live ${changesPerS} changes/s: changes lost (core cache vs backend, points)`, coreDiff, 'count', '==', 0),
      figure(
        `live ${changesPerS} changes/s: grid differs from backend at the end (counts + rows)`,
        pageDiff.length,
        'count',
        '==',
        0,
      ),
      figure(`filter ${n} rows (median of 10, to painted frame)`, median(filterMs), 'ms', '<=', 50),
      figure(`sort ${n} rows (median of 10, to painted frame)`, median(sortMs), 'ms', '<=', 50),
      figure(`bulk change of ${BULK} points: every outcome shown`, bulkMs, 'ms', '<=', 3000),
      figure(
        `edit on one console visible on a second under ${changesPerS} changes/s: p99`,
        missing ? Number.POSITIVE_INFINITY : percentile(latencies, 99),
        'ms',
        '<=',
        150,
      ),
      figure('renderer JS heap (max)', heapMaxMb, 'MB', '<=', size.rendererHeapMb),
      figure('console core process RSS (max)', coreRssMb, 'MB', '<=', 400),
    ].map(named);
  } finally {
    await busy.stop().catch(() => undefined);
    await browser?.close();
    for (const c of consoles) await c.stop();
    await backend.stop();
  }
}
