import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api/index.js';
import { App } from './App.js';
import { ConsoleStore } from './store/store.js';
import { AppContext } from './store/useStore.js';
import { applyTheme, resolveTheme } from './theme.js';
import type { ThemeChoice } from './theme.js';
import './styles/app.css';

// First paint in the remembered theme (the settings API confirms it a moment later).
try {
  const cached = (localStorage.getItem('voltboard.theme') as ThemeChoice | null) ?? 'system';
  applyTheme(resolveTheme(cached, matchMedia('(prefers-color-scheme: dark)').matches));
} catch {
  applyTheme('dark');
}

const api = getApi();
const store = new ConsoleStore(api, api.transport);
store.start();

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(
  <StrictMode>
    <AppContext.Provider value={{ api, store }}>
      <App />
    </AppContext.Provider>
  </StrictMode>,
);
