// The desktop's settings in electron-store (same schema as the web host's), and the session token kept
// encrypted with safeStorage, only where safeStorage really encrypts (secretStorage.ts: not Linux's basic_text).
import { safeStorage } from 'electron';
import Store from 'electron-store';
import { DEFAULT_SETTINGS } from '../../common/consoleApi.js';
import type { TokenStore } from '../core/consoleCore.js';
import { SETTINGS_JSON_SCHEMA, settingsFrom, type SettingsStore } from '../core/settings.js';
import type { WindowBounds } from './policy.js';
import { secretStorageDecision } from './secretStorage.js';

const store = new Store<Record<string, unknown>>({
  name: 'settings',
  schema: {
    ...SETTINGS_JSON_SCHEMA,
    window: {
      type: 'object',
      properties: {
        width: { type: 'number' },
        height: { type: 'number' },
        x: { type: 'number' },
        y: { type: 'number' },
      },
    },
    sessionToken: { type: 'string' },
  } as never,
  defaults: { ...DEFAULT_SETTINGS, window: { width: 1400, height: 900 } },
});

export const desktopSettings: SettingsStore = settingsFrom(store);

export const windowBounds = {
  get: () => store.get('window') as WindowBounds,
  set: (bounds: WindowBounds) => store.set('window', bounds),
};

/** What safeStorage offers here, decided once the app is ready (secretStorage.ts). */
function storageDecision() {
  return secretStorageDecision({
    platform: process.platform,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
  });
}

let refusalSaid = false;
/** The token of this run when it may not be stored: kept in memory only. */
let inMemory: string | null = null;

export const safeTokenStore: TokenStore = {
  load() {
    const decision = storageDecision();
    if (!decision.store) {
      store.delete('sessionToken'); // one kept under a weaker backend earlier is not trusted either
      return inMemory;
    }
    const saved = store.get('sessionToken') as string | undefined;
    if (!saved) return null;
    try {
      return safeStorage.decryptString(Buffer.from(saved, 'base64'));
    } catch {
      return null;
    }
  },
  save(token) {
    const decision = storageDecision();
    if (!token || !decision.store) {
      store.delete('sessionToken');
      inMemory = token;
      if (token && !decision.store && !refusalSaid) {
        refusalSaid = true;
        console.warn(`Voltboard: the session token is not stored on disk. ${decision.reason}`);
      }
      return;
    }
    inMemory = null;
    store.set('sessionToken', safeStorage.encryptString(token).toString('base64'));
  },
};
