// Who uses the machine's CPUs during a benchmark phase (Linux /proc; null elsewhere), and a page's main thread.
// Only processes this benchmark started are counted (descendants of this process), never another browser.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** Busy and total CPU time of the whole machine so far, in clock ticks. */
export function machineCpu(): { busy: number; steal: number; total: number; cores: number } | null {
  if (!existsSync('/proc/stat')) return null;
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  // user nice system idle iowait irq softirq steal (guest time is counted in user already)
  const fields = lines[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0);
  return { busy: total - idle, steal: fields[7] ?? 0, total, cores: lines.filter((l) => /^cpu\d/.test(l)).length };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  cpuMs: number;
}

function readStat(file: string): ProcStat | null {
  try {
    const stat = readFileSync(file, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state ppid … utime (14th field) stime (15th).
    return {
      pid: Number(stat.slice(0, stat.indexOf(' '))),
      ppid: Number(rest[1]),
      cpuMs: (Number(rest[11]) + Number(rest[12])) * TICK_MS,
    };
  } catch {
    return null; // the process ended meanwhile
  }
}

/** Every process started (directly or not) by this one, whose command line passes `test`. */
function descendants(test: (cmdline: string) => boolean): ProcStat[] {
  if (!existsSync('/proc/self/stat')) return [];
  const all = new Map<number, ProcStat>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const s = readStat(`/proc/${pid}/stat`);
    if (s) all.set(s.pid, s);
  }
  const isOurs = (p: ProcStat): boolean => {
    for (let cur: ProcStat | undefined = p, hops = 0; cur && hops < 20; cur = all.get(cur.ppid), hops++)
      if (cur.ppid === process.pid) return true;
    return false;
  };
  return [...all.values()].filter((p) => {
    if (!isOurs(p)) return false;
    try {
      return test(readFileSync(`/proc/${p.pid}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  });
}

const isBrowser = (cmdline: string) => /chrom|headless_shell/i.test(cmdline.split('\0')[0] ?? '');

/** CPU time (ms) used so far by the browser this benchmark launched (every one of its processes); null if none found. */
export function browserCpuMs(): number | null {
  const procs = descendants(isBrowser);
  return procs.length ? procs.reduce((sum, p) => sum + p.cpuMs, 0) : null;
}

/** CPU time (ms) used so far by the main thread of each renderer process of that browser, by process id. */
export function rendererMainThreadsCpuMs(): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of descendants((cmdline) => isBrowser(cmdline) && cmdline.includes('--type=renderer'))) {
    const main = readStat(`/proc/${p.pid}/task/${p.pid}/stat`);
    if (main) out.set(p.pid, main.cpuMs);
  }
  return out;
}

/** CPU time (ms) used so far by each kind of thread of that browser, summed over its processes: keyed by process type
 * and thread name (e.g. `renderer chromium`: a main thread carries the program's name; `renderer Compositor`,
 * `gpu-process VizCompositorTh`). */
export function browserThreadsCpuMs(): Map<string, number> {
  const out = new Map<string, number>();
  const read = (file: string): string | null => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return null; // the process or thread ended meanwhile
    }
  };
  for (const p of descendants(isBrowser)) {
    const cmdline = read(`/proc/${p.pid}/cmdline`);
    const tids = cmdline === null ? [] : readdirOrEmpty(`/proc/${p.pid}/task`);
    const type = /--type=([\w-]+)/.exec(cmdline ?? '')?.[1] ?? 'browser';
    for (const tid of tids) {
      const t = readStat(`/proc/${p.pid}/task/${tid}/stat`);
      const name = read(`/proc/${p.pid}/task/${tid}/comm`)?.trim();
      if (!t || name === undefined) continue;
      const key = `${type} ${name}`;
      out.set(key, (out.get(key) ?? 0) + t.cpuMs);
    }
  }
  return out;
}

/** A main thread's time on a core and its time runnable but waiting for one (ms), from /proc/PID/task/PID/schedstat. */
export interface ThreadSched {
  runMs: number;
  waitMs: number;
}

export function mainThreadSched(pid: number): ThreadSched | null {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { runMs: run / 1e6, waitMs: wait / 1e6 };
  } catch {
    return null; // not Linux, or the process ended
  }
}

/** The main threads of the browser's renderer processes: pid → schedstat (see mainThreadSched). */
export function rendererMainThreadsSched(): Map<number, ThreadSched> {
  const out = new Map<number, ThreadSched>();
  for (const p of descendants((cmdline) => isBrowser(cmdline) && cmdline.includes('--type=renderer'))) {
    const s = mainThreadSched(p.pid);
    if (s) out.set(p.pid, s);
  }
  return out;
}

/**
 * "name: ran R ms, waited W ms for a core" for each named main thread between two readings: a thread that waits for a
 * core longer than it runs is what a busy machine adds to every message that passes through it.
 */
export function schedBetween(named: [string, ThreadSched | null, ThreadSched | null][]): string {
  return named
    .filter(([, before, after]) => before && after && after.runMs - before.runMs >= 50)
    .map(
      ([name, before, after]) =>
        `${name} ran ${Math.round(after!.runMs - before!.runMs)} ms, waited ${Math.round(after!.waitMs - before!.waitMs)} ms`,
    )
    .join('; ');
}

/** How many threads of the browser this benchmark launched run above normal priority (nice below 0). */
export function browserThreadsAboveNormalPriority(): number {
  let above = 0;
  for (const p of descendants(isBrowser))
    for (const tid of readdirOrEmpty(`/proc/${p.pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${p.pid}/task/${tid}/stat`, 'utf8');
        // The 17th field after the name is nice.
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) < 0) above++;
      } catch {
        // the thread ended meanwhile
      }
    }
  return above;
}

function readdirOrEmpty(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return []; // the process ended meanwhile
  }
}

/** The kinds of thread that used the most CPU between two browserThreadsCpuMs() readings, in % of one core. */
export function busiestBrowserThreads(
  before: Map<string, number>,
  after: Map<string, number>,
  seconds: number,
  top = 8,
): string {
  return [...after]
    .map(([key, ms]) => [key, ms - (before.get(key) ?? 0)] as const)
    .filter(([, ms]) => ms > 0)
    .sort((x, y) => y[1] - x[1])
    .slice(0, top)
    .map(([key, ms]) => `${key} ${Math.round(ms / seconds / 10)} %`)
    .join(', ');
}

/** The page's main-thread busy time (ms) since this call, from Chromium's own task accounting. */
export async function mainThreadBusy(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () =>
    ((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.find(
      (m) => m.name === 'TaskDuration',
    )?.value ?? 0;
  const start = await taskSeconds();
  return async () => {
    const ms = ((await taskSeconds()) - start) * 1000;
    await cdp.detach();
    return ms;
  };
}
