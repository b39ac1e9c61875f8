import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ViewPoint } from '../../../common/consoleApi.js';
import type { RowModel } from '../model/rows.js';

/** The selected points, by id (never by index): kept through live changes, dropped when a point leaves the network. */
export function useSelection(model: RowModel, points: ReadonlyMap<string, ViewPoint>, pointsVersion: number) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const onSelect = useCallback((ids: string[], mode: 'toggle' | 'replace' | 'add') => {
    setSelected((prev) => {
      const next = new Set(mode === 'replace' ? [] : prev);
      if (mode === 'toggle') {
        const allIn = ids.every((id) => next.has(id));
        for (const id of ids) {
          if (allIn) next.delete(id);
          else next.add(id);
        }
      } else for (const id of ids) next.add(id);
      return next;
    });
  }, []);
  const onSelectRange = useCallback(
    (fromKey: string, toKey: string) => {
      const a = model.indexOf(fromKey);
      const b = model.indexOf(toKey);
      if (a < 0 || b < 0) return;
      const ids: string[] = [];
      for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
        const r = model.rows[i];
        if (r.kind === 'point') ids.push(r.key);
      }
      onSelect(ids, 'add');
    },
    [model, onSelect],
  );
  const clearSelection = useCallback(() => setSelected(new Set()), []);
  const selectAll = useCallback(() => setSelected(new Set(model.matchedIds)), [model]);

  /** The ids the filter shows (only while something is selected): selected points outside it are "hidden". */
  const anySelected = selected.size > 0;
  const matchedSet = useMemo(() => (anySelected ? new Set(model.matchedIds) : null), [model, anySelected]);
  let hiddenSelected = 0;
  if (matchedSet) for (const id of selected) if (!matchedSet.has(id)) hiddenSelected++;
  // Points that left the network are dropped from the selection.
  useEffect(() => {
    if (selected.size === 0) return;
    let gone = false;
    for (const id of selected) if (!points.has(id)) gone = true;
    if (gone) setSelected((prev) => new Set([...prev].filter((id) => points.has(id))));
  }, [pointsVersion, points, selected]);

  /** How many sites the selection spans (the selection bar says so for two points or more). */
  const selectedSites = useMemo(() => {
    if (selected.size < 2) return selected.size;
    const sites = new Set<string>();
    for (const id of selected) {
      const p = points.get(id);
      if (p) sites.add(p.siteId);
    }
    return sites.size;
  }, [selected, points]);

  return { selected, matchedSet, hiddenSelected, selectedSites, onSelect, onSelectRange, clearSelection, selectAll };
}
