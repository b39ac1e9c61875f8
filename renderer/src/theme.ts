import { useEffect, useState } from 'react';

export type ThemeChoice = 'light' | 'dark' | 'system';

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): 'light' | 'dark' {
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
}

export function applyTheme(theme: 'light' | 'dark'): void {
  document.documentElement.dataset.theme = theme;
}

/** A local copy of the remembered theme, so the first paint is already right (settings arrive a moment later). */
export function cacheTheme(choice: ThemeChoice): void {
  try {
    localStorage.setItem('voltboard.theme', choice);
  } catch {
    /* storage may be unavailable */
  }
}

export function useSystemDark(): boolean {
  const q = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  const [dark, setDark] = useState(() => q?.matches ?? true);
  useEffect(() => {
    if (!q) return;
    const on = () => setDark(q.matches);
    q.addEventListener('change', on);
    return () => q.removeEventListener('change', on);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return dark;
}
