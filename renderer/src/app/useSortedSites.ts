import { useMemo } from 'react';
import { byKey, siteOrderKey } from '../../../common/naturalOrder.js';
import type { StoreState } from '../store/store.js';

/** The sites in the grid's own site order (common/naturalOrder.ts), so the site list and the groups agree. */
export function useSortedSites(st: StoreState) {
  return useMemo(
    () =>
      [...st.sites.values()]
        .map((s) => ({ s, key: siteOrderKey(s.name, s.id) }))
        .sort(byKey)
        .map(({ s }) => s),
    // The sites map is updated in place: its version says when it changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [st.sites, st.sitesVersion],
  );
}
