// The Electron fuses every packaged build must carry (electron-builder.yml `electronFuses`, flipped by electron-builder
// before signing). A unit test loads the builder's own configuration and compares it with this list.
// - runAsNode off: ELECTRON_RUN_AS_NODE cannot turn the signed app into a plain Node interpreter.
// - enableNodeOptionsEnvironmentVariable off: NODE_OPTIONS (e.g. --require of any file) is ignored; so is
//   NODE_EXTRA_CA_CERTS in the packaged app (see docs/security.md).
// - enableNodeCliInspectArguments off: no --inspect / SIGUSR1 debugger into the main process.
// - onlyLoadAppFromAsar on, enableEmbeddedAsarIntegrityValidation on: only the signed, hashed app.asar is loaded.
// - enableCookieEncryption on: Chromium's cookie store is encrypted with the OS key.
export const REQUIRED_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  onlyLoadAppFromAsar: true,
  enableEmbeddedAsarIntegrityValidation: true,
  enableCookieEncryption: true,
} as const;
