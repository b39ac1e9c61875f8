// The leader's view of stations held by other instances: Online, Silent or Offline as the liveness monitor takes them
// from the store (where each instance records its connections and when it last heard each station), so alerts about
// stations run once, on the leader (docs/cluster.md).
import type { LivenessState } from '../../common/status.js';

export interface StationViews {
  isConnected(stationId: string): boolean;
  /** Every station's liveness as this instance sees it: its own, and those other instances hold. */
  livenessStates(): Map<string, LivenessState>;
}

export class StationConnections {
  private last: Map<string, LivenessState> | null = null;

  constructor(private readonly stations: StationViews) {}

  /** Forget what was seen: the next read only takes note (this instance just took the lead). */
  reset(): void {
    this.last = null;
  }

  /** Stations not connected here whose liveness changed since the last read. */
  changes(): [string, LivenessState][] {
    const now = this.stations.livenessStates();
    const before = this.last;
    this.last = now;
    if (!before) return [];
    const changed: [string, LivenessState][] = [];
    for (const [id, state] of now) {
      if (this.stations.isConnected(id) || (before.get(id) ?? 'offline') === state) continue;
      changed.push([id, state]);
    }
    return changed;
  }
}
