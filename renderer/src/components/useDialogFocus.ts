// Focus handling for dialogs: move focus in on open, trap Tab inside, give focus back on close.
import { useEffect, useRef } from 'react';
import type { RefObject } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.offsetParent !== null || el === document.activeElement,
  );
}

/** Traps Tab within `ref` while mounted; focuses `initial` (or the first focusable) on mount; restores focus on unmount. */
export function useFocusTrap(
  ref: RefObject<HTMLElement | null>,
  opts: { initial?: () => HTMLElement | null; restoreTo?: () => HTMLElement | null } = {},
) {
  const optsRef = useRef(opts);
  optsRef.current = opts;
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const previous = document.activeElement as HTMLElement | null;
    const first = optsRef.current.initial?.() ?? focusableIn(root)[0] ?? root;
    first.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') return;
      const els = focusableIn(root);
      if (els.length === 0) {
        e.preventDefault();
        return;
      }
      const firstEl = els[0];
      const lastEl = els[els.length - 1];
      const active = document.activeElement as HTMLElement | null;
      if (e.shiftKey && (active === firstEl || !root.contains(active))) {
        e.preventDefault();
        lastEl.focus();
      } else if (!e.shiftKey && (active === lastEl || !root.contains(active))) {
        e.preventDefault();
        firstEl.focus();
      }
    };
    const onFocusIn = (e: FocusEvent) => {
      if (!root.contains(e.target as Node)) {
        const els = focusableIn(root);
        (els[0] ?? root).focus();
      }
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocusIn);
      const back = optsRef.current.restoreTo?.() ?? previous;
      if (back && document.contains(back)) back.focus({ preventScroll: true });
    };
  }, [ref]);
}
