// The clock of work that runs once across the cluster (maintenance windows, until-reverts, alert hold-offs, OCPI
// pushes): on the leader its timers run as on the real clock; on another instance they wait, due times kept, and
// start when (if ever) this instance becomes the leader. The work's code stays as it is with one instance.
import type { Clock, TimerHandle } from '../../common/clock.js';

interface HeldTimer {
  at: number;
  intervalMs: number | null;
  fn: () => void;
  live: TimerHandle | null;
  cancelled: boolean;
}

export class LeaderClock implements Clock {
  private leading = false;
  private readonly held = new Set<HeldTimer>();

  constructor(private readonly clock: Clock) {}

  get isLeading(): boolean {
    return this.leading;
  }

  now(): number {
    return this.clock.now();
  }

  after(ms: number, fn: () => void): TimerHandle {
    return this.add({ at: this.clock.now() + ms, intervalMs: null, fn, live: null, cancelled: false });
  }

  every(ms: number, fn: () => void): TimerHandle {
    return this.add({ at: this.clock.now() + ms, intervalMs: Math.max(1, ms), fn, live: null, cancelled: false });
  }

  /** This instance leads from now on: every waiting timer starts, at its own due time (at once if it has passed). */
  lead(): void {
    if (this.leading) return;
    this.leading = true;
    for (const t of [...this.held]) {
      this.held.delete(t);
      this.arm(t);
    }
  }

  /** Timers waiting for leadership (for tests and diagnostics). */
  get waiting(): number {
    return this.held.size;
  }

  private add(t: HeldTimer): TimerHandle {
    if (this.leading) this.arm(t);
    else this.held.add(t);
    return {
      cancel: () => {
        t.cancelled = true;
        t.live?.cancel();
        this.held.delete(t);
      },
    };
  }

  private arm(t: HeldTimer): void {
    if (t.cancelled) return;
    const wait = Math.max(0, t.at - this.clock.now());
    if (t.intervalMs === null) {
      t.live = this.clock.after(wait, t.fn);
      return;
    }
    const interval = t.intervalMs;
    t.live = this.clock.after(wait, () => {
      if (t.cancelled) return;
      t.live = this.clock.every(interval, t.fn);
      t.fn();
    });
  }
}
