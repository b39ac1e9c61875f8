// The grid's virtualiser (TanStack Virtual): row heights by kind, rows keyed by row key, and the focused row always
// kept rendered.
import { useCallback, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RowModel } from '../../model/rows.js';
import { HEADER_H, POINT_ROW_H, SITE_ROW_H } from './gridColumns.js';

export function useGridVirtualizer(
  model: RowModel,
  focusIndex: number,
  gridRef: React.RefObject<HTMLDivElement | null>,
) {
  const rows = model.rows;
  // Keyed on the layout, not the rows: a live update that moves no row keeps the virtualizer's measurements
  // (recomputing them walks every row).
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const layout = model.layout;
  const estimateSize = useCallback(
    (i: number) => (rowsRef.current[i]?.kind === 'site' ? SITE_ROW_H : POINT_ROW_H),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [layout],
  );
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const getItemKey = useCallback((i: number) => rowsRef.current[i]?.key ?? i, [layout]);
  const rangeExtractor = useCallback(
    (range: { startIndex: number; endIndex: number; overscan: number; count: number }) => {
      const start = Math.max(0, range.startIndex - range.overscan);
      const end = Math.min(range.count - 1, range.endIndex + range.overscan);
      const out: number[] = [];
      for (let i = start; i <= end; i++) out.push(i);
      // The focused row stays in the DOM even when scrolled away, so aria-activedescendant always points somewhere.
      if (focusIndex >= 0 && (focusIndex < start || focusIndex > end)) {
        out.push(focusIndex);
        out.sort((a, b) => a - b);
      }
      return out;
    },
    [focusIndex],
  );

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => gridRef.current,
    estimateSize,
    getItemKey,
    rangeExtractor,
    overscan: 8,
    paddingStart: HEADER_H,
  });
  return virtualizer;
}
