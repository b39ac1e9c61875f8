// The memoised row model: derive → filter → sort → group, each stage rerun only when its inputs change, and a live
// update applied in place of a rerun where it can be.
import type { StationLiveness, ViewPoint } from '../../../../common/consoleApi.js';
import type { Site } from '../../../../common/model.js';
import { buildSearchIndex, type SearchIndex } from '../searchIndex.js';
import { emptyCounts, totalOf, type DeliveryCounts, type StatusCounts } from './counts.js';
import { createRankMemo, derive, deriveIncrement, type Derived, type RowData } from './derive.js';
import { EMPTY_FILTER, filterRowsIndexed, isNoFilter, searchOf, type RowFilter } from './filter.js';
import { groupWithBuckets, gridRowOf, siteRowKey, type GridRow } from './group.js';
import { sortRows, updateSorted, type SortColumn, type SortDir, type SortSpec } from './sort.js';

export interface RowModel {
  rows: GridRow[];
  /** The same object as long as the rows' keys and kinds are the same, in the same order (a live update that
   *  moved nothing): the grid keeps its measurements. */
  layout: object;
  /** Row index of a row key (point id, or siteRowKey(siteId)); -1 if not shown. */
  indexOf(key: string): number;
  counts: StatusCounts;
  /** Points per delivery state the toolbar counts (Not confirmed). */
  deliveryCounts: DeliveryCounts;
  /** Live updates change this map in place (a changed site gets a new counts object): an older model's map is the current one. */
  siteCounts: ReadonlyMap<string, StatusCounts>;
  total: number;
  /** Points that pass the filter (collapsed or not). */
  matched: number;
  /** Every matching point id in grid order (collapsed sites included): what "select all" selects. */
  matchedIds: string[];
  /** Matching point ids per site, in grid order. */
  matchedBySite: Map<string, string[]>;
}

/** Looks a row key up by scanning (cheaper than a 50,000-entry map rebuilt on every change), remembering answers. */
function indexFinder(rows: readonly GridRow[]): (key: string) => number {
  const memo = new Map<string, number>();
  return (key) => {
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let found = -1;
    for (let i = 0; i < rows.length; i++) {
      if (rows[i].key === key) {
        found = i;
        break;
      }
    }
    if (memo.size > 64) memo.clear();
    memo.set(key, found);
    return found;
  };
}

export interface RowModelInput {
  points: ReadonlyMap<string, ViewPoint>;
  /** Bumped by the store whenever points change (the map itself is updated in place). */
  pointsVersion: number;
  /** The ids changed by the flush that made pointsVersion (null: unknown, e.g. a reload); lets a live update skip a full derive. */
  changed?: { version: number; ids: readonly string[] } | null;
  sites: ReadonlyMap<string, Site>;
  sitesVersion: number;
  /** Station id → liveness (the store's map, updated in place: a change of a station's state comes as a change of
   *  its points in `changed`). */
  liveness?: ReadonlyMap<string, StationLiveness>;
  filter: RowFilter;
  sort: SortSpec;
  grouped: boolean;
  collapsed: ReadonlySet<string>;
}

/** One call: derive → filter → sort → group. */
export function buildRowModel(input: RowModelInput): RowModel {
  return createRowModelSelector()(input);
}

/**
 * A memoised row model: each stage reruns only when its inputs change (by identity / version), so a
 * collapse does not re-sort, and a filter change does not re-derive.
 */
export interface RowModelSelector {
  (input: RowModelInput): RowModel;
  /**
   * Makes the filter text of the current rows, and then their search index, ahead of the first filter (50,000
   * points: ~100 ms and ~10 ms), a step per call and more while hasTime() says so. True when both are made.
   */
  prepareSearch(hasTime: () => boolean): boolean;
}

export function createRowModelSelector(): RowModelSelector {
  let dKey: unknown[] = [];
  let derived: Derived | null = null;
  const rankMemo = createRankMemo();
  let sKey: unknown[] = [];
  let sorted: RowData[] = [];
  let gKey: unknown[] = [];
  let model: RowModel | null = null;
  /** The derived data the current one was updated from (null: derived from scratch), and the rows it replaced. */
  let derivedFrom: Derived | null = null;
  let pairs: [RowData, RowData][] = [];
  /** Set when the latest sort stage patched the previous sorted rows in place. */
  let sortedFrom: RowData[] | null = null;
  let patches: [number, RowData][] | null = null;
  /** Row key → index, for the current layout (built when first needed). */
  let rowIndex: Map<string, number> | null = null;
  let lazyIds: LazyIds = { ids: () => [], bySite: () => new Map() };
  const same = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  let positions = new Map<string, number>();
  /** Every row in the current sort order, unfiltered: a filter then only has to pick (order is kept), and clearing
   *  it costs a copy, not a sort. Kept current through live updates like the filtered rows are. */
  let sortedAll: { derived: Derived; column: SortColumn; dir: SortDir; rows: RowData[] } | null = null;
  const allSorted = (d: Derived, sort: SortSpec): RowData[] => {
    if (!sortedAll || sortedAll.derived !== d || sortedAll.column !== sort.column || sortedAll.dir !== sort.dir) {
      const rows = sortRows(d.all.slice(), sort);
      sortedAll = { derived: d, column: sort.column, dir: sort.dir, rows };
    }
    return sortedAll.rows;
  };
  /** The last model built with no filter, kept for when a filter is cleared. */
  let unfiltered: { key: unknown[]; model: RowModel; lazyIds: LazyIds } | null = null;
  /** The filter text of derived.all, one string (see searchIndex.ts); dropped when a live update changes a row's text. */
  let searchIndex: SearchIndex<RowData> | null = null;
  const searchIndexOf = (all: RowData[]): SearchIndex<RowData> => {
    if (searchIndex?.rows !== all) searchIndex = buildSearchIndex(all, searchOf);
    return searchIndex;
  };
  let prepared: { all: RowData[]; next: number } | null = null;
  const prepareSearch = (hasTime: () => boolean): boolean => {
    if (!derived) return false;
    // A new row array (a reload, or a derive from scratch) starts again: rows that kept their text cost a check.
    if (prepared?.all !== derived.all) prepared = { all: derived.all, next: 0 };
    const all = prepared.all;
    // One step per turn (1,000 rows' text, or at the end the index), at least one per call, more while there is time.
    for (;;) {
      if (prepared.next < all.length) {
        const end = Math.min(all.length, prepared.next + 1000);
        for (let i = prepared.next; i < end; i++) searchOf(all[i]);
        prepared.next = end;
      } else if (searchIndex?.rows !== all) searchIndexOf(all);
      const done = prepared.next >= all.length && searchIndex?.rows === all;
      if (done || !hasTime()) return done;
    }
  };
  const select = (input: RowModelInput): RowModel => {
    const k1 = [input.points, input.pointsVersion, input.sites, input.sitesVersion];
    if (!derived || !same(k1, dKey)) {
      let next: Derived | null = null;
      const ch = input.changed;
      // Only points changed, by exactly one flush since the last derive: update in place of re-deriving.
      if (
        derived &&
        ch &&
        ch.version === input.pointsVersion &&
        dKey[1] === input.pointsVersion - 1 &&
        dKey[0] === input.points &&
        dKey[2] === input.sites &&
        dKey[3] === input.sitesVersion
      ) {
        pairs = [];
        next = deriveIncrement(derived, ch.ids, input.points, input.sites, rankMemo, positions, pairs, input.liveness);
        if (next && searchIndex?.rows === next.all && pairs.some(([old, d]) => d.search !== old.search))
          searchIndex = null;
      }
      derivedFrom = next ? derived : null;
      if (!next) {
        markFullDerive(fullDeriveReason(derived !== null, dKey, input));
        next = derive(input.points.values(), input.sites, rankMemo, input.liveness);
        searchIndex = null;
        positions = new Map();
        for (let i = 0; i < next.all.length; i++) positions.set(next.all[i].point.id, i);
      }
      // A live update with a filter on: bring the unfiltered order along (a copy and a binary search per change).
      if (sortedAll && derivedFrom && sortedAll.derived === derivedFrom && !isNoFilter(input.filter)) {
        const spec = { column: sortedAll.column, dir: sortedAll.dir };
        sortedAll = {
          ...sortedAll,
          derived: next,
          rows: updateSorted(sortedAll.rows, pairs, EMPTY_FILTER, spec, true).rows,
        };
      }
      // Arrays are patched in place by live updates: the model kept for a cleared filter would match them by
      // identity but show the rows and counts from before.
      if (derivedFrom && !isNoFilter(input.filter)) unfiltered = null;
      derived = next;
      dKey = k1;
    }
    const k2 = [derived, input.filter, input.sort.column, input.sort.dir];
    if (!same(k2, sKey)) {
      const prevSorted = sorted;
      sortedFrom = null;
      patches = null;
      if (derivedFrom && sKey[0] === derivedFrom && same(k2.slice(1), sKey.slice(1))) {
        // A live update with the same filter and sort: update the previous result instead of sorting again.
        const r = updateSorted(prevSorted, pairs, input.filter, input.sort, true);
        sorted = r.rows;
        if (r.patches) {
          sortedFrom = prevSorted;
          patches = r.patches;
        }
      } else {
        const all = allSorted(derived, input.sort);
        sorted = isNoFilter(input.filter)
          ? all
          : filterRowsIndexed(all, input.filter, () => searchIndexOf(derived!.all));
      }
      if (isNoFilter(input.filter))
        sortedAll = { derived, column: input.sort.column, dir: input.sort.dir, rows: sorted };
      sKey = k2;
    }
    const k3 = [sorted, input.grouped, input.collapsed];
    if (model && sortedFrom && patches && gKey[0] === sortedFrom && same(k3.slice(1), gKey.slice(1))) {
      // Nothing moved: the same rows with the changed ones (and their sites' headers) replaced.
      if (!rowIndex) {
        rowIndex = new Map();
        for (let i = 0; i < model.rows.length; i++) rowIndex.set(model.rows[i].key, i);
      }
      const index = rowIndex;
      // In place (see updateSorted): the previous model is never read again, and the grid's rows are the same
      // length with the same keys.
      const rows = model.rows;
      for (const [, d] of patches) {
        const i = index.get(d.point.id);
        if (i !== undefined) rows[i] = gridRowOf(d);
      }
      if (input.grouped) {
        for (const [old] of pairs) {
          const i = index.get(siteRowKey(old.point.siteId));
          const row = i === undefined ? null : rows[i];
          if (!row || row.kind !== 'site') continue;
          const counts = derived.siteCounts.get(row.siteId) ?? emptyCounts();
          if (row.counts !== counts) rows[i!] = { ...row, counts, total: totalOf(counts) };
        }
      }
      const previous = model;
      model = modelOf(rows, model.layout, (key) => index.get(key) ?? -1, derived, model.matched, lazyIds);
      if (unfiltered?.model === previous) unfiltered = { key: k3, model, lazyIds };
      gKey = k3;
      sortedFrom = null;
    }
    if (model && !same(k3, gKey) && unfiltered && same(k3, unfiltered.key)) {
      // Back to no filter with nothing changed since: the same rows, the same layout (the grid keeps its measurements).
      ({ model, lazyIds } = unfiltered);
      rowIndex = null;
      sortedFrom = null;
      gKey = k3;
    }
    if (!model || !same(k3, gKey)) {
      rowIndex = null;
      sortedFrom = null;
      const { rows, buckets } = groupWithBuckets(sorted, {
        grouped: input.grouped,
        collapsed: input.collapsed,
        sort: input.sort,
        sites: input.sites,
        siteCounts: derived.siteCounts,
      });
      // The id lists (for select-all) are built when first asked for, once per layout.
      const grouped = input.grouped;
      const sortedNow = sorted;
      let bySite: Map<string, string[]> | null = null;
      let matchedIds: string[] | null = null;
      const matchedBySiteOf = () => {
        if (!bySite) {
          bySite = new Map();
          for (const b of buckets)
            if (b)
              bySite.set(
                b[0].point.siteId,
                b.map((d) => d.point.id),
              );
        }
        return bySite;
      };
      const matchedIdsOf = () => {
        if (!matchedIds) {
          if (grouped) {
            const by = matchedBySiteOf();
            matchedIds = [];
            for (const r of rows) if (r.kind === 'site') for (const id of by.get(r.siteId)!) matchedIds.push(id);
          } else {
            matchedIds = sortedNow.map((d) => d.point.id);
          }
        }
        return matchedIds;
      };
      lazyIds = { ids: matchedIdsOf, bySite: matchedBySiteOf };
      model = modelOf(rows, {}, indexFinder(rows), derived, sorted.length, lazyIds);
      gKey = k3;
      if (isNoFilter(input.filter)) unfiltered = { key: k3, model, lazyIds };
    }
    return model;
  };
  return Object.assign(select, { prepareSearch });
}

export const FULL_DERIVE_MARK = 'voltboard:full-derive';

/** Why the row model derives every row again instead of updating the rows that changed. */
function fullDeriveReason(derivedBefore: boolean, lastKey: unknown[], input: RowModelInput): string {
  const ch = input.changed;
  if (!derivedBefore) return 'first';
  if (!ch || ch.version !== input.pointsVersion || lastKey[0] !== input.points) return 'network loaded';
  if (lastKey[2] !== input.sites || lastKey[3] !== input.sitesVersion) return 'sites changed';
  if (lastKey[1] !== input.pointsVersion - 1) return 'renders skipped a flush';
  return 'a new point or a moved label';
}

/** A User Timing mark for every derive from scratch (~0.3 s at 50,000 points), with why (the benchmark reports them);
 *  the last 100 are kept, a console runs all day. */
function markFullDerive(reason: string): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  if (performance.getEntriesByName(FULL_DERIVE_MARK).length >= 100) performance.clearMarks(FULL_DERIVE_MARK);
  performance.mark(FULL_DERIVE_MARK, { detail: reason });
}

interface LazyIds {
  ids(): string[];
  bySite(): Map<string, string[]>;
}

/** A row model whose id lists are computed when first read (once per layout: live updates that move nothing share them). */
function modelOf(
  rows: GridRow[],
  layout: object,
  indexOf: (key: string) => number,
  derived: Derived,
  matched: number,
  lazy: LazyIds,
): RowModel {
  return {
    rows,
    layout,
    indexOf,
    counts: derived.counts,
    deliveryCounts: derived.deliveryCounts,
    siteCounts: derived.siteCounts,
    total: derived.total,
    matched,
    get matchedIds() {
      return lazy.ids();
    },
    get matchedBySite() {
      return lazy.bySite();
    },
  };
}
