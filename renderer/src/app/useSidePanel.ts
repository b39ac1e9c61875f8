import { useCallback, useEffect, useState } from 'react';
import type { ViewPoint } from '../../../common/consoleApi.js';
import type { Side } from './SidePanels.js';

/** The side panel open beside the grid, if any: which one, and opening, toggling and closing it. */
export function useSidePanel(focusKey: string | null, points: ReadonlyMap<string, ViewPoint>, focusGrid: () => void) {
  const [side, setSide] = useState<Side>(null);
  const openDrawer = useCallback((pointId: string) => setSide({ kind: 'drawer', pointId }), []);
  // The drawer follows the focused point.
  useEffect(() => {
    if (side?.kind === 'drawer' && focusKey && focusKey !== side.pointId && points.has(focusKey))
      setSide({ kind: 'drawer', pointId: focusKey });
  }, [focusKey, side, points]);
  const closeSide = useCallback(() => setSide(null), []);
  const closeToGrid = useCallback(() => {
    setSide(null);
    focusGrid();
  }, [focusGrid]);
  const toggleSide = (kind: 'outbox' | 'conflicts' | 'planned' | 'availability' | 'partners') =>
    setSide((s) => (s?.kind === kind ? null : { kind }));
  const toggleAlerts = () => setSide((s) => (s?.kind === 'alerts' ? null : { kind: 'alerts', alertId: null }));
  return { side, setSide, openDrawer, closeSide, closeToGrid, toggleSide, toggleAlerts };
}
