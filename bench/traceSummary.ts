// Summarises a Chromium timeline trace (VB_BENCH_TRACE, VB_BENCH_TRACE_EDITS): time per event name on each page's
// main thread (one block per renderer process). Counting only top-level slices' self time is not possible from
// complete events alone, so this prints total durations per name (nested names overlap: read RunTask as the whole,
// the others as its parts).
// npx tsx bench/traceSummary.ts FILE [N]
import { readFileSync } from 'node:fs';

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}
const [file, n = '25'] = process.argv.slice(2);
const raw = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(raw) ? raw : raw.traceEvents;
const mainThreads = new Set(
  events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
);
const byProcess = new Map<number, Map<string, { ms: number; count: number }>>();
for (const e of events) {
  if (e.ph !== 'X' || !e.dur || !mainThreads.has(`${e.pid}:${e.tid}`)) continue;
  let totals = byProcess.get(e.pid);
  if (!totals) byProcess.set(e.pid, (totals = new Map()));
  const t = totals.get(e.name) ?? { ms: 0, count: 0 };
  t.ms += e.dur / 1000;
  t.count++;
  totals.set(e.name, t);
}
for (const [pid, totals] of [...byProcess].sort(([a], [b]) => a - b)) {
  console.log(`renderer process ${pid} (main thread):`);
  for (const [name, t] of [...totals].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(n))) {
    console.log(`${t.ms.toFixed(0).padStart(7)} ms  ${String(t.count).padStart(6)}×  ${name}`);
  }
}
