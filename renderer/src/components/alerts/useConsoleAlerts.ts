// Everything the console's frame needs of alerts, in one hook: the alerts themselves, the panel's groups (the
// header's counts), the rows they mark, Shift+A to open the panel, and notifications that open what they name.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { AlertState } from '../../../../common/alerts.js';
import type { ViewPoint } from '../../../../common/consoleApi.js';
import type { HostApi } from '../../api/index.js';
import { alertedPoints, groupAlerts, type AlertGroups } from '../../model/alerts.js';
import { useAlertNotifications, type AlertTarget } from './alertNotifications.js';
import { useAlerts, type AlertsState } from './useAlerts.js';

export interface ConsoleAlerts {
  state: AlertsState;
  groups: AlertGroups;
  /** Point id → the state of the alert its row shows (points of a station's alert included). */
  marks: ReadonlyMap<string, AlertState>;
  pointsOfStation(stationId: string): readonly string[];
}

export function useConsoleAlerts(
  api: HostApi,
  points: ReadonlyMap<string, ViewPoint>,
  /** Changes when the network is loaded anew (which points belong to which station can change only then). */
  networkKey: number,
  nowMs: number,
  /** A dialog is open: Shift+A does nothing. */
  blocked: boolean,
  onOpen: (target: AlertTarget) => void,
): ConsoleAlerts {
  const state = useAlerts(api);
  useAlertNotifications(api, onOpen);

  // Station → its points, built when a station's alert first needs it (not on every live batch).
  const byStation = useRef<{ key: string; map: Map<string, string[]> } | null>(null);
  const pointsOfStation = useCallback(
    (stationId: string): readonly string[] => {
      const key = `${networkKey}:${points.size}`;
      if (byStation.current?.key !== key) {
        const map = new Map<string, string[]>();
        for (const p of points.values()) {
          const list = map.get(p.stationId);
          if (list) list.push(p.id);
          else map.set(p.stationId, [p.id]);
        }
        byStation.current = { key, map };
      }
      return byStation.current.map.get(stationId) ?? [];
    },
    [points, networkKey],
  );

  const minute = Math.floor(nowMs / 60_000);
  const groups = useMemo(
    () => groupAlerts(state.alerts.values(), minute * 60_000),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [state.alerts, state.version, minute],
  );
  const marks = useMemo(
    () => alertedPoints(state.alerts.values(), pointsOfStation),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [state.alerts, state.version, pointsOfStation],
  );

  const open = useRef(onOpen);
  open.current = onOpen;
  useEffect(() => {
    if (blocked) return;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing =
        !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
      if (typing || e.ctrlKey || e.metaKey || e.altKey || !e.shiftKey || e.key !== 'A') return;
      e.preventDefault();
      open.current({ alertId: null, pointId: null });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [blocked]);

  return { state, groups, marks, pointsOfStation };
}
