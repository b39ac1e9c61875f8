// Whether a point's station is heard from: the backend's liveness, or without its word the point's connected flag.
import type { StationLiveness, ViewPoint } from '../../../common/consoleApi.js';
import type { LivenessState } from '../../../common/status.js';

export interface Connectivity {
  kind: LivenessState;
  /** Since when in that state (ISO, this computer's clock); null when not known. */
  since: string | null;
  /** When the station was last heard from; null if never. */
  lastHeardAt: string | null;
  /** 'backend': the backend's liveness; 'point': no word from it yet (e.g. the console started offline), so only
   *  the point's connected flag (never silent: silence is the backend's to say). */
  source: 'backend' | 'point';
}

/** Whether the station is heard from, as the backend says; without its word, whether the point says it is connected. */
export function connectivityOf(point: ViewPoint, live: StationLiveness | undefined | null): Connectivity {
  if (live) return { kind: live.state, since: live.since, lastHeardAt: live.lastHeardAt, source: 'backend' };
  if (!point.stationConnected)
    return { kind: 'offline', since: point.stationLastSeen, lastHeardAt: point.stationLastSeen, source: 'point' };
  return { kind: 'online', since: null, lastHeardAt: point.stationLastSeen, source: 'point' };
}
