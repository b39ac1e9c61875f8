import { useCallback } from 'react';
import type { ViewPoint } from '../../../common/consoleApi.js';
import type { ShownStatus } from '../../../common/status.js';
import type { useFilters } from './useFilters.js';
import type { useGridShape } from './useGridShape.js';

/** Bringing points into view in the grid: one point (from a panel or an alert), or one site's points of one status. */
export function useShowInGrid(
  points: ReadonlyMap<string, ViewPoint>,
  setFocusKey: (key: string) => void,
  filters: ReturnType<typeof useFilters>,
  shape: ReturnType<typeof useGridShape>,
  openDrawer: (pointId: string) => void,
) {
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
    const p = points.get(id);
    if (p) expandSite(p.siteId);
  };
  /** Selects a point in the grid and opens its drawer (from an alert). */
  const openPoint = (id: string) => {
    showPoint(id);
    openDrawer(id);
  };
  return { onSiteStatusClick, showPoint, openPoint };
}
