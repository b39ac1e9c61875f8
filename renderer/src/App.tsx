// The console: the banner, the toolbar and selection bar, the grid with a side panel beside it, and the dialogs.
// State and effects live in the hooks of app/, each one job; this file wires them together.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { StatusEdit } from '../../common/model.js';
import { byKey, siteOrderKey } from '../../common/naturalOrder.js';
import { STATUS_LABELS } from '../../common/status.js';
import type { ShownStatus } from '../../common/status.js';
import { Dialogs, type BulkDialogState } from './app/Dialogs.js';
import { GridToolbar } from './app/GridToolbar.js';
import { SidePanels, type Side } from './app/SidePanels.js';
import { useEditOutcomes } from './app/useEditOutcomes.js';
import { useFilters } from './app/useFilters.js';
import { useGlobalKeys } from './app/useGlobalKeys.js';
import { useGridShape } from './app/useGridShape.js';
import { useLastRunSummary } from './app/useLastRunSummary.js';
import { useNow } from './app/useNow.js';
import { useRowModel } from './app/useRowModel.js';
import { useSelection } from './app/useSelection.js';
import { useThemeSetting } from './app/useThemeSetting.js';
import { errText, useToasts } from './app/useToasts.js';
import { useWindowTitle } from './app/useWindowTitle.js';
import { Banner } from './components/Banner.js';
import { BulkBar } from './components/BulkBar.js';
import { useBulkRuns } from './components/BulkRuns.js';
import { AlertsButton } from './components/alerts/AlertsButton.js';
import { AvailabilityButton } from './components/availability/AvailabilityButton.js';
import { PartnersButton } from './components/partners/PartnersButton.js';
import { useConsoleAlerts } from './components/alerts/useConsoleAlerts.js';
import { CacheRecoveryNotice } from './components/CacheRecoveryNotice.js';
import { Grid } from './components/grid/Grid.js';
import { GridSkeleton } from './components/grid/GridSkeleton.js';
import { InvalidDataNotice, useInvalidData } from './components/InvalidDataNotice.js';
import { LoadStrip } from './components/LoadStrip.js';
import type { LocalPlan } from './components/planned/PlannedPanel.js';
import { Toasts } from './components/Toasts.js';
import { activeWindowCount, buildPointWindows, overdueIds } from './model/windows.js';
import { useApp, useStoreState } from './store/useStore.js';

export function App() {
  const { api, store } = useApp();
  const invalid = useInvalidData();
  const st = useStoreState();
  const gridRef = useRef<HTMLDivElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const nowMs = useNow();
  const { toasts, notify, dismiss } = useToasts();
  const { theme, resolvedTheme, defaultUser, toggleTheme } = useThemeSetting(api, notify);

  // Maintenance windows: point → the window its row mentions, built once per windows change (not per row).
  // The windows map is updated in place: its version says when it changed.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const pointWindows = useMemo(() => buildPointWindows(st.windows.values()), [st.windows, st.windowsVersion]);
  // Expected ends that passed while the point is still out of operation: counted in the toolbar, a filter.
  const overdueRef = useRef<ReadonlySet<string>>(new Set());
  const overdue = useMemo(
    () =>
      (overdueRef.current = overdueIds(
        st.points.values(),
        nowMs,
        overdueRef.current,
        (id) => pointWindows.get(id)?.running === true,
      )),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [st.points, st.pointsVersion, nowMs, pointWindows],
  );
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const plannedCount = useMemo(() => activeWindowCount(st.windows.values()), [st.windows, st.windowsVersion]);
  const [planFor, setPlanFor] = useState<string[] | null>(null);
  const [localPlans, setLocalPlans] = useState<ReadonlyMap<string, LocalPlan>>(new Map());

  const filters = useFilters(overdue);
  const shape = useGridShape();
  const model = useRowModel(st, filters.filter, shape.sort, shape.grouped, shape.collapsed);
  const sitesSorted = useMemo(
    // The grid's own site order (common/naturalOrder.ts), so the list and the groups agree.
    () =>
      [...st.sites.values()]
        .map((s) => ({ s, key: siteOrderKey(s.name, s.id) }))
        .sort(byKey)
        .map(({ s }) => s),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [st.sites, st.sitesVersion],
  );

  // ---- focus (by row key, never by index) and selection (by point id) ----
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const selection = useSelection(model, st.points, st.pointsVersion);
  const { selected, clearSelection } = selection;

  // ---- editor, bulk dialog, side panel, sign-in ----
  const [editor, setEditor] = useState<{ pointIds: string[] } | null>(null);
  // Bulk changes: the dialog (compose with its preview, then the results of a run) and the runs it made.
  const [bulk, setBulk] = useState<BulkDialogState>(null);
  const bulkRuns = useBulkRuns(api);
  const { lastRun, summary: lastRunSummary } = useLastRunSummary(bulkRuns, st.points, st.pointsVersion);
  const [side, setSide] = useState<Side>(null);
  const [signInOpen, setSignInOpen] = useState(false);
  // Signed out (never signed in, or the backend ended the session): the console is read-only and offers the
  // sign-in screen at once. The embedded demo signs in by itself and never asks.
  const signedOut = st.connection?.state === 'signedOut' && !st.connection.demo;
  useEffect(() => {
    if (signedOut) setSignInOpen(true);
  }, [signedOut]);
  const trackEdit = useEditOutcomes(st.outcomes[0], notify);

  const openEditor = useCallback(
    (pointId?: string) => {
      let ids: string[];
      if (pointId && !(selected.size > 0 && selected.has(pointId))) ids = [pointId];
      else if (selected.size > 0) ids = [...selected];
      else if (focusKey && st.points.has(focusKey)) ids = [focusKey];
      else return;
      if (ids.length > 1) setBulk({ kind: 'compose', pointIds: ids });
      else setEditor({ pointIds: ids });
    },
    [selected, focusKey, st.points],
  );
  const openDrawer = useCallback((pointId: string) => setSide({ kind: 'drawer', pointId }), []);
  // The drawer follows the focused point.
  useEffect(() => {
    if (side?.kind === 'drawer' && focusKey && focusKey !== side.pointId && st.points.has(focusKey))
      setSide({ kind: 'drawer', pointId: focusKey });
  }, [focusKey, side, st.points]);

  const saveEdit = async (pointIds: string[], edit: StatusEdit) => {
    const r = await api.call('setStatus', { pointIds, edit });
    setEditor(null);
    const what =
      pointIds.length === 1 ? (st.points.get(pointIds[0])?.label ?? pointIds[0]) : `${pointIds.length} points`;
    const toast = notify(
      `${STATUS_LABELS[edit.status]} for ${what}: queued on this computer. Follow it in the Delivery column.`,
      'ok',
    );
    trackEdit(r.mutationId, toast);
    if (selected.size > 0 && pointIds.length > 1) clearSelection();
  };

  useWindowTitle(st, model);
  const dialogOpen = !!(editor || signInOpen || bulk || planFor);
  /** Selects a point in the grid and opens its drawer (from an alert). */
  const openPoint = (id: string) => {
    showPoint(id);
    openDrawer(id);
  };
  const alerts = useConsoleAlerts(api, st.points, st.networkLoads, nowMs, dialogOpen, (target) => {
    if (target.pointId && st.points.has(target.pointId)) openPoint(target.pointId);
    else setSide({ kind: 'alerts', alertId: target.alertId });
  });
  const closeSide = useCallback(() => setSide(null), []);
  useGlobalKeys(dialogOpen, side !== null, closeSide, filterRef, gridRef);

  const focusGrid = useCallback(() => gridRef.current?.focus({ preventScroll: true }), []);
  const closeSideToGrid = useCallback(() => {
    setSide(null);
    focusGrid();
  }, [focusGrid]);
  const { onlySiteStatus } = filters;
  const { expandSite } = shape;
  const onSiteStatusClick = useCallback(
    (siteId: string, status: ShownStatus) => {
      onlySiteStatus(siteId, status);
      expandSite(siteId);
    },
    [onlySiteStatus, expandSite],
  );
  /** Focuses a point in the grid (from a panel), opening its site's group if it is collapsed. */
  const showPoint = (id: string) => {
    setFocusKey(id);
    const p = st.points.get(id);
    if (p) expandSite(p.siteId);
  };
  const toggleSide = (kind: 'outbox' | 'conflicts' | 'planned') => setSide((s) => (s?.kind === kind ? null : { kind }));
  const editingIds = useMemo(() => new Set(editor?.pointIds ?? []), [editor]);
  const role = st.connection?.session?.role ?? null;

  return (
    <div className={`app${side ? ' with-side' : ''}${st.loaded && st.transport.state !== 'open' ? ' link-down' : ''}`}>
      <Banner
        connection={st.connection}
        transport={st.transport}
        lastSyncAt={st.connection?.lastSyncAt ?? st.lastSyncAt}
        nowMs={nowMs}
        theme={theme}
        resolvedTheme={resolvedTheme}
        conflictCount={st.conflictIds.size}
        loading={st.loading && !st.loaded}
        onToggleTheme={toggleTheme}
        onOpenOutbox={() => toggleSide('outbox')}
        onOpenConflicts={() => toggleSide('conflicts')}
        plannedCount={plannedCount}
        plannedAttention={st.plannedAttention}
        onOpenPlanned={() => toggleSide('planned')}
        onSignIn={() => setSignInOpen(true)}
        onSignOut={() =>
          void api.call('signOut', {}).catch((e: unknown) => notify(`Could not sign out: ${errText(e)}`, 'error'))
        }
      />
      <CacheRecoveryNotice />
      <InvalidDataNotice invalid={invalid} />
      <GridToolbar
        filterRef={filterRef}
        filters={filters}
        shape={shape}
        model={model}
        sitesSorted={sitesSorted}
        loadState={!st.loaded ? 'loading' : st.loadProgress ? 'partial' : 'complete'}
        overdueCount={overdue.size}
        allSiteIds={() => st.sites.keys()}
        onEditSelected={() => openEditor()}
        onClearSelection={clearSelection}
        alerts={
          <>
            <AlertsButton
              groups={alerts.groups}
              onClick={() => setSide((s) => (s?.kind === 'alerts' ? null : { kind: 'alerts', alertId: null }))}
            />
            <AvailabilityButton
              onClick={() => setSide((s) => (s?.kind === 'availability' ? null : { kind: 'availability' }))}
            />
            {st.connection?.session?.role === 'admin' && (
              <PartnersButton onClick={() => setSide((s) => (s?.kind === 'partners' ? null : { kind: 'partners' }))} />
            )}
          </>
        }
      />
      <BulkBar
        selected={selected.size}
        selectedSites={selection.selectedSites}
        hiddenSelected={selection.hiddenSelected}
        matching={model.matched}
        matchingSites={selected.size > 0 ? model.matchedBySite.size : 0}
        selectedMatching={selected.size - selection.hiddenSelected}
        role={role}
        lastRun={lastRunSummary}
        onSelectAllMatching={selection.selectAll}
        onSetStatus={() => openEditor()}
        onPlan={() => selected.size > 0 && setPlanFor([...selected])}
        onClear={clearSelection}
        onShowLastRun={() => lastRun && setBulk({ kind: 'results', runId: lastRun.id })}
      />
      <LoadStrip progress={st.loadProgress} error={st.loadError} onRetry={() => void store.load()} />
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
            gridRef={gridRef}
            model={model}
            focusKey={focusKey}
            selected={selected}
            flashes={st.flashes}
            pointsVersion={st.pointsVersion}
            liveness={st.liveness}
            invalid={invalid}
            nowMs={nowMs}
            sort={shape.sort}
            grouped={shape.grouped}
            editingIds={editingIds}
            pointWindows={pointWindows}
            alertMarks={alerts.marks}
            onSort={shape.onSort}
            onFocusKey={setFocusKey}
            onSelect={selection.onSelect}
            onSelectRange={selection.onSelectRange}
            onClearSelection={clearSelection}
            onSelectAll={selection.selectAll}
            onOpenEditor={openEditor}
            onOpenDrawer={openDrawer}
            onToggleCollapse={shape.toggleCollapse}
            onSiteStatusClick={onSiteStatusClick}
          />
        )}
        <SidePanels
          api={api}
          st={st}
          side={side}
          nowMs={nowMs}
          localPlans={localPlans}
          setSide={setSide}
          closeToGrid={closeSideToGrid}
          notify={notify}
          onEdit={(id) => setEditor({ pointIds: [id] })}
          onPlan={(id) => setPlanFor([id])}
          onShowPoint={showPoint}
          alerts={alerts}
          onOpenPoint={openPoint}
        />
      </main>
      <Dialogs
        api={api}
        st={st}
        nowMs={nowMs}
        matchedSet={selection.matchedSet}
        editor={editor}
        bulk={bulk}
        bulkRuns={bulkRuns}
        planFor={planFor}
        signInOpen={signInOpen}
        defaultUser={defaultUser}
        setEditor={setEditor}
        setBulk={setBulk}
        setPlanFor={setPlanFor}
        setSignInOpen={setSignInOpen}
        onSaveEdit={saveEdit}
        onPlanned={(windowId, plan) => setLocalPlans((m) => new Map(m).set(windowId, plan))}
        onShowWindow={(windowId) => setSide({ kind: 'planned', windowId })}
        clearSelection={clearSelection}
        focusGrid={focusGrid}
      />
      <Toasts toasts={toasts} onDismiss={dismiss} />
    </div>
  );
}
