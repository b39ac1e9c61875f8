// Who uses the machine's CPUs during a benchmark phase (Linux /proc; null elsewhere), and a page's main thread.
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

/** CPU time (ms) used so far by every running process whose command name starts with `name` (e.g. "chromium"). */
export function processesCpuMs(name: string): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!comm.startsWith(name)) continue;
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(rest[11]) + Number(rest[12]); // utime, stime
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * TICK_MS;
}

/** CPU time (ms) used so far by the main thread of each running Chromium renderer process, by process id. */
export function rendererMainThreadsCpuMs(): Map<number, number> {
  const out = new Map<number, number>();
  if (!existsSync('/proc/self/task')) return out;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(pid), (Number(rest[11]) + Number(rest[12])) * TICK_MS);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** The page's main-thread busy time (ms) since this call, from Chromium's own task accounting. */
export async function mainThreadBusy(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () =>
    ((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
  const start = await taskSeconds();
  return async () => {
    const ms = ((await taskSeconds()) - start) * 1000;
    await cdp.detach();
    return ms;
  };
}
