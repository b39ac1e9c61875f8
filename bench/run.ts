// `npm run bench`: every benchmark, one JSON line per figure. `npm run bench -- replay` runs only those whose
// name contains the word (`-- scale` all four scale runs, `-- 100k` the two at 100,000 points, `-- busy` the busy ones).
import { print, type Figure } from './figures.js';
import { livenessBench } from './liveness.bench.js';
import { replayBench } from './replay.bench.js';
import { SCALE_100K, SCALE_50K, scaleBench } from './scale.bench.js';
import { windowsBench } from './windows.bench.js';
import { alertsBench } from './alerts.bench.js';
import { historyBench } from './history.bench.js';
import { clusterBench } from './cluster.bench.js';

const benches: Record<string, () => Promise<Figure[]>> = {
  replay: () => replayBench(),
  'scale-50k-quiet': () => scaleBench(SCALE_50K, 'quiet'),
  'scale-50k-busy': () => scaleBench(SCALE_50K, 'busy'),
  'scale-100k-quiet': () => scaleBench(SCALE_100K, 'quiet'),
  'scale-100k-busy': () => scaleBench(SCALE_100K, 'busy'),
  liveness: () => livenessBench(),
  windows: () => windowsBench(),
  alerts: () => alertsBench(),
  history: () => historyBench(),
  cluster: () => clusterBench(),
};

const filter = process.argv[2];
let failed = false;
for (const [name, run] of Object.entries(benches)) {
  if (filter && !name.includes(filter)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  for (const fig of await run()) {
    print(fig);
    if (!fig.pass) failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
