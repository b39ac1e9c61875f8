// The consoles' maintenance-window requests, answered from the scheduler. A refusal for an overlap carries the other
// window's facts beside its message (ErrorReply.overlap).
import type { Ack, SessionInfo } from '../../common/protocol.js';
import { PAST_WINDOWS_MS, type Windows } from '../../common/windows.js';
import type { Clock } from '../../common/clock.js';
import { MaintenanceScheduler, WindowError } from '../schedule/maintenance.js';
import type { Store } from '../store/index.js';
import type { WindowRequests } from './gateway.js';
import { answer } from './answer.js';

const refused = (error: unknown): error is WindowError => error instanceof WindowError;

function answerWindow<T>(fn: () => T): Ack<T> {
  try {
    return { ok: true, data: fn() };
  } catch (error) {
    if (!refused(error)) throw error;
    const { code, message, overlap } = error;
    return { ok: false, error: overlap ? { code, message, overlap } : { code, message } };
  }
}

export function windowRequests(store: Store, scheduler: MaintenanceScheduler, clock: Clock): WindowRequests {
  const planner = (s: SessionInfo) => ({ username: s.username, role: s.role });
  return {
    list: () => answer(() => allWindows(store, clock), refused),
    plan: (req, session) => answerWindow(() => scheduler.plan(req, planner(session))),
    change: (req, session) => answerWindow(() => scheduler.change(req, planner(session))),
    cancel: (req, session) => answerWindow(() => scheduler.cancel(req, planner(session))),
  };
}

export function allWindows(store: Store, clock: Clock): Windows {
  const since = new Date(clock.now() - PAST_WINDOWS_MS).toISOString();
  return { networkId: store.networkId, full: true, windows: store.windows.current(since) };
}
