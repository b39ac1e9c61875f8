// Above the grid: the filter bar (text, site, grouping) and the counts bar (a count per status, each a filter).
import type { ReactNode, RefObject } from 'react';
import type { Site } from '../../../common/model.js';
import { CountsBar, FilterBar } from '../components/Toolbar.js';
import type { RowModel } from '../model/rows.js';
import type { useFilters } from './useFilters.js';
import type { useGridShape } from './useGridShape.js';
import './GridToolbar.css';

export interface GridToolbarProps {
  filterRef: RefObject<HTMLInputElement | null>;
  filters: ReturnType<typeof useFilters>;
  shape: ReturnType<typeof useGridShape>;
  model: RowModel;
  sitesSorted: Site[];
  loadState: 'loading' | 'partial' | 'complete';
  overdueCount: number;
  allSiteIds(): Iterable<string>;
  onEditSelected(): void;
  onClearSelection(): void;
  /** The Alerts button with its counts, at the end of the counts bar. */
  alerts: ReactNode;
}

export function GridToolbar({
  filterRef,
  filters,
  shape,
  model,
  sitesSorted,
  loadState,
  overdueCount,
  allSiteIds,
  onEditSelected,
  onClearSelection,
  alerts,
}: GridToolbarProps) {
  return (
    <div className="toolbar">
      <FilterBar
        ref={filterRef}
        textResets={filters.textResets}
        sites={sitesSorted}
        filter={filters.filter}
        grouped={shape.grouped}
        selectedCount={0 /* the selection bar (BulkBar) shows the selection and its actions */}
        hiddenSelected={0}
        anyCollapsed={shape.collapsed.size > 0}
        onText={filters.setText}
        onSite={filters.onSite}
        onGrouped={shape.setGrouped}
        onCollapseAll={(c) => shape.collapseAll(c ? allSiteIds() : null)}
        onEditSelected={onEditSelected}
        onClearSelection={onClearSelection}
        onClearFilters={filters.clearFilters}
      />
      <CountsBar
        counts={model.counts}
        deliveryCounts={model.deliveryCounts}
        total={model.total}
        matched={model.matched}
        filter={filters.filter}
        state={loadState}
        onToggleStatus={filters.toggleStatus}
        onToggleDelivery={filters.toggleDelivery}
        onClearStatuses={filters.clearStatuses}
        overdue={{ count: overdueCount, on: filters.overdueOn }}
        onToggleOverdue={filters.toggleOverdue}
      />
      {alerts}
    </div>
  );
}
