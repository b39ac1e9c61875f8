// A year of point status history for a network (a realistic mix of sessions, faults, dropouts and windows), written the
// way the recorder writes it (interleaved across points, day by day): the store's size per point-year, the time to
// compute network-wide monthly uptime and the Availability view's 30 days with daily figures, from the intervals
// (before the roll-ups) and from the day roll-ups (after), alternating, and the time to produce a month's CSV.
// `npx tsx bench/history.bench.ts` (2,000 points) or VB_HISTORY_POINTS=50000 for the full network.
// VB_HISTORY_SESSIONS=0 writes no sessions (what the store keeps of a month older than 35 days: the up time merged),
// which makes a 50,000-point year minutes of generation instead of hours; the outages, windows and dropouts are the same.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser } from 'playwright-core';
import { ManualClock, systemClock, type Clock } from '../common/clock.js';
import type { ShownStatus } from '../common/status.js';
import { DAY_MS, MINUTE_MS, recentDays, VIEW_FIRST_DAYS } from '../common/uptime.js';
import type { IntervalSource } from '../common/uptime.js';
import { uptimeReport } from '../backend/history/csvReport.js';
import { createRng } from '../backend/demo/prng.js';
import { HistoryRecorder } from '../backend/history/recorder.js';
import { UptimeService } from '../backend/history/uptimeService.js';
import type { OpenInterval } from '../backend/store/history.js';
import { startBackend } from '../backend/server.js';
import { Store, STORE_FILE } from '../backend/store/index.js';
import { chromiumLaunchOptions } from '../tests/support/chromium.js';
import { tempDir } from '../tests/support/tempDir.js';
import { sqliteOf } from '../tests/support/testStore.js';
import { waitFor } from '../tests/support/waitFor.js';
import { BENCH_USER } from './backendWithNetwork.js';
import { startConsoleProcess, type ConsoleProcess } from './consoles.js';
import { figure, print, type Figure } from './figures.js';
import { openConsolePage } from './consolePage.js';
import { buildRenderer } from './rendererBuild.js';

const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const ERROR_CODES = [
  'GroundFailure',
  'PowerMeterFailure',
  'ConnectorLockFailure',
  'HighTemperature',
  'EVCommunicationError',
];

/** The same seeded sequence every run (mulberry32, as the demo's). */
const random = (seed: number): (() => number) => createRng(seed).next;

interface Step {
  at: number;
  status: ShownStatus;
  source: IntervalSource;
  cause: string | null;
  windowId: string | null;
}

/** One day of one point: 6–14 sessions, a fault about monthly, a dropout about twice a month, a window quarterly. */
const WITH_SESSIONS = process.env.VB_HISTORY_SESSIONS !== '0';
/** The network shape: 50,000 points are 2,000 sites of 5 stations with 5 points each. */
const POINTS_PER_STATION = 5;
const POINTS_PER_SITE = 25;
/** The bench's sites take these zones in turn (two with daylight saving). */
const SITE_ZONES = ['UTC', 'Europe/Amsterdam', 'America/New_York', 'Asia/Kolkata'];

function dayOf(rnd: () => number, day: number, dayIndex: number, pointIndex: number): Step[] {
  const steps: Step[] = [];
  const up = (at: number): Step => ({ at, status: 'Available', source: 'reported', cause: null, windowId: null });
  const sessions = WITH_SESSIONS ? 6 + Math.floor(rnd() * 9) : 0;
  for (let i = 0; i < sessions; i++) {
    const at = day + Math.floor(((i + rnd() * 0.5) / sessions) * DAY_MS);
    steps.push({ at, status: 'Occupied', source: 'reported', cause: null, windowId: null });
    steps.push(up(at + (20 + Math.floor(rnd() * 60)) * MINUTE_MS));
  }
  if (rnd() < 1 / 30) {
    const at = day + Math.floor(rnd() * DAY_MS * 0.7);
    steps.push({
      at,
      status: 'Faulted',
      source: 'reported',
      cause: ERROR_CODES[Math.floor(rnd() * ERROR_CODES.length)],
      windowId: null,
    });
    steps.push(up(at + (30 + Math.floor(rnd() * 330)) * MINUTE_MS));
  }
  if (rnd() < 2 / 30) {
    const at = day + Math.floor(rnd() * DAY_MS * 0.9);
    steps.push({ at, status: 'Offline', source: 'connection', cause: 'offline', windowId: null });
    steps.push(up(at + (5 + Math.floor(rnd() * 25)) * MINUTE_MS));
  }
  if ((dayIndex + pointIndex) % 91 === 0) {
    const at = day + 2 * 60 * MINUTE_MS;
    steps.push({
      at,
      status: 'Maintenance',
      source: 'operator',
      cause: 'Quarterly inspection',
      windowId: `w-${dayIndex}-${pointIndex % 50}`,
    });
    steps.push(up(at + 4 * 60 * MINUTE_MS));
  }
  // Events that overlap are cut short by the next one (as real reports are): keep them in time order, drop repeats.
  return steps.sort((a, b) => a.at - b.at).filter((s, i, all) => i === 0 || s.at > all[i - 1].at);
}

function fileBytes(dir: string): number {
  return statSync(join(dir, STORE_FILE)).size;
}

interface Generated {
  points: number;
  pointsPerSite: number;
  intervals: number;
  compacted: number;
  bytes: number;
  writeMs: number;
}

/** Where a generated store says what it holds (VB_HISTORY_DIR keeps one across runs). */
const GENERATED_FILE = 'history-bench.json';

/** Sites, stations, points and their year of history, written as the recorder writes it. */
function generate(store: Store, dir: string, points: number): Generated {
  store.changes.write('bench seed', () => {
    for (let s = 0; s < Math.ceil(points / POINTS_PER_SITE); s++) {
      store.stations.upsertSite({
        id: `SITE${s}`,
        name: `Site ${s}`,
        city: 'Bench',
        address: `${s} Road`,
        timeZone: SITE_ZONES[s % SITE_ZONES.length],
      });
    }
    for (let st = 0; st < points / POINTS_PER_STATION; st++) {
      const stationId = `ST${st}`;
      const siteId = `SITE${Math.floor((st * POINTS_PER_STATION) / POINTS_PER_SITE)}`;
      store.stations.insert({ id: stationId, siteId, protocol: 'ocpp1.6' });
      for (let e = 1; e <= POINTS_PER_STATION; e++) {
        store.points.insert({
          id: `${stationId}-${e}`,
          stationId,
          evseId: e,
          label: `${st}/${e}`,
          connectors: [{ id: 1, type: 'CCS2', maxKw: 150 }],
        });
      }
    }
  });
  const ids = store.points.all().map((p) => p.id);
  sqliteOf(store.db).pragma('wal_checkpoint(TRUNCATE)');
  const before = fileBytes(dir);

  const rnd = random(42);
  const open = new Map<number, OpenInterval>();
  const numbers = store.db.tx('bench numbers', () => ids.map((id) => store.history.numberOf(id, YEAR_START)));
  // What the recorder does when it starts: each point's roll-up days cut in its site's zone, then kept as it writes.
  new HistoryRecorder(store, new ManualClock(YEAR_START), () => undefined).reconcileRollups();
  let intervals = 0;
  let compacted = 0;
  const t0 = performance.now();
  for (let d = 0; d < 365; d++) {
    const day = YEAR_START + d * DAY_MS;
    store.db.tx('bench day', () => {
      numbers.forEach((n, i) => {
        for (const s of dayOf(rnd, day, d, i)) {
          const current = open.get(n) ?? null;
          if (current && current.status === s.status && current.cause === s.cause) continue;
          const facts = { status: s.status, source: s.source, cause: s.cause, windowId: s.windowId };
          store.history.record(n, current, facts, s.at);
          // As record() does: an event at or before the open interval's start replaces its status, keeping its start.
          const start = current && current.start >= s.at ? current.start : s.at;
          open.set(n, { ...facts, start, end: null, n });
          intervals++;
        }
      });
    });
    // What the recorder's prune does every 6 h: sessions' detail older than 35 days merged.
    if (d >= 35) compacted += store.history.compactUp(day - 36 * DAY_MS, day - 35 * DAY_MS + DAY_MS);
  }
  const writeMs = performance.now() - t0;
  sqliteOf(store.db).pragma('wal_checkpoint(TRUNCATE)');
  const generated = {
    points,
    pointsPerSite: POINTS_PER_SITE,
    intervals,
    compacted,
    bytes: fileBytes(dir) - before,
    writeMs,
  };
  writeFileSync(join(dir, GENERATED_FILE), JSON.stringify(generated));
  return generated;
}

/** A store generated earlier in VB_HISTORY_DIR with as many points and the same mix, else null. */
function generatedBefore(dir: string, points: number): Generated | null {
  if (!existsSync(join(dir, GENERATED_FILE))) return null;
  const g = JSON.parse(readFileSync(join(dir, GENERATED_FILE), 'utf8')) as Generated;
  return g.points === points && g.pointsPerSite === POINTS_PER_SITE ? g : null;
}

/**
 * The Availability view in Chromium on the generated network: a backend on a copy of the store (its clock set to the
 * year's end, running), a console (core + web host, its own process) and its page with the whole grid loaded. Times
 * the click on Availability to the first chart's line painted, then scrolls the ranked list of every site (3 rows a
 * frame, 4 s) and counts the frames over 25 ms.
 */
export async function viewInChromium(storeDir: string, points: number, log: (line: string) => void): Promise<Figure[]> {
  const copy = tempDir('history-view');
  copyFileSync(join(storeDir, STORE_FILE), join(copy.path, STORE_FILE));
  const offset = YEAR_START + 365 * DAY_MS - Date.now();
  const clock: Clock = { now: () => Date.now() + offset, after: systemClock.after, every: systemClock.every };
  // As the command line's backend: the view's first period read before it is asked for (here at once).
  let readMs: number | null = null;
  const backend = await startBackend({
    port: 0,
    dataDir: copy.path,
    users: [BENCH_USER],
    clock,
    warmUptimeAfterMs: 0,
    log: (line) => {
      const read = /uptime of the last \d+ days read in (\d+) ms/.exec(line);
      if (read) readMs = Number(read[1]);
    },
  });
  const consoleDir = tempDir('history-view-console');
  let c: ConsoleProcess | null = null;
  let browser: Browser | null = null;
  try {
    const rendererDir = await buildRenderer(log);
    c = await startConsoleProcess({ dataDir: consoleDir.path, backendUrl: backend.url, rendererDir, ...BENCH_USER });
    const live = c;
    await waitFor('the console to be live', async () => (await live.call('connection')).state === 'live', 600_000, 100);
    browser = await chromium.launch({ ...chromiumLaunchOptions, headless: true });
    const { context, page } = await openConsolePage(browser, c.url, log, 600_000);
    // The page's Date.now on the backend's clock (the history's year end), so that it asks for the period the backend
    // read; only Date.now: the paint and frame timings stay on the page's own clock.
    await page.evaluate(`(() => { const real = Date.now; Date.now = () => real() + ${offset}; })()`);
    await waitFor("the backend to read the view's period", () => readMs !== null, 600_000, 100);
    // VB_HISTORY_VIEW_PROFILE=FILE: the page's CPU profile from the click to the end of the scroll.
    const profileTo = process.env.VB_HISTORY_VIEW_PROFILE;
    const cdp = profileTo ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    // Strings, not functions: tsx would wrap named functions in a helper the page does not have.
    const openAndPaint = async () =>
      (await page.evaluate(`new Promise((resolve, reject) => {
      const drawn = () => [...document.querySelectorAll('[data-testid="availability-panel"] svg.sparkline polyline')]
        .some((p) => (p.getAttribute('points') ?? '').length > 0);
      const t0 = performance.now();
      const mo = new MutationObserver(() => {
        if (!drawn()) return;
        mo.disconnect();
        window.__vb.afterPaint().then(() => resolve(performance.now() - t0));
      });
      mo.observe(document.body, { childList: true, subtree: true, attributes: true });
      document.querySelector('[data-testid="open-availability"]').click();
      setTimeout(() => reject(new Error('no chart painted in 120 s')), 120000);
    })`)) as number;
    const paintMs = await openAndPaint();
    // Closed and opened again at once: the same question, which the backend answers again without computing.
    await page.getByRole('button', { name: 'Close availability' }).click();
    await page.getByTestId('availability-panel').waitFor({ state: 'detached' });
    const againMs = await openAndPaint();
    const sites = await page.locator('[data-testid="site-rank"]').evaluate((el) => el.scrollHeight / 32);
    await page.evaluate(() => (window as any).__vb.startFrames());
    await page.evaluate(`new Promise((resolve) => {
      const el = document.querySelector('[data-testid="site-rank"]');
      // The position is kept here, not read back: reading layout from script would add work a person's scroll has not.
      const max = el.scrollHeight - el.clientHeight;
      const end = performance.now() + 4000;
      let top = 0;
      const step = () => {
        top = top + 96 > max ? 0 : top + 96;
        el.scrollTop = top;
        if (performance.now() < end) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    })`);
    if (cdp) writeFileSync(profileTo!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    const frames = (await page.evaluate(() => (window as any).__vb.stopFrames())) as {
      deltas: number[];
      longTasks: number;
    };
    const slow = frames.deltas.filter((d) => d > 25).length;
    const pts = points.toLocaleString('en');
    log(
      `history bench: view painted in ${paintMs.toFixed(0)} ms (its period read by the backend at start in ` +
        `${readMs} ms), opened again ${againMs.toFixed(0)} ms (load ` +
        `${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}); ${Math.round(sites)} sites scrolled: ` +
        `${frames.deltas.length} frames, ${slow} over 25 ms, ${frames.longTasks} long tasks`,
    );
    return [
      figure(`history: Availability view's first chart painted, ${pts} points`, paintMs, 'ms', '<=', 1000),
      figure(`history: Availability view opened again, chart painted, ${pts} points`, againMs, 'ms', '<=', 1000),
      figure(
        `history: Availability view's ${Math.round(sites).toLocaleString('en')} sites scrolled: frames over 25 ms`,
        (slow / Math.max(1, frames.deltas.length)) * 100,
        '%',
        '<=',
        5,
      ),
    ];
  } finally {
    await browser?.close();
    await c?.stop();
    await backend.stop();
    consoleDir.remove();
    copy.remove();
  }
}

/**
 * The view's question as the backend answers it (backend/history/preparedUptime.ts): the network's reads of the view's
 * first period made as the backend makes them 10 s after start; the question then, a minute later (computed from the
 * kept reads, nothing read again), and after 100 outages started or ended (those ports read again). The clock is
 * 10 minutes into the history's last day, the question the page's (recentDays). The outages are written in a
 * transaction rolled back at the end: a store kept in VB_HISTORY_DIR stays as generated.
 */
function keptReadsFigures(store: Store, yearEnd: ManualClock, pts: string): Figure[] {
  const clock = new ManualClock(yearEnd.now() + 10 * MINUTE_MS);
  const backend = new UptimeService(store, clock);
  const period = recentDays(clock.now(), VIEW_FIRST_DAYS);
  const q = { scope: 'network' as const, ...period, outages: false, maxOutages: 1, daily: true, worstPorts: 10 };
  const asked = { ...q, stations: false };
  const time = (run: () => unknown) => {
    const t = performance.now();
    run();
    return performance.now() - t;
  };
  const readMs = time(() => backend.warm(period));
  clock.advance(MINUTE_MS + 1);
  const keptMs = time(() => backend.uptime(asked));
  // November, network-wide, the second time (the first reads it): as a person asking again a minute later is answered.
  const month = { from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-12-01T00:00:00Z') };
  backend.uptime({ scope: 'network', ...month, outages: false, maxOutages: 1 });
  clock.advance(MINUTE_MS + 1);
  const monthMs = time(() => backend.uptime({ scope: 'network', ...month, outages: false, maxOutages: 1 }));
  let changedMs = 0;
  const rolledBack = new Error('rolled back');
  try {
    store.db.tx('bench outages', () => {
      clock.advance(MINUTE_MS + 1);
      const numbers = [...store.history.points().values()].map((p) => p.n);
      for (let i = 0; i < 100; i++) {
        const n = numbers[Math.floor((i * numbers.length) / 100)];
        const open = store.history.open(n);
        const up = !open || open.status === 'Available' || open.status === 'Occupied';
        const facts = up
          ? { status: 'Faulted' as const, source: 'reported' as const, cause: 'GroundFailure', windowId: null }
          : { status: 'Available' as const, source: 'reported' as const, cause: null, windowId: null };
        store.history.record(n, open, facts, clock.now());
      }
      changedMs = time(() => backend.uptime(asked));
      throw rolledBack;
    });
  } catch (e) {
    if (e !== rolledBack) throw e;
  }
  process.stderr.write(
    `history bench: the view's period read in ${readMs.toFixed(0)} ms; its question from the kept reads ` +
      `${keptMs.toFixed(0)} ms, after 100 outages started or ended ${changedMs.toFixed(0)} ms; November ` +
      `${monthMs.toFixed(0)} ms ` +
      `(load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})\n`,
  );
  return [
    figure(`history: the view's period read by the backend before asked, ${pts} points`, readMs, 'ms', '<=', 3000),
    figure(`history: Availability view's question from the kept reads, ${pts} points`, keptMs, 'ms', '<=', 1000),
    figure(`history: network-wide monthly uptime from the kept reads, ${pts} points`, monthMs, 'ms', '<=', 1000),
    figure(
      `history: Availability view's question after 100 outages started or ended, ${pts} points`,
      changedMs,
      'ms',
      '<=',
      1000,
    ),
  ];
}

export async function historyBench(points = Number(process.env.VB_HISTORY_POINTS ?? 2000)): Promise<Figure[]> {
  // VB_HISTORY_DIR: generate the store there once and reuse it (a 50,000-point year takes 20 minutes to write).
  const kept = process.env.VB_HISTORY_DIR;
  if (kept) mkdirSync(kept, { recursive: true });
  const dir = kept ? { path: kept, remove: () => undefined } : tempDir('history-bench');
  const reused = kept ? generatedBefore(kept, points) : null;
  const store = new Store({ dataDir: dir.path, log: () => undefined });
  const figures: Figure[] = [];
  let closed = false;
  try {
    const { intervals, compacted, bytes, writeMs } = reused ?? generate(store, dir.path, points);
    if (reused) process.stderr.write(`history bench: reusing the store generated in ${dir.path}\n`);
    // Without sessions the year has few intervals and its write time is mostly the daily compaction's scan: both
    // figures are the realistic mix's (a smaller network with sessions, the default).
    if (WITH_SESSIONS) {
      figures.push(figure('history: intervals recorded per point-year', intervals / points, 'intervals', '>=', 3000));
    } else
      process.stderr.write('history bench: no sessions written: intervals per point-year and write time left out\n');
    figures.push(
      figure('history: intervals kept per point-year', (intervals - compacted) / points, 'intervals', '<=', 1500),
    );
    figures.push(figure('history: store size per point-year', bytes / points / 1024, 'KiB', '<=', 40));
    if (WITH_SESSIONS) {
      figures.push(figure('history: write time per interval', (writeMs * 1000) / intervals, 'µs', '<=', 50));
    }

    const rollupRows = Number(
      store.db.preparePluck('bench rollup rows', 'SELECT COUNT(*) FROM history_rollup_days').get(),
    );
    const rollupBytes = Number(
      store.db
        .preparePluck(
          'bench rollup bytes',
          "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'history_rollup%' OR name LIKE 'sqlite_autoindex_history_rollup%'",
        )
        .get(),
    );
    figures.push(figure('history: roll-up days kept per point-year', rollupRows / points, 'rows', '<=', 200));
    figures.push(figure('history: roll-up size per point-year', rollupBytes / points / 1024, 'KiB', '<=', 8));

    const clock = new ManualClock(YEAR_START + 365 * DAY_MS);
    // Computed every time (no cache): the computation's own time; `cached` as the backend answers.
    const service = new UptimeService(store, clock, 0);
    const cached = new UptimeService(store, clock);
    const month = { from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-12-01T00:00:00Z') };
    const view = { from: YEAR_START + 335 * DAY_MS, to: YEAR_START + 365 * DAY_MS };
    // VB_HISTORY_INTERVALS=0 leaves out the interval computation (tens of seconds at 50,000 points).
    const withIntervals = process.env.VB_HISTORY_INTERVALS !== '0';
    const loadAvg = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    const timed = <T>(label: string, run: () => T, into: Map<string, number[]>): T => {
      const load = loadAvg();
      const t = performance.now();
      const reply = run();
      const ms = performance.now() - t;
      const list = into.get(label) ?? [];
      list.push(ms);
      into.set(label, list);
      process.stderr.write(`history bench: ${label}: ${ms.toFixed(0)} ms (load ${load})\n`);
      return reply;
    };
    const times = new Map<string, number[]>();
    let reply: ReturnType<UptimeService['uptime']> | null = null;
    let wholeBytes = 0;
    let viewBytes = 0;
    // Alternating, 3 rounds. Before: every port's and station's figures (what the view asked until issue 20's last
    // step), computed; after: the view's question (its sites' daily figures, the 10 worst points, no stations),
    // computed, then asked again (the backend's cache).
    for (let round = 0; round < 3; round++) {
      const q = { scope: 'network' as const, maxOutages: 1 };
      if (withIntervals) {
        const exactMonth = timed('month intervals', () => service.uptime({ ...q, ...month, outages: true }), times);
        const exactView = timed(
          'view intervals',
          () => service.uptime({ ...q, ...view, outages: true, daily: true }),
          times,
        );
        const rolledMonth = service.uptime({ ...q, ...month, outages: false });
        const rolledView = service.uptime({ ...q, ...view, outages: false, daily: true });
        for (const [a, b] of [
          [exactMonth, rolledMonth],
          [exactView, rolledView],
        ] as const) {
          if (JSON.stringify({ ...a, outages: [], outagesLeftOff: 0 }) !== JSON.stringify(b)) {
            throw new Error('the roll-ups and the intervals disagree');
          }
        }
      }
      reply = timed('month roll-ups', () => service.uptime({ ...q, ...month, outages: false }), times);
      const whole = timed(
        'view, every port (before)',
        () => service.uptime({ ...q, ...view, outages: false, daily: true }),
        times,
      );
      const asked = { ...q, ...view, outages: false, daily: true, worstPorts: 10, stations: false };
      const lean = timed('view, worst 10 (after)', () => service.uptime(asked), times);
      cached.uptime(asked);
      timed('view, asked again (after, cached)', () => cached.uptime(asked), times);
      wholeBytes = JSON.stringify(whole).length;
      viewBytes = JSON.stringify(lean).length;
      if (lean.uptime !== whole.uptime || JSON.stringify(lean.sites) !== JSON.stringify(whole.sites)) {
        throw new Error("the view's question and the whole reply disagree");
      }
    }
    const median = (l: number[]) => [...l].sort((a, b) => a - b)[Math.floor(l.length / 2)];
    const pts = points.toLocaleString('en');
    figures.push(...keptReadsFigures(store, clock, pts));
    const medianOf = (label: string) => median(times.get(label)!);
    if (withIntervals) {
      figures.push(
        figure(
          `history: network-wide monthly uptime from intervals, ${pts} points`,
          medianOf('month intervals'),
          'ms',
          '<=',
          1000,
        ),
      );
      figures.push(
        figure(
          `history: Availability view's 30 days with daily figures from intervals, ${pts} points`,
          medianOf('view intervals'),
          'ms',
          '<=',
          1000,
        ),
      );
    }
    // Read in full: what a period's first question costs where nothing is kept (the backend reads the view's periods
    // before they are asked for, and keeps them; docs/uptime.md, "Kept reads"). Questions are answered from kept reads
    // (keptReadsFigures, 1 s).
    figures.push(
      figure(
        `history: network-wide monthly uptime, read in full, ${pts} points`,
        medianOf('month roll-ups'),
        'ms',
        '<=',
        3000,
      ),
    );
    figures.push(
      figure(
        `history: Availability view's 30 days with daily figures, every port, read in full, ${pts} points`,
        medianOf('view, every port (before)'),
        'ms',
        '<=',
        3000,
      ),
    );
    figures.push(
      figure(
        `history: Availability view's question (daily, worst 10, no stations), read in full, ${pts} points`,
        medianOf('view, worst 10 (after)'),
        'ms',
        '<=',
        3000,
      ),
    );
    figures.push(
      figure(
        `history: Availability view's question asked again (cached), ${pts} points`,
        medianOf('view, asked again (after, cached)'),
        'ms',
        '<=',
        1000,
      ),
    );
    // Every port's figures: the question before the view asked for its sites and worst points (a diagnostic).
    process.stderr.write(
      `history bench: the reply with every port's figures: ${(wholeBytes / 1048576).toFixed(2)} MiB\n`,
    );
    figures.push(figure(`history: the view's reply, ${pts} points`, viewBytes / 1048576, 'MiB', '<=', 1));
    if (reply!.ports.length !== points) throw new Error(`expected ${points} ports, got ${reply!.ports.length}`);
    // VB_HISTORY_CSV=0 leaves out the monthly CSV (minutes at 50,000 points).
    let rows = 0;
    if (process.env.VB_HISTORY_CSV !== '0') {
      const t2 = performance.now();
      for (const _ of uptimeReport(store, service, { kind: 'monthly', period: month })) rows++;
      const csvMs = performance.now() - t2;
      figures.push(
        figure(
          `history: monthly CSV with rolling year, ${points.toLocaleString('en')} points`,
          csvMs,
          'ms',
          '<=',
          10 * points,
        ),
      );
    }
    process.stderr.write(
      `history bench: ${points} points, ${intervals} intervals (${(intervals / points).toFixed(0)} per point-year), ` +
        `${(bytes / 1048576).toFixed(1)} MiB, network uptime ${reply!.uptime?.toFixed(3)} %, CSV ${rows - 1} rows\n`,
    );
    store.close();
    closed = true;
    // The view in Chromium on the same history (VB_HISTORY_VIEW=0 leaves it out).
    if (process.env.VB_HISTORY_VIEW !== '0') {
      figures.push(...(await viewInChromium(dir.path, points, (line) => process.stderr.write(`${line}\n`))));
    }
  } finally {
    if (!closed) store.close();
    if (!process.env.VB_HISTORY_KEEP && !kept) dir.remove();
    else process.stderr.write(`kept ${dir.path}\n`);
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await historyBench()) print(f);
}
