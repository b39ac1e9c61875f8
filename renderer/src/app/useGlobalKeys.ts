import { useEffect } from 'react';
import type { RefObject } from 'react';

/**
 * Keys that work anywhere while no dialog is open: / jumps to the filter (↓ there goes back to the grid), Esc closes
 * the side panel, and Ctrl+S never opens the browser's "save page" dialog.
 */
export function useGlobalKeys(
  dialogOpen: boolean,
  sideOpen: boolean,
  closeSide: () => void,
  filterRef: RefObject<HTMLInputElement | null>,
  gridRef: RefObject<HTMLDivElement | null>,
): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialogOpen) return;
      const t = e.target as HTMLElement | null;
      const typing = !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
      if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S')) {
        // Ctrl+S saves in the editor; elsewhere it must not open the browser's "save page" dialog.
        e.preventDefault();
      } else if (e.key === '/' && !typing) {
        e.preventDefault();
        filterRef.current?.focus();
        filterRef.current?.select();
      } else if (e.key === 'Escape' && sideOpen) {
        e.preventDefault();
        closeSide();
        gridRef.current?.focus({ preventScroll: true });
      } else if (e.key === 'ArrowDown' && t === filterRef.current) {
        e.preventDefault();
        gridRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialogOpen, sideOpen, closeSide, filterRef, gridRef]);
}
