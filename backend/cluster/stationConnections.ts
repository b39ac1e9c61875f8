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
  /** What the alert rules here were last told of each station: by this instance's own liveness, or by a read. */
  private readonly told = new Map<string, LivenessState>();

  constructor(private readonly stations: StationViews) {}

  /** This instance's liveness told the rules of a station connected here (it may reconnect elsewhere at once). */
  toldLocally(stationId: string, state: LivenessState): void {
    this.told.set(stationId, state);
  }

  /**
   * Stations not connected here whose liveness differs from what the rules were last told (a station that left this
   * instance and reconnected elsewhere between two reads, one told Offline here while it was not leading). One not
   * seen before is only taken note of, as at a start.
   */
  changes(): [string, LivenessState][] {
    const changed: [string, LivenessState][] = [];
    for (const [id, state] of this.stations.livenessStates()) {
      if (this.stations.isConnected(id)) continue;
      const before = this.told.get(id);
      this.told.set(id, state);
      if (before !== undefined && before !== state) changed.push([id, state]);
    }
    return changed;
  }
}
