// Live updates of the row model (the 50,000-point path): updating the previous result in place must give exactly
// what deriving, filtering, sorting and grouping everything again gives, for every sort, filter and grouping.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildRowModel,
  createRowModelSelector,
  EMPTY_FILTER,
  SORT_COLUMNS,
  updateSorted,
} from '../../renderer/src/model/rows.js';
import type { PointGridRow, RowFilter, RowModel, RowModelInput } from '../../renderer/src/model/rows.js';
import { network } from '../support/rendererFixtures.js';
import { rowModelInput } from '../support/rowModelInput.js';

const f = (over: Partial<RowFilter>): RowFilter => ({ ...EMPTY_FILTER, ...over });
const view = (m: RowModel) =>
  m.rows.map((r) =>
    r.kind === 'point'
      ? `${r.key}:${r.data.view.shown}:${r.data.view.delivery}`
      : `${r.key}:${r.matched}/${r.total}:${JSON.stringify(r.counts)}`,
  );

describe('row model live updates', () => {
  const cases: { name: string; over: Partial<RowModelInput> }[] = [
    { name: 'default (point order, grouped)', over: {} },
    { name: 'text filter', over: { filter: f({ text: 'p-1' }) } },
    {
      name: 'status filter, ungrouped',
      over: { filter: f({ statuses: new Set(['Available', 'Faulted'] as const) }), grouped: false },
    },
    ...SORT_COLUMNS.flatMap((column) =>
      (['asc', 'desc'] as const).map((dir) => ({
        name: `sort ${column} ${dir}`,
        over: { sort: { column, dir }, collapsed: new Set(['site-2']) },
      })),
    ),
  ];
  for (const c of cases) {
    it(`matches a full rebuild: ${c.name}`, () => {
      const { points, sites } = network(1_500, 30);
      const sel = createRowModelSelector();
      const base = rowModelInput(points, sites, c.over);
      let prev = sel(base);
      let version = 1;
      const statuses = ['Available', 'Occupied', 'Faulted', 'Unavailable', 'Reserved'] as const;
      let kept = 0;
      for (let round = 0; round < 12; round++) {
        const ids: string[] = [];
        // Few changes in some rounds (most keep their place), many in others; some points twice.
        const n = round % 3 === 0 ? 3 : 40;
        for (let i = 0; i < n; i++) {
          const id = `p-${(round * 337 + i * 61) % 1_500}`;
          const p = points.get(id)!;
          const flip = round % 4 === 1 && i % 5 === 0;
          points.set(id, {
            ...p,
            seq: p.seq + 1,
            stationConnected: flip ? !p.stationConnected : p.stationConnected,
            reported: {
              ...p.reported,
              status: statuses[(i + round) % 5],
              at: new Date(Date.UTC(2026, 10, 25, 10, round, i)).toISOString(),
            },
          });
          ids.push(id);
          if (i % 17 === 0) ids.push(id);
        }
        version++;
        const inc = sel({ ...base, pointsVersion: version, changed: { version, ids } });
        const full = buildRowModel({ ...base, pointsVersion: version });
        assert.deepEqual(view(inc), view(full), `round ${round}`);
        assert.deepEqual(inc.matchedIds, full.matchedIds);
        assert.deepEqual([...inc.matchedBySite], [...full.matchedBySite]);
        assert.deepEqual(inc.counts, full.counts);
        assert.equal(inc.matched, full.matched);
        for (const key of [full.rows[0]?.key, full.rows[full.rows.length - 1]?.key, 'nope'])
          if (key) assert.equal(inc.indexOf(key), full.indexOf(key));
        if (inc.layout === prev.layout) {
          kept++;
          assert.deepEqual(
            inc.rows.map((r) => r.key),
            prev.rows.map((r) => r.key),
          );
        }
        prev = inc;
      }
      // In point order with no status filter, nothing moves: every update keeps the layout.
      if (c.name.startsWith('default') || c.name === 'text filter') assert.equal(kept, 12);
    });
  }

  it('an unchanged point keeps its row object through live updates and a full derive (its row does not render again)', () => {
    const { points, sites } = network(300, 6);
    const sel = createRowModelSelector();
    const base = rowModelInput(points, sites);
    const rowsById = (m: RowModel) =>
      new Map(m.rows.filter((r): r is PointGridRow => r.kind === 'point').map((r) => [r.key, r]));
    const before = rowsById(sel(base));
    const changed = points.get('p-7')!;
    points.set('p-7', { ...changed, seq: changed.seq + 1, reported: { ...changed.reported, status: 'Faulted' } });
    const live = rowsById(sel({ ...base, pointsVersion: 2, changed: { version: 2, ids: ['p-7'] } }));
    // A new point: every row is derived again (new ranks), from the same point objects.
    points.set('p-new', { ...points.get('p-8')!, id: 'p-new', label: 'Bay 999' });
    const full = rowsById(sel({ ...base, pointsVersion: 3 }));
    for (const [id, row] of before) {
      if (id === 'p-7') {
        assert.notEqual(live.get(id), row);
        assert.equal(live.get(id)!.data.view.shown, 'Faulted');
        assert.equal(full.get(id), live.get(id));
      } else {
        assert.equal(live.get(id), row, `${id} after a live update`);
        assert.equal(full.get(id), row, `${id} after a full derive`);
      }
    }
    assert.ok(full.get('p-new'));

    // A renamed site (a new site object): its rows are new, with the new name; the other sites' rows stay.
    const siteId = live.get('p-9')!.data.point.siteId;
    sites.set(siteId, { ...sites.get(siteId)!, name: 'Renamed Yard' });
    const renamed = rowsById(sel({ ...base, pointsVersion: 3, sitesVersion: 2 }));
    for (const [id, row] of full) {
      if (row.data.point.siteId === siteId) {
        assert.notEqual(renamed.get(id), row);
        assert.equal(renamed.get(id)!.data.siteName, 'Renamed Yard');
      } else assert.equal(renamed.get(id), row, `${id} of another site`);
    }
  });

  it('matches a full rebuild when filters come and go between live updates (the unfiltered order is kept current)', () => {
    const { points, sites } = network(1_500, 30);
    const sel = createRowModelSelector();
    const filters = [
      EMPTY_FILTER,
      f({ text: 'p-1' }),
      f({ text: 'site 2' }),
      EMPTY_FILTER,
      f({ statuses: new Set(['Faulted'] as const) }),
    ];
    const statuses = ['Available', 'Occupied', 'Faulted', 'Unavailable', 'Reserved'] as const;
    let version = 1;
    for (const sort of [
      { column: 'shown', dir: 'asc' },
      { column: 'point', dir: 'desc' },
    ] as const) {
      for (let round = 0; round < 15; round++) {
        const base = rowModelInput(points, sites, {
          pointsVersion: version,
          filter: filters[round % filters.length],
          sort,
          grouped: round % 2 === 0,
        });
        // Filter changed at the same version, then a live update under it.
        assert.deepEqual(view(sel(base)), view(buildRowModel(base)), `${sort.column} round ${round}: filter change`);
        const ids: string[] = [];
        for (let i = 0; i < 25; i++) {
          const id = `p-${(round * 211 + i * 59) % 1_500}`;
          const p = points.get(id)!;
          points.set(id, { ...p, seq: p.seq + 1, reported: { ...p.reported, status: statuses[(i + round) % 5] } });
          ids.push(id);
        }
        version++;
        const live = { ...base, pointsVersion: version, changed: { version, ids } };
        assert.deepEqual(view(sel(live)), view(buildRowModel(live)), `${sort.column} round ${round}: live update`);
      }
    }
  });

  it('rows patched in place by live updates never come back stale when a filter is set and cleared', () => {
    // Point order: status changes move nothing, so every live update patches the arrays in place.
    const { points, sites } = network(1_500, 30);
    const sel = createRowModelSelector();
    const statuses = ['Faulted', 'Available', 'Unavailable'] as const;
    const base = rowModelInput(points, sites);
    let version = 1;
    const change = (filter: RowFilter, round: number) => {
      const ids = Array.from({ length: 20 }, (_, i) => `p-${(round * 97 + i * 71) % 1_500}`);
      for (const id of ids) {
        const p = points.get(id)!;
        points.set(id, { ...p, seq: p.seq + 1, reported: { ...p.reported, status: statuses[round % 3] } });
      }
      version++;
      return sel({ ...base, filter, pointsVersion: version, changed: { version, ids } });
    };
    const now = (filter: RowFilter) => {
      const input = { ...base, filter, pointsVersion: version };
      const [model, full] = [sel(input), buildRowModel(input)];
      assert.deepEqual(view(model), view(full));
      assert.deepEqual(model.counts, full.counts);
      return model;
    };
    const text = f({ text: 'p-1' });
    for (let round = 0; round < 6; round++) {
      now(EMPTY_FILTER);
      change(EMPTY_FILTER, round);
      now(text);
      now(EMPTY_FILTER); // cleared after a change made with no filter
      now(text);
      change(text, round + 100);
      now(EMPTY_FILTER); // cleared after a change made under the filter
    }
  });

  it('updateSorted writes into the previous rows only when asked to, and only when nothing moved', () => {
    const { points, sites } = network(300, 10);
    const model = buildRowModel(
      rowModelInput(points, sites, { sort: { column: 'shown', dir: 'asc' }, grouped: false }),
    );
    const prev = model.rows.map((r) => (r as PointGridRow).data);
    const copy = prev.slice();
    const sort = { column: 'shown', dir: 'asc' } as const;
    // Same status (keeps its place), then a status that moves the row.
    const same = [prev[5], { ...prev[5] }] as const;
    const moved = [
      prev[5],
      {
        ...prev[5],
        view: { ...prev[5].view, shown: prev[prev.length - 1].view.shown === 'Available' ? 'Unknown' : 'Available' },
      },
    ] as const;
    assert.ok(updateSorted(prev, [same], EMPTY_FILTER, sort).patches);
    assert.deepEqual(prev, copy, 'not in place: untouched');
    const r = updateSorted(prev, [moved as never], EMPTY_FILTER, sort, true);
    assert.equal(r.patches, null);
    assert.notEqual(r.rows, prev);
    assert.ok(
      prev.every((d, i) => d === copy[i]),
      'rows moved: the previous rows are left as they were',
    );
    const p = updateSorted(prev, [same], EMPTY_FILTER, sort, true);
    assert.equal(p.rows, prev);
    assert.equal(prev[5], same[1]);
  });

  it('clearing a filter with nothing changed since gives back the same rows and layout, without sorting again', () => {
    const { points, sites } = network(1_500, 30);
    const sel = createRowModelSelector();
    const base = rowModelInput(points, sites, { sort: { column: 'shown', dir: 'asc' } });
    const before = sel(base);
    const filtered = sel({ ...base, filter: f({ text: 'p-12' }) });
    assert.ok(filtered.rows.length < before.rows.length);
    const after = sel({ ...base, filter: f({ text: '  ' }) });
    assert.equal(after, before);
    assert.deepEqual(view(after), view(buildRowModel(base)));
  });

  it('prepares the filter text ahead in slices, keeps it through status changes and makes it again when names change', () => {
    const { points, sites } = network(3_000, 30);
    const sel = createRowModelSelector();
    const base = rowModelInput(points, sites);
    const model = sel(base);
    const dataOf = (m: RowModel, id: string) =>
      m.rows.flatMap((r) => (r.kind === 'point' && r.key === id ? [r.data] : []))[0];
    assert.equal(
      sel.prepareSearch(() => false),
      false,
      'one slice is not all of 3,000 rows',
    );
    let calls = 2;
    while (!sel.prepareSearch(() => false)) calls++;
    assert.equal(calls, 4, 'slices of 1,000 rows, then the search index');
    assert.ok(model.rows.every((r) => r.kind !== 'point' || r.data.search !== null));

    const status = points.get('p-7')!;
    points.set('p-7', { ...status, seq: status.seq + 1, reported: { ...status.reported, status: 'Faulted' } });
    const renamed = points.get('p-8')!;
    points.set('p-8', { ...renamed, seq: renamed.seq + 1, label: 'Renamed Bay Zulu' });
    const live = sel({ ...base, pointsVersion: 2, changed: { version: 2, ids: ['p-7', 'p-8'] } });
    assert.equal(dataOf(live, 'p-7').view.shown, 'Faulted');
    assert.equal(dataOf(live, 'p-7').search, dataOf(model, 'p-7').search, 'a status change keeps the filter text');
    assert.equal(dataOf(live, 'p-8').search, null, 'a renamed point gets its filter text made again');
    assert.deepEqual(sel({ ...base, pointsVersion: 2, filter: f({ text: 'zulu' }) }).matchedIds, ['p-8']);

    // A point moved between two sites this console does not know: its text names the new site id.
    const moved = points.get('p-9')!;
    points.set('p-9', { ...moved, seq: moved.seq + 1, siteId: 'ghost-1' });
    sel({ ...base, pointsVersion: 3, changed: { version: 3, ids: ['p-9'] } });
    assert.deepEqual(sel({ ...base, pointsVersion: 3, filter: f({ text: 'ghost-1' }) }).matchedIds, ['p-9']);
    points.set('p-9', { ...points.get('p-9')!, seq: moved.seq + 2, siteId: 'ghost-2' });
    sel({ ...base, pointsVersion: 4, changed: { version: 4, ids: ['p-9'] } });
    assert.deepEqual(sel({ ...base, pointsVersion: 4, filter: f({ text: 'ghost-1' }) }).matchedIds, []);
    assert.deepEqual(sel({ ...base, pointsVersion: 4, filter: f({ text: 'ghost-2' }) }).matchedIds, ['p-9']);

    // A reload (a new network: new point and site objects) is prepared again from the start, every row of it.
    const reloaded = network(3_000, 30);
    const next = sel({ ...base, points: reloaded.points, sites: reloaded.sites, pointsVersion: 5, sitesVersion: 2 });
    assert.ok(next.rows.some((r) => r.kind === 'point' && r.data.search === null));
    while (!sel.prepareSearch(() => false));
    assert.ok(
      next.rows.every((r) => r.kind !== 'point' || r.data.search !== null),
      'every row of the new network',
    );
  });
});
