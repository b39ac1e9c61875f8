// The main area: the grid (or its skeleton while loading, or the load error) and the side panel beside it.
import type { RefObject } from 'react';
import type { ConsoleAlerts } from '../components/alerts/useConsoleAlerts.js';
import { Grid } from '../components/grid/Grid.js';
import { GridSkeleton } from '../components/grid/GridSkeleton.js';
import type { LocalPlan } from '../components/planned/PlannedPanel.js';
import type { RowModel } from '../model/rows.js';
import type { ConsoleFrame } from './consoleFrame.js';
import { SidePanels } from './SidePanels.js';
import type { useEditActions } from './useEditActions.js';
import type { useGridShape } from './useGridShape.js';
import type { useMaintenanceWindows } from './useMaintenanceWindows.js';
import type { useSelection } from './useSelection.js';
import type { useShowInGrid } from './useShowInGrid.js';
import type { useSidePanel } from './useSidePanel.js';

export interface MainAreaProps extends ConsoleFrame {
  gridRef: RefObject<HTMLDivElement | null>;
  model: RowModel;
  shape: ReturnType<typeof useGridShape>;
  selection: ReturnType<typeof useSelection>;
  focusKey: string | null;
  onFocusKey(key: string): void;
  edits: ReturnType<typeof useEditActions>;
  windows: ReturnType<typeof useMaintenanceWindows>;
  alerts: ConsoleAlerts;
  sidePanel: ReturnType<typeof useSidePanel>;
  showInGrid: ReturnType<typeof useShowInGrid>;
  localPlans: ReadonlyMap<string, LocalPlan>;
  /** Opens the dialog that plans a maintenance window for these points. */
  onPlan(pointIds: string[]): void;
}

export function MainArea(props: MainAreaProps) {
  const { api, store, st, nowMs, model, shape, selection, edits, alerts, sidePanel, showInGrid } = props;
  return (
    <main className="main">
      {st.loadError && !st.loaded ? (
        <div className="load-error" role="alert">
          <p>Could not load the network: {st.loadError}</p>
          <button type="button" className="btn" onClick={() => void store.load()}>
            Try again
          </button>
        </div>
      ) : !st.loaded ? (
        <GridSkeleton />
      ) : (
        <Grid
          gridRef={props.gridRef}
          model={model}
          focusKey={props.focusKey}
          selected={selection.selected}
          flashes={st.flashes}
          pointsVersion={st.pointsVersion}
          liveness={st.liveness}
          invalid={props.invalid}
          nowMs={nowMs}
          sort={shape.sort}
          grouped={shape.grouped}
          editingIds={edits.editingIds}
          pointWindows={props.windows.pointWindows}
          alertMarks={alerts.marks}
          onSort={shape.onSort}
          onFocusKey={props.onFocusKey}
          onSelect={selection.onSelect}
          onSelectRange={selection.onSelectRange}
          onClearSelection={selection.clearSelection}
          onSelectAll={selection.selectAll}
          onOpenEditor={edits.openEditor}
          onOpenDrawer={sidePanel.openDrawer}
          onToggleCollapse={shape.toggleCollapse}
          onSiteStatusClick={showInGrid.onSiteStatusClick}
        />
      )}
      <SidePanels
        api={api}
        st={st}
        side={sidePanel.side}
        nowMs={nowMs}
        localPlans={props.localPlans}
        setSide={sidePanel.setSide}
        closeToGrid={sidePanel.closeToGrid}
        notify={props.notify}
        onEdit={(id) => edits.setEditor({ pointIds: [id] })}
        onPlan={(id) => props.onPlan([id])}
        onShowPoint={showInGrid.showPoint}
        alerts={alerts}
        onOpenPoint={showInGrid.openPoint}
      />
    </main>
  );
}
