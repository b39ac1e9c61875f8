// Prints JSON timings for the row model over 50,000 points (a script, not a timed test).
// Usage: npx tsx renderer/scripts/measure-rows.ts [points]
import {
  createRankMemo,
  createRowModelSelector,
  derive,
  EMPTY_FILTER,
  filterRows,
  sortRows,
} from '../src/model/rows.js';
import type { RowModelInput } from '../src/model/rows.js';
import { network, point } from '../../tests/support/rendererFixtures.js';

const n = Number(process.argv[2] ?? 50_000);
const { points, sites } = network(n);
const time = (f: () => unknown, runs = 5) => {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { median: +t[Math.floor(runs / 2)].toFixed(2), max: +t[runs - 1].toFixed(2) };
};

const cold = (() => {
  const s = performance.now();
  derive(points.values(), sites);
  return +(performance.now() - s).toFixed(2);
})();
const { all } = derive(points.values(), sites);
const memo = createRankMemo();
derive(points.values(), sites, memo);
const figures: Record<string, unknown> = {
  points: n,
  deriveColdMs: cold,
  deriveCachedMs: time(() => derive(points.values(), sites, memo)),
};
figures.filterTextMs = time(() => filterRows(all, { ...EMPTY_FILTER, text: 'site 4 bay 1' }));
figures.filterStatusMs = time(() => filterRows(all, { ...EMPTY_FILTER, statuses: new Set(['Faulted', 'Offline']) }));
for (const column of ['point', 'site', 'shown', 'lastChange', 'connectivity'] as const) {
  figures[`sort_${column}_Ms`] = time(() => sortRows(all.slice(), { column, dir: 'asc' }));
}
const sel = createRowModelSelector();
let version = 1;
const input = (): RowModelInput => ({
  points,
  pointsVersion: version,
  sites,
  sitesVersion: 1,
  filter: EMPTY_FILTER,
  sort: { column: 'shown', dir: 'asc' },
  grouped: true,
  collapsed: new Set(),
});
figures.fullModelMs = time(() => {
  version++;
  sel(input());
});
// A live update of 200 points, then the whole model again (the store tells which ids changed).
figures.liveUpdate200Ms = time(() => {
  const ids: string[] = [];
  for (let i = 0; i < 200; i++) {
    const id = `p-${(i * 251) % n}`;
    const p = points.get(id)!;
    points.set(id, point(id, { ...p, seq: p.seq + 1 }));
    ids.push(id);
  }
  version++;
  sel({ ...input(), changed: { version, ids } });
});
console.log(JSON.stringify(figures, null, 2));

// Stage by stage, after a live update (what a frame with changes costs).
{
  const memo = (await import('../src/model/rows.js')).createRankMemo();
  const { groupRows } = await import('../src/model/rows.js');
  derive(points.values(), sites, memo);
  const stages: Record<string, number> = {};
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) {
    const id = `p-${(i * 131) % n}`;
    const p = points.get(id)!;
    points.set(id, point(id, { ...p, seq: p.seq + 1 }));
  }
  const t1 = performance.now();
  const d = derive(points.values(), sites, memo);
  const t2 = performance.now();
  const f = filterRows(d.all, EMPTY_FILTER);
  const t3 = performance.now();
  sortRows(f, { column: 'shown', dir: 'asc' });
  const t4 = performance.now();
  const rows = groupRows(f, {
    grouped: true,
    collapsed: new Set(),
    sort: { column: 'shown', dir: 'asc' },
    sites,
    siteCounts: d.siteCounts,
  });
  const t5 = performance.now();
  const t6 = performance.now();
  void rows;
  Object.assign(stages, {
    update: t1 - t0,
    derive: t2 - t1,
    filter: t3 - t2,
    sort: t4 - t3,
    group: t5 - t4,
    index: t6 - t5,
  });
  for (const k in stages) stages[k] = +stages[k].toFixed(2);
  console.log(JSON.stringify({ stagesMs: stages }));
}
