// Station liveness, decided here and only here: Online while the station is heard from (any OCPP message or a
// pong to our WebSocket ping), Silent after silentAfterMs without a word, Offline when its connection closes or
// after offlineAfterMs without a word (the connection is then closed). The rules are in docs/protocol.md.
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { StationLivenessWire } from '../../common/protocol.js';
import type { LivenessState } from '../../common/status.js';

export interface LivenessRules {
  /** The backend pings every connected station this often; a pong counts as being heard. Default 30 000. */
  pingIntervalMs: number;
  /** Nothing heard for this long: Silent. Default 2 pings. */
  silentAfterMs: number;
  /** Nothing heard for this long: the connection is closed and the station is Offline. Default 4 pings. */
  offlineAfterMs: number;
  /**
   * An Online station's newer last-heard time is sent again only once it moved this far from the one consoles have:
   * under a live load every station is heard all the time, and this bounds the traffic whatever the load (5,000
   * stations: at most 5,000 entries per 20 s). Default 20 000: the age a console shows is then at most this (plus a
   * flush) too old, and exact for Silent and Offline stations.
   */
  heardResendMs: number;
}

export function livenessRules(pingIntervalMs = 30_000, overrides: Partial<LivenessRules> = {}): LivenessRules {
  return {
    pingIntervalMs,
    silentAfterMs: 2 * pingIntervalMs,
    offlineAfterMs: 4 * pingIntervalMs,
    heardResendMs: 20_000,
    ...overrides,
  };
}

export interface LivenessHooks {
  /** Sends a WebSocket ping to a connected station. */
  ping(stationId: string): void;
  /** Closes a station's connection that has been silent too long (the gateway then calls disconnected()). */
  drop(stationId: string, why: string): void;
  /** A station's state changed (not only its last-heard time). */
  changed(): void;
  /** Which station, and to what (alert rules). */
  stationChanged?(stationId: string, state: LivenessState): void;
}

interface Entry {
  state: LivenessState;
  lastHeard: number | null;
  since: number | null;
  lastPing: number;
  connected: boolean;
  /** The last-heard time consoles were last sent. */
  sentHeard: number | null;
}

export class LivenessMonitor {
  private readonly entries = new Map<string, Entry>();
  /** Stations whose state or last-heard time changed since the last takeChanged(). */
  private readonly dirty = new Set<string>();
  private readonly ticker: TimerHandle;

  constructor(
    private readonly clock: Clock,
    readonly rules: LivenessRules,
    private readonly hooks: LivenessHooks,
  ) {
    const step = Math.max(50, Math.min(1000, Math.floor(Math.min(rules.pingIntervalMs, rules.silentAfterMs) / 4)));
    this.ticker = clock.every(step, () => this.tick());
  }

  /** A station known to the store that is not connected: Offline, last heard when the store says. */
  known(stationId: string, lastHeardIso: string | null): void {
    if (this.entries.has(stationId)) return;
    const lastHeard = lastHeardIso ? Date.parse(lastHeardIso) : NaN;
    this.entries.set(stationId, {
      state: 'offline',
      lastHeard: Number.isNaN(lastHeard) ? null : lastHeard,
      since: null,
      lastPing: 0,
      connected: false,
      sentHeard: null,
    });
  }

  connected(stationId: string): void {
    const now = this.clock.now();
    this.entries.set(stationId, {
      state: 'online',
      lastHeard: now,
      since: now,
      lastPing: now,
      connected: true,
      sentHeard: null,
    });
    this.markChanged(stationId, true);
  }

  /** Anything from the station: an OCPP message or a pong. */
  heard(stationId: string): void {
    const e = this.entries.get(stationId);
    if (!e || !e.connected) return;
    const now = this.clock.now();
    e.lastHeard = now;
    if (e.state !== 'online') {
      e.state = 'online';
      e.since = now;
      this.markChanged(stationId, true);
    } else if (e.sentHeard === null || now - e.sentHeard >= this.rules.heardResendMs) {
      this.dirty.add(stationId);
    }
  }

  disconnected(stationId: string): void {
    const e = this.entries.get(stationId);
    if (!e) return;
    e.connected = false;
    if (e.state === 'offline') return;
    e.state = 'offline';
    e.since = this.clock.now();
    this.markChanged(stationId, true);
  }

  state(stationId: string): LivenessState | null {
    return this.entries.get(stationId)?.state ?? null;
  }

  lastHeard(stationId: string): number | null {
    return this.entries.get(stationId)?.lastHeard ?? null;
  }

  /**
   * Several instances: the stations connected through others (docs/cluster.md), with when their holders last heard
   * them. Each is Online, or Silent once that is silentAfterMs ago, as its holder decides on the same rule; the
   * others not connected here are Offline. Only consoles hear of it: the leader's alerts read the store themselves.
   */
  elsewhere(heldByOthers: Map<string, string | null>): void {
    const now = this.clock.now();
    for (const [id, seen] of heldByOthers) {
      if (!this.entries.has(id)) this.known(id, seen);
    }
    for (const [id, e] of this.entries) {
      if (e.connected) continue;
      const seenIso = heldByOthers.get(id);
      if (seenIso === undefined) {
        if (e.state === 'offline') continue;
        e.state = 'offline';
        e.since = now;
        this.markChanged(id, true, false);
        continue;
      }
      const seen = seenIso === null ? NaN : Date.parse(seenIso);
      if (!Number.isNaN(seen) && seen > (e.lastHeard ?? -Infinity)) e.lastHeard = seen;
      const state: LivenessState = now - (e.lastHeard ?? 0) >= this.rules.silentAfterMs ? 'silent' : 'online';
      if (state !== e.state) {
        e.state = state;
        e.since = state === 'silent' ? e.lastHeard : now;
        this.markChanged(id, true, false);
      } else if (
        e.lastHeard !== null &&
        (e.sentHeard === null || e.lastHeard - e.sentHeard >= this.rules.heardResendMs)
      ) {
        this.dirty.add(id);
      }
    }
  }

  /** Every station's state. */
  states(): Map<string, LivenessState> {
    return new Map([...this.entries].map(([id, e]) => [id, e.state]));
  }

  /** Every station, as sent to a console that asks. */
  all(): StationLivenessWire[] {
    const now = this.clock.now();
    return [...this.entries].map(([id, e]) => wire(id, e, now));
  }

  /** The stations that changed since the last call, once each. */
  takeChanged(): StationLivenessWire[] {
    const now = this.clock.now();
    const out: StationLivenessWire[] = [];
    for (const id of this.dirty) {
      const e = this.entries.get(id);
      if (!e) continue;
      e.sentHeard = e.lastHeard;
      out.push(wire(id, e, now));
    }
    this.dirty.clear();
    return out;
  }

  /** Pings who is due, marks the silent, drops the dead. Runs on the clock; tests may call it directly. */
  tick(): void {
    const now = this.clock.now();
    const { pingIntervalMs, silentAfterMs, offlineAfterMs } = this.rules;
    for (const [id, e] of this.entries) {
      if (!e.connected) continue;
      const quiet = now - (e.lastHeard ?? 0);
      if (quiet >= offlineAfterMs) {
        e.connected = false;
        e.state = 'offline';
        e.since = now;
        this.markChanged(id, true);
        this.hooks.drop(id, `nothing heard for ${Math.round(quiet / 1000)} s (no message, no pong)`);
        continue;
      }
      if (quiet >= silentAfterMs && e.state === 'online') {
        e.state = 'silent';
        e.since = e.lastHeard;
        this.markChanged(id, true);
      }
      if (now - e.lastPing >= pingIntervalMs) {
        e.lastPing = now;
        this.hooks.ping(id);
      }
    }
  }

  stop(): void {
    this.ticker.cancel();
  }

  private markChanged(stationId: string, stateChanged: boolean, ownStation = true): void {
    this.dirty.add(stationId);
    if (!stateChanged) return;
    this.hooks.changed();
    if (!ownStation) return;
    const state = this.entries.get(stationId)?.state;
    if (state) this.hooks.stationChanged?.(stationId, state);
  }
}

const secondsAgo = (now: number, t: number | null): number | null =>
  t === null ? null : Math.max(0, Math.round((now - t) / 1000));

function wire(id: string, e: Entry, now: number): StationLivenessWire {
  return [id, e.state, secondsAgo(now, e.lastHeard), secondsAgo(now, e.since)];
}
