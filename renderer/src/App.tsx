// The console: the banner, the toolbar and selection bar, the grid with a side panel beside it, and the dialogs.
// State and effects live in the hooks of app/, each one job; this file wires them together.
import { useCallback, useRef, useState } from 'react';
import type { ConsoleFrame } from './app/consoleFrame.js';
import { Dialogs } from './app/Dialogs.js';
import { MainArea } from './app/MainArea.js';
import { TopArea } from './app/TopArea.js';
import { useEditActions } from './app/useEditActions.js';
import { useFilters } from './app/useFilters.js';
import { useGlobalKeys } from './app/useGlobalKeys.js';
import { useGridShape } from './app/useGridShape.js';
import { useLastRunSummary } from './app/useLastRunSummary.js';
import { useMaintenanceWindows } from './app/useMaintenanceWindows.js';
import { useNow } from './app/useNow.js';
import { useRowModel } from './app/useRowModel.js';
import { useSelection } from './app/useSelection.js';
import { useShowInGrid } from './app/useShowInGrid.js';
import { useSidePanel } from './app/useSidePanel.js';
import { useSignIn } from './app/useSignIn.js';
import { useSortedSites } from './app/useSortedSites.js';
import { useThemeSetting } from './app/useThemeSetting.js';
import { useToasts } from './app/useToasts.js';
import { useWindowTitle } from './app/useWindowTitle.js';
import { useBulkRuns } from './components/BulkRuns.js';
import { useConsoleAlerts } from './components/alerts/useConsoleAlerts.js';
import { useInvalidData } from './components/InvalidDataNotice.js';
import type { LocalPlan } from './components/planned/PlannedPanel.js';
import { Toasts } from './components/Toasts.js';
import { useApp, useStoreState } from './store/useStore.js';

export function App() {
  const { api, store } = useApp();
  const invalid = useInvalidData();
  const st = useStoreState();
  const gridRef = useRef<HTMLDivElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const nowMs = useNow();
  const { toasts, notify, dismiss } = useToasts();
  const themeSetting = useThemeSetting(api, notify);
  const windows = useMaintenanceWindows(st, nowMs);
  const [planFor, setPlanFor] = useState<string[] | null>(null);
  const [localPlans, setLocalPlans] = useState<ReadonlyMap<string, LocalPlan>>(new Map());

  const filters = useFilters(windows.overdue);
  const shape = useGridShape();
  const model = useRowModel(st, filters.filter, shape.sort, shape.grouped, shape.collapsed);
  const sitesSorted = useSortedSites(st);
  // Focus by row key (never by index), selection by point id.
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const selection = useSelection(model, st.points, st.pointsVersion);
  const bulkRuns = useBulkRuns(api);
  const lastBulkRun = useLastRunSummary(bulkRuns, st.points, st.pointsVersion);
  const [signInOpen, setSignInOpen] = useSignIn(st.connection);
  const edits = useEditActions(api, st, notify, selection, focusKey);
  const focusGrid = useCallback(() => gridRef.current?.focus({ preventScroll: true }), []);
  const sidePanel = useSidePanel(focusKey, st.points, focusGrid);
  const showInGrid = useShowInGrid(st.points, setFocusKey, filters, shape, sidePanel.openDrawer);

  useWindowTitle(st, model);
  const dialogOpen = !!(edits.editor || signInOpen || edits.bulk || planFor);
  const alerts = useConsoleAlerts(api, st.points, st.networkLoads, nowMs, dialogOpen, (target) => {
    if (target.pointId && st.points.has(target.pointId)) showInGrid.openPoint(target.pointId);
    else sidePanel.setSide({ kind: 'alerts', alertId: target.alertId });
  });
  const sideOpen = sidePanel.side !== null;
  useGlobalKeys(dialogOpen, sideOpen, sidePanel.closeSide, filterRef, gridRef);
  const linkDown = st.loaded && st.transport.state !== 'open';
  const frame: ConsoleFrame = { api, store, st, invalid, nowMs, notify };

  return (
    <div className={`app${sideOpen ? ' with-side' : ''}${linkDown ? ' link-down' : ''}`}>
      <TopArea
        {...frame}
        themeSetting={themeSetting}
        windows={windows}
        filterRef={filterRef}
        filters={filters}
        shape={shape}
        model={model}
        sitesSorted={sitesSorted}
        selection={selection}
        lastBulkRun={lastBulkRun}
        alerts={alerts}
        sidePanel={sidePanel}
        edits={edits}
        onSignIn={() => setSignInOpen(true)}
        onPlan={setPlanFor}
      />
      <MainArea
        {...frame}
        gridRef={gridRef}
        model={model}
        shape={shape}
        selection={selection}
        focusKey={focusKey}
        onFocusKey={setFocusKey}
        edits={edits}
        windows={windows}
        alerts={alerts}
        sidePanel={sidePanel}
        showInGrid={showInGrid}
        localPlans={localPlans}
        onPlan={setPlanFor}
      />
      <Dialogs
        api={api}
        st={st}
        nowMs={nowMs}
        matchedSet={selection.matchedSet}
        editor={edits.editor}
        bulk={edits.bulk}
        bulkRuns={bulkRuns}
        planFor={planFor}
        signInOpen={signInOpen}
        defaultUser={themeSetting.defaultUser}
        setEditor={edits.setEditor}
        setBulk={edits.setBulk}
        setPlanFor={setPlanFor}
        setSignInOpen={setSignInOpen}
        onSaveEdit={edits.saveEdit}
        onPlanned={(windowId, plan) => setLocalPlans((m) => new Map(m).set(windowId, plan))}
        onShowWindow={(windowId) => sidePanel.setSide({ kind: 'planned', windowId })}
        clearSelection={selection.clearSelection}
        focusGrid={focusGrid}
      />
      <Toasts toasts={toasts} onDismiss={dismiss} />
    </div>
  );
}
