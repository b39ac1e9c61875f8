// The grid's rows: the sorted points flattened with their site headers (a collapsed site shows only its header).
import type { Site } from '../../../../common/model.js';
import { emptyCounts, totalOf, type StatusCounts } from './counts.js';
import type { RowData } from './derive.js';
import type { SortSpec } from './sort.js';

export interface SiteGridRow {
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
export interface PointGridRow {
  kind: 'point';
  key: string;
  data: RowData;
}
export type GridRow = SiteGridRow | PointGridRow;

export interface GroupOptions {
  grouped: boolean;
  collapsed: ReadonlySet<string>;
  sort: SortSpec;
  sites: ReadonlyMap<string, Site>;
  siteCounts: ReadonlyMap<string, StatusCounts>;
}

export function gridRowOf(d: RowData): PointGridRow {
  return (d.gridRow ??= { kind: 'point', key: d.point.id, data: d });
}

export function siteRowKey(siteId: string): string {
  return `site:${siteId}`;
}

/** Flattens sorted rows into the grid's rows: site headers are rows too (and a collapsed site shows only its header). */
export function groupRows(sorted: readonly RowData[], opts: GroupOptions): GridRow[] {
  return groupWithBuckets(sorted, opts).rows;
}

/** Buckets by site rank (an array, not a map: this runs on every change over every point). */
export function groupWithBuckets(
  sorted: readonly RowData[],
  opts: GroupOptions,
): { rows: GridRow[]; buckets: RowData[][] } {
  const buckets: RowData[][] = [];
  for (const d of sorted) {
    const b = buckets[d.siteRank];
    if (b) b.push(d);
    else buckets[d.siteRank] = [d];
  }
  if (!opts.grouped) return { rows: sorted.map(gridRowOf), buckets };
  const rows: GridRow[] = [];
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
    if (!collapsed) for (const d of b) rows.push(gridRowOf(d));
  }
  return { rows, buckets };
}
