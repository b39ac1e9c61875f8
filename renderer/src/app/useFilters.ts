import { useCallback, useMemo, useState } from 'react';
import type { DeliveryState, ShownStatus } from '../../../common/status.js';
import type { CountedDelivery, RowFilter } from '../model/rows.js';

/**
 * The grid's filters: the free text (set in a transition by the filter input, which shows what is typed at once),
 * statuses, sites, the counted delivery states, and the overdue points (`overdue`: the ids overdue now).
 */
export function useFilters(overdue: ReadonlySet<string>) {
  const [text, setText] = useState('');
  const [textResets, setTextResets] = useState(0);
  const [statuses, setStatuses] = useState<ReadonlySet<ShownStatus>>(new Set());
  const [siteIds, setSiteIds] = useState<ReadonlySet<string>>(new Set());
  const [deliveries, setDeliveries] = useState<ReadonlySet<DeliveryState>>(new Set());
  const [overdueOn, setOverdueOn] = useState(false);
  const onlyIds = overdueOn ? overdue : null;
  const filter: RowFilter = useMemo(
    () => ({ text, statuses, siteIds, deliveries, onlyIds }),
    [text, statuses, siteIds, deliveries, onlyIds],
  );

  const onSite = useCallback((id: string | null) => setSiteIds(id ? new Set([id]) : new Set()), []);
  /** Only this status at this site (a site header's count). */
  const onlySiteStatus = useCallback((siteId: string, status: ShownStatus) => {
    setSiteIds(new Set([siteId]));
    setStatuses(new Set([status]));
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
  const toggleOverdue = () => setOverdueOn((o) => !o);
  const clearStatuses = () => {
    setStatuses(new Set());
    setDeliveries(new Set());
    setOverdueOn(false);
  };
  const clearFilters = () => {
    setText('');
    setTextResets((n) => n + 1);
    clearStatuses();
    setSiteIds(new Set());
  };
  return {
    filter,
    textResets,
    overdueOn,
    setText,
    onSite,
    onlySiteStatus,
    toggleStatus,
    toggleDelivery,
    toggleOverdue,
    clearStatuses,
    clearFilters,
  };
}
