// The settings' JSON schema (what conf and electron-store check every write with) is derived from the zod schema:
// a real conf store on disk takes and refuses exactly what zod does.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import Conf from 'conf';
import { DEFAULT_SETTINGS, settingsSchema } from '../../common/consoleApi.js';
import { confSettings, SETTINGS_JSON_SCHEMA } from '../../electron/core/settings.js';
import { tempDir } from '../support/tempDir.js';

const dir = tempDir('settings-schema');
after(() => dir.remove());

const CASES: [key: keyof typeof DEFAULT_SETTINGS, value: unknown][] = [
  ['backendUrl', 'https://backend.example:8443'],
  ['backendUrl', null],
  ['backendUrl', 'not a url'],
  ['backendUrl', 42],
  ['username', 'ops.lead@example'],
  ['username', null],
  ['username', 'x'.repeat(100)],
  ['username', 'x'.repeat(101)],
  ['theme', 'dark'],
  ['theme', 'blue'],
  ['allowInsecureBackend', true],
  ['allowInsecureBackend', 'yes'],
];

test('the JSON schema has one property per setting of the zod schema', () => {
  assert.deepEqual(Object.keys(SETTINGS_JSON_SCHEMA).sort(), Object.keys(settingsSchema.shape).sort());
});

test('a conf store with the derived schema takes and refuses each value as zod does', () => {
  const conf = new Conf<Record<string, unknown>>({
    cwd: dir.path,
    configName: 'probe',
    projectName: 'voltboard',
    schema: SETTINGS_JSON_SCHEMA as never,
    defaults: { ...DEFAULT_SETTINGS },
  });
  const refusedKeys = new Set<string>();
  for (const [key, value] of CASES) {
    const zodTakes = settingsSchema.shape[key].safeParse(value).success;
    let confTakes = true;
    try {
      conf.set(key, value);
    } catch (error) {
      confTakes = false;
      assert.match((error as Error).message, /Config schema violation/);
    }
    assert.equal(
      confTakes,
      zodTakes,
      `${key} = ${JSON.stringify(value)}: conf ${confTakes ? 'took' : 'refused'} it, zod ${zodTakes ? 'takes' : 'refuses'} it`,
    );
    if (!zodTakes) refusedKeys.add(key);
  }
  assert.deepEqual(
    [...refusedKeys].sort(),
    Object.keys(settingsSchema.shape).sort(),
    'every setting has a value both refuse',
  );
});

test('settings written through the store are read back after reopening; a bad patch changes nothing', () => {
  const settings = confSettings(dir.path);
  settings.set({ backendUrl: 'https://backend.example', theme: 'dark' });
  assert.throws(() => settings.set({ theme: 'blue' as never }));
  assert.deepEqual(confSettings(dir.path).get(), {
    ...DEFAULT_SETTINGS,
    backendUrl: 'https://backend.example',
    theme: 'dark',
  });
});
