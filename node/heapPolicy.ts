// How far the JS heap of a long-running console process may grow past its live data before V8 collects it.
import v8 from 'node:v8';

/**
 * The heap may grow this much (percent) over the live data before a full collection. V8's default factor goes up
 * to 4×: a console core holding ~45 MB of live data for a 50,000-point network, fed 2,000 changes a second, was
 * measured at 300 MB of heap and 440 MB RSS before a full GC ran; with 50 % it stays near 130 MB of heap and
 * 270 MB RSS, and collecting a heap that small costs little (see docs/architecture.md, "Large networks").
 */
const HEAP_GROWING_PERCENT = 50;

/**
 * Applies the growth limit to this process. It is read at every full collection, so it may be set after start
 * (Node and Electron's main process leave V8's flags unfrozen for v8.setFlagsFromString); call it once, early,
 * in a process that runs a console core.
 */
export function limitHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
