// Diagnostic, not a figure: the store's 5,000-point bulk edit on SQLite or PostgreSQL, with the history recorder
// hooked as in the backend. Seeds 500 stations x 10 points once, then times edits that flip every point between
// Out of Service and Available, one transaction each.
//   npx tsx bench/bulkEditProbe.ts [sqlite|postgres] [runs]
// (PostgreSQL: a fresh database on VOLTBOARD_TEST_PG, dropped at the end.)
import { performance } from 'node:perf_hooks';
import { systemClock } from '../common/clock.js';
import { HistoryRecorder } from '../backend/history/recorder.js';
import type { Store } from '../backend/store/index.js';
import { mutationId, seedStore, setStatus, smallNetwork } from '../tests/support/backendHarness.js';
import { tempDir } from '../tests/support/tempDir.js';
import { disposeStoreOf, testStore } from '../tests/support/testStore.js';
import type { Mutation } from '../common/model.js';

const runs = Number(process.argv[3] ?? 6);
const tmp = tempDir('bulk-probe');
await seedStore(tmp.path, smallNetwork(500, 10));
const store: Store = testStore(tmp.path);
const recorder = new HistoryRecorder(store, systemClock, () => undefined);
// VB_NO_HISTORY=1: without the history recorder (only the mutation's own statements).
if (process.env.VB_NO_HISTORY !== '1') recorder.start();
const ids: string[] = [];
for (let s = 0; s < 500; s++) for (let e = 1; e <= 10; e++) ids.push(`BULK${s}-${e}`);
const actor = { username: 'supervisor', role: 'supervisor' as const };
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const targets = ids.map((id) => ({ pointId: id, baseVersion: store.points.row(id)!.op_version }));
  const status = i % 2 === 0 ? 'OutOfService' : 'Available';
  const m = setStatus(targets, { status, reason: i % 2 === 0 ? 'site closed' : null }, mutationId()) as Mutation;
  const t0 = performance.now();
  const [r] = store.mutations.processAll([m], actor);
  const ms = performance.now() - t0;
  if (r.outcome.result !== 'applied') throw new Error(`run ${i}: ${r.outcome.result}`);
  times.push(ms);
}
recorder.stop();
store.close();
disposeStoreOf(tmp.path);
tmp.remove();
const sorted = [...times].sort((a, b) => a - b);
console.log(
  JSON.stringify({
    engine: process.env.VOLTBOARD_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite',
    runsMs: times.map((t) => Math.round(t)),
    medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]),
  }),
);
