// Starts the scale benchmarks' backend in its own process (bench/benchBackendProcess.ts) and talks to it over IPC.
import { fork } from 'node:child_process';
import type { ShownStatus } from '../common/status.js';
import type { BenchBackendConfig, BackendView } from './benchBackendProcess.js';
import { benchBundle, childCalls, stopChild } from './childProcess.js';
import type { GcSummary } from './gcPauses.js';

export interface LoadPushed {
  sent: number;
  failed: number;
  seconds: number;
  /** Reports written (stored or refused) a second, until the last one was. */
  rate: number;
  worstLagMs: number;
  /** The most reports sent to the backend and not yet written, at once. */
  worstBacklog: number;
}

/** The backend's truth for comparisons: counts per shown status and each point's shown status, delivery and seq. */
export interface Truth {
  counts: Partial<Record<ShownStatus, number>>;
  byId: Map<string, { shown: ShownStatus; delivery: string; seq: number }>;
}

export async function startBenchBackend(config: BenchBackendConfig) {
  // VB_BENCH_PROFILE_BACKEND=DIR profiles the backend alone (the others' profilers take CPU from it);
  // VB_BENCH_BACKEND_FLAGS passes Node flags to it for an experiment.
  const profileDir = process.env.VB_BENCH_PROFILE_BACKEND ?? process.env.VB_BENCH_PROFILE;
  // VB_BENCH_STATION_WRITER=thread writes the station reports on the backend's writer thread (`--station-writer
  // thread`); by default on its event loop, as the command line does.
  const thread = process.env.VB_BENCH_STATION_WRITER === 'thread';
  const stationWriter = thread ? await benchBundle('stationWriterWorker') : undefined;
  const child = fork(await benchBundle('benchBackendProcess'), [], {
    execArgv: [
      '--enable-source-maps',
      ...(process.env.VB_BENCH_BACKEND_FLAGS?.split(' ').filter(Boolean) ?? []),
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ],
    env: { ...process.env, VB_BENCH_BACKEND_CONFIG: JSON.stringify({ ...config, stationWriter }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const calls = childCalls<{ url: string; pointIds: string[]; stations: number; startMs: number }>(
    child,
    'bench backend process',
  );
  const info = await calls.ready;
  return {
    url: info.url,
    pid: child.pid!,
    pointIds: info.pointIds,
    stations: info.stations,
    startMs: info.startMs,
    /** Changes waiting for the consoles are sent first; then every point as the grid should show it. */
    async truth(): Promise<Truth> {
      const v = (await calls.call('view')) as BackendView;
      return {
        counts: v.counts,
        byId: new Map(v.points.map(([id, shown, delivery, seq]) => [id, { shown, delivery, seq }])),
      };
    },
    sites: (): Promise<{ id: string; name: string }[]> => calls.call('sites'),
    /** [point id, site id] of every point. */
    pointSites: (): Promise<[string, string][]> => calls.call('pointSites'),
    /** Station status reports at `rate` per second through the backend's store, until stopLoad. */
    startLoad: (rate: number): Promise<void> => calls.call('startLoad', { rate }),
    stopLoad: (): Promise<LoadPushed> => calls.call('stopLoad'),
    /** When the backend applied each mutation (ISO time), or null. */
    processedAt: (mutationIds: string[]): Promise<Record<string, string | null>> =>
      calls.call('processedAt', { mutationIds }),
    /** Whether the backend has applied the mutation: read from an index, so polling it costs the backend nothing. */
    processed: (mutationId: string): Promise<boolean> => calls.call('processed', { mutationId }),
    /**
     * The index of the first of pointIds, from `from` on, whose delivery is not in `state`, or -1: it stops there, so
     * a bench polling with the last answer as `from` reads each point about once while they settle.
     */
    firstNotInDeliveryState: (pointIds: string[], state: string, from: number): Promise<number> =>
      calls.call('firstNotInDeliveryState', { pointIds, state, from }),
    /** The backend process's event-loop delay, GC pauses and CPU since probeReset. */
    probeReset: (): Promise<void> => calls.call('probeReset'),
    probe: (): Promise<{ loopP99Ms: number; loopMaxMs: number; gc: GcSummary; cpuMs: number }> => calls.call('probe'),
    stop: () => stopChild(child, calls),
  };
}

export type BenchBackend = Awaited<ReturnType<typeof startBenchBackend>>;
