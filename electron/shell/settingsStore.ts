// The desktop's settings in electron-store (same schema as the web host's), and the session token kept
// encrypted with safeStorage.
import { safeStorage } from 'electron';
import Store from 'electron-store';
import { DEFAULT_SETTINGS } from '../../common/consoleApi.js';
import type { TokenStore } from '../core/consoleCore.js';
import { SETTINGS_JSON_SCHEMA, settingsFrom, type SettingsStore } from '../core/settings.js';
import type { WindowBounds } from './policy.js';

const store = new Store<Record<string, unknown>>({
  name: 'settings',
  schema: {
    ...SETTINGS_JSON_SCHEMA,
    window: { type: 'object', properties: { width: { type: 'number' }, height: { type: 'number' }, x: { type: 'number' }, y: { type: 'number' } } },
    sessionToken: { type: 'string' },
  } as never,
  defaults: { ...DEFAULT_SETTINGS, window: { width: 1400, height: 900 } },
});

export const desktopSettings: SettingsStore = settingsFrom(store);

export const windowBounds = {
  get: () => store.get('window') as WindowBounds,
  set: (bounds: WindowBounds) => store.set('window', bounds),
};

export const safeTokenStore: TokenStore = {
  load() {
    const saved = store.get('sessionToken') as string | undefined;
    if (!saved || !safeStorage.isEncryptionAvailable()) return null;
    try {
      return safeStorage.decryptString(Buffer.from(saved, 'base64'));
    } catch {
      return null;
    }
  },
  save(token) {
    if (!token || !safeStorage.isEncryptionAvailable()) store.delete('sessionToken');
    else store.set('sessionToken', safeStorage.encryptString(token).toString('base64'));
  },
};
