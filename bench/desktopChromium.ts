// The Chromium of the scale benchmarks: the tests' Chromium and flags, without the root-only right to raise its own
// threads' priority (bench/chromiumAsUser.sh says why). Elsewhere (not root, or no setpriv) the tests' launch as is.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions } from '../tests/support/chromium.js';

const AS_USER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'chromiumAsUser.sh');

export function desktopChromiumLaunchOptions(): typeof chromiumLaunchOptions {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv')) return chromiumLaunchOptions;
  return { ...chromiumLaunchOptions, executablePath: AS_USER };
}
