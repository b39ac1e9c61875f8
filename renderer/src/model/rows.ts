// The grid's row model, as pure functions over the points the store holds, one job per file in rows/:
// derive (each point's row data and ranks) → filter → sort → group (site headers), counts, and the memoised
// selector that runs them. Nothing here touches the DOM or React; tests/unit/renderer-rows*.test.ts cover it.
export { COUNTED_DELIVERIES, emptyCounts, totalOf } from './rows/counts.js';
export type { CountedDelivery, DeliveryCounts, StatusCounts } from './rows/counts.js';
export { createRankMemo, derive, deriveIncrement, rowDataOf } from './rows/derive.js';
export type { Derived, RankMemo, RowData } from './rows/derive.js';
export { EMPTY_FILTER, filterRows, filterRowsIndexed, isNoFilter, matches } from './rows/filter.js';
export type { RowFilter } from './rows/filter.js';
export { compareRows, DEFAULT_SORT, SORT_COLUMNS, sortRows, STATUS_SEVERITY, updateSorted } from './rows/sort.js';
export type { SortColumn, SortDir, SortSpec } from './rows/sort.js';
export { groupRows, siteRowKey } from './rows/group.js';
export type { GridRow, GroupOptions, PointGridRow, SiteGridRow } from './rows/group.js';
export { buildRowModel, createRowModelSelector, FULL_DERIVE_MARK } from './rows/selector.js';
export type { RowModel, RowModelInput, RowModelSelector } from './rows/selector.js';
