// The sandboxed preload: exposes only the typed console API, nothing of Node or Electron.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ConsoleApi, ConsoleEvent } from '../../common/consoleApi.js';
import { IPC_CALL, IPC_EVENT } from './policy.js';

type Listener = (payload: unknown) => void;
const listeners = new Map<ConsoleEvent, Set<Listener>>();

ipcRenderer.on(IPC_EVENT, (_event: IpcRendererEvent, message: { name: ConsoleEvent; payload: unknown }) => {
  for (const listener of listeners.get(message.name) ?? []) listener(message.payload);
});

const api: ConsoleApi = {
  async call(method, params) {
    const reply = (await ipcRenderer.invoke(IPC_CALL, { method, params })) as
      { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };
    if (reply.ok) return reply.data as never;
    throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  },
  on(event, listener) {
    const set = listeners.get(event) ?? new Set<Listener>();
    set.add(listener as Listener);
    listeners.set(event, set);
    return () => set.delete(listener as Listener);
  },
};

contextBridge.exposeInMainWorld('voltboard', api);
