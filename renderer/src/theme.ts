// The colour theme: which one applies and how it is remembered. No React here: the boot chunk uses it.
export type ThemeChoice = 'light' | 'dark' | 'system';

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): 'light' | 'dark' {
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
}

export function applyTheme(theme: 'light' | 'dark'): void {
  document.documentElement.dataset.theme = theme;
}

const STORAGE_KEY = 'voltboard.theme';

/** A local copy of the remembered theme, so the first paint is already right (settings arrive a moment later). */
export function cacheTheme(choice: ThemeChoice): void {
  try {
    localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    /* storage may be unavailable */
  }
}

export function rememberedTheme(): ThemeChoice {
  try {
    return (localStorage.getItem(STORAGE_KEY) as ThemeChoice | null) ?? 'system';
  } catch {
    return 'system';
  }
}

/** Applies the theme remembered on this machine before anything else paints. */
export function applyRememberedTheme(): void {
  const systemDark = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)').matches : true;
  applyTheme(resolveTheme(rememberedTheme(), systemDark));
}
