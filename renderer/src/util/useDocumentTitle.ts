import { useEffect, useRef } from 'react';

const MIN_INTERVAL_MS = 1000;

/**
 * Sets the window title, at most once a second: under a stream of live changes the counts in it change many
 * times a second, and each title change is work for the browser (or the desktop shell) that no one can read.
 */
export function useDocumentTitle(title: string): void {
  const wanted = useRef(title);
  const lastSetAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  wanted.current = title;
  useEffect(() => {
    const apply = () => {
      timer.current = null;
      lastSetAt.current = Date.now();
      if (document.title !== wanted.current) document.title = wanted.current;
    };
    if (timer.current) return;
    const wait = lastSetAt.current + MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) apply();
    else timer.current = setTimeout(apply, wait);
  }, [title]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
}
