// The consoles' maintenance-window requests, answered from the scheduler.
import type { SessionInfo } from '../../common/protocol.js';
import { PAST_WINDOWS_MS, type Windows } from '../../common/windows.js';
import type { Clock } from '../../common/clock.js';
import { MaintenanceScheduler, WindowError } from '../schedule/maintenance.js';
import type { Store } from '../store/index.js';
import type { WindowRequests } from './gateway.js';
import { answer } from './answer.js';

const refused = (error: unknown): error is WindowError => error instanceof WindowError;

export function windowRequests(store: Store, scheduler: MaintenanceScheduler, clock: Clock): WindowRequests {
  const planner = (s: SessionInfo) => ({ username: s.username, role: s.role });
  return {
    list: () => answer(() => allWindows(store, clock), refused),
    plan: (req, session) => answer(() => scheduler.plan(req, planner(session)), refused),
    change: (req, session) => answer(() => scheduler.change(req, planner(session)), refused),
    cancel: (req, session) => answer(() => scheduler.cancel(req, planner(session)), refused),
  };
}

export function allWindows(store: Store, clock: Clock): Windows {
  const since = new Date(clock.now() - PAST_WINDOWS_MS).toISOString();
  return { networkId: store.networkId, full: true, windows: store.windows.current(since) };
}
