import { useMemo, useRef } from 'react';
import { OverdueCandidates } from '../model/overdueCandidates.js';
import { activeWindowCount, buildPointWindows, overdueIds } from '../model/windows.js';
import type { StoreState } from '../store/store.js';

/** Maintenance windows as the console shows them: the window of each point's row, overdue points, the planned count. */
export function useMaintenanceWindows(st: StoreState, nowMs: number) {
  // Point → the window its row mentions, built once per windows change (not per row).
  // The windows map is updated in place: its version says when it changed.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const pointWindows = useMemo(() => buildPointWindows(st.windows.values()), [st.windows, st.windowsVersion]);
  // Expected ends that passed while the point is still out of operation: counted in the toolbar, a filter.
  const overdueRef = useRef<ReadonlySet<string>>(new Set());
  const candidatesRef = useRef<OverdueCandidates | null>(null);
  const overdue = useMemo(
    () =>
      (overdueRef.current = overdueIds(
        (candidatesRef.current ??= new OverdueCandidates()).update(st.points, st.pointsVersion, st.changed),
        nowMs,
        overdueRef.current,
        (id) => pointWindows.get(id)?.running === true,
      )),
    [st.points, st.pointsVersion, st.changed, nowMs, pointWindows],
  );
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const plannedCount = useMemo(() => activeWindowCount(st.windows.values()), [st.windows, st.windowsVersion]);
  return { pointWindows, overdue, plannedCount };
}
