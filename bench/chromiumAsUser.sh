#!/bin/sh
# Chromium without the right to raise its threads' priority (VB_BENCH_CHROMIUM_AS_USER=1, bench/desktopChromium.ts).
# Launched by root (this sandbox, CI), Chromium raises its display threads (browser, GPU and compositor threads) to
# nice -8, ahead of every other program, as it raises them on Windows and macOS for any user; a Linux desktop user's
# Chromium or Electron cannot (no CAP_SYS_NICE, RLIMIT_NICE 0). This drops that capability before Chromium starts.
exec setpriv --bounding-set -sys_nice --inh-caps -sys_nice -- "${CHROMIUM_PATH:-/usr/bin/chromium}" "$@"
