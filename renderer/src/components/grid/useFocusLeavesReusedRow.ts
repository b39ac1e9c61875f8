import { useLayoutEffect, useRef } from 'react';

/**
 * Rows are keyed by position, so a row element can come to show another point or site. A control in it that had
 * the browser's focus (a clicked checkbox or button) would then act on that other one: focus goes back to the grid.
 */
export function useFocusLeavesReusedRow(identity: string) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = useRef(identity);
  useLayoutEffect(() => {
    if (shown.current === identity) return;
    shown.current = identity;
    const row = ref.current;
    const active = document.activeElement;
    if (row && active instanceof HTMLElement && active !== row && row.contains(active))
      row.closest<HTMLElement>('[role="grid"]')?.focus();
  }, [identity]);
  return ref;
}
