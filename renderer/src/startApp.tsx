import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api/index.js';
import { App } from './App.js';
import { ConsoleStore } from './store/store.js';
import { AppContext } from './store/useStore.js';
import './styles/base.css';
import './styles/controls.css';

// The app, loaded by the boot chunk (main.tsx), which has applied the remembered theme and may have opened the
// web host's socket already (api/index.ts takes it over).
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
