// The stations' liveness as the backend last said it, turned from ages into times on this computer's clock when it
// arrives (so a wrong clock here, or on the backend, does not make a station look silent or fresh).
import type { LivenessView, StationLiveness } from '../../../common/consoleApi.js';
import type { Liveness, StationLivenessWire } from '../../../common/protocol.js';

export class LivenessBook {
  private readonly stations = new Map<string, StationLiveness>();

  /** Applies a message from the backend; returns what the renderer should hear (only what changed). */
  apply(message: Liveness, receivedAtMs: number): LivenessView {
    if (message.full) this.stations.clear();
    const changed: StationLiveness[] = [];
    for (const entry of message.stations) {
      const next = fromWire(entry, receivedAtMs);
      const before = this.stations.get(next.stationId);
      this.stations.set(next.stationId, next);
      if (
        !before ||
        before.state !== next.state ||
        before.lastHeardAt !== next.lastHeardAt ||
        before.since !== next.since
      ) {
        changed.push(next);
      }
    }
    return message.full ? { full: true, stations: this.all() } : { full: false, stations: changed };
  }

  all(): StationLiveness[] {
    return [...this.stations.values()];
  }

  clear(): void {
    this.stations.clear();
  }
}

const at = (receivedAtMs: number, secondsAgo: number | null): string | null =>
  secondsAgo === null ? null : new Date(receivedAtMs - secondsAgo * 1000).toISOString();

function fromWire([stationId, state, heardAgo, sinceAgo]: StationLivenessWire, receivedAtMs: number): StationLiveness {
  return { stationId, state, lastHeardAt: at(receivedAtMs, heardAgo), since: at(receivedAtMs, sinceAgo) };
}
