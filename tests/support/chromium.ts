// The Chromium that browser tests and benchmarks launch: CHROMIUM_PATH, else Debian's chromium (scripts/test.mjs
// checks one is there before the end-to-end step), with the same flags everywhere. Each launch gets a fresh profile.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export const chromiumLaunchOptions = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };
