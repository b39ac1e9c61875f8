// The scale benchmarks' backend in its own Node process: a real backend on a free loopback port holding a generated
// network with every station marked connected, and the live load of station reports pushed through its store. Apart
// from the benchmark's process, so the backend's work and Playwright's never queue on one event loop (docs/performance.md).
// Driven over the IPC channel of child_process.fork (startBenchBackend in benchBackend.ts); not a CLI.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { effectiveView } from '../common/consoleApi.js';
import type { ShownStatus } from '../common/status.js';
import { backendWithNetwork } from './backendWithNetwork.js';
import { gcPauses } from './gcPauses.js';
import { startLoad } from './liveLoad.js';

export interface BenchBackendConfig {
  sites: number;
  points: number;
  /** The bundled script of the backend's station writer thread; absent: reports are written on the event loop. */
  stationWriter?: string;
}

export type BenchBackendRequest =
  | { id: number; op: 'view' }
  | { id: number; op: 'sites' }
  | { id: number; op: 'pointSites' }
  | { id: number; op: 'startLoad'; rate: number }
  | { id: number; op: 'stopLoad' }
  | { id: number; op: 'processedAt'; mutationIds: string[] }
  | { id: number; op: 'processed'; mutationId: string }
  | { id: number; op: 'firstNotInDeliveryState'; pointIds: string[]; state: string; from: number }
  | { id: number; op: 'probeReset' }
  | { id: number; op: 'probe' }
  | { id: number; op: 'stop' };

/** What the backend holds, as the grid should show it: counts per shown status, and per point [id, shown, delivery, seq]. */
export interface BackendView {
  counts: Partial<Record<ShownStatus, number>>;
  points: [string, ShownStatus, string, number][];
}

const config = JSON.parse(process.env.VB_BENCH_BACKEND_CONFIG ?? '{}') as BenchBackendConfig;
const startedAt = performance.now();
const backend = await backendWithNetwork({
  sites: config.sites,
  points: config.points,
  stationWriter: config.stationWriter,
});
// Every station connected (no simulated stations run): a point then shows what its station reports.
const stationIds = [...new Set(backend.store.points.all().map((p) => p.stationId))];
const at = new Date().toISOString();
backend.store.changes.write('bench: stations connected', () => {
  for (const id of stationIds) backend.store.points.setConnection(id, true, at, 'bench');
});
let load: ReturnType<typeof startLoad> | null = null;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const gc = gcPauses();
let cpuMark = process.cpuUsage();

function view(): BackendView {
  backend.flushChanges();
  const counts: BackendView['counts'] = {};
  const points: BackendView['points'] = [];
  for (const p of backend.store.points.all()) {
    const v = effectiveView({ ...p, pending: null });
    counts[v.shown] = (counts[v.shown] ?? 0) + 1;
    points.push([p.id, v.shown, v.delivery, p.seq]);
  }
  return { counts, points };
}

async function answer(request: BenchBackendRequest): Promise<unknown> {
  switch (request.op) {
    case 'view':
      return view();
    case 'sites':
      return backend.store.stations.allSites().map((s) => ({ id: s.id, name: s.name }));
    case 'pointSites':
      return backend.store.points.all().map((p) => [p.id, p.siteId]);
    case 'startLoad':
      await load?.stop();
      load = startLoad(backend, backend.store.points.all(), request.rate);
      return null;
    case 'stopLoad': {
      const pushed = (await load?.stop()) ?? null;
      load = null;
      return pushed;
    }
    case 'processedAt':
      return Object.fromEntries(
        request.mutationIds.map((id) => {
          const applied = backend.store.mutations.previous(id) as { processedAt?: string } | null;
          return [id, applied?.processedAt ?? null];
        }),
      );
    case 'processed':
      return backend.store.mutations.wasProcessed(request.mutationId);
    case 'firstNotInDeliveryState': {
      backend.flushChanges();
      const { pointIds, state, from } = request;
      for (let i = from; i < pointIds.length; i++)
        if (backend.store.points.get(pointIds[i])?.delivery.state !== state) return i;
      return -1;
    }
    case 'probeReset':
      loopDelay.reset();
      gc.reset();
      cpuMark = process.cpuUsage();
      return null;
    case 'probe': {
      const cpu = process.cpuUsage(cpuMark);
      return {
        loopP99Ms: loopDelay.percentile(99) / 1e6,
        loopMaxMs: loopDelay.max / 1e6,
        gc: gc.summary(),
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
    }
    case 'stop':
      await load?.stop();
      void backend.stop().finally(() => process.exit(0));
      return null;
  }
}

// The benchmark that started this process is gone: a backend left running would take CPU from every later run.
process.on('disconnect', () => process.exit(0));
process.on('message', (request: BenchBackendRequest) => {
  answer(request).then(
    (result) => process.send?.({ id: request.id, result }),
    (err: unknown) => process.send?.({ id: request.id, error: (err as Error).message }),
  );
});
process.send?.({
  ready: true,
  url: backend.url,
  pointIds: backend.store.points.all().map((p) => p.id),
  stations: stationIds.length,
  startMs: Math.round(performance.now() - startedAt),
});
