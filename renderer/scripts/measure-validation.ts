// Prints JSON timings for validating `points` events with the schema from common/ (a script, not a timed test).
import { consoleEvents } from '../../common/consoleApi.js';
import { network } from '../../tests/support/rendererFixtures.js';

const out: Record<string, number> = {};
for (const n of [100, 1_000, 5_000, 50_000]) {
  const payload = JSON.parse(JSON.stringify({ points: [...network(n, 50).points.values()], sites: [] }));
  consoleEvents.points.parse(payload); // warm up
  const s = performance.now();
  consoleEvents.points.parse(payload);
  out[`points_${n}_ms`] = +(performance.now() - s).toFixed(2);
}
console.log(JSON.stringify(out, null, 2));
