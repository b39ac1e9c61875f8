// What every part of the console's frame is handed: the host, the store and its state, the points with invalid data,
// the clock shared by the rows, and the toasts.
import type { HostApi } from '../api/index.js';
import type { ConsoleStore, StoreState } from '../store/store.js';
import type { Notify } from './useToasts.js';

export interface ConsoleFrame {
  api: HostApi;
  store: ConsoleStore;
  st: StoreState;
  invalid: ReadonlyMap<string, string>;
  nowMs: number;
  notify: Notify;
}
