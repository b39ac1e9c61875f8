// The stations' liveness as the backend decided it (never inferred here): the answer to getLiveness and the
// `liveness` events, applied in the order they came. Pure (no React, no timers), so the store's rules can be tested.
//
// Which rows a change touches: a station's state or its `since` decide how its points' rows sort and read, so those
// rows are derived again; a new last-heard time alone only changes an age shown in the rows on screen (read at render),
// which costs no per-row work.
import type { LivenessView, StationLiveness } from '../../../common/consoleApi.js';

export interface LivenessChange {
  /** Stations whose state or `since` changed, or that came or went: their points' rows are derived again. */
  rowStations: Set<string>;
  /** Anything changed (a last-heard time included): what is on screen renders again. */
  any: boolean;
}

function freshness(e: StationLiveness): number {
  const heard = e.lastHeardAt ? Date.parse(e.lastHeardAt) : Number.NEGATIVE_INFINITY;
  const since = e.since ? Date.parse(e.since) : Number.NEGATIVE_INFINITY;
  return Math.max(
    Number.isNaN(heard) ? Number.NEGATIVE_INFINITY : heard,
    Number.isNaN(since) ? Number.NEGATIVE_INFINITY : since,
  );
}

/**
 * The backend sends ages in whole seconds and the core turns them into times when they arrive, so the same `since`
 * comes back up to a second or so apart from one message to the next. Within this, in the same state, it is the same
 * spell (the first time is kept): a station's rows are not derived again at every heartbeat.
 */
export const SINCE_ROUNDING_MS = 2000;

function sameSpell(before: StationLiveness | undefined, e: StationLiveness): boolean {
  if (!before || before.state !== e.state || before.since === e.since || !before.since || !e.since) return false;
  return Math.abs(Date.parse(before.since) - Date.parse(e.since)) <= SINCE_ROUNDING_MS;
}

const sameRow = (a: StationLiveness | undefined, b: StationLiveness | undefined) =>
  a === b || (!!a && !!b && a.state === b.state && a.since === b.since);
const sameAll = (a: StationLiveness | undefined, b: StationLiveness | undefined) =>
  sameRow(a, b) && (a === b || a!.lastHeardAt === b!.lastHeardAt);

export class LivenessTable {
  readonly stations = new Map<string, StationLiveness>();
  /** While a getLiveness answer is on its way: the entries events brought since it was asked (null: not asking). */
  private sinceAsked: Map<string, StationLiveness> | null = null;
  private fullSinceAsked = false;

  /** The store asks the core for everything (at start, after a reload). */
  asking(): void {
    this.sinceAsked = new Map();
    this.fullSinceAsked = false;
  }

  /**
   * The answer to getLiveness. The events that came after the question are either older than the answer (sent before
   * it on the same link) or newer (sent after it, but handed over first when several messages arrive at once): an
   * entry an event brought is kept when it is fresher than the answer's. A full event since the question makes the
   * answer unneeded.
   */
  applyAnswer(view: LivenessView | null, change: LivenessChange = newChange()): LivenessChange {
    const since = this.sinceAsked;
    this.sinceAsked = null;
    // null: the question failed (what events bring stands).
    if (!view || this.fullSinceAsked) return change;
    const entries = view.stations.map((e) => {
      const ev = since?.get(e.stationId);
      return ev && freshness(ev) > freshness(e) ? ev : e;
    });
    // Stations an event added while the answer was on its way stay.
    const listed = new Set(entries.map((e) => e.stationId));
    if (since) for (const [id, ev] of since) if (!listed.has(id)) entries.push(ev);
    return this.replace(entries, change);
  }

  /** A `liveness` event: everything (full) or the stations that changed. */
  applyEvent(view: LivenessView, change: LivenessChange = newChange()): LivenessChange {
    if (this.sinceAsked) {
      if (view.full) this.fullSinceAsked = true;
      for (const e of view.stations) this.sinceAsked.set(e.stationId, e);
    }
    if (view.full) return this.replace(view.stations, change);
    for (const e of view.stations) this.set(e, change);
    return change;
  }

  get(stationId: string): StationLiveness | undefined {
    return this.stations.get(stationId);
  }

  private replace(entries: readonly StationLiveness[], change: LivenessChange): LivenessChange {
    const listed = new Set<string>();
    for (const e of entries) {
      listed.add(e.stationId);
      this.set(e, change);
    }
    for (const id of [...this.stations.keys()]) {
      if (listed.has(id)) continue;
      this.stations.delete(id);
      change.rowStations.add(id);
      change.any = true;
    }
    return change;
  }

  private set(entry: StationLiveness, change: LivenessChange): void {
    const before = this.stations.get(entry.stationId);
    const e = sameSpell(before, entry) ? { ...entry, since: before!.since } : entry;
    if (sameAll(before, e)) return;
    this.stations.set(e.stationId, e);
    change.any = true;
    if (!sameRow(before, e)) change.rowStations.add(e.stationId);
  }
}

export function newChange(): LivenessChange {
  return { rowStations: new Set(), any: false };
}
