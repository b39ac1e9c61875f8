import { useEffect, useState } from 'react';
import type { HostApi } from '../api/index.js';
import type { ThemeChoice } from '../components/Banner.js';
import { applyTheme, cacheTheme, rememberedTheme, resolveTheme } from '../theme.js';
import { useSystemDark } from '../util/useSystemDark.js';
import { errText, type Notify } from './useToasts.js';

/** The theme, remembered through the settings API (which also gives the sign-in screen its default user). */
export function useThemeSetting(api: HostApi, notify: Notify) {
  const [theme, setTheme] = useState<ThemeChoice>(rememberedTheme);
  const systemDark = useSystemDark();
  const resolvedTheme = resolveTheme(theme, systemDark);
  useEffect(() => applyTheme(resolvedTheme), [resolvedTheme]);
  const [defaultUser, setDefaultUser] = useState<string | null>(null);
  useEffect(() => {
    api
      .call('getSettings', {})
      .then((s) => {
        setTheme(s.theme);
        cacheTheme(s.theme);
        setDefaultUser(s.username);
      })
      .catch(() => {});
  }, [api]);
  const toggleTheme = () => {
    const next: ThemeChoice = resolvedTheme === 'dark' ? 'light' : 'dark';
    setTheme(next);
    cacheTheme(next);
    api
      .call('updateSettings', { theme: next })
      .catch((e: unknown) => notify(`Could not save the theme: ${errText(e)}`, 'error'));
  };
  return { theme, resolvedTheme, defaultUser, toggleTheme };
}
