// The backend alone under the scale runs' live load, station reports written inline or on the writer thread
// (`--station-writer`): how many a second it writes, the most waiting at once, its event loop's delay, the main
// thread's turns to write, and each thread's CPU. A diagnostic, not a figure (docs/performance.md, 2026-12-08):
// npx tsx bench/stationWriterProbe.ts inline|thread [POINTS=100000] [RATE=5000] [SECONDS=20]
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Auth } from '../backend/auth.js';
import { seedNetwork } from '../backend/seed.js';
import { startBackend } from '../backend/server.js';
import { WriterHandoff } from '../node/writerHandoff.js';
import { generateLargeNetwork } from '../tests/support/largeNetwork.js';
import { tempDir } from '../tests/support/tempDir.js';
import { startLoad } from './liveLoad.js';

const [mode = 'thread', pointsArg = '100000', rateArg = '5000', secondsArg = '20'] = process.argv.slice(2);
if (mode !== 'thread' && mode !== 'inline') throw new Error('usage: stationWriterProbe.ts inline|thread …');
const points = Number(pointsArg);
const data = tempDir('writer-probe');
const backend = await startBackend({
  port: 0,
  dataDir: data.path,
  log: () => undefined,
  stationWriterThread: mode === 'thread',
});
const network = generateLargeNetwork({ sites: Math.ceil(points / 25), points, seed: 7 });
await seedNetwork(backend.store, new Auth(backend.store.users), { ...network, users: [] });
const stationIds = [...new Set(backend.store.points.all().map((p) => p.stationId))];
const at = new Date().toISOString();
backend.store.changes.write('probe: stations connected', () => {
  for (const id of stationIds) backend.store.points.setConnection(id, true, at, 'probe');
});

/** CPU seconds of each of this process's threads, by thread id. */
const threadCpu = () =>
  new Map(
    readdirSync('/proc/self/task').map((tid) => {
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
      return [tid, (Number(fields[11]) + Number(fields[12])) / 100];
    }),
  );
let mainTurns = 0;
const turn = WriterHandoff.prototype.turn;
WriterHandoff.prototype.turn = function <T>(this: WriterHandoff, fn: () => T): T {
  if (this.role === 'main') mainTurns++;
  return turn.call(this, fn) as T;
};

const cpuBefore = threadCpu();
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const load = startLoad(backend, backend.store.points.all(), Number(rateArg));
await new Promise((resolve) => setTimeout(resolve, Number(secondsArg) * 1000));
const result = await load.stop();
delay.disable();
const cpuAfter = threadCpu();
const busyThreads = [...cpuAfter]
  .map(([tid, s]) => ({ tid, cpuS: Number((s - (cpuBefore.get(tid) ?? 0)).toFixed(1)) }))
  .filter((t) => t.cpuS >= 0.2)
  .sort((a, b) => b.cpuS - a.cpuS);
console.log(
  JSON.stringify({
    mode,
    points,
    writtenPerS: Math.round(result.rate),
    mostWaiting: result.worstBacklog,
    loopDelayP99Ms: Math.round(delay.percentile(99) / 1e6),
    loopDelayMaxMs: Math.round(delay.max / 1e6),
    mainThreadTurns: mainTurns,
    cpuS: Number(busyThreads.reduce((sum, t) => sum + t.cpuS, 0).toFixed(1)),
    threads: busyThreads,
  }),
);
await backend.stop();
data.remove();
