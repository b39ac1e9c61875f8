// The leader's view of stations held by other instances: their connects and disconnects, read from the store (where
// each instance records them), so alerts about stations run once, on the leader (docs/cluster.md).
import type { LivenessState } from '../../common/status.js';
import type { Store } from '../store/index.js';

export interface LocalStations {
  isConnected(stationId: string): boolean;
}

export class StationConnections {
  private last: Map<string, boolean> | null = null;

  constructor(
    private readonly store: Store,
    private readonly local: LocalStations,
  ) {}

  /** Forget what was seen: the next read only takes note (this instance just took the lead). */
  reset(): void {
    this.last = null;
  }

  /** Stations not connected here whose connection changed since the last read. */
  changes(): [string, LivenessState][] {
    const now = this.store.stations.connectedFlags();
    const before = this.last;
    this.last = now;
    if (!before) return [];
    const changed: [string, LivenessState][] = [];
    for (const [id, connected] of now) {
      if (this.local.isConnected(id) || before.get(id) === connected) continue;
      changed.push([id, connected ? 'online' : 'offline']);
    }
    return changed;
  }
}
