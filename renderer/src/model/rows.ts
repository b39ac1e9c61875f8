// The grid's row model: filter → sort → group, as pure functions over the points the store holds.
// Nothing here touches the DOM or React; tests/unit/renderer-rows.test.ts covers it.
// Performance matters: 50,000 points must filter and sort in well under 50 ms, so every per-point value
// the grid filters or sorts on is computed once per point object (points are replaced, never mutated,
// when they change) and kept with the row (the rank memo holds the last row of every point, by id).
import { effectiveView } from '../../../common/consoleApi.js';
import { pointOrderKey, siteOrderKey } from '../../../common/naturalOrder.js';
import type { EffectiveView, StationLiveness, ViewPoint } from '../../../common/consoleApi.js';
import type { Site } from '../../../common/model.js';
import { DELIVERY_LABELS, SHOWN_STATUSES, STATUS_LABELS } from '../../../common/status.js';
import type { DeliveryState, LivenessState, ShownStatus } from '../../../common/status.js';
import { buildSearchIndex, positionsMatching, type SearchIndex } from './searchIndex.js';

export type StatusCounts = Record<ShownStatus, number>;

export const SORT_COLUMNS = [
  'site',
  'point',
  'shown',
  'reported',
  'operator',
  'delivery',
  'lastChange',
  'connectivity',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortDir = 'asc' | 'desc';
export interface SortSpec {
  column: SortColumn;
  dir: SortDir;
}

export interface RowFilter {
  /** Free text, matched (all words, any order, case-insensitive) against site, point, station and ids. */
  text: string;
  /** Shown statuses to keep; empty keeps all. */
  statuses: ReadonlySet<ShownStatus>;
  /** Sites to keep; empty keeps all. */
  siteIds: ReadonlySet<string>;
  /** Delivery states to keep (the toolbar's "Not confirmed" count); empty or absent keeps all. */
  deliveries?: ReadonlySet<DeliveryState>;
  /** Only these points (the toolbar's "Overdue" count: the points overdue when it was computed); absent or null keeps all. */
  onlyIds?: ReadonlySet<string> | null;
}

export const EMPTY_FILTER: RowFilter = { text: '', statuses: new Set(), siteIds: new Set(), deliveries: new Set() };

/** Delivery states counted in the toolbar (each a count that filters the grid to its points). */
export const COUNTED_DELIVERIES = ['notConfirmed'] as const satisfies readonly DeliveryState[];
export type CountedDelivery = (typeof COUNTED_DELIVERIES)[number];
export type DeliveryCounts = Record<CountedDelivery, number>;
export const DEFAULT_SORT: SortSpec = { column: 'point', dir: 'asc' };

/** How the grid orders statuses: the ones that need a person first. */
export const STATUS_SEVERITY: Record<ShownStatus, number> = {
  Faulted: 0,
  Offline: 1,
  Unknown: 2,
  Unavailable: 3,
  OutOfService: 4,
  Maintenance: 5,
  Reserved: 6,
  Occupied: 7,
  Available: 8,
};

/** How far along the delivery is, for sorting: problems first, then in progress, then settled. */
const DELIVERY_RANK: Record<DeliveryState, number> = {
  conflict: 0,
  failed: 1,
  rejected: 2,
  notConfirmed: 3,
  noReply: 4,
  stationOffline: 5,
  queued: 6,
  sending: 7,
  saved: 8,
  sentToStation: 9,
  accepted: 10,
  scheduled: 11,
  overrideOnly: 12,
  confirmed: 13,
};

/** A point with everything the grid filters and sorts on, computed once per point object. */
export interface RowData {
  point: ViewPoint;
  site: Site | null;
  view: EffectiveView;
  siteName: string;
  /** Lower-case text the free-text filter matches against (see searchOf; null until first needed). */
  search: string | null;
  siteKey: string;
  pointKey: string;
  /** Who last set the status and when: my pending edit, else the last operator edit, else the station's report. */
  lastChangeBy: string | null;
  lastChangeAt: string | null;
  lastChangeMs: number;
  /** Whether the station is heard from (the backend's word, else the point's connection flag), and since when
   *  (ms since epoch; NaN if not known). What the last-heard age says is read at render, not kept here. */
  connKind: LivenessState;
  connSince: string | null;
  connSinceMs: number;
  /** Position in (site, point) order among all points; set by derive(). */
  baseRank: number;
  /** Position in (point, site) order among all points; set by derive(). */
  pointRank: number;
  /** Position of the point's site in site-name order; set by derive(). */
  siteRank: number;
  /** Index in Derived.all (a live update puts the new row at the old one's index); set by derive() and deriveIncrement(). */
  pos: number;
  /** This row as the grid's point row (made once, so the grid sees the same object until the row changes). */
  pointRow: PointRow | null;
}

export function emptyCounts(): StatusCounts {
  const c = {} as StatusCounts;
  for (const s of SHOWN_STATUSES) c[s] = 0;
  return c;
}

const siteKeys = new WeakMap<Site, string>();
function siteKeyOf(site: Site | null, siteName: string, siteId: string): string {
  if (!site) return siteOrderKey(siteName, siteId);
  let k = siteKeys.get(site);
  if (k === undefined) siteKeys.set(site, (k = siteOrderKey(siteName, siteId)));
  return k;
}

/** The lower-case text the free-text filter matches against; made the first time a filter needs it. */
function searchOf(d: RowData): string {
  if (d.search === null) {
    const p = d.point;
    d.search = `${d.siteName}\u0000${d.site?.city ?? ''}\u0000${p.label}\u0000${p.stationId}\u0000${p.id}\u0000${p.siteId}`.toLowerCase();
  }
  return d.search;
}

function timeMs(iso: string | null | undefined): number {
  if (!iso) return Number.NaN;
  return Date.parse(iso);
}

/**
 * The row data for one point. `before` is the point's last row data, if any: returned as it is when made from the
 * same point and site objects, else its filter text and order key are kept when the names they come from did not
 * change. (Not a WeakMap keyed by point objects: with a new object per change it kept growing between collections,
 * and growing it stalled the page for 45–130 ms now and then under live load, measured.)
 */
export function rowDataOf(point: ViewPoint, site: Site | null, before?: RowData, live?: StationLiveness): RowData {
  // As connectivityOf says, without making an object per point (this runs for every point at every derive).
  const connKind: LivenessState = live ? live.state : point.stationConnected ? 'online' : 'offline';
  const connSince = live ? live.since : point.stationConnected ? null : point.stationLastSeen;
  if (before && before.point === point && before.site === site && before.connKind === connKind && before.connSince === connSince) return before;
  const view = before && before.point === point ? before.view : effectiveView(point);
  const siteName = site?.name ?? point.siteId;
  let lastChangeBy: string | null;
  let lastChangeAt: string | null;
  if (point.pending) {
    lastChangeBy = 'you (pending)';
    lastChangeAt = point.pending.createdAt;
  } else if (point.operator.at) {
    // The last person to set the status; the station's own reports have their time in the Reported column.
    lastChangeBy = point.operator.by;
    lastChangeAt = point.operator.at;
  } else if (point.reported.at) {
    lastChangeBy = 'station';
    lastChangeAt = point.reported.at;
  } else {
    lastChangeBy = null;
    lastChangeAt = null;
  }
  const data: RowData = {
    point,
    site,
    view,
    siteName,
    // The filter text of a point whose names did not change (a status change) is the same.
    search:
      before &&
      before.site === site &&
      before.point.id === point.id &&
      before.point.siteId === point.siteId &&
      before.point.label === point.label &&
      before.point.stationId === point.stationId
        ? before.search
        : null,
    siteKey: siteKeyOf(site, siteName, point.siteId),
    pointKey:
      before && before.point.id === point.id && before.point.label === point.label && before.point.stationId === point.stationId
        ? before.pointKey
        : pointOrderKey(point),
    lastChangeBy,
    lastChangeAt,
    lastChangeMs: timeMs(lastChangeAt),
    connKind,
    connSince,
    connSinceMs: timeMs(connSince),
    baseRank: 0,
    pointRank: 0,
    siteRank: 0,
    pos: 0,
    pointRow: null,
  };
  return data;
}

export interface Derived {
  all: RowData[];
  counts: StatusCounts;
  deliveryCounts: DeliveryCounts;
  siteCounts: Map<string, StatusCounts>;
  total: number;
}

/** What the last derive() ranked, so a live change that moves no label or site skips the string sorts. */
export interface RankMemo {
  rows: Map<string, RowData>;
}

/** Assigns baseRank, pointRank and siteRank to every row: string sorts, done only when labels, sites or membership change. */
function assignRanks(all: RowData[], memo: RankMemo | undefined): void {
  if (memo && memo.rows.size === all.length) {
    let same = true;
    for (const d of all) {
      const prev = memo.rows.get(d.point.id);
      if (prev === d) continue;
      if (!prev || prev.siteKey !== d.siteKey || prev.pointKey !== d.pointKey) {
        same = false;
        break;
      }
      d.baseRank = prev.baseRank;
      d.pointRank = prev.pointRank;
      d.siteRank = prev.siteRank;
      memo.rows.set(d.point.id, d);
    }
    if (same) return;
  }
  const byBase = all.slice().sort((a, b) => cmpStr(a.siteKey, b.siteKey) || cmpStr(a.pointKey, b.pointKey));
  let siteRank = -1;
  let lastSite: string | null = null;
  for (let i = 0; i < byBase.length; i++) {
    const d = byBase[i];
    d.baseRank = i;
    if (d.siteKey !== lastSite) {
      siteRank++;
      lastSite = d.siteKey;
    }
    d.siteRank = siteRank;
  }
  const byPoint = all.slice().sort((a, b) => cmpStr(a.pointKey, b.pointKey) || cmpStr(a.siteKey, b.siteKey));
  for (let i = 0; i < byPoint.length; i++) byPoint[i].pointRank = i;
  if (memo) {
    memo.rows.clear();
    for (const d of all) memo.rows.set(d.point.id, d);
  }
}

export function createRankMemo(): RankMemo {
  return { rows: new Map() };
}

/**
 * Derived data after only `changedIds` changed since `prev` (a live update): replaces those rows and adjusts the
 * counts, instead of visiting every point. Returns null when it cannot (new points, moved labels): derive() then.
 */
export function deriveIncrement(
  prev: Derived,
  changedIds: readonly string[],
  points: ReadonlyMap<string, ViewPoint>,
  sites: ReadonlyMap<string, Site>,
  memo: RankMemo,
  positions: Map<string, number>,
  /** Filled with (old row, new row) for every row replaced, so later stages can update in place too. */
  pairs?: [RowData, RowData][],
  liveness?: ReadonlyMap<string, StationLiveness>,
): Derived | null {
  if (positions.size !== prev.all.length) return null;
  // In place: the previous Derived is only ever compared by identity once replaced, and copying 50,000 slots per
  // live batch fed the page's garbage collector (its pauses were the longest stalls under load).
  // The same for the per-site counts (2,000 sites): a changed site gets a new counts object, so its header renders.
  const all = prev.all as RowData[];
  const counts = { ...prev.counts };
  const deliveryCounts = { ...prev.deliveryCounts };
  const siteCounts = prev.siteCounts;
  const cloned = new Set<string>();
  const countsOf = (siteId: string) => {
    let c = siteCounts.get(siteId);
    if (!c || !cloned.has(siteId)) {
      c = c ? { ...c } : emptyCounts();
      siteCounts.set(siteId, c);
      cloned.add(siteId);
    }
    return c;
  };
  for (const id of changedIds) {
    const pos = positions.get(id);
    const p = points.get(id);
    if (pos === undefined || !p) return null;
    const old = all[pos];
    const d = rowDataOf(p, sites.get(p.siteId) ?? null, old, liveness?.get(p.stationId));
    if (d === old) continue;
    if (d.siteKey !== old.siteKey || d.pointKey !== old.pointKey) return null;
    d.baseRank = old.baseRank;
    d.pointRank = old.pointRank;
    d.siteRank = old.siteRank;
    d.pos = pos;
    memo.rows.set(id, d);
    all[pos] = d;
    pairs?.push([old, d]);
    counts[old.view.shown]--;
    countsOf(old.point.siteId)[old.view.shown]--;
    counts[d.view.shown]++;
    countsOf(p.siteId)[d.view.shown]++;
    countDelivery(deliveryCounts, old.view.delivery, -1);
    countDelivery(deliveryCounts, d.view.delivery, 1);
  }
  return { all, counts, deliveryCounts, siteCounts, total: all.length };
}

export function emptyDeliveryCounts(): DeliveryCounts {
  return { notConfirmed: 0 };
}

function countDelivery(counts: DeliveryCounts, state: DeliveryState, by: number): void {
  if (state in counts) counts[state as CountedDelivery] += by;
}

/** Every point's row data plus the network and per-site counts (counts ignore filters: they are the network). */
export function derive(
  points: Iterable<ViewPoint>,
  sites: ReadonlyMap<string, Site>,
  memo?: RankMemo,
  liveness?: ReadonlyMap<string, StationLiveness>,
): Derived {
  const all: RowData[] = [];
  const counts = emptyCounts();
  const deliveryCounts = emptyDeliveryCounts();
  const siteCounts = new Map<string, StatusCounts>();
  for (const p of points) {
    const d = rowDataOf(p, sites.get(p.siteId) ?? null, memo?.rows.get(p.id), liveness?.get(p.stationId));
    d.pos = all.length;
    all.push(d);
    counts[d.view.shown]++;
    countDelivery(deliveryCounts, d.view.delivery, 1);
    let sc = siteCounts.get(p.siteId);
    if (!sc) siteCounts.set(p.siteId, (sc = emptyCounts()));
    sc[d.view.shown]++;
  }
  assignRanks(all, memo);
  return { all, counts, deliveryCounts, siteCounts, total: all.length };
}

export function totalOf(counts: StatusCounts): number {
  let n = 0;
  for (const s of SHOWN_STATUSES) n += counts[s];
  return n;
}

function tokens(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean);
}

export function matches(d: RowData, words: readonly string[], filter: RowFilter): boolean {
  if (filter.statuses.size > 0 && !filter.statuses.has(d.view.shown)) return false;
  if (filter.siteIds.size > 0 && !filter.siteIds.has(d.point.siteId)) return false;
  if (filter.deliveries && filter.deliveries.size > 0 && !filter.deliveries.has(d.view.delivery)) return false;
  if (filter.onlyIds && !filter.onlyIds.has(d.point.id)) return false;
  if (words.length === 0) return true;
  const search = searchOf(d);
  for (const w of words) if (!search.includes(w)) return false;
  return true;
}

const NO_WORDS: readonly string[] = [];

/**
 * filterRows with the free text matched on a search index of Derived.all (each row's `pos` is its place there):
 * the same rows, in the same order.
 */
export function filterRowsIndexed(rows: readonly RowData[], filter: RowFilter, index: () => SearchIndex<RowData>): RowData[] {
  const words = tokens(filter.text);
  if (words.length === 0) return filterRows(rows, filter);
  const indexed = index();
  const matched = positionsMatching(indexed, words);
  const out: RowData[] = [];
  for (const d of rows) {
    // A row object can be reused by another derive (the same point object): its pos is checked, not trusted.
    const hit = indexed.rows[d.pos] === d ? matched[d.pos] === 1 && matches(d, NO_WORDS, filter) : matches(d, words, filter);
    if (hit) out.push(d);
  }
  return out;
}

export function filterRows(all: readonly RowData[], filter: RowFilter): RowData[] {
  const words = tokens(filter.text);
  if (words.length === 0 && filter.statuses.size === 0 && filter.siteIds.size === 0 && !filter.deliveries?.size && !filter.onlyIds) return all.slice();
  const out: RowData[] = [];
  for (const d of all) if (matches(d, words, filter)) out.push(d);
  return out;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
const CONN_ORDER: Record<LivenessState, number> = { offline: 0, silent: 1, online: 2 };
const REPORTED_ORDER: Record<string, number> = { Faulted: 0, Unknown: 1, Unavailable: 2, Reserved: 3, Occupied: 4, Available: 5 };
const OPERATOR_ORDER: Record<string, number> = { Faulted: 0, OutOfService: 1, Maintenance: 2, Occupied: 3, Available: 4 };

/** The primary sort value of a row for a column, as a number (smaller first in ascending order). */
const PRIMARY: Record<SortColumn, (d: RowData) => number> = {
  site: (d) => d.siteRank,
  point: (d) => d.pointRank,
  shown: (d) => STATUS_SEVERITY[d.view.shown],
  reported: (d) => REPORTED_ORDER[d.point.reported.status],
  operator: (d) => OPERATOR_ORDER[d.view.operatorStatus],
  delivery: (d) => DELIVERY_RANK[d.view.delivery],
  // Most recent first reads best for "last change", so ascending means newest first; never-changed last.
  lastChange: (d) => (Number.isNaN(d.lastChangeMs) ? Number.POSITIVE_INFINITY : -d.lastChangeMs),
  // Offline first, then silent, then online, each the longest in that state first (as the backend says, see connKind).
  connectivity: (d) => CONN_ORDER[d.connKind] * 1e13 + (Number.isNaN(d.connSinceMs) ? 0 : d.connSinceMs / 1e3),
};

/** Columns whose sort value is a small whole number (a rank or a status order): those sort by counting. */
const COUNTED_COLUMNS: ReadonlySet<SortColumn> = new Set(['site', 'shown', 'reported', 'operator', 'delivery']);

/**
 * Sorts in place by the column, ties broken by site then point (always ascending), so the order is total
 * and stable: the order compareRows() gives. For the point column and the columns with small whole-number values,
 * rows are first put in site-then-point (or point) order by their unique rank (a placement, not a sort), then
 * counted into place by value: 50,000 rows in ~2–5 ms instead of ~10 ms with a comparison sort, which the
 * time-valued columns still use.
 */
export function sortRows(rows: RowData[], sort: SortSpec): RowData[] {
  if (sort.column !== 'point' && !COUNTED_COLUMNS.has(sort.column)) return sortByComparison(rows, sort);
  const ranked = byRank(rows, sort.column === 'point' ? (d) => d.pointRank : (d) => d.baseRank);
  if (!ranked) return sortByComparison(rows, sort);
  if (sort.column === 'point') {
    // The point rank is both the value and the tie: the ranked order is the answer, reversed when descending.
    if (sort.dir === 'desc') ranked.reverse();
    return copyInto(rows, ranked);
  }
  const n = ranked.length;
  const primary = PRIMARY[sort.column];
  const keys = new Uint32Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = primary(ranked[i]);
    if (!Number.isInteger(v) || v < 0 || v > 1_000_000) return sortByComparison(rows, sort);
    keys[i] = v;
    if (v > max) max = v;
  }
  if (sort.dir === 'desc') for (let i = 0; i < n; i++) keys[i] = max - keys[i];
  // Counting sort, stable over the ranked order.
  const starts = new Uint32Array(max + 2);
  for (let i = 0; i < n; i++) starts[keys[i] + 1]++;
  for (let k = 1; k < starts.length; k++) starts[k] += starts[k - 1];
  for (let i = 0; i < n; i++) rows[starts[keys[i]]++] = ranked[i];
  return rows;
}

/** The rows placed by a unique whole-number rank (derive() gives every row one); null when a rank is missing, shared or far beyond the row count. */
function byRank(rows: readonly RowData[], rank: (d: RowData) => number): RowData[] | null {
  let max = -1;
  for (const d of rows) {
    const r = rank(d);
    if (!Number.isInteger(r) || r < 0) return null;
    if (r > max) max = r;
  }
  if (max > rows.length * 8 + 1024) return null;
  const slots: (RowData | undefined)[] = new Array(max + 1);
  for (const d of rows) {
    const r = rank(d);
    if (slots[r] !== undefined) return null;
    slots[r] = d;
  }
  const out: RowData[] = [];
  for (const d of slots) if (d !== undefined) out.push(d);
  return out;
}

function copyInto(rows: RowData[], from: readonly RowData[]): RowData[] {
  for (let i = 0; i < from.length; i++) rows[i] = from[i];
  return rows;
}

/** The general case (ranks missing or shared): a comparison sort on the same keys. */
function sortByComparison(rows: RowData[], sort: SortSpec): RowData[] {
  const n = rows.length;
  const { prim, tie } = sortKeys(sort);
  const prims = new Float64Array(n);
  const ties = new Float64Array(n);
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    prims[i] = prim(rows[i]);
    ties[i] = tie(rows[i]);
    idx[i] = i;
  }
  idx.sort((a, b) => prims[a] - prims[b] || ties[a] - ties[b]);
  return copyInto(rows, Array.from(idx, (i) => rows[i]));
}

/** A row's sort value for the column (the direction applied; never-set values last both ways) and its tie-break. */
function sortKeys(sort: SortSpec): { prim: (d: RowData) => number; tie: (d: RowData) => number } {
  const primary = PRIMARY[sort.column];
  const sign = sort.dir === 'asc' ? 1 : -1;
  return {
    prim: (d) => {
      const v = primary(d);
      return v === Number.POSITIVE_INFINITY ? v : v * sign;
    },
    tie: sort.column === 'point' ? (d) => d.pointRank * sign : (d) => d.baseRank,
  };
}

/** The order sortRows() gives, as a comparator (total: ties end on a unique rank). */
export function compareRows(sort: SortSpec): (a: RowData, b: RowData) => number {
  const { prim, tie } = sortKeys(sort);
  // Infinity - Infinity is NaN, which falls through to the tie like the typed-array comparison.
  return (a, b) => prim(a) - prim(b) || tie(a) - tie(b);
}

function lowerBound(rows: readonly RowData[], d: RowData, cmp: (a: RowData, b: RowData) => number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(rows[mid], d) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The filtered, sorted rows after some rows were replaced (a live update), from the previous result with the same
 * filter and sort: O(rows) copying and O(changes · log rows) comparisons instead of filtering and sorting again.
 * `patches` lists (index, new row) when every changed row kept its place (nothing moved, nothing came or went):
 * the grid's layout is then unchanged. With `inPlace`, such patches are written into `prev` itself and `prev` is
 * returned (50,000-slot copies per live batch are garbage the page's collector has to sweep); otherwise `prev` is
 * never written.
 */
export function updateSorted(
  prev: readonly RowData[],
  pairs: readonly (readonly [RowData, RowData])[],
  filter: RowFilter,
  sort: SortSpec,
  inPlace = false,
): { rows: RowData[]; patches: [number, RowData][] | null } {
  const words = tokens(filter.text);
  const cmp = compareRows(sort);
  const removed: number[] = [];
  const added: RowData[] = [];
  /** (slot, new row) while every changed row that was shown is still shown (then maybe in the same slot). */
  let patches: [number, RowData][] | null = [];
  for (const [old, next] of pairs) {
    const wasIn = matches(old, words, filter);
    const isIn = matches(next, words, filter);
    if (wasIn) {
      const i = lowerBound(prev, old, cmp);
      if (prev[i] !== old) return { rows: sortRows(filterRows(replaceAll(prev, pairs), filter), sort), patches: null };
      removed.push(i);
      if (isIn) patches?.push([i, next]);
      else patches = null;
    } else if (isIn) patches = null;
    if (isIn) added.push(next);
  }
  if (patches) {
    // Patch, then check the order next to each patched slot (the other neighbours were in order already).
    const rows = inPlace ? (prev as RowData[]) : prev.slice();
    const before = inPlace ? patches.map(([i]) => rows[i]) : null;
    for (const [i, d] of patches) rows[i] = d;
    let ordered = true;
    for (const [i] of patches) {
      if ((i > 0 && cmp(rows[i - 1], rows[i]) >= 0) || (i < rows.length - 1 && cmp(rows[i], rows[i + 1]) >= 0)) {
        ordered = false;
        break;
      }
    }
    if (ordered) return { rows, patches };
    // The merge below reads the rows as they were.
    if (before) for (let k = patches.length - 1; k >= 0; k--) rows[patches[k][0]] = before[k];
  }
  // Rows moved, came or went: drop the old ones and merge the new ones in at their places.
  removed.sort((a, b) => a - b);
  const inserts = added.map((d) => ({ pos: lowerBound(prev, d, cmp), d })).sort((a, b) => a.pos - b.pos || cmp(a.d, b.d));
  const rows: RowData[] = [];
  let r = 0;
  let a = 0;
  for (let i = 0; i <= prev.length; i++) {
    while (a < inserts.length && inserts[a].pos === i) rows.push(inserts[a++].d);
    if (i === prev.length) break;
    if (r < removed.length && removed[r] === i) {
      r++;
      continue;
    }
    rows.push(prev[i]);
  }
  return { rows, patches: null };
}

function replaceAll(rows: readonly RowData[], pairs: readonly (readonly [RowData, RowData])[]): RowData[] {
  const next = new Map(pairs);
  return rows.map((d) => next.get(d) ?? d);
}

export interface SiteRow {
  kind: 'site';
  key: string;
  siteId: string;
  site: Site | null;
  name: string;
  /** Points of this site that pass the filter. */
  matched: number;
  /** All points of this site. */
  total: number;
  counts: StatusCounts;
  collapsed: boolean;
}
export interface PointRow {
  kind: 'point';
  key: string;
  data: RowData;
}
export type Row = SiteRow | PointRow;

export interface GroupOptions {
  grouped: boolean;
  collapsed: ReadonlySet<string>;
  sort: SortSpec;
  sites: ReadonlyMap<string, Site>;
  siteCounts: ReadonlyMap<string, StatusCounts>;
}

function pointRowOf(d: RowData): PointRow {
  return (d.pointRow ??= { kind: 'point', key: d.point.id, data: d });
}

export function siteRowKey(siteId: string): string {
  return `site:${siteId}`;
}

/** Flattens sorted rows into the grid's rows: site headers are rows too (and a collapsed site shows only its header). */
export function groupRows(sorted: readonly RowData[], opts: GroupOptions): Row[] {
  return groupWithBuckets(sorted, opts).rows;
}

/** Buckets by site rank (an array, not a map: this runs on every change over every point). */
function groupWithBuckets(sorted: readonly RowData[], opts: GroupOptions): { rows: Row[]; buckets: RowData[][] } {
  const buckets: RowData[][] = [];
  for (const d of sorted) {
    const b = buckets[d.siteRank];
    if (b) b.push(d);
    else buckets[d.siteRank] = [d];
  }
  if (!opts.grouped) return { rows: sorted.map(pointRowOf), buckets };
  const rows: Row[] = [];
  const desc = opts.sort.column === 'site' && opts.sort.dir === 'desc';
  for (let k = 0; k < buckets.length; k++) {
    const b = buckets[desc ? buckets.length - 1 - k : k];
    if (!b) continue;
    const siteId = b[0].point.siteId;
    const counts = opts.siteCounts.get(siteId) ?? emptyCounts();
    const collapsed = opts.collapsed.has(siteId);
    rows.push({
      kind: 'site',
      key: siteRowKey(siteId),
      siteId,
      site: opts.sites.get(siteId) ?? null,
      name: b[0].siteName,
      matched: b.length,
      total: totalOf(counts),
      counts,
      collapsed,
    });
    if (!collapsed) for (const d of b) rows.push(pointRowOf(d));
  }
  return { rows, buckets };
}

export interface RowModel {
  rows: Row[];
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
function indexFinder(rows: readonly Row[]): (key: string) => number {
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
  const noFilter = (f: RowFilter) => f.statuses.size === 0 && f.siteIds.size === 0 && !f.deliveries?.size && !f.onlyIds && tokens(f.text).length === 0;
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
        if (next && searchIndex?.rows === next.all && pairs.some(([old, d]) => d.search !== old.search)) searchIndex = null;
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
      if (sortedAll && derivedFrom && sortedAll.derived === derivedFrom && !noFilter(input.filter)) {
        const spec = { column: sortedAll.column, dir: sortedAll.dir };
        sortedAll = { ...sortedAll, derived: next, rows: updateSorted(sortedAll.rows, pairs, EMPTY_FILTER, spec, true).rows };
      }
      // Arrays are patched in place by live updates: the model kept for a cleared filter would match them by
      // identity but show the rows and counts from before.
      if (derivedFrom && !noFilter(input.filter)) unfiltered = null;
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
        sorted = noFilter(input.filter) ? all : filterRowsIndexed(all, input.filter, () => searchIndexOf(derived!.all));
      }
      if (noFilter(input.filter)) sortedAll = { derived, column: input.sort.column, dir: input.sort.dir, rows: sorted };
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
        if (i !== undefined) rows[i] = pointRowOf(d);
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
          for (const b of buckets) if (b) bySite.set(b[0].point.siteId, b.map((d) => d.point.id));
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
      if (noFilter(input.filter)) unfiltered = { key: k3, model, lazyIds };
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
function modelOf(rows: Row[], layout: object, indexOf: (key: string) => number, derived: Derived, matched: number, lazy: LazyIds): RowModel {
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

// ---- per-point presentation facts (pure, so they can be tested) ----

export interface Connectivity {
  kind: LivenessState;
  /** Since when in that state (ISO, this computer's clock); null when not known. */
  since: string | null;
  /** When the station was last heard from; null if never. */
  lastHeardAt: string | null;
  /** 'backend': the backend's liveness; 'point': no word from it yet (e.g. the console started offline), so only
   *  the point's connected flag (never silent: silence is the backend's to say). */
  source: 'backend' | 'point';
}

/** Whether the station is heard from, as the backend says; without its word, whether the point says it is connected. */
export function connectivityOf(point: ViewPoint, live: StationLiveness | undefined | null): Connectivity {
  if (live) return { kind: live.state, since: live.since, lastHeardAt: live.lastHeardAt, source: 'backend' };
  if (!point.stationConnected) return { kind: 'offline', since: point.stationLastSeen, lastHeardAt: point.stationLastSeen, source: 'point' };
  return { kind: 'online', since: null, lastHeardAt: point.stationLastSeen, source: 'point' };
}

/** The delivery step indicator: queued → saved → sent → confirmed. */
export const DELIVERY_STEPS = ['Queued', 'Saved', 'Sent', 'Confirmed'] as const;
export type StepState = 'done' | 'active' | 'waiting' | 'error' | 'unconfirmed' | 'todo' | 'skipped';

export interface DeliveryProgress {
  steps: StepState[];
  /** 'unconfirmed': the station took the change but never showed it applied it (its own colour and icon). */
  tone: 'ok' | 'progress' | 'waiting' | 'problem' | 'unconfirmed';
}

/** Where a delivery state sits on the four steps, and whether it needs attention. */
export function deliveryProgress(state: DeliveryState): DeliveryProgress {
  const S = (...s: StepState[]) => s;
  switch (state) {
    case 'queued':
      return { steps: S('active', 'todo', 'todo', 'todo'), tone: 'progress' };
    case 'sending':
      return { steps: S('done', 'active', 'todo', 'todo'), tone: 'progress' };
    case 'conflict':
      return { steps: S('done', 'error', 'todo', 'todo'), tone: 'problem' };
    case 'failed':
      return { steps: S('done', 'error', 'todo', 'todo'), tone: 'problem' };
    case 'saved':
      return { steps: S('done', 'done', 'active', 'todo'), tone: 'progress' };
    case 'stationOffline':
      return { steps: S('done', 'done', 'waiting', 'todo'), tone: 'waiting' };
    case 'sentToStation':
      return { steps: S('done', 'done', 'done', 'active'), tone: 'progress' };
    case 'accepted':
      return { steps: S('done', 'done', 'done', 'active'), tone: 'progress' };
    case 'scheduled':
      return { steps: S('done', 'done', 'done', 'waiting'), tone: 'waiting' };
    case 'noReply':
      return { steps: S('done', 'done', 'waiting', 'todo'), tone: 'waiting' };
    case 'rejected':
      return { steps: S('done', 'done', 'done', 'error'), tone: 'problem' };
    case 'notConfirmed':
      return { steps: S('done', 'done', 'done', 'unconfirmed'), tone: 'unconfirmed' };
    case 'confirmed':
      return { steps: S('done', 'done', 'done', 'done'), tone: 'ok' };
    case 'overrideOnly':
      return { steps: S('done', 'done', 'skipped', 'skipped'), tone: 'ok' };
  }
}

/** "40 s", "12 min", "4 h 10 min", "2 d": how long, in words. */
export function durationWords(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  return `${Math.floor(s / 86400)} d`;
}

/** The words the delivery column shows: the state's label; a Scheduled change says how long it has waited since the
 *  station answered Scheduled (`at`, the delivery's time). */
export function deliveryWords(state: DeliveryState, at: string | null | undefined, nowMs: number, compact = false): string {
  // The grid's column is narrow: the short word there, the whole label in its tooltip and in the drawer.
  if (compact && state === 'notConfirmed') return 'Not confirmed';
  if (state === 'scheduled') {
    const since = at ? Date.parse(at) : Number.NaN;
    return Number.isNaN(since) ? 'Scheduled' : `Scheduled · waiting ${durationWords(nowMs - since)}`;
  }
  return DELIVERY_LABELS[state];
}

/** Delivery states in which a person can re-send the change to its station or withdraw it. */
export const ACTIONABLE_DELIVERIES: ReadonlySet<DeliveryState> = new Set<DeliveryState>([
  'notConfirmed',
  'scheduled',
  'accepted',
  'rejected',
  'noReply',
  'stationOffline',
]);

/** What the operator can do about a delivery state that needs attention (null when nothing). */
export function deliveryAdvice(state: DeliveryState): string | null {
  switch (state) {
    case 'conflict':
      return 'Someone else changed this point: open Conflicts to keep yours or take theirs.';
    case 'failed':
      return 'The backend refused the edit; it was not applied. Check the reason and set the status again.';
    case 'rejected':
      return 'The station refused the change. Check the station (a reset may help) and set the status again, or send a technician.';
    case 'noReply':
      return 'The station did not answer; it is retried when the station reconnects.';
    case 'stationOffline':
      return 'The station is offline; the change is sent when it reconnects.';
    case 'scheduled':
      return 'A charging session is running; the station applies the change when it ends.';
    case 'notConfirmed':
      return 'The station has not shown that it applied the change. Re-send it, withdraw it, or check the station.';
    default:
      return null;
  }
}

/** A short text for a point (for screen readers and the drawer title). */
export function describePoint(d: RowData): string {
  return `${d.siteName} · ${d.point.label} (${d.point.stationId}) · ${STATUS_LABELS[d.view.shown]}`;
}
