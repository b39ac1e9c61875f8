// When the store applies what arrived. A person's change (an operator status, an edit's progress, the connection's
// state) renders at the next animation frame; a stream of station reports alone renders at most every
// REPORT_RENDER_GAP_MS. Under 2,000 reports a second each render (React, style, layout, paint, layerize, commit)
// costs the same however few rows it changes, and the two cores it shares with the backend and the consoles are
// what delays a person's edit on the way to another console.
export type Scheduler = (flush: () => void, urgent: boolean) => void;

export const REPORT_RENDER_GAP_MS = 100;
/** Where frames do not run (hidden tabs), a timer applies changes anyway. */
const NO_FRAME_FALLBACK_MS = 250;

export interface SchedulerClock {
  requestFrame: ((run: () => void) => void) | null;
  now: () => number;
  setTimer: (run: () => void, ms: number) => unknown;
  clearTimer: (timer: unknown) => void;
}

const browserClock = (): SchedulerClock => ({
  requestFrame: typeof requestAnimationFrame === 'function' ? (run) => void requestAnimationFrame(run) : null,
  now: () => performance.now(),
  setTimer: (run, ms) => setTimeout(run, ms),
  clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
});

/** One store's scheduler: at most one flush pending; an urgent request cuts a paced wait short. */
export function pacedFrameScheduler(gapMs = REPORT_RENDER_GAP_MS, clock: SchedulerClock = browserClock()): Scheduler {
  let lastRunAt = Number.NEGATIVE_INFINITY;
  let pacedTimer: unknown = null;
  let framePending = false;
  let pendingFlush: (() => void) | null = null;

  const atNextFrame = () => {
    if (framePending) return;
    framePending = true;
    let done = false;
    let fallback: unknown = null;
    const run = () => {
      if (done) return;
      done = true;
      clock.clearTimer(fallback);
      framePending = false;
      const flush = pendingFlush;
      pendingFlush = null;
      if (!flush) return;
      lastRunAt = clock.now();
      flush();
    };
    clock.requestFrame?.(run);
    fallback = clock.setTimer(run, NO_FRAME_FALLBACK_MS);
  };

  return (flush, urgent) => {
    pendingFlush = flush;
    if (framePending) return;
    const wait = urgent ? 0 : lastRunAt + gapMs - clock.now();
    if (wait > 0) {
      if (pacedTimer === null)
        pacedTimer = clock.setTimer(() => {
          pacedTimer = null;
          atNextFrame();
        }, wait);
      return;
    }
    if (pacedTimer !== null) clock.clearTimer(pacedTimer);
    pacedTimer = null;
    atNextFrame();
  };
}
