// Slows down password guessing: failed sign-ins are counted per username and per client address; past a few
// failures each key is locked for a while that doubles with every further failure (capped). A locked key is
// answered 429 `rateLimited` without even checking the password, whatever the password is, so the answer says
// nothing about which part was wrong. A good sign-in clears its username's count.
//
// Attempts are counted BEFORE the (slow, asynchronous) password check: `attempt()` checks the lock and counts the
// attempt as a failure in one synchronous step, and a good password gives its slot back. Checking the lock first
// and counting after the check let 100 parallel guesses all pass the check while none had been counted yet (67
// passwords checked in one go, the right one among them); now at most `perUser` checks of one name can be running.

import type { LoginCounts, LoginEntry } from './store/loginFailures.js';

export interface LoginLimits {
  /** Failures of one username allowed before it is slowed down. Default 5. */
  perUser: number;
  /** Failures from one address allowed before it is slowed down (several people may share one). Default 20. */
  perAddress: number;
  /** The first lock; it doubles with each further failure. Default 1 000 ms. */
  baseLockMs: number;
  /** The longest lock. Default 60 000 ms. */
  maxLockMs: number;
  /** Failures older than this are forgotten. Default 15 min. */
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perUser: 5,
  perAddress: 20,
  baseLockMs: 1000,
  maxLockMs: 60_000,
  windowMs: 15 * 60_000,
};

const MAX_KEYS = 10_000;

/** One instance: the counts in this process's memory, at most MAX_KEYS keys (the oldest forgotten first). */
export class MemoryLoginCounts implements LoginCounts {
  private readonly entries = new Map<string, LoginEntry>();

  atomically<T>(keys: string[], fn: (entries: Map<string, LoginEntry>) => T): T {
    const some = new Map<string, LoginEntry>();
    for (const key of keys) {
      const e = this.entries.get(key);
      if (e) some.set(key, e);
    }
    const result = fn(some);
    for (const key of keys) {
      const e = some.get(key);
      this.entries.delete(key);
      if (e) this.entries.set(key, e);
    }
    while (this.entries.size > MAX_KEYS) this.entries.delete(this.entries.keys().next().value!);
    return result;
  }
}

export class LoginLimiter {
  readonly limits: LoginLimits;

  constructor(
    limits: Partial<LoginLimits> = {},
    private readonly now: () => number = Date.now,
    /** Where the counts are kept: this process's memory, or the store shared by several instances. */
    private readonly counts: LoginCounts = new MemoryLoginCounts(),
  ) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
  }

  /** Milliseconds until this username and address may try again (0 = now). */
  retryAfterMs(username: string, address: string): number {
    return this.counts.atomically([userKey(username), addressKey(address)], (entries) =>
      this.waitOf(entries, username, address, this.now()),
    );
  }

  /**
   * Starts a sign-in attempt: either the milliseconds to wait (locked; nothing counted), or the attempt, already
   * counted as a failure, whose `succeeded()` gives the slot back after a good password.
   */
  attempt(username: string, address: string): { waitMs: number } | { waitMs: 0; succeeded(): void } {
    const waitMs = this.counts.atomically([userKey(username), addressKey(address)], (entries) => {
      const t = this.now();
      const wait = this.waitOf(entries, username, address, t);
      if (wait === 0) this.countFailure(entries, username, address, t);
      return wait;
    });
    if (waitMs > 0) return { waitMs };
    return {
      waitMs: 0,
      succeeded: () => {
        const addressAt = addressKey(address);
        this.counts.atomically([userKey(username), addressAt], (entries) => {
          entries.delete(userKey(username));
          const e = entries.get(addressAt);
          if (e) {
            e.failures = Math.max(0, e.failures - 1);
            if (e.failures < this.limits.perAddress) e.lockedUntil = 0;
          }
        });
      },
    };
  }

  failed(username: string, address: string): void {
    this.counts.atomically([userKey(username), addressKey(address)], (entries) =>
      this.countFailure(entries, username, address, this.now()),
    );
  }

  succeeded(username: string): void {
    this.counts.atomically([userKey(username)], (entries) => entries.delete(userKey(username)));
  }

  private waitOf(entries: Map<string, LoginEntry>, username: string, address: string, t: number): number {
    const wait = (key: string) => Math.max(0, (this.live(entries, key, t)?.lockedUntil ?? 0) - t);
    return Math.max(wait(userKey(username)), wait(addressKey(address)));
  }

  private countFailure(entries: Map<string, LoginEntry>, username: string, address: string, t: number): void {
    this.bump(entries, userKey(username), this.limits.perUser, t);
    this.bump(entries, addressKey(address), this.limits.perAddress, t);
  }

  private live(entries: Map<string, LoginEntry>, key: string, t: number): LoginEntry | null {
    const e = entries.get(key);
    if (!e) return null;
    if (t - e.lastFailure > this.limits.windowMs && t >= e.lockedUntil) {
      entries.delete(key);
      return null;
    }
    return e;
  }

  private bump(entries: Map<string, LoginEntry>, key: string, allowed: number, t: number): void {
    const e = this.live(entries, key, t) ?? { failures: 0, lastFailure: t, lockedUntil: 0 };
    e.failures++;
    e.lastFailure = t;
    if (e.failures >= allowed) {
      const lock = Math.min(this.limits.maxLockMs, this.limits.baseLockMs * 2 ** Math.min(30, e.failures - allowed));
      e.lockedUntil = t + lock;
    }
    entries.set(key, e);
  }
}

const userKey = (username: string) => `u:${username.toLowerCase()}`;
const addressKey = (address: string) => `a:${address}`;
