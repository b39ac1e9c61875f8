// One console (a real ConsoleCore with the web host in front) in its own Node process, so the benchmarks can
// measure its RSS alone and keep its work off the benchmark's own event loop. Driven over the IPC channel of
// child_process.fork (see startConsoleProcess in consoles.ts); not a CLI.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { effectiveView } from '../common/consoleApi.js';
import { ConsoleCore } from '../electron/core/consoleCore.js';
import { confSettings } from '../electron/core/settings.js';
import { startWebHost, type WebHost } from '../electron/host/webHost.js';
import { limitHeapGrowth } from '../node/heapPolicy.js';
import { allocationSampler } from './allocationSampler.js';
import { gcPauses } from './gcPauses.js';

export interface ConsoleProcessConfig {
  dataDir: string;
  backendUrl: string;
  username: string;
  password: string;
  /** The built renderer to serve. */
  rendererDir: string;
}

export type ConsoleRequest =
  | { id: number; op: 'connection' }
  | { id: number; op: 'memory'; collect?: boolean }
  | { id: number; op: 'state' }
  | { id: number; op: 'setStatus'; pointIds: string[]; status: 'Maintenance' | 'OutOfService' | 'Available' }
  | { id: number; op: 'trackOperator'; pointIds: string[] }
  | { id: number; op: 'operatorSeen'; pointIds: string[] }
  | { id: number; op: 'allocationsStart' }
  | { id: number; op: 'allocationsStop' }
  | { id: number; op: 'loopDelay'; reset?: boolean }
  | { id: number; op: 'stop' };

// As the hosts do (electron/shell/main.ts, electron/host/cli.ts), unless an experiment passes its own growth flag
// (VB_BENCH_CONSOLE_FLAGS).
if (!process.execArgv.some((flag) => flag.startsWith('--heap-growing-percent'))) limitHeapGrowth();
const config = JSON.parse(process.env.VB_CONSOLE_CONFIG ?? '{}') as ConsoleProcessConfig;
const startedAt = performance.now();
const core = new ConsoleCore({
  dataDir: config.dataDir,
  backendUrl: config.backendUrl,
  autoSignIn: { username: config.username, password: config.password },
  settings: confSettings(config.dataDir),
  log: () => undefined,
});
const cacheLoadedMs = performance.now() - startedAt;
// What the core sent to its pages, and its own CPU time: for the benchmark's log.
const stats = { pointsEvents: 0, points: 0 };
// When each operator status of the tracked points was first sent to the pages (to split the cross-console latency
// into its legs). Only the points the benchmark names: a record of every point would add to the RSS it measures.
const operatorSeen = new Map<string, { status: string; at: number }[]>();
const tracked = new Set<string>();
core.on((name, payload) => {
  if (name !== 'points') return;
  const points = (
    payload as { points: { id: string; operator: { status: string }; pending: { edit: { status: string } } | null }[] }
  ).points;
  stats.pointsEvents++;
  stats.points += points.length;
  const at = Date.now();
  if (tracked.size === 0) return;
  for (const p of points) {
    if (!tracked.has(p.id)) continue;
    const status = p.pending?.edit.status ?? p.operator.status;
    const seen = operatorSeen.get(p.id);
    if (!seen) operatorSeen.set(p.id, [{ status, at }]);
    else if (seen[seen.length - 1].status !== status) seen.push({ status, at });
  }
});
let host: WebHost | null = null;
const allocations = allocationSampler();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const gc = gcPauses();

/** A full garbage collection first, to see the live size (for diagnostics, not in the benchmark's figures). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function reply(id: number, result: unknown): void {
  process.send?.({ id, result });
}

// The bench that started this process is gone (it crashed or was stopped): a console left running would take CPU
// from every later run.
process.on('disconnect', () => process.exit(0));

process.on('message', (message: ConsoleRequest) => {
  void (async () => {
    switch (message.op) {
      case 'connection':
        return reply(message.id, core.connection());
      case 'memory': {
        if (message.collect) collectGarbage();
        const m = process.memoryUsage();
        const cpu = process.cpuUsage();
        return reply(message.id, {
          rss: m.rss,
          heapUsed: m.heapUsed,
          heapTotal: m.heapTotal,
          external: m.external,
          arrayBuffers: m.arrayBuffers,
          cpuMs: (cpu.user + cpu.system) / 1000,
          ...stats,
        });
      }
      case 'state': {
        // The cache as the core holds it: per point its seq and shown status (with this console's overlays).
        const net = core.getNetwork();
        return reply(message.id, {
          seq: net.seq,
          points: net.points.map((p) => [p.id, p.seq, effectiveView(p).shown]),
        });
      }
      case 'setStatus': {
        const at = Date.now();
        const r = await core.setStatus({
          pointIds: message.pointIds,
          edit: { status: message.status, reason: 'Bench', note: null, until: null },
        });
        return reply(message.id, { at, mutationId: r.mutationId });
      }
      case 'trackOperator':
        for (const pointId of message.pointIds) tracked.add(pointId);
        return reply(message.id, true);
      case 'operatorSeen':
        return reply(message.id, Object.fromEntries(message.pointIds.map((id) => [id, operatorSeen.get(id) ?? []])));
      case 'allocationsStart':
        return reply(message.id, await allocations.start());
      case 'allocationsStop':
        return reply(message.id, await allocations.stop());
      case 'loopDelay': {
        // How long the event loop was blocked (ms) since the last reset: what an arriving edit may wait behind.
        const ms = (ns: number) => Math.round(ns / 1e5) / 10;
        const r = {
          p50: ms(loopDelay.percentile(50)),
          p99: ms(loopDelay.percentile(99)),
          max: ms(loopDelay.max),
          gc: gc.summary(),
        };
        if (message.reset) {
          loopDelay.reset();
          gc.reset();
        }
        return reply(message.id, r);
      }
      case 'stop':
        await host?.stop();
        await core.close();
        reply(message.id, true);
        process.exit(0);
    }
  })().catch((error: unknown) => process.send?.({ id: message.id, error: (error as Error).message }));
});

await core.start();
host = await startWebHost({
  core,
  rendererDir: config.rendererDir,
  port: 0,
  log: (line) => process.stderr.write(`  console ${process.pid}: ${line}\n`),
});
process.send?.({ ready: true, url: host.url, port: host.port, cacheLoadedMs, points: core.cache.pointCount() });
