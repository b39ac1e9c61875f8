// The grid: every point of every site, grouped by site, virtualised (TanStack Virtual, real DOM rows with
// role="grid"/"row"/"gridcell" and aria-rowindex). Focus stays on the grid element and follows a row key
// (aria-activedescendant), so live changes — which may move, add or remove rows — never take focus away;
// the focused row is always kept rendered. Selection is by point id.
import type { AlertState } from '../../../../common/alerts.js';
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import type { MouseEvent } from 'react';
import type { StationLiveness } from '../../../../common/consoleApi.js';
import type { ShownStatus } from '../../../../common/status.js';
import type { FlashLevel } from '../../model/flash.js';
import { flashLevel } from '../../model/flash.js';
import type { RowModel, SortColumn, SortSpec } from '../../model/rows.js';
import type { PointWindow } from '../../model/windows.js';
import type { Flash } from '../../store/store.js';
import { COLUMNS, HEADER_H, rowDomId } from './gridColumns.js';
import { GridHeader } from './GridHeader.js';
import { PointRowView } from './PointRowView.js';
import { SiteRowView } from './SiteRowView.js';
import { useFlashSteps } from './useFlashSteps.js';
import { useGridKeys } from './useGridKeys.js';
import { useGridVirtualizer } from './useGridVirtualizer.js';
import { useScrollAnchor } from './useScrollAnchor.js';
import './Grid.css';

export interface GridProps {
  model: RowModel;
  focusKey: string | null;
  selected: ReadonlySet<string>;
  flashes: ReadonlyMap<string, Flash>;
  pointsVersion: number;
  /** Station id → liveness from the backend; read for the rows on screen only (their marker, last-heard age). */
  liveness: ReadonlyMap<string, StationLiveness>;
  /** Point id → why its latest record from the backend was skipped as invalid data (its row is out of date). */
  invalid: ReadonlyMap<string, string>;
  nowMs: number;
  sort: SortSpec;
  grouped: boolean;
  editingIds: ReadonlySet<string>;
  /** Point id → the window its row mentions (running, or the next planned); built once per windows change. */
  pointWindows: ReadonlyMap<string, PointWindow>;
  /** Point id → the state of the alert its row shows (open or acknowledged). */
  alertMarks: ReadonlyMap<string, AlertState>;
  onSort(column: SortColumn): void;
  onFocusKey(key: string): void;
  onSelect(ids: string[], mode: 'toggle' | 'replace' | 'add'): void;
  onSelectRange(fromKey: string, toKey: string): void;
  onClearSelection(): void;
  onSelectAll(): void;
  onOpenEditor(pointId?: string): void;
  onOpenDrawer(pointId: string): void;
  onToggleCollapse(siteId: string): void;
  onSiteStatusClick(siteId: string, status: ShownStatus): void;
  gridRef: React.RefObject<HTMLDivElement | null>;
}

export function Grid(props: GridProps) {
  const { model, focusKey, gridRef } = props;
  const rows = model.rows;
  const focusIndex = focusKey != null ? model.indexOf(focusKey) : -1;
  const lastFocusKey = useRef<string | null>(null);
  const pointerFocus = useRef(false);
  const virtualizer = useGridVirtualizer(model, focusIndex, gridRef);
  const recordAnchor = useScrollAnchor(model, virtualizer, gridRef);
  const onKeyDown = useGridKeys(props, focusIndex);

  // Keep the focused row in view when focus moves (not when live changes move the row).
  useEffect(() => {
    if (focusKey !== lastFocusKey.current) {
      lastFocusKey.current = focusKey;
      if (focusIndex >= 0) virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
    }
  }, [focusKey, focusIndex, virtualizer]);

  // Stable across renders, so a live update re-renders only the rows whose data changed (PointRowView is memo).
  const latest = useRef({ props, focusKey });
  useLayoutEffect(() => {
    latest.current = { props, focusKey };
  });
  const onRowClick = useCallback((e: MouseEvent, key: string) => {
    const { props: p, focusKey: from } = latest.current;
    if (e.shiftKey && from) p.onSelectRange(from, key);
    else if (e.ctrlKey || e.metaKey) p.onSelect([key], 'toggle');
    p.onFocusKey(key);
    p.gridRef.current?.focus({ preventScroll: true });
  }, []);

  const items = virtualizer.getVirtualItems();
  const totalSize = virtualizer.getTotalSize();
  const nowForFlashes = Date.now();
  const flashLevels = items.map((item): FlashLevel => {
    const flash = props.flashes.get(rows[item.index]?.key ?? '');
    return flash ? flashLevel(flash.at, nowForFlashes) : 0;
  });
  useFlashSteps(
    flashLevels.some((level) => level > 0),
    nowForFlashes,
  );
  const activeId = focusIndex >= 0 ? rowDomId(rows[focusIndex].key) : undefined;

  return (
    <div
      ref={gridRef}
      className={props.grouped ? 'grid is-grouped' : 'grid'}
      role="grid"
      aria-label="Charging points"
      aria-rowcount={rows.length + 1}
      aria-colcount={COLUMNS.length}
      aria-multiselectable="true"
      aria-activedescendant={activeId}
      tabIndex={0}
      data-testid="grid"
      onKeyDown={onKeyDown}
      onScroll={recordAnchor}
      onMouseDown={() => (pointerFocus.current = true)}
      onMouseUp={() => (pointerFocus.current = false)}
      onFocus={(e) => {
        // Tabbing in focuses the first row in view; a click focuses the row clicked (onRowClick), and must not
        // first move focus (and scroll) elsewhere.
        if (e.target !== e.currentTarget || focusIndex >= 0 || rows.length === 0 || pointerFocus.current) return;
        const top = (gridRef.current?.scrollTop ?? 0) + HEADER_H;
        const firstInView = virtualizer.getVirtualItems().find((it) => it.end > top);
        props.onFocusKey(rows[firstInView?.index ?? 0].key);
      }}
    >
      <div className="grid-sizer" role="rowgroup" style={{ height: totalSize }}>
        <GridHeader sort={props.sort} onSort={props.onSort} />
        {rows.length === 0 && (
          <div className="grid-empty" role="row" aria-rowindex={2}>
            <div role="gridcell">No points match the filters.</div>
          </div>
        )}
        {items.map((item, itemIndex) => {
          const row = rows[item.index];
          if (!row) return null;
          const focused = item.index === focusIndex;
          const common = {
            index: item.index,
            start: item.start,
            focused,
          };
          if (row.kind === 'site')
            return (
              <SiteRowView
                key={item.index}
                row={row}
                {...common}
                onToggle={props.onToggleCollapse}
                onFocusKey={props.onFocusKey}
                onStatusClick={props.onSiteStatusClick}
              />
            );
          return (
            <PointRowView
              key={item.index}
              row={row}
              {...common}
              selected={props.selected.has(row.key)}
              editing={props.editingIds.has(row.key)}
              flashLevel={flashLevels[itemIndex]}
              live={props.liveness.get(row.data.point.stationId)}
              planned={props.pointWindows.get(row.key)}
              alert={props.alertMarks.get(row.key)}
              invalid={props.invalid.get(row.key)}
              nowMs={props.nowMs}
              grouped={props.grouped}
              onRowClick={onRowClick}
              onOpenEditor={props.onOpenEditor}
              onOpenDrawer={props.onOpenDrawer}
              onSelect={props.onSelect}
            />
          );
        })}
      </div>
    </div>
  );
}
