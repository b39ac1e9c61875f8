// Getting operator statuses to the stations: ChangeAvailability per point, one call at a time per station,
// and every step (sent, accepted, scheduled, rejected, no reply, station offline) recorded as a change.
import ocpp from 'ocpp-rpc';
import type { StationProtocol } from '../../common/model.js';
import { availabilityFor, reportConfirms, SETTLED_DELIVERY_STATES } from '../../common/status.js';
import type { DeliveryState } from '../../common/status.js';
import type { Store } from '../store/index.js';
import { STATION_OFFLINE_DETAIL, type AppliedPoint } from '../store/mutations.js';
import type { DeliveryUpdate } from '../store/points.js';

/** What delivery needs from the station connections. */
export interface StationLink {
  isConnected(stationId: string): boolean;
  protocolOf(stationId: string): StationProtocol | null;
  call(stationId: string, method: string, params: unknown, timeoutMs: number): Promise<unknown>;
}

export interface DeliveryOptions {
  timeoutMs: number;
  log: (line: string) => void;
}

interface Command {
  pointId: string;
  stationId: string;
  evseId: number;
  opVersion: number;
  availability: 'Operative' | 'Inoperative';
  /** Set when the command is sent again because its connection was replaced while it waited. */
  retried?: boolean;
}

const { TimeoutError, RPCError } = ocpp;
const OFFLINE_DETAIL = STATION_OFFLINE_DETAIL;

export function changeAvailabilityParams(protocol: StationProtocol, evseId: number, availability: Command['availability']) {
  return protocol === 'ocpp1.6'
    ? { connectorId: evseId, type: availability }
    : { operationalStatus: availability, evse: { id: evseId } };
}

export class Delivery {
  /** Per station, the commands not yet sent; a newer command for a point replaces the older one. */
  private readonly queues = new Map<string, Map<string, Command>>();
  private readonly running = new Set<string>();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly link: StationLink,
    private readonly opts: DeliveryOptions,
  ) {}

  /** After a mutation committed: tell the stations (or record that they are offline). */
  afterApplied(applied: AppliedPoint[]): void {
    const offline: DeliveryUpdate[] = [];
    for (const a of applied) {
      const availability = availabilityFor(a.status);
      if (!availability) continue;
      if (!this.link.isConnected(a.stationId)) {
        offline.push({ pointId: a.pointId, opVersion: a.opVersion, state: 'stationOffline', detail: OFFLINE_DETAIL, actor: 'system' });
      } else {
        this.enqueue({ pointId: a.pointId, stationId: a.stationId, evseId: a.evseId, opVersion: a.opVersion, availability });
      }
    }
    this.store.points.setDelivery(offline);
  }

  /**
   * After a (re)connect or boot: send again every operator status the station should have
   * (not Available, or not yet settled).
   */
  reassert(stationId: string): void {
    for (const p of this.store.points.byStation(stationId)) {
      const availability = availabilityFor(p.operator.status);
      if (!availability) continue;
      if (p.operator.status === 'Available' && SETTLED_DELIVERY_STATES.has(p.delivery.state)) continue;
      this.enqueue({ pointId: p.id, stationId, evseId: p.evseId, opVersion: p.operator.version, availability });
    }
  }

  /** The station went away: what was waiting for it is marked stationOffline (sent again on reconnect). */
  stationOffline(stationId: string): void {
    const q = this.queues.get(stationId);
    this.queues.delete(stationId);
    if (!q) return;
    this.store.points.setDelivery(
      [...q.values()].map((c) => ({ pointId: c.pointId, opVersion: c.opVersion, state: 'stationOffline', detail: OFFLINE_DETAIL, actor: 'system' })),
    );
  }

  stop(): void {
    this.stopped = true;
    this.queues.clear();
  }

  /** How many commands wait, per station (for tests and diagnostics). */
  pending(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.size;
    return n;
  }

  private enqueue(c: Command): void {
    if (this.stopped) return;
    let q = this.queues.get(c.stationId);
    if (!q) this.queues.set(c.stationId, (q = new Map()));
    q.delete(c.pointId);
    q.set(c.pointId, c);
    if (!this.running.has(c.stationId)) void this.run(c.stationId);
  }

  private async run(stationId: string): Promise<void> {
    this.running.add(stationId);
    try {
      for (;;) {
        const q = this.queues.get(stationId);
        const next = q?.values().next();
        if (!q || !next || next.done) break;
        const c = next.value;
        q.delete(c.pointId);
        if (q.size === 0) this.queues.delete(stationId);
        await this.send(c);
        if (this.stopped) break;
      }
    } finally {
      this.running.delete(stationId);
    }
  }

  private async send(c: Command): Promise<void> {
    const row = this.store.points.row(c.pointId);
    if (!row || row.op_version !== c.opVersion) return; // a newer edit superseded this one
    const protocol = this.link.protocolOf(c.stationId);
    if (!protocol || !this.link.isConnected(c.stationId)) {
      this.update(c, 'stationOffline', OFFLINE_DETAIL, 'system');
      return;
    }
    const params = changeAvailabilityParams(protocol, c.evseId, c.availability);
    this.update(c, 'sentToStation', `ChangeAvailability ${c.availability}`, 'system');
    let state: DeliveryState;
    let detail: string | null;
    let actor = `station:${c.stationId}`;
    try {
      const reply = (await this.link.call(c.stationId, 'ChangeAvailability', params, this.opts.timeoutMs)) as {
        status?: string;
        statusInfo?: { reasonCode?: string };
      };
      const why = reply.statusInfo?.reasonCode ? ` (${reply.statusInfo.reasonCode})` : '';
      if (reply.status === 'Accepted') {
        const confirmsNow = this.alreadyConfirmed(c);
        state = confirmsNow ? 'confirmed' : 'accepted';
        detail = confirmsNow ? `station accepted ${c.availability}; already reported so` : `station accepted ${c.availability}${why}`;
      } else if (reply.status === 'Scheduled') {
        state = 'scheduled';
        detail = `station scheduled ${c.availability}: applies when the running session ends${why}`;
      } else {
        state = 'rejected';
        detail = `station rejected ${c.availability}${why}`;
      }
    } catch (err) {
      actor = 'system';
      if (err instanceof TimeoutError) {
        state = 'noReply';
        detail = `no reply within ${this.opts.timeoutMs} ms: sent again when the station reconnects`;
      } else if (err instanceof RPCError) {
        state = 'rejected';
        detail = `station answered with an error: ${(err as Error).message}`.slice(0, 500);
      } else if (this.link.isConnected(c.stationId) && !c.retried && !this.stopped) {
        // the connection it went out on was replaced by a new one: send it again there
        this.enqueue({ ...c, retried: true });
        return;
      } else {
        state = 'stationOffline';
        detail = OFFLINE_DETAIL;
      }
    }
    if (this.stopped) return;
    this.update(c, state, detail, actor);
  }

  /** An Accepted availability that the station's last report already shows (it will not report again). */
  private alreadyConfirmed(c: Command): boolean {
    const p = this.store.points.get(c.pointId);
    if (!p) return false;
    return reportConfirms(c.availability, p.reported.status);
  }

  private update(c: Command, state: DeliveryState, detail: string, actor: string): void {
    if (this.stopped) return;
    try {
      this.store.points.setDelivery([{ pointId: c.pointId, opVersion: c.opVersion, state, detail, actor }]);
    } catch (err) {
      this.opts.log(`delivery: could not record ${state} for ${c.pointId}: ${(err as Error).message}`);
    }
  }
}
