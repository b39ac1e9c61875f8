// The consoles' maintenance-window requests, answered from the scheduler, and the pushes that tell every console
// when windows change.
import type { Server } from 'socket.io';
import type { Ack, SessionInfo } from '../../common/protocol.js';
import { CONSOLE_EVENTS } from '../../common/protocol.js';
import { PAST_WINDOWS_MS, type Windows } from '../../common/windows.js';
import type { Clock } from '../../common/clock.js';
import { MaintenanceScheduler, WindowError } from '../schedule/maintenance.js';
import type { Store } from '../store/index.js';
import { CONSOLES_ROOM } from './broadcaster.js';
import type { WindowRequests } from './gateway.js';
import { fail } from './validation.js';

export function windowRequests(store: Store, scheduler: MaintenanceScheduler, clock: Clock): WindowRequests {
  const answer = <T>(fn: () => T): Ack<T> => {
    try {
      return { ok: true, data: fn() };
    } catch (error) {
      if (error instanceof WindowError) return fail(error.code, error.message);
      throw error;
    }
  };
  const planner = (s: SessionInfo) => ({ username: s.username, role: s.role });
  return {
    list: () => answer(() => allWindows(store, clock)),
    plan: (req, session) => answer(() => scheduler.plan(req, planner(session))),
    change: (req, session) => answer(() => scheduler.change(req, planner(session))),
    cancel: (req, session) => answer(() => scheduler.cancel(req, planner(session))),
  };
}

export function allWindows(store: Store, clock: Clock): Windows {
  const since = new Date(clock.now() - PAST_WINDOWS_MS).toISOString();
  return { networkId: store.networkId, full: true, windows: store.windows.current(since) };
}

/** Sends every console the windows changed since the last push (each once, as it is now), at most every 250 ms. */
export class WindowsFanout {
  private lastSeq: number;
  private timer: NodeJS.Timeout | null = null;

  /** Windows changed: tell the consoles soon (changes that follow within 250 ms go in the same message). */
  changed(): void {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flush();
    }, 250);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  constructor(
    private readonly io: Server,
    private readonly store: Store,
  ) {
    this.lastSeq = store.seq;
  }

  flush(): void {
    const windows = this.store.windows.changedSince(this.lastSeq);
    this.lastSeq = this.store.seq;
    if (windows.length === 0) return;
    const message: Windows = { networkId: this.store.networkId, full: false, windows };
    this.io.to(CONSOLES_ROOM).emit(CONSOLE_EVENTS.windows, message);
  }
}
