// The Chromium of the scale benchmarks: the tests' Chromium and flags. VB_BENCH_CHROMIUM_AS_USER=1 (an experiment,
// when run as root) launches it without the right to raise its own threads' priority (bench/chromiumAsUser.sh says
// why that differs by platform).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions } from '../tests/support/chromium.js';

const AS_USER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'chromiumAsUser.sh');

export function benchChromiumLaunchOptions(): typeof chromiumLaunchOptions {
  const asUser = process.env.VB_BENCH_CHROMIUM_AS_USER === '1';
  if (!asUser || process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv')) return chromiumLaunchOptions;
  return { ...chromiumLaunchOptions, executablePath: AS_USER };
}
