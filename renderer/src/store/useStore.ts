import { createContext, useContext, useSyncExternalStore } from 'react';
import type { HostApi } from '../api/index.js';
import type { ConsoleStore, StoreState } from './store.js';

export interface AppContextValue {
  api: HostApi;
  store: ConsoleStore;
}
export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const v = useContext(AppContext);
  if (!v) throw new Error('AppContext missing');
  return v;
}

export function useStoreState(): StoreState {
  const { store } = useApp();
  return useSyncExternalStore(store.subscribe, store.getState);
}
