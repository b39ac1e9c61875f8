// The side panel open beside the grid, if any: a point's details (the drawer), the outbox, the planned
// maintenance, or the conflicts.
import type { ViewPoint } from '../../../common/consoleApi.js';
import type { HostApi } from '../api/index.js';
import { AlertsPanel } from '../components/alerts/AlertsPanel.js';
import type { ConsoleAlerts } from '../components/alerts/useConsoleAlerts.js';
import { ConflictsPanel } from '../components/ConflictsPanel.js';
import { Drawer } from '../components/Drawer.js';
import { OutboxPanel } from '../components/OutboxPanel.js';
import { PlannedPanel } from '../components/planned/PlannedPanel.js';
import { AvailabilityPanel } from '../components/availability/AvailabilityPanel.js';
import { PartnersPanel } from '../components/partners/PartnersPanel.js';
import type { LocalPlan } from '../components/planned/PlannedPanel.js';
import type { StoreState } from '../store/store.js';
import type { Notify } from './useToasts.js';

export type Side =
  | { kind: 'drawer'; pointId: string }
  | { kind: 'outbox' }
  | { kind: 'conflicts' }
  | { kind: 'planned'; windowId?: string }
  | { kind: 'alerts'; alertId: string | null }
  | { kind: 'availability' }
  | { kind: 'partners' }
  | null;

export interface SidePanelsProps {
  api: HostApi;
  st: StoreState;
  side: Side;
  nowMs: number;
  localPlans: ReadonlyMap<string, LocalPlan>;
  setSide(side: Side): void;
  /** Closes the panel and gives the grid its focus back. */
  closeToGrid(): void;
  notify: Notify;
  onEdit(pointId: string): void;
  onPlan(pointId: string): void;
  onShowPoint(pointId: string): void;
  alerts: ConsoleAlerts;
  /** Selects the point and opens its drawer (from the Alerts panel). */
  onOpenPoint(pointId: string): void;
}

export function SidePanels({
  api,
  st,
  side,
  nowMs,
  localPlans,
  setSide,
  closeToGrid,
  notify,
  onEdit,
  onPlan,
  onShowPoint,
  alerts,
  onOpenPoint,
}: SidePanelsProps) {
  const focusedPoint: ViewPoint | null = side?.kind === 'drawer' ? (st.points.get(side.pointId) ?? null) : null;
  const outboxKey = `${st.connection?.queued ?? 0}:${st.pointsVersion}:${st.connection?.state ?? ''}`;
  const role = st.connection?.session?.role ?? null;
  return (
    <>
      {side?.kind === 'drawer' && (
        <Drawer
          api={api}
          point={focusedPoint}
          site={focusedPoint ? (st.sites.get(focusedPoint.siteId) ?? null) : null}
          live={focusedPoint ? st.liveness.get(focusedPoint.stationId) : undefined}
          role={role}
          connection={st.connection?.state ?? null}
          hostReachable={st.transport.state === 'open'}
          nowMs={nowMs}
          onClose={closeToGrid}
          onEdit={onEdit}
          onPlan={onPlan}
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
          notices={st.windowNotices}
          localPlans={localPlans}
          points={st.points}
          sites={st.sites}
          role={role}
          nowMs={nowMs}
          onClose={closeToGrid}
          onShowPoint={onShowPoint}
          focusWindowId={side.windowId ?? null}
        />
      )}
      {side?.kind === 'alerts' && (
        <AlertsPanel
          api={api}
          alerts={alerts.state}
          points={st.points}
          sites={st.sites}
          role={role}
          nowMs={nowMs}
          initialId={side.alertId}
          pointsOfStation={alerts.pointsOfStation}
          onOpenPoint={onOpenPoint}
          onClose={closeToGrid}
        />
      )}
      {side?.kind === 'availability' && (
        <AvailabilityPanel
          api={api}
          sites={st.sites}
          pointLabel={(id) => st.points.get(id)?.label ?? id}
          onShowPoint={onOpenPoint}
          onClose={closeToGrid}
        />
      )}
      {side?.kind === 'partners' && <PartnersPanel api={api} nowMs={nowMs} onClose={closeToGrid} />}
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
          onShowPoint={onShowPoint}
        />
      )}
    </>
  );
}
