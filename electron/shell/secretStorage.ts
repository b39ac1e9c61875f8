// Whether the session token may be kept on disk with Electron's safeStorage. Pure (no electron import), so the
// decision is unit-tested where Electron cannot run; settingsStore.ts feeds it what safeStorage reports.
//
// On Linux, safeStorage encrypts with a key from the desktop's secret store (gnome-libsecret, kwallet). Without one
// it falls back to the `basic_text` backend: a fixed, public key, so the "encrypted" token is as good as plain text
// to anyone who can read the settings file. Then the token is not stored at all: it lives in memory for this run,
// and the person signs in again after a restart. Before the app is ready the backend reads `unknown`: refused too.

export type SecretStorageDecision = { store: true } | { store: false; reason: string };

export interface SecretStorageFacts {
  platform: NodeJS.Platform;
  /** safeStorage.isEncryptionAvailable() */
  encryptionAvailable: boolean;
  /** safeStorage.getSelectedStorageBackend() on Linux (null elsewhere, where it does not exist). */
  linuxBackend: string | null;
}

/** Linux backends that encrypt with a key kept by the desktop's secret store. */
const LINUX_KEYRING_BACKENDS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export function secretStorageDecision(facts: SecretStorageFacts): SecretStorageDecision {
  if (!facts.encryptionAvailable) {
    return {
      store: false,
      reason:
        'This system offers no encryption for stored secrets: the session is kept in memory only, and you will sign in again at the next start.',
    };
  }
  if (facts.platform === 'linux' && !LINUX_KEYRING_BACKENDS.has(facts.linuxBackend ?? 'unknown')) {
    return {
      store: false,
      reason:
        facts.linuxBackend === 'basic_text'
          ? 'No secret store (GNOME Keyring / libsecret or KWallet) is available to this session: Electron would keep the session token in effectively plain text ("basic_text"), so it is not stored. The session is kept in memory only; you will sign in again at the next start.'
          : `The secret store in use could not be confirmed ("${facts.linuxBackend ?? 'unknown'}"): the session token is not stored. The session is kept in memory only; you will sign in again at the next start.`,
    };
  }
  return { store: true };
}
