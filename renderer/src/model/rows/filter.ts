// Which rows the grid shows: the free text (every word, any order, case-insensitive) and the toolbar's filters.
import type { DeliveryState, ShownStatus } from '../../../../common/status.js';
import { positionsMatching, type SearchIndex } from '../searchIndex.js';
import type { RowData } from './derive.js';

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

/** Whether the filter keeps every row. */
export function isNoFilter(f: RowFilter): boolean {
  return (
    f.statuses.size === 0 && f.siteIds.size === 0 && !f.deliveries?.size && !f.onlyIds && tokens(f.text).length === 0
  );
}

/** The lower-case text the free-text filter matches against; made the first time a filter needs it. */
export function searchOf(d: RowData): string {
  if (d.search === null) {
    const p = d.point;
    d.search =
      `${d.siteName}\u0000${d.site?.city ?? ''}\u0000${p.label}\u0000${p.stationId}\u0000${p.id}\u0000${p.siteId}`.toLowerCase();
  }
  return d.search;
}

export function tokens(text: string): string[] {
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
export function filterRowsIndexed(
  rows: readonly RowData[],
  filter: RowFilter,
  index: () => SearchIndex<RowData>,
): RowData[] {
  const words = tokens(filter.text);
  if (words.length === 0) return filterRows(rows, filter);
  const indexed = index();
  const matched = positionsMatching(indexed, words);
  const out: RowData[] = [];
  for (const d of rows) {
    // A row object can be reused by another derive (the same point object): its pos is checked, not trusted.
    const hit =
      indexed.rows[d.pos] === d ? matched[d.pos] === 1 && matches(d, NO_WORDS, filter) : matches(d, words, filter);
    if (hit) out.push(d);
  }
  return out;
}

export function filterRows(all: readonly RowData[], filter: RowFilter): RowData[] {
  const words = tokens(filter.text);
  if (
    words.length === 0 &&
    filter.statuses.size === 0 &&
    filter.siteIds.size === 0 &&
    !filter.deliveries?.size &&
    !filter.onlyIds
  )
    return all.slice();
  const out: RowData[] = [];
  for (const d of all) if (matches(d, words, filter)) out.push(d);
  return out;
}
