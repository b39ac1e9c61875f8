// A child process for heap-policy.test.ts: holds ~40 MB of live records and keeps replacing them (as the console
// core's cache replaces points under live changes) for a while, then prints its largest heap as JSON.
// Usage: node --import tsx tests/support/heapChurn.ts limited|default
import { limitHeapGrowth } from '../../node/heapPolicy.js';

if (process.argv[2] === 'limited') limitHeapGrowth();
const RECORDS = 150_000;
const record = (i: number) => ({
  id: `point-${i}`,
  label: `Point ${i % 97}`,
  at: new Date(1e12 + i).toISOString(),
  status: { value: i % 5, by: `user-${i % 13}` },
});
const live = Array.from({ length: RECORDS }, (_, i) => record(i));
let peak = 0;
let seed = 1;
const started = Date.now();
while (Date.now() - started < 2000) {
  for (let n = 0; n < 5000; n++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    live[seed % RECORDS] = record(seed);
  }
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  await new Promise((resolve) => setImmediate(resolve));
}
console.log(JSON.stringify({ peakHeapMb: peak / 2 ** 20, records: live.length }));
