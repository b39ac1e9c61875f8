// The top of the console: the banner, the notices, the toolbar with the alert and panel buttons, the selection bar
// and the load strip.
import type { RefObject } from 'react';
import type { Site } from '../../../common/model.js';
import { AlertsButton } from '../components/alerts/AlertsButton.js';
import type { ConsoleAlerts } from '../components/alerts/useConsoleAlerts.js';
import { AvailabilityButton } from '../components/availability/AvailabilityButton.js';
import { Banner } from '../components/Banner.js';
import { BulkBar } from '../components/BulkBar.js';
import { CacheRecoveryNotice } from '../components/CacheRecoveryNotice.js';
import { InvalidDataNotice } from '../components/InvalidDataNotice.js';
import { LoadStrip } from '../components/LoadStrip.js';
import { PartnersButton } from '../components/partners/PartnersButton.js';
import type { RowModel } from '../model/rows.js';
import type { ConsoleFrame } from './consoleFrame.js';
import { GridToolbar } from './GridToolbar.js';
import type { useEditActions } from './useEditActions.js';
import type { useFilters } from './useFilters.js';
import type { useGridShape } from './useGridShape.js';
import type { useLastRunSummary } from './useLastRunSummary.js';
import type { useMaintenanceWindows } from './useMaintenanceWindows.js';
import type { useSelection } from './useSelection.js';
import type { useSidePanel } from './useSidePanel.js';
import type { useThemeSetting } from './useThemeSetting.js';
import { errText } from './useToasts.js';

export interface TopAreaProps extends ConsoleFrame {
  themeSetting: ReturnType<typeof useThemeSetting>;
  windows: ReturnType<typeof useMaintenanceWindows>;
  filterRef: RefObject<HTMLInputElement | null>;
  filters: ReturnType<typeof useFilters>;
  shape: ReturnType<typeof useGridShape>;
  model: RowModel;
  sitesSorted: Site[];
  selection: ReturnType<typeof useSelection>;
  lastBulkRun: ReturnType<typeof useLastRunSummary>;
  alerts: ConsoleAlerts;
  sidePanel: ReturnType<typeof useSidePanel>;
  edits: ReturnType<typeof useEditActions>;
  onSignIn(): void;
  /** Opens the dialog that plans a maintenance window for these points. */
  onPlan(pointIds: string[]): void;
}

export function TopArea(props: TopAreaProps) {
  const { api, store, st, nowMs, notify, themeSetting, filters, shape, model, selection, sidePanel, edits } = props;
  const { selected, clearSelection } = selection;
  const { lastRun, summary: lastRunSummary } = props.lastBulkRun;
  const { toggleSide } = sidePanel;
  const { openEditor } = edits;
  const role = st.connection?.session?.role ?? null;
  return (
    <>
      <Banner
        connection={st.connection}
        transport={st.transport}
        lastSyncAt={st.connection?.lastSyncAt ?? st.lastSyncAt}
        nowMs={nowMs}
        theme={themeSetting.theme}
        resolvedTheme={themeSetting.resolvedTheme}
        conflictCount={st.conflictIds.size}
        loading={st.loading && !st.loaded}
        onToggleTheme={themeSetting.toggleTheme}
        onOpenOutbox={() => toggleSide('outbox')}
        onOpenConflicts={() => toggleSide('conflicts')}
        plannedCount={props.windows.plannedCount}
        plannedAttention={st.plannedAttention}
        onOpenPlanned={() => toggleSide('planned')}
        onSignIn={props.onSignIn}
        onSignOut={() =>
          void api.call('signOut', {}).catch((e: unknown) => notify(`Could not sign out: ${errText(e)}`, 'error'))
        }
      />
      <CacheRecoveryNotice />
      <InvalidDataNotice invalid={props.invalid} />
      <GridToolbar
        filterRef={props.filterRef}
        filters={filters}
        shape={shape}
        model={model}
        sitesSorted={props.sitesSorted}
        loadState={!st.loaded ? 'loading' : st.loadProgress ? 'partial' : 'complete'}
        overdueCount={props.windows.overdue.size}
        allSiteIds={() => st.sites.keys()}
        onEditSelected={() => openEditor()}
        onClearSelection={clearSelection}
        alerts={
          <>
            <AlertsButton groups={props.alerts.groups} onClick={sidePanel.toggleAlerts} />
            <AvailabilityButton onClick={() => toggleSide('availability')} />
            {st.connection?.session?.role === 'admin' && <PartnersButton onClick={() => toggleSide('partners')} />}
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
        onPlan={() => selected.size > 0 && props.onPlan([...selected])}
        onClear={clearSelection}
        onShowLastRun={() => lastRun && edits.setBulk({ kind: 'results', runId: lastRun.id })}
      />
      <LoadStrip progress={st.loadProgress} error={st.loadError} onRetry={() => void store.load()} />
    </>
  );
}
