// Settings: one schema (common/consoleApi.ts), kept by electron-store in the shell and by `conf` (which
// electron-store is built on) in the web host. Neither is a database: settings only.
import Conf from 'conf';
import { z } from 'zod';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../../common/consoleApi.js';

export interface SettingsStore {
  get(): Settings;
  set(patch: Partial<Settings>): Settings;
}

/**
 * The settings' JSON schema for conf/electron-store, which check every write with it (ajv, JSON Schema draft 7):
 * derived from the zod schema, one property each.
 */
export const SETTINGS_JSON_SCHEMA = z.toJSONSchema(settingsSchema, { target: 'draft-7' }).properties as Record<
  keyof Settings,
  Record<string, unknown>
>;

/** Any key/value store with conf's get/set shape (conf, electron-store). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

export function settingsFrom(store: KeyValueStore): SettingsStore {
  const read = (): Settings => {
    const raw = Object.fromEntries(Object.keys(DEFAULT_SETTINGS).map((key) => [key, store.get(key)]));
    const parsed = settingsSchema.safeParse({
      ...DEFAULT_SETTINGS,
      ...Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
    });
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
  };
  return {
    get: read,
    set(patch) {
      const next = settingsSchema.parse({ ...read(), ...patch });
      for (const key of Object.keys(patch)) store.set(key, next[key as keyof Settings]);
      return next;
    },
  };
}

/** Settings for the plain-Node web host, in DIR/settings.json. */
export function confSettings(dataDir: string): SettingsStore {
  const conf = new Conf<Record<string, unknown>>({
    cwd: dataDir,
    configName: 'settings',
    projectName: 'voltboard',
    schema: SETTINGS_JSON_SCHEMA as never,
    defaults: { ...DEFAULT_SETTINGS },
  });
  return settingsFrom(conf);
}
