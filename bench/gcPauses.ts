// Garbage-collection pauses of this Node process, by kind, since the last reset: what the event-loop delay is made of.
import { PerformanceObserver, constants } from 'node:perf_hooks';

const KIND: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

export interface GcSummary {
  /** Per kind: how many pauses, their total and the longest (ms). */
  byKind: Record<string, { count: number; totalMs: number; maxMs: number }>;
}

export function gcPauses() {
  let byKind: GcSummary['byKind'] = {};
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = KIND[(entry as { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
      const k = (byKind[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
      k.count++;
      k.totalMs += entry.duration;
      k.maxMs = Math.max(k.maxMs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    summary: (): GcSummary => ({ byKind: structuredClone(byKind) }),
    reset: () => void (byKind = {}),
    stop: () => observer.disconnect(),
  };
}

export function formatGc(s: GcSummary): string {
  const parts = Object.entries(s.byKind).map(
    ([kind, k]) => `${kind} ${k.count}× ${Math.round(k.totalMs)} ms (max ${Math.round(k.maxMs)})`,
  );
  return parts.join(', ') || 'none';
}
