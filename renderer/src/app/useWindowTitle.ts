import type { RowModel } from '../model/rows.js';
import type { StoreState } from '../store/store.js';
import { useDocumentTitle } from '../util/useDocumentTitle.js';

/** The window title says what matters at a glance (taskbar, other monitor). */
export function useWindowTitle(st: StoreState, model: RowModel): void {
  const c = st.connection;
  const conflictCount = st.conflictIds.size;
  const titleParts = ['Voltboard'];
  if (st.transport.state !== 'open') titleParts.push('host unreachable');
  else if (c && c.state !== 'live') titleParts.push(c.state === 'offline' ? 'OFFLINE' : c.state);
  if (model.counts.Faulted > 0) titleParts.push(`${model.counts.Faulted} faulted`);
  if (model.deliveryCounts.notConfirmed > 0) titleParts.push(`${model.deliveryCounts.notConfirmed} not confirmed`);
  if (c && c.queued > 0) titleParts.push(`${c.queued} queued`);
  if (conflictCount > 0) titleParts.push(`${conflictCount} conflicts`);
  useDocumentTitle(titleParts.join(' · '));
}
