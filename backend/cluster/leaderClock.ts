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
  private readonly armed = new Set<HeldTimer>();

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

  /**
   * This instance no longer leads (its store connection, and with it the leader's lock, is gone): every timer waits
   * again, keeping its due time, so nothing once-only runs here while another instance leads.
   */
  follow(): void {
    if (!this.leading) return;
    this.leading = false;
    for (const t of [...this.armed]) {
      this.armed.delete(t);
      t.live?.cancel();
      t.live = null;
      if (t.intervalMs !== null && t.at <= this.clock.now()) t.at = this.clock.now() + t.intervalMs;
      this.held.add(t);
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
        this.armed.delete(t);
      },
    };
  }

  private arm(t: HeldTimer): void {
    if (t.cancelled) return;
    this.armed.add(t);
    const wait = Math.max(0, t.at - this.clock.now());
    if (t.intervalMs === null) {
      t.live = this.clock.after(wait, () => {
        this.armed.delete(t);
        t.fn();
      });
      return;
    }
    const interval = t.intervalMs;
    t.live = this.clock.after(wait, () => {
      if (t.cancelled) return;
      t.at = this.clock.now() + interval;
      t.live = this.clock.every(interval, () => {
        t.at = this.clock.now() + interval;
        t.fn();
      });
      t.fn();
    });
  }
}
