import { useEffect, useState } from 'react';

/** Whether the system prefers a dark theme, following changes. The query is made once: App renders on every live batch. */
export function useSystemDark(): boolean {
  const [query] = useState(() =>
    typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null,
  );
  const [dark, setDark] = useState(() => query?.matches ?? true);
  useEffect(() => {
    if (!query) return;
    const on = () => setDark(query.matches);
    query.addEventListener('change', on);
    return () => query.removeEventListener('change', on);
  }, [query]);
  return dark;
}
