import { useCallback, useLayoutEffect, useRef } from 'react';
import type { Virtualizer } from '@tanstack/react-virtual';
import type { RowModel } from '../../model/rows.js';
import { HEADER_H } from './gridColumns.js';

/**
 * Scroll anchoring: remembers the first visible row (call the returned function on scroll); when live changes move
 * it, scrolls so it stays put.
 */
export function useScrollAnchor(
  model: RowModel,
  virtualizer: Virtualizer<HTMLDivElement, Element>,
  gridRef: React.RefObject<HTMLDivElement | null>,
): () => void {
  const anchorRef = useRef<{ key: string; delta: number } | null>(null);
  const layout = model.layout;
  const recordAnchor = useCallback(() => {
    const el = gridRef.current;
    if (!el) return;
    const top = el.scrollTop;
    if (top <= 0) {
      anchorRef.current = null;
      return;
    }
    const items = virtualizer.getVirtualItems();
    const first = items.find((it) => it.end > top + HEADER_H);
    anchorRef.current = first ? { key: String(first.key), delta: first.start - top } : null;
  }, [virtualizer, gridRef]);

  useLayoutEffect(() => {
    const el = gridRef.current;
    const anchor = anchorRef.current;
    if (!el || !anchor) return;
    const idx = model.indexOf(anchor.key);
    if (idx < 0) return;
    const item = virtualizer.measurementsCache[idx];
    if (!item) return;
    const wanted = item.start - anchor.delta;
    if (Math.abs(wanted - el.scrollTop) >= 1) el.scrollTop = wanted;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layout]);
  return recordAnchor;
}
