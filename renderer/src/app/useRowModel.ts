import { useEffect, useMemo } from 'react';
import { createRowModelSelector } from '../model/rows.js';
import type { RowFilter, RowModel, SortSpec } from '../model/rows.js';
import type { StoreState } from '../store/store.js';

/** The grid's rows from the store's points, the filter and the grid's shape (each stage rerun only when needed). */
export function useRowModel(
  st: StoreState,
  filter: RowFilter,
  sort: SortSpec,
  grouped: boolean,
  collapsed: ReadonlySet<string>,
): RowModel {
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
  return model;
}
