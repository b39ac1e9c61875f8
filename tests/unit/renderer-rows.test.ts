// The grid's row model: filter → sort → group, counts, and the per-point facts the grid shows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ViewPoint } from '../../common/consoleApi.js';
import {
  buildRowModel,
  createRowModelSelector,
  derive,
  EMPTY_FILTER,
  filterRows,
  rowDataOf,
  siteRowKey,
  SORT_COLUMNS,
  sortRows,
  compareRows,
  totalOf,
} from '../../renderer/src/model/rows.js';
import type { RowData, RowFilter, RowModelInput } from '../../renderer/src/model/rows.js';
import { connectivityOf } from '../../renderer/src/model/connectivity.js';
import { deliveryAdvice, deliveryProgress } from '../../renderer/src/model/deliveryLabels.js';
import { DELIVERY_STATES } from '../../common/status.js';
import { network, point, site } from '../support/rendererFixtures.js';
import { rowModelInput } from '../support/rowModelInput.js';

const SITES = new Map([
  ['s1', site('s1', 'Harbour Car Park')],
  ['s2', site('s2', 'Airport West')],
]);
const input = (points: ViewPoint[], over: Partial<RowModelInput> = {}) => rowModelInput(points, SITES, over);
const f = (over: Partial<RowFilter>): RowFilter => ({ ...EMPTY_FILTER, ...over });
const keys = (m: { rows: { key: string }[] }) => m.rows.map((r) => r.key);

describe('renderer row model', () => {
  const pts = [
    point('a', { siteId: 's1', label: 'Bay 10' }),
    point('b', { siteId: 's1', label: 'Bay 2' }),
    point('c', {
      siteId: 's2',
      label: 'Bay 1',
      reported: { status: 'Faulted', errorCode: 'GroundFailure', info: null, at: null },
    }),
    point('d', { siteId: 's2', label: 'Bay 3', stationConnected: false }),
  ];

  it('groups by site (sites in name order) with site headers as rows, points in natural order', () => {
    const m = buildRowModel(input(pts));
    assert.deepEqual(keys(m), [siteRowKey('s2'), 'c', 'd', siteRowKey('s1'), 'b', 'a']);
    const header = m.rows[0];
    assert.equal(header.kind, 'site');
    if (header.kind === 'site') {
      assert.equal(header.name, 'Airport West');
      assert.equal(header.total, 2);
      assert.equal(header.counts.Faulted, 1);
      assert.equal(header.counts.Offline, 1);
    }
    assert.equal(m.indexOf('d'), 2);
    assert.equal(m.indexOf('nope'), -1);
  });

  it('a collapsed site shows only its header, and its points still count as matched', () => {
    const m = buildRowModel(input(pts, { collapsed: new Set(['s2']) }));
    assert.deepEqual(keys(m), [siteRowKey('s2'), siteRowKey('s1'), 'b', 'a']);
    assert.equal(m.matched, 4);
    assert.deepEqual(m.matchedIds, ['c', 'd', 'b', 'a']);
    assert.deepEqual(m.matchedBySite.get('s2'), ['c', 'd']);
  });

  it('flat (ungrouped) lists points only', () => {
    const m = buildRowModel(input(pts, { grouped: false, sort: { column: 'shown', dir: 'asc' } }));
    assert.deepEqual(keys(m), ['c', 'd', 'b', 'a']); // Faulted, Offline, then Available (site, point)
  });

  it('counts every shown status for the network and per site, ignoring filters', () => {
    const m = buildRowModel(input(pts, { filter: f({ text: 'bay 10' }) }));
    assert.equal(m.counts.Available, 2);
    assert.equal(m.counts.Faulted, 1);
    assert.equal(m.counts.Offline, 1);
    assert.equal(totalOf(m.counts), 4);
    assert.equal(m.siteCounts.get('s1')?.Available, 2);
    assert.equal(m.total, 4);
    assert.equal(m.matched, 1);
  });

  it('filters by free text over site, point and station, all words, any case', () => {
    const all = derive(pts.values(), input(pts).sites).all;
    const ids = (flt: RowFilter) =>
      filterRows(all, flt)
        .map((d) => d.point.id)
        .sort();
    assert.deepEqual(ids(f({ text: 'airport' })), ['c', 'd']);
    assert.deepEqual(ids(f({ text: 'HARBOUR bay 2' })), ['b']);
    assert.deepEqual(ids(f({ text: 'st-c' })), ['c']);
    assert.deepEqual(ids(f({ text: 'leeds' })), ['a', 'b', 'c', 'd']);
    assert.deepEqual(ids(f({ text: 'nothing-like-this' })), []);
  });

  it('filters by shown status and by site', () => {
    const all = derive(pts.values(), input(pts).sites).all;
    const ids = (flt: RowFilter) =>
      filterRows(all, flt)
        .map((d) => d.point.id)
        .sort();
    assert.deepEqual(ids(f({ statuses: new Set(['Offline', 'Faulted'] as const) })), ['c', 'd']);
    assert.deepEqual(ids(f({ siteIds: new Set(['s1']) })), ['a', 'b']);
    assert.deepEqual(ids(f({ siteIds: new Set(['s1']), statuses: new Set(['Faulted'] as const) })), []);
  });

  it('the shown status honours a pending edit laid over the point', () => {
    const p = point('e', {
      pending: {
        mutationId: 'm-1',
        edit: { status: 'Maintenance', reason: 'x', note: null, until: null },
        state: 'queued',
        createdAt: '2026-11-25T10:00:00Z',
        error: null,
        theirs: null,
      },
    });
    const d = rowDataOf(p, null);
    assert.equal(d.view.shown, 'Maintenance');
    assert.equal(d.view.delivery, 'queued');
    assert.equal(d.lastChangeBy, 'you (pending)');
  });

  it('sorts by every column both ways, with a total order (ties by site, then point)', () => {
    const { points, sites } = network(300, 7);
    const all = derive(points.values(), sites).all;
    for (const column of SORT_COLUMNS) {
      const asc = sortRows(all.slice(), { column, dir: 'asc' }).map((d) => d.point.id);
      const desc = sortRows(all.slice(), { column, dir: 'desc' }).map((d) => d.point.id);
      assert.equal(asc.length, 300, column);
      assert.equal(new Set(asc).size, 300, column);
      // Sorting twice gives the same order (stable keys), whatever the input order.
      assert.deepEqual(
        sortRows(all.slice().reverse(), { column, dir: 'asc' }).map((d) => d.point.id),
        asc,
        column,
      );
      if (column === 'point') assert.deepEqual(desc, asc.slice().reverse(), column);
      if (column === 'site') {
        const siteOrder = (ids: string[]) => [...new Set(ids.map((id) => points.get(id)!.siteId))];
        assert.deepEqual(siteOrder(desc), siteOrder(asc).reverse());
      }
    }
  });

  it('sorts in the order of compareRows, by counting or not, from any input order, on a subset, and with shared ranks', () => {
    const { points, sites } = network(400, 11);
    // Some points never changed: lastChange sorts them last both ways.
    for (const [id, p] of [...points].filter((_, i) => i % 7 === 0)) {
      points.set(id, { ...p, operator: { ...p.operator, at: null }, reported: { ...p.reported, at: null } });
    }
    const all = derive(points.values(), sites).all;
    assert.equal(all.filter((d) => Number.isNaN(d.lastChangeMs)).length, 58);
    const shuffled = all
      .slice()
      .sort(
        (a, b) =>
          ((a.point.id.length * 7919 + a.baseRank * 104729) % 997) -
          ((b.point.id.length * 7919 + b.baseRank * 104729) % 997),
      );
    const subset = shuffled.filter((_, i) => i % 3 !== 0);
    const sharedRanks = subset.map((d, i) => ({ ...d, baseRank: i % 5, pointRank: i % 5 }));
    const ids = (rows: RowData[]) => rows.map((d) => d.point.id);
    for (const column of SORT_COLUMNS) {
      for (const dir of ['asc', 'desc'] as const) {
        const spec = { column, dir };
        for (const rows of [shuffled, subset, sharedRanks]) {
          const expected = ids(rows.slice().sort(compareRows(spec)));
          assert.deepEqual(ids(sortRows(rows.slice(), spec)), expected, `${column} ${dir}`);
        }
      }
    }
  });

  it('keeps row keys stable (point ids) when a point changes', () => {
    const sel = createRowModelSelector();
    const inp = input(pts);
    const m1 = sel(inp);
    const changed = point('b', {
      siteId: 's1',
      label: 'Bay 2',
      operator: { ...pts[1].operator, status: 'Maintenance', reason: 'x', version: 1 },
      seq: 2,
    });
    const map = new Map(inp.points);
    map.set('b', changed);
    const m2 = sel({ ...inp, points: map, pointsVersion: 2 });
    assert.deepEqual(keys(m1), keys(m2));
    const row = m2.rows[m2.indexOf('b')];
    assert.equal(row.kind === 'point' && row.data.view.shown, 'Maintenance');
  });

  it('a live update of a few points (incremental) gives the same model as deriving everything again', () => {
    const { points, sites } = network(2_000, 40);
    const sel = createRowModelSelector();
    const base = rowModelInput(points, sites, {
      filter: f({ statuses: new Set(['Faulted', 'Maintenance', 'Occupied']) }),
      sort: { column: 'shown', dir: 'asc' },
      collapsed: new Set(['site-3']),
    });
    sel(base);
    let version = 1;
    const statuses = ['Available', 'Occupied', 'Faulted', 'Unavailable'] as const;
    for (let round = 0; round < 5; round++) {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const id = `p-${(round * 337 + i * 61) % 2_000}`;
        const p = points.get(id)!;
        points.set(id, {
          ...p,
          seq: p.seq + 1,
          stationConnected: !p.stationConnected,
          reported: { ...p.reported, status: statuses[(i + round) % 4] },
        });
        ids.push(id);
      }
      version++;
      const inc = sel({ ...base, pointsVersion: version, changed: { version, ids } });
      const full = buildRowModel({ ...base, pointsVersion: version });
      assert.deepEqual(keys(inc), keys(full), `round ${round}`);
      assert.deepEqual(inc.counts, full.counts);
      assert.deepEqual([...inc.siteCounts].sort(), [...full.siteCounts].sort());
      const shownOf = (m: typeof inc) => m.rows.map((r) => (r.kind === 'point' ? r.data.view.shown : r.kind));
      assert.deepEqual(shownOf(inc), shownOf(full));
    }
  });

  it('filters by text through its search index as filterRows does, across live updates, a renamed site and a new point', () => {
    const { points, sites } = network(3_000, 60);
    const sel = createRowModelSelector();
    const sort = { column: 'shown', dir: 'desc' } as const;
    let version = 1;
    let sitesVersion = 1;
    const model = (filter: RowFilter, changed?: string[]) =>
      sel({
        points,
        pointsVersion: version,
        sites,
        sitesVersion,
        filter,
        sort,
        grouped: false,
        collapsed: new Set(),
        changed: changed && { version, ids: changed },
      });
    // The reference derives copies: rows of the same point objects would share their positions and ranks.
    const expected = (filter: RowFilter) =>
      sortRows(
        filterRows(
          derive(
            [...points.values()].map((p) => ({ ...p })),
            sites,
          ).all,
          filter,
        ),
        sort,
      ).map((d) => d.point.id);
    const check = (filter: RowFilter, label: string, changed?: string[]) =>
      assert.deepEqual(keys(model(filter, changed)), expected(filter), label);
    model(EMPTY_FILTER);
    assert.equal(
      sel.prepareSearch(() => true),
      true,
    );
    const filters = [
      f({ text: 'bay 1' }),
      f({ text: 'york' }),
      f({ text: 'site 7 bay' }),
      f({ text: 'BATH', statuses: new Set(['Faulted'] as const) }),
      f({ text: 'nothing-like-this' }),
      f({ text: 'p-2999' }),
    ];
    for (const [i, flt] of filters.entries()) check(flt, `filter ${i}`);
    // Live updates (in place), with the filter changed in between: the index still fits the rows.
    for (let round = 0; round < 3; round++) {
      const ids = Array.from({ length: 40 }, (_, i) => `p-${(round * 401 + i * 73) % 3_000}`);
      for (const id of ids) {
        const p = points.get(id)!;
        points.set(id, {
          ...p,
          seq: p.seq + 1,
          reported: { ...p.reported, status: round % 2 ? 'Faulted' : 'Available' },
        });
      }
      version++;
      check(filters[round], `live round ${round}`, ids);
      check(filters[(round + 1) % filters.length], `after live round ${round}`);
    }
    // A label that keeps its place in the order ("Bay 1" → "Bay 01") is a live update in place: the index is made again.
    const relabelled = [...points.values()].find((p) => p.label === 'Bay 1')!;
    points.set(relabelled.id, { ...relabelled, seq: relabelled.seq + 1, label: 'Bay 01' });
    version++;
    check(f({ text: 'bay 01' }), 'relabelled in place', [relabelled.id]);
    assert.ok(keys(model(f({ text: 'bay 01' }))).includes(relabelled.id));
    // A renamed site: its points are found by the new name only.
    sites.set('site-7', { ...sites.get('site-7')!, name: 'Quayside Depot' });
    sitesVersion++;
    check(f({ text: 'quayside' }), 'renamed site');
    assert.ok(keys(model(f({ text: 'quayside' }))).length > 0, 'the renamed site has points');
    // A new point is found.
    points.set('p-new', point('p-new', { siteId: 'site-3', label: 'Bay 99', stationId: 'ST-NEW' }));
    version++;
    check(f({ text: 'st-new' }), 'new point');
  });

  it('memoises: the same inputs give the same model; a collapse does not re-derive', () => {
    const sel = createRowModelSelector();
    const inp = input(pts);
    const m1 = sel(inp);
    assert.equal(sel({ ...inp }), m1);
    const m2 = sel({ ...inp, collapsed: new Set(['s1']) });
    assert.notEqual(m2, m1);
    assert.equal(m2.counts, m1.counts);
  });

  it('says when a station is offline or silent, and since when: silent only when the backend says so', () => {
    const off = point('x', { stationConnected: false, stationLastSeen: '2026-11-25T11:00:00Z' });
    assert.deepEqual(connectivityOf(off, undefined), {
      kind: 'offline',
      since: '2026-11-25T11:00:00Z',
      lastHeardAt: '2026-11-25T11:00:00Z',
      source: 'point',
    });
    // Heard from hours ago by this computer's clock, but no word from the backend: never called silent here.
    const quiet = point('y', { stationLastSeen: '2020-01-01T00:00:00Z' });
    assert.equal(connectivityOf(quiet, undefined).kind, 'online');
    const silent = {
      stationId: 'ST-y',
      state: 'silent' as const,
      lastHeardAt: '2026-11-25T11:58:00Z',
      since: '2026-11-25T11:59:00Z',
    };
    assert.deepEqual(connectivityOf(quiet, silent), {
      kind: 'silent',
      since: silent.since,
      lastHeardAt: silent.lastHeardAt,
      source: 'backend',
    });
  });

  it('places every delivery state on the four steps, and advises on the ones that need a person', () => {
    for (const s of DELIVERY_STATES) {
      const p = deliveryProgress(s);
      assert.equal(p.steps.length, 4, s);
    }
    assert.deepEqual(deliveryProgress('confirmed').steps, ['done', 'done', 'done', 'done']);
    assert.equal(deliveryProgress('queued').steps[0], 'active');
    assert.equal(deliveryProgress('rejected').tone, 'problem');
    assert.equal(deliveryProgress('conflict').tone, 'problem');
    assert.equal(deliveryProgress('scheduled').tone, 'waiting');
    assert.ok(deliveryAdvice('rejected'));
    assert.ok(deliveryAdvice('stationOffline'));
    assert.equal(deliveryAdvice('confirmed'), null);
  });

  it('handles 50,000 points (correctness at scale; timing is in renderer/scripts/measure-rows.ts)', () => {
    const { points, sites } = network(50_000);
    const m = buildRowModel({
      points,
      pointsVersion: 1,
      sites,
      sitesVersion: 1,
      filter: f({ text: 'bay 1', statuses: new Set(['Faulted']) }),
      sort: { column: 'lastChange', dir: 'asc' },
      grouped: true,
      collapsed: new Set(),
    });
    assert.equal(m.total, 50_000);
    for (const r of m.rows) if (r.kind === 'point') assert.equal(r.data.view.shown, 'Faulted');
    assert.ok(m.matched > 0);
  });
});
