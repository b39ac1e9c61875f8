import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ViewPoint } from '../../common/consoleApi.js';
import type { StatusEdit } from '../../common/model.js';
import { STATUS_LABELS } from '../../common/status.js';
import type { DeliveryState, ShownStatus } from '../../common/status.js';
import type { ThemeChoice } from './components/Banner.js';
import { Banner } from './components/Banner.js';
import { BulkBar } from './components/BulkBar.js';
import { CacheRecoveryNotice } from './components/CacheRecoveryNotice.js';
import { InvalidDataNotice, useInvalidData } from './components/InvalidDataNotice.js';
import { BulkCompose, BulkResults } from './components/BulkDialog.js';
import { bulkProgress, PROBLEM_KINDS, retryEdit } from './components/BulkModel.js';
import { useBulkRuns } from './components/BulkRuns.js';
import { ConflictsPanel } from './components/ConflictsPanel.js';
import { Drawer } from './components/Drawer.js';
import { Editor } from './components/Editor.js';
import { Grid } from './components/Grid.js';
import { OutboxPanel } from './components/OutboxPanel.js';
import { PlannedPanel } from './components/planned/PlannedPanel.js';
import type { LocalPlan } from './components/planned/PlannedPanel.js';
import { PlanWindowDialog } from './components/planned/PlanWindowDialog.js';
import { activeWindowCount, buildPointWindows, overdueIds } from './model/windows.js';
import { SignIn } from './components/SignIn.js';
import type { Toast } from './components/Toasts.js';
import { Toasts } from './components/Toasts.js';
import { GridSkeleton } from './components/GridSkeleton.js';
import { LoadStrip } from './components/LoadStrip.js';
import { CountsBar, FilterBar } from './components/Toolbar.js';
import { byKey, siteOrderKey } from '../../common/naturalOrder.js';
import { createRowModelSelector, DEFAULT_SORT, siteRowKey } from './model/rows.js';
import type { CountedDelivery, RowFilter, SortColumn, SortSpec } from './model/rows.js';
import { useApp, useStoreState } from './store/useStore.js';
import { useDocumentTitle } from './util/useDocumentTitle.js';
import { applyTheme, cacheTheme, rememberedTheme, resolveTheme } from './theme.js';
import { useSystemDark } from './util/useSystemDark.js';

type Side = { kind: 'drawer'; pointId: string } | { kind: 'outbox' } | { kind: 'conflicts' } | { kind: 'planned' } | null;

const NOW_TICK_MS = 5_000;

export function App() {
  const { api, store } = useApp();
  const invalid = useInvalidData();
  const st = useStoreState();
  const gridRef = useRef<HTMLDivElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);

  // ---- clock ----
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNowMs(Date.now()), NOW_TICK_MS);
    return () => clearInterval(t);
  }, []);

  // ---- theme (remembered through the settings API) ----
  const [theme, setTheme] = useState<ThemeChoice>(rememberedTheme);
  const systemDark = useSystemDark();
  const resolvedTheme = resolveTheme(theme, systemDark);
  useEffect(() => applyTheme(resolvedTheme), [resolvedTheme]);
  const [defaultUser, setDefaultUser] = useState<string | null>(null);
  useEffect(() => {
    api
      .call('getSettings', {})
      .then((s) => {
        setTheme(s.theme);
        cacheTheme(s.theme);
        setDefaultUser(s.username);
      })
      .catch(() => {});
  }, [api]);
  const toggleTheme = () => {
    const next: ThemeChoice = resolvedTheme === 'dark' ? 'light' : 'dark';
    setTheme(next);
    cacheTheme(next);
    api.call('updateSettings', { theme: next }).catch((e: unknown) => notify(`Could not save the theme: ${errText(e)}`, 'error'));
  };

  // ---- toasts ----
  const [toasts, setToasts] = useState<Toast[]>([]);
  const toastId = useRef(0);
  const notify = useCallback((text: string, tone: Toast['tone'] = 'info', replaces?: number): number => {
    const id = ++toastId.current;
    setToasts((t) => [...t.filter((x) => x.id !== replaces).slice(-3), { id, text, tone }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), tone === 'error' ? 12_000 : 6_000);
    return id;
  }, []);

  // ---- filters, sort, grouping ----
  // Set in a transition by the filter input (FilterBar), which shows what is typed at once.
  const [text, setText] = useState('');
  const [textResets, setTextResets] = useState(0);
  const [statuses, setStatuses] = useState<ReadonlySet<ShownStatus>>(new Set());
  const [siteIds, setSiteIds] = useState<ReadonlySet<string>>(new Set());
  const [deliveries, setDeliveries] = useState<ReadonlySet<DeliveryState>>(new Set());
  // Expected ends that passed while the point is still out of operation: counted in the toolbar, a filter.
  // Maintenance windows: point → the window its row mentions, built once per windows change (not per row).
  const pointWindows = useMemo(() => buildPointWindows(st.windows.values()), [st.windows, st.windowsVersion]);
  const overdueRef = useRef<ReadonlySet<string>>(new Set());
  const overdue = useMemo(
    () => (overdueRef.current = overdueIds(st.points.values(), nowMs, overdueRef.current, (id) => pointWindows.get(id)?.running === true)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [st.points, st.pointsVersion, nowMs, pointWindows],
  );
  const [overdueOn, setOverdueOn] = useState(false);
  const onlyIds = overdueOn ? overdue : null;
  const filter: RowFilter = useMemo(() => ({ text, statuses, siteIds, deliveries, onlyIds }), [text, statuses, siteIds, deliveries, onlyIds]);
  const plannedCount = useMemo(() => activeWindowCount(st.windows.values()), [st.windows, st.windowsVersion]);
  const [planFor, setPlanFor] = useState<string[] | null>(null);
  const [localPlans, setLocalPlans] = useState<ReadonlyMap<string, LocalPlan>>(new Map());
  const [sort, setSort] = useState<SortSpec>(DEFAULT_SORT);
  const [grouped, setGrouped] = useState(true);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());

  const selectRows = useMemo(() => createRowModelSelector(), []);
  const model = selectRows({
    points: st.points,
    pointsVersion: st.pointsVersion,
    changed: st.changed,
    sites: st.sites,
    sitesVersion: st.sitesVersion,
    liveness: st.liveness,
    filter,
    sort,
    grouped,
    collapsed,
  });

  // Once the whole network is here, make the filter's text in idle time, so the first filter is as quick as later ones.
  const networkComplete = st.loaded && !st.loadProgress;
  useEffect(() => {
    if (!networkComplete || typeof requestIdleCallback !== 'function') return;
    let id = 0;
    const step = (deadline: IdleDeadline) => {
      if (!selectRows.prepareSearch(() => deadline.timeRemaining() > 2)) id = requestIdleCallback(step);
    };
    id = requestIdleCallback(step);
    return () => cancelIdleCallback(id);
  }, [networkComplete, selectRows, st.networkLoads]);

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

  // ---- focus and selection (by point id / row key, never by index) ----
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const onSelect = useCallback((ids: string[], mode: 'toggle' | 'replace' | 'add') => {
    setSelected((prev) => {
      const next = new Set(mode === 'replace' ? [] : prev);
      if (mode === 'toggle') {
        const allIn = ids.every((id) => next.has(id));
        for (const id of ids) allIn ? next.delete(id) : next.add(id);
      } else for (const id of ids) next.add(id);
      return next;
    });
  }, []);
  const onSelectRange = useCallback(
    (fromKey: string, toKey: string) => {
      const a = model.indexOf(fromKey);
      const b = model.indexOf(toKey);
      if (a < 0 || b < 0) return;
      const ids: string[] = [];
      for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
        const r = model.rows[i];
        if (r.kind === 'point') ids.push(r.key);
      }
      onSelect(ids, 'add');
    },
    [model, onSelect],
  );
  const clearSelection = useCallback(() => setSelected(new Set()), []);
  const selectAll = useCallback(() => setSelected(new Set(model.matchedIds)), [model]);

  const matchedSet = useMemo(() => (selected.size > 0 ? new Set(model.matchedIds) : null), [model, selected.size > 0]);
  let hiddenSelected = 0;
  if (matchedSet) for (const id of selected) if (!matchedSet.has(id)) hiddenSelected++;
  // Points that left the network are dropped from the selection.
  useEffect(() => {
    if (selected.size === 0) return;
    let gone = false;
    for (const id of selected) if (!st.points.has(id)) gone = true;
    if (gone) setSelected((prev) => new Set([...prev].filter((id) => st.points.has(id))));
  }, [st.pointsVersion, st.points, selected]);

  // ---- editor, drawer, panels ----
  const [editor, setEditor] = useState<{ pointIds: string[] } | null>(null);
  // Bulk changes: the dialog (compose with its preview, then the results of a run) and the runs it made.
  const [bulk, setBulk] = useState<{ kind: 'compose'; pointIds: string[] } | { kind: 'results'; runId: number } | null>(null);
  const bulkRuns = useBulkRuns(api);
  const [side, setSide] = useState<Side>(null);
  const [signInOpen, setSignInOpen] = useState(false);
  // Signed out (never signed in, or the backend ended the session): the console is read-only and offers the
  // sign-in screen at once. The embedded demo signs in by itself and never asks.
  const signedOut = st.connection?.state === 'signedOut' && !st.connection.demo;
  useEffect(() => {
    if (signedOut) setSignInOpen(true);
  }, [signedOut]);
  /** My mutations awaiting their outcome → the toast that announced them (replaced by the outcome). */
  const myMutations = useRef(new Map<string, number>());

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
    if (side?.kind === 'drawer' && focusKey && focusKey !== side.pointId && st.points.has(focusKey)) setSide({ kind: 'drawer', pointId: focusKey });
  }, [focusKey, side, st.points]);

  const saveEdit = async (pointIds: string[], edit: StatusEdit) => {
    const r = await api.call('setStatus', { pointIds, edit });
    setEditor(null);
    const what = pointIds.length === 1 ? (st.points.get(pointIds[0])?.label ?? pointIds[0]) : `${pointIds.length} points`;
    const toast = notify(`${STATUS_LABELS[edit.status]} for ${what}: queued on this computer. Follow it in the Delivery column.`, 'ok');
    myMutations.current.set(r.mutationId, toast);
    if (selected.size > 0 && pointIds.length > 1) setSelected(new Set());
  };

  // Outcomes of my own edits, in words.
  const lastOutcome = st.outcomes[0];
  useEffect(() => {
    if (!lastOutcome || !myMutations.current.has(lastOutcome.mutationId)) return;
    const queuedToast = myMutations.current.get(lastOutcome.mutationId);
    myMutations.current.delete(lastOutcome.mutationId);
    const n = lastOutcome.points.length;
    const by = (r: string) => lastOutcome.points.filter((p) => p.result === r).length;
    const applied = by('applied') + by('unchanged');
    if (lastOutcome.result === 'applied')
      notify(`Saved on the backend: ${applied} of ${n} point${n === 1 ? '' : 's'}. The Delivery column follows it to the station.`, 'ok', queuedToast);
    else {
      const parts = [`${applied} applied`];
      if (by('conflict')) parts.push(`${by('conflict')} in conflict (see Conflicts)`);
      if (by('rejected')) parts.push(`${by('rejected')} rejected`);
      if (by('notAllowed')) parts.push(`${by('notAllowed')} not allowed for your role`);
      notify(
        `Backend answer for ${n} point${n === 1 ? '' : 's'}: ${parts.join(', ')}${lastOutcome.reason ? ` — ${lastOutcome.reason}` : ''}.`,
        'error',
        queuedToast,
      );
    }
  }, [lastOutcome, notify]);

  const conflictCount = st.conflictIds.size;

  // The window title says what matters at a glance (taskbar, other monitor).
  const c = st.connection;
  const titleParts = ['Voltboard'];
  if (st.transport.state !== 'open') titleParts.push('host unreachable');
  else if (c && c.state !== 'live') titleParts.push(c.state === 'offline' ? 'OFFLINE' : c.state);
  if (model.counts.Faulted > 0) titleParts.push(`${model.counts.Faulted} faulted`);
  if (model.deliveryCounts.notConfirmed > 0) titleParts.push(`${model.deliveryCounts.notConfirmed} not confirmed`);
  if (c && c.queued > 0) titleParts.push(`${c.queued} queued`);
  if (conflictCount > 0) titleParts.push(`${conflictCount} conflicts`);
  useDocumentTitle(titleParts.join(' · '));

  // ---- bulk: the selection's sites, the run shown, the last run's summary for the bar ----
  const selectedSites = useMemo(() => {
    if (selected.size < 2) return selected.size;
    const sites = new Set<string>();
    for (const id of selected) {
      const p = st.points.get(id);
      if (p) sites.add(p.siteId);
    }
    return sites.size;
  }, [selected, st.points]);
  const bulkResultsRun = bulk?.kind === 'results' ? (bulkRuns.runs.find((r) => r.id === bulk.runId) ?? null) : null;
  const lastRun = bulkRuns.runs.length > 0 ? bulkRuns.runs[bulkRuns.runs.length - 1] : null;
  const lastRunSummary = useMemo(() => {
    if (!lastRun) return null;
    const pr = bulkProgress(lastRun.pointIds, lastRun.attempts, bulkRuns.outcomes, st.points);
    let problems = 0;
    for (const [k, c] of pr.byKind) if (PROBLEM_KINDS.has(k)) problems += c;
    const label = lastRun.kind === 'undo' ? `undo of ${lastRun.pointIds.length} points` : `${STATUS_LABELS[lastRun.edit.status]}, ${lastRun.pointIds.length} points`;
    return { label, percent: pr.percent, problems };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastRun, bulkRuns.outcomesVersion, st.points, st.pointsVersion]);

  // ---- global keys ----
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (editor || signInOpen || bulk || planFor) return;
      const t = e.target as HTMLElement | null;
      const typing = !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
      if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S')) {
        // Ctrl+S saves in the editor; elsewhere it must not open the browser's "save page" dialog.
        e.preventDefault();
      } else if (e.key === '/' && !typing) {
        e.preventDefault();
        filterRef.current?.focus();
        filterRef.current?.select();
      } else if (e.key === 'Escape' && side) {
        e.preventDefault();
        setSide(null);
        gridRef.current?.focus({ preventScroll: true });
      } else if (e.key === 'ArrowDown' && t === filterRef.current) {
        e.preventDefault();
        gridRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editor, signInOpen, side, bulk, planFor]);

  const onSite = useCallback((id: string | null) => setSiteIds(id ? new Set([id]) : new Set()), []);
  const onSort = useCallback(
    (column: SortColumn) => setSort((s) => (s.column === column ? { column, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { column, dir: 'asc' })),
    [],
  );
  const toggleCollapse = useCallback((siteId: string) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (!next.delete(siteId)) next.add(siteId);
      return next;
    });
  }, []);
  const onSiteStatusClick = useCallback((siteId: string, status: ShownStatus) => {
    setSiteIds(new Set([siteId]));
    setStatuses(new Set([status]));
    setCollapsed((prev) => {
      if (!prev.has(siteId)) return prev;
      const next = new Set(prev);
      next.delete(siteId);
      return next;
    });
  }, []);
  const toggleStatus = (s: ShownStatus, additive: boolean) =>
    setStatuses((prev) => {
      if (additive) {
        const next = new Set(prev);
        if (!next.delete(s)) next.add(s);
        return next;
      }
      return prev.size === 1 && prev.has(s) ? new Set() : new Set([s]);
    });

  const toggleDelivery = (d: CountedDelivery) => setDeliveries((prev) => (prev.has(d) ? new Set() : new Set([d])));

  /** Focuses a point in the grid (from a panel), opening its site's group if it is collapsed. */
  const showPoint = (id: string) => {
    setFocusKey(id);
    const p = st.points.get(id);
    if (p) setCollapsed((prev) => (prev.has(p.siteId) ? new Set([...prev].filter((s) => s !== p.siteId)) : prev));
  };

  const focusedPoint: ViewPoint | null = side?.kind === 'drawer' ? (st.points.get(side.pointId) ?? null) : null;
  const editingIds = useMemo(() => new Set(editor?.pointIds ?? []), [editor]);
  const outboxKey = `${st.connection?.queued ?? 0}:${st.pointsVersion}:${st.connection?.state ?? ''}`;

  return (
    <div className={`app${side ? ' with-side' : ''}${st.loaded && st.transport.state !== 'open' ? ' link-down' : ''}`}>
      <Banner
        connection={st.connection}
        transport={st.transport}
        lastSyncAt={st.connection?.lastSyncAt ?? st.lastSyncAt}
        nowMs={nowMs}
        theme={theme}
        resolvedTheme={resolvedTheme}
        conflictCount={conflictCount}
        loading={st.loading && !st.loaded}
        onToggleTheme={toggleTheme}
        onOpenOutbox={() => setSide((s) => (s?.kind === 'outbox' ? null : { kind: 'outbox' }))}
        onOpenConflicts={() => setSide((s) => (s?.kind === 'conflicts' ? null : { kind: 'conflicts' }))}
        plannedCount={plannedCount}
        onOpenPlanned={() => setSide((s) => (s?.kind === 'planned' ? null : { kind: 'planned' }))}
        onSignIn={() => setSignInOpen(true)}
        onSignOut={() => void api.call('signOut', {}).catch((e: unknown) => notify(`Could not sign out: ${errText(e)}`, 'error'))}
      />
      <CacheRecoveryNotice />
      <InvalidDataNotice invalid={invalid} />
      <div className="toolbar">
        <FilterBar
          ref={filterRef}
          textResets={textResets}
          sites={sitesSorted}
          filter={filter}
          grouped={grouped}
          selectedCount={0 /* the selection bar (BulkBar) shows the selection and its actions */}
          hiddenSelected={0}
          anyCollapsed={collapsed.size > 0}
          onText={setText}
          onSite={onSite}
          onGrouped={setGrouped}
          onCollapseAll={(c) => setCollapsed(c ? new Set(st.sites.keys()) : new Set())}
          onEditSelected={() => openEditor()}
          onClearSelection={clearSelection}
          onClearFilters={() => {
            setText('');
            setTextResets((n) => n + 1);
            setStatuses(new Set());
            setSiteIds(new Set());
            setDeliveries(new Set());
            setOverdueOn(false);
          }}
        />
        <CountsBar
          counts={model.counts}
          deliveryCounts={model.deliveryCounts}
          total={model.total}
          matched={model.matched}
          filter={filter}
          state={!st.loaded ? 'loading' : st.loadProgress ? 'partial' : 'complete'}
          onToggleStatus={toggleStatus}
          onToggleDelivery={toggleDelivery}
          onClearStatuses={() => {
            setStatuses(new Set());
            setDeliveries(new Set());
            setOverdueOn(false);
          }}
          overdue={{ count: overdue.size, on: overdueOn }}
          onToggleOverdue={() => setOverdueOn((o) => !o)}
        />
      </div>
      <BulkBar
        selected={selected.size}
        selectedSites={selectedSites}
        hiddenSelected={hiddenSelected}
        matching={model.matched}
        matchingSites={selected.size > 0 ? model.matchedBySite.size : 0}
        selectedMatching={selected.size - hiddenSelected}
        role={st.connection?.session?.role ?? null}
        lastRun={lastRunSummary}
        onSelectAllMatching={selectAll}
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
            sort={sort}
            grouped={grouped}
            editingIds={editingIds}
            pointWindows={pointWindows}
            onSort={onSort}
            onFocusKey={setFocusKey}
            onSelect={onSelect}
            onSelectRange={onSelectRange}
            onClearSelection={clearSelection}
            onSelectAll={selectAll}
            onOpenEditor={openEditor}
            onOpenDrawer={openDrawer}
            onToggleCollapse={toggleCollapse}
            onSiteStatusClick={onSiteStatusClick}
          />
        )}
        {side?.kind === 'drawer' && (
          <Drawer
            api={api}
            point={focusedPoint}
            site={focusedPoint ? (st.sites.get(focusedPoint.siteId) ?? null) : null}
            live={focusedPoint ? st.liveness.get(focusedPoint.stationId) : undefined}
            role={st.connection?.session?.role ?? null}
            connection={st.connection?.state ?? null}
            hostReachable={st.transport.state === 'open'}
            nowMs={nowMs}
            onClose={() => {
              setSide(null);
              gridRef.current?.focus({ preventScroll: true });
            }}
            onEdit={(id) => setEditor({ pointIds: [id] })}
            onPlan={(id) => setPlanFor([id])}
            windows={st.windows}
            windowsVersion={st.windowsVersion}
            onOpenPlanned={() => setSide({ kind: 'planned' })}
            onOpenConflicts={() => setSide({ kind: 'conflicts' })}
          />
        )}
        {side?.kind === 'outbox' && (
          <OutboxPanel
            api={api}
            refreshKey={outboxKey}
            nowMs={nowMs}
            pointLabel={(id) => {
              const p = st.points.get(id);
              return p ? `${p.label} (${st.sites.get(p.siteId)?.name ?? p.siteId})` : id;
            }}
            onClose={() => setSide(null)}
            onNotify={notify}
          />
        )}
        {side?.kind === 'planned' && (
          <PlannedPanel
            api={api}
            windows={st.windows}
            windowsVersion={st.windowsVersion}
            queued={st.windowsQueued}
            localPlans={localPlans}
            points={st.points}
            sites={st.sites}
            role={st.connection?.session?.role ?? null}
            nowMs={nowMs}
            onClose={() => {
              setSide(null);
              gridRef.current?.focus({ preventScroll: true });
            }}
            onShowPoint={showPoint}
          />
        )}
        {side?.kind === 'conflicts' && (
          <ConflictsPanel
            api={api}
            points={st.points}
            pointsVersion={st.pointsVersion}
            conflictIds={st.conflictIds}
            sites={st.sites}
            nowMs={nowMs}
            onClose={() => setSide(null)}
            onNotify={notify}
            onShowPoint={showPoint}
          />
        )}
      </main>
      {editor && (
        <Editor
          pointIds={editor.pointIds}
          points={st.points}
          sites={st.sites}
          role={st.connection?.session?.role ?? null}
          hiddenCount={matchedSet ? editor.pointIds.filter((id) => !matchedSet.has(id)).length : 0}
          nowMs={nowMs}
          onClose={() => setEditor(null)}
          onSave={saveEdit}
          onPlan={(ids) => {
            setEditor(null);
            setPlanFor(ids);
          }}
        />
      )}
      {planFor && (
        <PlanWindowDialog
          api={api}
          pointIds={planFor}
          points={st.points}
          sites={st.sites}
          role={st.connection?.session?.role ?? null}
          nowMs={nowMs}
          onPlanned={(windowId, plan) => {
            setLocalPlans((m) => new Map(m).set(windowId, plan));
            if (planFor.length > 1) setSelected(new Set());
          }}
          onClose={() => {
            setPlanFor(null);
            gridRef.current?.focus({ preventScroll: true });
          }}
        />
      )}
      {bulk?.kind === 'compose' && (
        <BulkCompose
          pointIds={bulk.pointIds}
          points={st.points}
          pointsVersion={st.pointsVersion}
          role={st.connection?.session?.role ?? null}
          connection={st.connection}
          hiddenCount={matchedSet ? bulk.pointIds.filter((id) => !matchedSet.has(id)).length : 0}
          nowMs={nowMs}
          onClose={() => setBulk(null)}
          onConfirm={async (pointIds, edit) => {
            const runId = await bulkRuns.start(pointIds, edit);
            setBulk({ kind: 'results', runId });
            setSelected(new Set());
          }}
        />
      )}
      {bulkResultsRun && (
        <BulkResults
          run={bulkResultsRun}
          undoneRun={bulkResultsRun.undoOf !== null ? (bulkRuns.runs.find((r) => r.id === bulkResultsRun.undoOf) ?? null) : null}
          outcomes={bulkRuns.outcomes}
          outcomesVersion={bulkRuns.outcomesVersion}
          points={st.points}
          pointsVersion={st.pointsVersion}
          sites={st.sites}
          role={st.connection?.session?.role ?? null}
          onClose={() => {
            setBulk(null);
            gridRef.current?.focus({ preventScroll: true });
          }}
          onRetry={(run, failed) => bulkRuns.retry(run, failed, retryEdit)}
          onUndo={async (run) => setBulk({ kind: 'results', runId: await bulkRuns.undo(run) })}
          onShowRun={(runId) => setBulk({ kind: 'results', runId })}
        />
      )}
      {signInOpen && (
        <SignIn
          api={api}
          defaultUser={defaultUser}
          reason={st.connection?.state === 'signedOut' ? (st.connection.error ?? null) : null}
          backendUrl={st.connection?.backendUrl ?? null}
          onClose={() => setSignInOpen(false)}
        />
      )}
      <Toasts toasts={toasts} onDismiss={(id) => setToasts((t) => t.filter((x) => x.id !== id))} />
    </div>
  );
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export { siteRowKey };
