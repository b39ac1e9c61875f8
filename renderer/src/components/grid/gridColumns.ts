// The grid's columns and row heights (the virtualiser's estimates), shared by the grid and its loading skeleton.
import type { SortColumn } from '../../model/rows.js';

export const POINT_ROW_H = 34;
export const SITE_ROW_H = 38;
export const HEADER_H = 34;

export interface Column {
  id: SortColumn | 'select';
  label: string;
  sortable: boolean;
}
export const COLUMNS: Column[] = [
  { id: 'select', label: 'Select', sortable: false },
  { id: 'site', label: 'Site', sortable: true },
  { id: 'point', label: 'Point', sortable: true },
  { id: 'shown', label: 'Shown status', sortable: true },
  { id: 'reported', label: 'Reported', sortable: true },
  { id: 'operator', label: 'Operator status', sortable: true },
  { id: 'delivery', label: 'Delivery', sortable: true },
  { id: 'lastChange', label: 'Last change', sortable: true },
  { id: 'connectivity', label: 'Station', sortable: true },
];

/** The DOM id of a row (aria-activedescendant points at it). */
export function rowDomId(key: string): string {
  return `gridrow-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
