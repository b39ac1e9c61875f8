// The grid's keyboard: moving the focus (Shift extends the selection), collapsing sites, selecting, and opening the
// editor or the drawer. See the README's "Keyboard".
import type { KeyboardEvent } from 'react';
import type { GridRow } from '../../model/rows.js';
import type { GridProps } from './Grid.js';
import { HEADER_H, POINT_ROW_H } from './gridColumns.js';

export function useGridKeys(props: GridProps, focusIndex: number): (e: KeyboardEvent<HTMLDivElement>) => void {
  const { model, focusKey, gridRef } = props;
  const rows = model.rows;
  // Read when a key asks for it: reading the grid's height while rendering made the browser lay the page out at once,
  // in every render (under a live load the largest cost of a render in a profile of the page; docs/performance.md).
  const pageSize = () => Math.max(1, Math.floor(((gridRef.current?.clientHeight ?? 600) - HEADER_H) / POINT_ROW_H) - 1);

  const moveTo = (index: number, extend: boolean) => {
    if (rows.length === 0) return;
    const i = Math.max(0, Math.min(rows.length - 1, index));
    const key = rows[i].key;
    if (extend && focusKey) props.onSelectRange(focusKey, key);
    props.onFocusKey(key);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return; // keys inside a row's button etc.
    const cur = focusIndex >= 0 ? focusIndex : -1;
    const row: GridRow | undefined = cur >= 0 ? rows[cur] : undefined;
    const ctrl = e.ctrlKey || e.metaKey;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(cur + 1, e.shiftKey);
        break;
      case 'ArrowUp':
        moveTo(cur < 0 ? 0 : cur - 1, e.shiftKey);
        break;
      case 'PageDown':
        moveTo(cur + pageSize(), e.shiftKey);
        break;
      case 'PageUp':
        moveTo(cur - pageSize(), e.shiftKey);
        break;
      case 'Home':
        moveTo(0, e.shiftKey);
        break;
      case 'End':
        moveTo(rows.length - 1, e.shiftKey);
        break;
      case 'ArrowLeft':
        if (row?.kind === 'site') {
          if (!row.collapsed) props.onToggleCollapse(row.siteId);
        } else if (row?.kind === 'point' && props.grouped) {
          const siteKey = `site:${row.data.point.siteId}`;
          if (model.indexOf(siteKey) >= 0) props.onFocusKey(siteKey);
        } else handled = false;
        break;
      case 'ArrowRight':
        if (row?.kind === 'site' && row.collapsed) props.onToggleCollapse(row.siteId);
        else if (row?.kind === 'site') moveTo(cur + 1, false);
        else handled = false;
        break;
      case 'Enter':
        if (!row) moveTo(0, false);
        else if (row.kind === 'site') props.onToggleCollapse(row.siteId);
        else props.onOpenEditor(row.data.point.id);
        break;
      case ' ':
        if (row?.kind === 'point') props.onSelect([row.data.point.id], 'toggle');
        else if (row?.kind === 'site') {
          const ids = model.matchedBySite.get(row.siteId) ?? [];
          const allIn = ids.length > 0 && ids.every((id) => props.selected.has(id));
          props.onSelect(ids, allIn ? 'toggle' : 'add');
        }
        break;
      case 'i':
      case 'I':
        if (row?.kind === 'point' && !ctrl) props.onOpenDrawer(row.data.point.id);
        else handled = false;
        break;
      case 'a':
      case 'A':
        if (ctrl) props.onSelectAll();
        else handled = false;
        break;
      case 'Escape':
        if (props.selected.size > 0) props.onClearSelection();
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  return onKeyDown;
}
