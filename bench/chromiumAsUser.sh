#!/bin/sh
# Chromium as it runs on an operator's desktop, for the scale benchmarks (bench/desktopChromium.ts). Launched by
# root (this sandbox, CI), Chromium raises its display threads (browser, GPU and compositor threads) to nice -8, ahead
# of every other program; a desktop user's Chromium or Electron cannot (no CAP_SYS_NICE, RLIMIT_NICE 0), so they run
# at the same priority as everything else. This drops that capability before Chromium starts.
exec setpriv --bounding-set -sys_nice --inh-caps -sys_nice -- "${CHROMIUM_PATH:-/usr/bin/chromium}" "$@"
