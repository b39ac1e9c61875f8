// Time for time-driven behaviour (liveness, delivery waits, schedules): injected, so that a test can run hours of
// schedule in milliseconds with a ManualClock instead of sleeping.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs fn once, ms from now. */
  after(ms: number, fn: () => void): TimerHandle;
  /** Runs fn every ms until cancelled. */
  every(ms: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    (t as { unref?: () => void }).unref?.();
    return { cancel: () => clearTimeout(t) };
  },
  every(ms, fn) {
    const t = setInterval(fn, Math.max(1, Math.min(ms, 2 ** 31 - 1)));
    (t as { unref?: () => void }).unref?.();
    return { cancel: () => clearInterval(t) };
  },
};

interface ManualTimer {
  at: number;
  order: number;
  fn: () => void;
  intervalMs: number | null;
  cancelled: boolean;
}

/** A clock that only moves when told: advance() runs every timer that falls due, in time order. */
export class ManualClock implements Clock {
  private timers: ManualTimer[] = [];
  private order = 0;

  constructor(private time = Date.parse('2026-01-05T08:00:00Z')) {}

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): TimerHandle {
    return this.add(ms, fn, null);
  }

  every(ms: number, fn: () => void): TimerHandle {
    return this.add(ms, fn, Math.max(1, ms));
  }

  /** Moves time forward by ms, running due timers at their own times (a timer may schedule others). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => !t.cancelled && t.at <= end)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.time = Math.max(this.time, due.at);
      if (due.intervalMs === null) due.cancelled = true;
      else due.at += due.intervalMs;
      due.fn();
    }
    this.timers = this.timers.filter((t) => !t.cancelled);
    this.time = end;
  }

  private add(ms: number, fn: () => void, intervalMs: number | null): TimerHandle {
    const timer: ManualTimer = {
      at: this.time + Math.max(0, ms),
      order: this.order++,
      fn,
      intervalMs,
      cancelled: false,
    };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }
}
