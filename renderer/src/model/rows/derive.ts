// Every point's row data (what the grid filters and sorts on, computed once per point object: points are replaced,
// never mutated, when they change), its ranks in site and point order, and the network's counts.
// Performance matters: 50,000 points must derive, filter and sort in well under 50 ms.
import { effectiveView } from '../../../../common/consoleApi.js';
import { pointOrderKey, siteOrderKey } from '../../../../common/naturalOrder.js';
import type { EffectiveView, StationLiveness, ViewPoint } from '../../../../common/consoleApi.js';
import type { Site } from '../../../../common/model.js';
import type { LivenessState } from '../../../../common/status.js';
import { countDelivery, emptyCounts, emptyDeliveryCounts, type DeliveryCounts, type StatusCounts } from './counts.js';
import type { PointGridRow } from './group.js';

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
  gridRow: PointGridRow | null;
}

const siteKeys = new WeakMap<Site, string>();
function siteKeyOf(site: Site | null, siteName: string, siteId: string): string {
  if (!site) return siteOrderKey(siteName, siteId);
  let k = siteKeys.get(site);
  if (k === undefined) siteKeys.set(site, (k = siteOrderKey(siteName, siteId)));
  return k;
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
  if (
    before &&
    before.point === point &&
    before.site === site &&
    before.connKind === connKind &&
    before.connSince === connSince
  )
    return before;
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
      before &&
      before.point.id === point.id &&
      before.point.label === point.label &&
      before.point.stationId === point.stationId
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
    gridRow: null,
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

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
