// The desktop shell's hardening that cannot run here (no Electron binary): the fuses electron-builder flips into
// every package, read through electron-builder's own configuration loader and schema; and the decision whether the
// session token may be stored with safeStorage (never under Linux's basic_text backend).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';
import { REQUIRED_FUSES } from '../../electron/shell/fuses.js';
import { secretStorageDecision } from '../../electron/shell/secretStorage.js';
import { projectRoot } from '../../electron/host/rendererBuild.js';

// electron-builder's own loader and schema validation (app-builder-lib is the package electron-builder runs).
const require = createRequire(import.meta.url);
const builderConfig = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(
    projectDir: string,
    configPath: string | null,
    configFromOptions: unknown,
  ): Promise<Record<string, unknown>>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger, log: builderLog } = require('builder-util') as {
  DebugLogger: new (enabled: boolean) => unknown;
  log: { stream: { write(chunk: string): boolean } };
};
// electron-builder's logger writes "• loaded configuration …" to stdout in pieces, and the test runner reads stdout
// as its own channel: pieces landing mid-message broke a run ("Unable to deserialize cloned data"). They go nowhere.
builderLog.stream = { write: () => true };

describe('electron fuses in electron-builder.yml', () => {
  test('electron-builder loads and accepts the configuration, with every required fuse set', async () => {
    const config = await builderConfig.getConfig(projectRoot, path.join(projectRoot, 'electron-builder.yml'), null);
    await builderConfig.validateConfiguration(config, new DebugLogger(false));
    const fuses = config.electronFuses as Record<string, boolean> | undefined;
    assert.ok(fuses, 'electronFuses is configured');
    for (const [fuse, value] of Object.entries(REQUIRED_FUSES)) assert.equal(fuses[fuse], value, fuse);
    // onlyLoadAppFromAsar needs the app packed in an asar (electron-builder's default): it must not be switched off.
    assert.notEqual(config.asar, false);
  });

  test('a misspelt fuse is refused by electron-builder (the check above has teeth)', async () => {
    const config = await builderConfig.getConfig(projectRoot, path.join(projectRoot, 'electron-builder.yml'), null);
    await assert.rejects(
      builderConfig.validateConfiguration({ ...config, electronFuses: { runAsNod: false } }, new DebugLogger(false)),
      /electronFuses/,
    );
  });
});

describe('safeStorage: where the session token may be stored', () => {
  test('Linux with basic_text (no keyring): refused, and the reason says why', () => {
    const decision = secretStorageDecision({
      platform: 'linux',
      encryptionAvailable: true,
      linuxBackend: 'basic_text',
    });
    assert.equal(decision.store, false);
    if (!decision.store) {
      assert.match(decision.reason, /plain text/);
      assert.match(decision.reason, /basic_text/);
      assert.match(decision.reason, /sign in again/);
    }
  });

  test('Linux with a keyring: stored; an unknown backend (e.g. asked before ready): refused', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) {
      assert.deepEqual(
        secretStorageDecision({ platform: 'linux', encryptionAvailable: true, linuxBackend: backend }),
        { store: true },
        backend,
      );
    }
    assert.equal(
      secretStorageDecision({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'unknown' }).store,
      false,
    );
    assert.equal(
      secretStorageDecision({ platform: 'linux', encryptionAvailable: true, linuxBackend: null }).store,
      false,
    );
  });

  test('macOS and Windows: stored when encryption is available, refused when not', () => {
    assert.deepEqual(secretStorageDecision({ platform: 'darwin', encryptionAvailable: true, linuxBackend: null }), {
      store: true,
    });
    assert.deepEqual(secretStorageDecision({ platform: 'win32', encryptionAvailable: true, linuxBackend: null }), {
      store: true,
    });
    assert.equal(
      secretStorageDecision({ platform: 'win32', encryptionAvailable: false, linuxBackend: null }).store,
      false,
    );
  });
});
