// A flush scheduler for the store's unit tests (not a test file itself).

/** Runs flushes when told; records whether each request was urgent (a person's change) or could wait (reports). */
export function manualScheduler() {
  const queue: (() => void)[] = [];
  const urgency: boolean[] = [];
  return {
    schedule: (f: () => void, urgent: boolean) => {
      queue.push(f);
      urgency.push(urgent);
    },
    run() {
      for (const f of queue.splice(0)) f();
    },
    get pending() {
      return queue.length;
    },
    /** The urgency of every request since the last call. */
    takeUrgency() {
      return urgency.splice(0);
    },
  };
}
