// `npm run bench`: every benchmark, one JSON line per figure. `npm run bench -- replay` runs only those whose
// name contains the word.
import { print, type Figure } from './figures.js';
import { livenessBench } from './liveness.bench.js';
import { replayBench } from './replay.bench.js';
import { scaleBench } from './scale.bench.js';
import { windowsBench } from './windows.bench.js';
import { alertsBench } from './alerts.bench.js';
import { historyBench } from './history.bench.js';

const benches: Record<string, () => Promise<Figure[]>> = {
  replay: () => replayBench(),
  scale: () => scaleBench(),
  liveness: () => livenessBench(),
  windows: () => windowsBench(),
  alerts: () => alertsBench(),
  history: () => historyBench(),
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
