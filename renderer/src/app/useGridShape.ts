import { useCallback, useState } from 'react';
import { DEFAULT_SORT } from '../model/rows.js';
import type { SortColumn, SortSpec } from '../model/rows.js';

/** How the grid is laid out: its sort, whether it groups by site, and which sites are collapsed. */
export function useGridShape() {
  const [sort, setSort] = useState<SortSpec>(DEFAULT_SORT);
  const [grouped, setGrouped] = useState(true);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const onSort = useCallback(
    (column: SortColumn) =>
      setSort((s) =>
        s.column === column ? { column, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { column, dir: 'asc' },
      ),
    [],
  );
  const toggleCollapse = useCallback((siteId: string) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (!next.delete(siteId)) next.add(siteId);
      return next;
    });
  }, []);
  const expandSite = useCallback((siteId: string) => {
    setCollapsed((prev) => {
      if (!prev.has(siteId)) return prev;
      const next = new Set(prev);
      next.delete(siteId);
      return next;
    });
  }, []);
  const collapseAll = (siteIds: Iterable<string> | null) => setCollapsed(siteIds ? new Set(siteIds) : new Set());
  return { sort, grouped, collapsed, setGrouped, onSort, toggleCollapse, expandSite, collapseAll };
}
