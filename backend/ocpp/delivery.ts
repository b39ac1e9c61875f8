// Getting operator statuses to the stations: ChangeAvailability per point, one call at a time per station,
// and every step (sent, accepted, scheduled, rejected, no reply, station offline) recorded as a change.
// Every wait ends: an Accepted change that no fresh report confirms is checked with TriggerMessage and then ends
// "not confirmed"; a Scheduled one is flagged the same way past scheduledLimitMs (docs/protocol.md, "Delivery").
import ocpp from 'ocpp-rpc';
import type { Clock, TimerHandle } from '../../common/clock.js';
import { systemClock } from '../../common/clock.js';
import type { StationProtocol } from '../../common/model.js';
import {
  availabilityFor,
  reportConfirms,
  RESENDABLE_DELIVERY_STATES,
  SETTLED_DELIVERY_STATES,
} from '../../common/status.js';
import type { DeliveryState } from '../../common/status.js';
import type { Store } from '../store/index.js';
import { STATION_OFFLINE_DETAIL, type AppliedPoint } from '../store/mutations.js';
import type { DeliveryUpdate, RoutedPoint } from '../store/points.js';

/** States in which a change is still on its way to, or waiting for, its station. */
const AWAITING_STATION: ReadonlySet<DeliveryState> = new Set([
  'saved',
  'sentToStation',
  'accepted',
  'scheduled',
  'notConfirmed',
  'noReply',
]);

const RESEND_GAP_MS = 10_000;
/** Delivery steps committed in one transaction from the regular flush. */
const UPDATES_PER_TURN = 500;

const evseKey = (stationId: string, evseId: number): string => `${stationId}\n${evseId}`;

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;

function expectation(c: { availability: 'Operative' | 'Inoperative' }): string {
  return c.availability === 'Inoperative' ? 'expected Unavailable' : 'expected it in operation';
}

/** What delivery needs from the station connections. */
export interface StationLink {
  isConnected(stationId: string): boolean;
  protocolOf(stationId: string): StationProtocol | null;
  call(stationId: string, method: string, params: unknown, timeoutMs: number): Promise<unknown>;
  /** Whether the station reported on this EVSE at or after `since` (the backend's receipt time, on its clock). */
  reportedSince(stationId: string, evseId: number, since: number): boolean;
  /** Resolves once the reports that arrived so far are stored (with their group commit, once its window ends). */
  reportsStored(): Promise<void>;
}

export interface DeliveryWaits {
  /** Accepted and no fresh report for this long: the station is asked (TriggerMessage). Default 30 000. */
  confirmAfterMs: number;
  /** Asked and still no confirming report after this long: not confirmed. Default 30 000. */
  triggerAnswerMs: number;
  /** Scheduled for longer than this: flagged not confirmed (a session rarely lasts longer). Default 4 h. */
  scheduledLimitMs: number;
}

export const DEFAULT_DELIVERY_WAITS: DeliveryWaits = {
  confirmAfterMs: 30_000,
  triggerAnswerMs: 30_000,
  scheduledLimitMs: 4 * 3600_000,
};

export interface DeliveryOptions {
  timeoutMs: number;
  log: (line: string) => void;
  clock?: Clock;
  waits?: Partial<DeliveryWaits>;
}

/** A change waiting for its station to confirm it. */
interface Wait {
  command: Command;
  phase: 'report' | 'asked' | 'scheduled';
  /** When the ChangeAvailability went out (backend clock). */
  sentAt: number;
  timer: TimerHandle;
  /** Asked: the connectors (2.0.1) whose triggered reports have not come yet; 0 stands for a 1.6 connector. */
  awaiting?: Set<number>;
}

interface Command {
  pointId: string;
  stationId: string;
  evseId: number;
  opVersion: number;
  availability: 'Operative' | 'Inoperative';
  /** Set when the command is sent again because its connection was replaced while it waited. */
  retried?: boolean;
  /** A re-assert (reconnect, boot) of a change the station had confirmed before. */
  wasConfirmed?: boolean;
}

const { TimeoutError, RPCError } = ocpp;
const OFFLINE_DETAIL = STATION_OFFLINE_DETAIL;
/** The start of a saved change's detail when a person asked, on another instance, for it to be sent again. */
const ROUTED_RESEND_DETAIL = 're-send asked';
/**
 * The start of a saved change's detail when the connection it went out on closed while the station was already
 * connected again, on another instance: that one sends it again (sendRouted).
 */
const LOST_SEND_DETAIL = 'sent again: the connection it went out on closed';
const isResendDetail = (detail: string | null) =>
  detail !== null && (detail.startsWith(ROUTED_RESEND_DETAIL) || detail.startsWith(LOST_SEND_DETAIL));

export function changeAvailabilityParams(
  protocol: StationProtocol,
  evseId: number,
  availability: Command['availability'],
) {
  return protocol === 'ocpp1.6'
    ? { connectorId: evseId, type: availability }
    : { operationalStatus: availability, evse: { id: evseId } };
}

const commandFor = (a: AppliedPoint, availability: Command['availability']): Command => ({
  pointId: a.pointId,
  stationId: a.stationId,
  evseId: a.evseId,
  opVersion: a.opVersion,
  availability,
});

export class Delivery {
  /** Per station, the commands not yet sent; a newer command for a point replaces the older one. */
  private readonly queues = new Map<string, Map<string, Command>>();
  private readonly running = new Set<string>();
  private readonly waiting = new Map<string, Wait>();
  private pendingUpdates: DeliveryUpdate[] = [];
  private readonly pendingPoints = new Set<string>();
  /** When a person last had each point re-sent (a re-send restarts the wait: not more often than RESEND_GAP_MS). */
  private readonly lastResend = new Map<string, number>();
  /** When each change (point + operator version) was first answered Scheduled, across reconnects. */
  private readonly firstScheduled = new Map<string, number>();
  /** The point waiting on each station EVSE (evseKey), so a report finds its wait without reading the store. */
  private readonly waitingByEvse = new Map<string, string>();
  /** The newest operator version queued here for each point (sendRouted sends each change once). */
  private readonly lastQueued = new Map<string, number>();
  /** The last re-send asked through another instance that was queued here, per point (each is sent once). */
  private readonly routedResends = new Map<string, string>();
  private readonly clock: Clock;
  readonly waits: DeliveryWaits;
  private stopped = false;
  /** Commands queued or sent and not yet answered (or failed). */
  private unanswered = 0;
  private belowWaiter: { limit: number; resume: () => void } | null = null;

  constructor(
    private readonly store: Store,
    private readonly link: StationLink,
    private readonly opts: DeliveryOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.waits = { ...DEFAULT_DELIVERY_WAITS, ...opts.waits };
  }

  /** After a mutation committed: tell the stations (or record that they are offline). */
  afterApplied(applied: AppliedPoint[]): void {
    const offline: DeliveryUpdate[] = [];
    const heldElsewhere = new Map<string, boolean>();
    for (const a of applied) {
      const availability = availabilityFor(a.status);
      if (!availability) continue;
      if (!this.link.isConnected(a.stationId)) {
        // Several instances: the one holding the station sends it (sendRouted, docs/cluster.md).
        if (this.isHeldElsewhere(a.stationId, heldElsewhere)) continue;
        offline.push({
          pointId: a.pointId,
          opVersion: a.opVersion,
          state: 'stationOffline',
          detail: OFFLINE_DETAIL,
          actor: 'system',
        });
      } else {
        this.enqueue(commandFor(a, availability));
      }
    }
    this.store.points.setDelivery(offline);
  }

  /**
   * Several instances: changes another instance applied (delivery saved) for stations connected here, and re-sends
   * a person asked for there. Each is sent once, however often it is read again.
   */
  sendRouted(points: RoutedPoint[]): void {
    for (const a of points) {
      const availability = availabilityFor(a.status);
      if (!availability || !this.link.isConnected(a.stationId)) continue;
      const resend = isResendDetail(a.deliveryDetail) ? a.deliveryDetail : null;
      if ((this.lastQueued.get(a.pointId) ?? -1) >= a.opVersion) {
        if (resend === null || this.routedResends.get(a.pointId) === resend) continue;
        this.endWait(a.pointId);
      }
      if (resend !== null) {
        this.routedResends.set(a.pointId, resend);
        if (this.routedResends.size > 10_000) this.routedResends.delete(this.routedResends.keys().next().value!);
      }
      this.enqueue(commandFor(a, availability));
    }
  }

  private isHeldElsewhere(stationId: string, seen: Map<string, boolean>): boolean {
    if (this.store.stations.holder === null) return false;
    let held = seen.get(stationId);
    if (held === undefined) {
      held = this.store.stations.heldElsewhere(stationId);
      seen.set(stationId, held);
    }
    return held;
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
      const wasConfirmed = p.delivery.state === 'confirmed';
      this.enqueue({
        pointId: p.id,
        stationId,
        evseId: p.evseId,
        opVersion: p.operator.version,
        availability,
        wasConfirmed,
      });
    }
  }

  /**
   * The station went away: what was queued for it, and what it had not yet confirmed, is marked stationOffline
   * (sent again on reconnect).
   */
  stationOffline(stationId: string): void {
    this.unanswered -= this.queues.get(stationId)?.size ?? 0;
    this.queues.delete(stationId);
    this.resumeIfBelow();
    this.flushUpdates();
    const updates: DeliveryUpdate[] = [];
    for (const p of this.store.points.byStation(stationId)) {
      this.endWait(p.id);
      if (!availabilityFor(p.operator.status) || !AWAITING_STATION.has(p.delivery.state)) continue;
      updates.push(this.lost(p.id, p.operator.version));
    }
    this.store.points.setDelivery(updates);
  }

  /** A report from the station was stored: a change it was asked about and that it still contradicts is not confirmed. */
  afterReport(stationId: string, evseId: number, connectorId?: number): void {
    const pointId = this.waitingByEvse.get(evseKey(stationId, evseId));
    if (pointId === undefined) return; // the common case, thousands a second: nothing waits on this EVSE
    if (this.pendingPoints.has(pointId)) this.flushUpdates();
    const p = this.store.points.get(pointId);
    const w = this.waiting.get(pointId);
    if (!p || !w || w.command.opVersion !== p.operator.version) return;
    if (p.delivery.state === 'confirmed') return this.endWait(p.id);
    if (w.phase !== 'asked' || p.delivery.state !== 'accepted') return;
    // An EVSE's status is judged once every connector asked has answered (one connector's old report would
    // otherwise outweigh another's fresh one).
    w.awaiting?.delete(connectorId ?? 0);
    if (w.awaiting && w.awaiting.size > 0) return;
    this.endWait(p.id);
    this.update(
      w.command,
      'notConfirmed',
      `asked to report, the station said ${p.reported.status}: ${expectation(w.command)}`,
      `station:${stationId}`,
    );
  }

  /** Re-sends a change (a person asked): goes through the same steps as the first time. */
  resend(pointId: string, operatorVersion: number): { result: 'resent' | 'conflict' | 'nothingToDo'; message: string } {
    this.flushUpdates();
    const p = this.store.points.get(pointId);
    if (!p) return { result: 'nothingToDo', message: 'unknown point' };
    if (p.operator.version !== operatorVersion) {
      return { result: 'conflict', message: 'the status was changed since: look at the point again' };
    }
    const availability = availabilityFor(p.operator.status);
    if (!availability) return { result: 'nothingToDo', message: `${p.operator.status} is not sent to stations` };
    if (!RESENDABLE_DELIVERY_STATES.has(p.delivery.state)) {
      return { result: 'nothingToDo', message: `nothing to re-send: the change is ${p.delivery.state}` };
    }
    const last = this.lastResend.get(pointId);
    if (last !== undefined && this.clock.now() - last < RESEND_GAP_MS) {
      return {
        result: 'nothingToDo',
        message: `sent again less than ${seconds(RESEND_GAP_MS)} ago: wait for the station's answer`,
      };
    }
    this.lastResend.set(pointId, this.clock.now());
    if (this.lastResend.size > 10_000) this.lastResend.delete(this.lastResend.keys().next().value!);
    this.endWait(pointId);
    if (!this.link.isConnected(p.stationId) && this.isHeldElsewhere(p.stationId, new Map())) {
      // The instance holding the station sends it (sendRouted): the saved state with this detail tells it to.
      const detail = `${ROUTED_RESEND_DETAIL} at ${new Date(this.clock.now()).toISOString()}`;
      this.store.points.setDelivery([{ pointId, opVersion: operatorVersion, state: 'saved', detail, actor: 'system' }]);
      return { result: 'resent', message: 'sent again by the backend instance the station is connected to' };
    }
    if (!this.link.isConnected(p.stationId)) {
      this.store.points.setDelivery([
        { pointId, opVersion: operatorVersion, state: 'stationOffline', detail: OFFLINE_DETAIL, actor: 'system' },
      ]);
      return { result: 'resent', message: 'the station is offline: it gets the change when it reconnects' };
    }
    this.enqueue({ pointId, stationId: p.stationId, evseId: p.evseId, opVersion: operatorVersion, availability });
    return { result: 'resent', message: `ChangeAvailability ${availability} sent again` };
  }

  stop(): void {
    this.flushUpdates();
    this.stopped = true;
    this.queues.clear();
    for (const id of [...this.waiting.keys()]) this.endWait(id);
  }

  /** Changes waiting for their station to confirm them (for tests and diagnostics). */
  get awaitingConfirmation(): number {
    return this.waiting.size;
  }

  /**
   * Whether fewer than `limit` commands are queued or awaiting their stations' replies. If not, `resume` is called
   * once they are (one waiter: a later call replaces it). Lets a burst of changes (windows starting together) be
   * paced by how fast the stations answer, so other work is served in between.
   */
  whenBacklogBelow(limit: number, resume: () => void): boolean {
    if (this.unanswered < limit || this.stopped) return true;
    this.belowWaiter = { limit, resume };
    return false;
  }

  private resumeIfBelow(): void {
    const w = this.belowWaiter;
    if (!w || (this.unanswered >= w.limit && !this.stopped)) return;
    this.belowWaiter = null;
    w.resume();
  }

  /** How many commands wait, per station (for tests and diagnostics). */
  pending(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.size;
    return n;
  }

  private enqueue(c: Command): void {
    if (this.stopped) return;
    if ((this.lastQueued.get(c.pointId) ?? -1) < c.opVersion) this.lastQueued.set(c.pointId, c.opVersion);
    let q = this.queues.get(c.stationId);
    if (!q) this.queues.set(c.stationId, (q = new Map()));
    if (!q.delete(c.pointId)) this.unanswered++;
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
        try {
          await this.send(c);
        } finally {
          this.unanswered--;
          this.resumeIfBelow();
        }
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
    this.endWait(c.pointId);
    const sentAt = this.clock.now();
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
        const confirmsNow = await this.reportedSoSince(c, sentAt);
        // Sent again on a reconnect and accepted: a station that already has the status reports nothing new, and
        // need not (asking thousands of stations after a restart would be a storm); its earlier confirmation stands.
        const stillConfirmed = !confirmsNow && c.wasConfirmed === true;
        state = confirmsNow || stillConfirmed ? 'confirmed' : 'accepted';
        detail = confirmsNow
          ? `station accepted ${c.availability} and reported so`
          : stillConfirmed
            ? `station accepted ${c.availability} again on reconnecting (confirmed before)`
            : `station accepted ${c.availability}${why}`;
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
    if (state === 'accepted') this.startWait(c, 'report', sentAt, this.waits.confirmAfterMs);
    if (state === 'scheduled') {
      // Scheduled again after a reconnect: the limit counts from the first time this change was scheduled.
      const key = `${c.pointId}\n${c.opVersion}`;
      const first = this.firstScheduled.get(key) ?? sentAt;
      this.firstScheduled.set(key, first);
      if (this.firstScheduled.size > 50_000) this.firstScheduled.delete(this.firstScheduled.keys().next().value!);
      this.startWait(c, 'scheduled', first, Math.max(0, first + this.waits.scheduledLimitMs - this.clock.now()));
    }
  }

  /**
   * Whether the station reported the status the change asks for after it was sent. OCPP 1.6 stations often send the
   * StatusNotification before their ChangeAvailability reply: such a report is fresh too (received after sentAt).
   * A report from before (say, from before a reconnect) is not: the station is then asked again.
   */
  private async reportedSoSince(c: Command, sentAt: number): Promise<boolean> {
    // Reports still waiting for their commit (the gateway's commit window) are stored first, whenever they came: one
    // from before sentAt committed after the update below would confirm the change.
    await this.link.reportsStored();
    if (!this.link.reportedSince(c.stationId, c.evseId, sentAt)) return false;
    const p = this.store.points.get(c.pointId);
    return !!p && reportConfirms(c.availability, p.reported.status);
  }

  private startWait(c: Command, phase: Wait['phase'], sentAt: number, ms: number): void {
    this.endWait(c.pointId);
    const timer = this.clock.after(ms, () => void this.waitEnded(c.pointId));
    this.waiting.set(c.pointId, { command: c, phase, sentAt, timer });
    this.waitingByEvse.set(evseKey(c.stationId, c.evseId), c.pointId);
  }

  private endWait(pointId: string): void {
    const w = this.waiting.get(pointId);
    if (!w) return;
    w.timer.cancel();
    this.waiting.delete(pointId);
    this.waitingByEvse.delete(evseKey(w.command.stationId, w.command.evseId));
  }

  /** A wait ran out: ask the station (first time), or call the change not confirmed. */
  private async waitEnded(pointId: string): Promise<void> {
    const w = this.waiting.get(pointId);
    if (!w || this.stopped) return;
    this.endWait(pointId);
    this.flushUpdates();
    const c = w.command;
    const p = this.store.points.get(pointId);
    if (!p || p.operator.version !== c.opVersion) return;
    if (w.phase === 'scheduled') {
      if (p.delivery.state !== 'scheduled') return;
      const hours = (this.clock.now() - w.sentAt) / 3600_000;
      const waited = hours >= 1 ? `${hours.toFixed(1)} h` : `${Math.round(hours * 60)} min`;
      this.update(c, 'notConfirmed', `scheduled ${waited} ago and still not applied: ${expectation(c)}`, 'system');
      return;
    }
    if (p.delivery.state !== 'accepted') return;
    if (w.phase === 'asked') {
      this.update(
        c,
        'notConfirmed',
        `asked to report, the station did not confirm within ${seconds(this.waits.triggerAnswerMs)}: ${expectation(c)}`,
        'system',
      );
      return;
    }
    await this.askStation(
      c,
      p.connectors.map((k) => k.id),
    );
  }

  /** TriggerMessage StatusNotification for the point's EVSE (each connector in 2.0.1, which names one). */
  private async askStation(c: Command, connectorIds: number[]): Promise<void> {
    const protocol = this.link.protocolOf(c.stationId);
    if (!protocol) return; // gone: stationOffline() marks what waited for it
    const askedAt = this.clock.now();
    this.startWait(c, 'asked', askedAt, this.waits.triggerAnswerMs);
    const wait = this.waiting.get(c.pointId);
    if (wait) wait.awaiting = new Set(protocol === 'ocpp1.6' ? [0] : connectorIds.length > 0 ? connectorIds : [1]);
    this.update(
      c,
      'accepted',
      `no report within ${seconds(this.waits.confirmAfterMs)}: asked the station to report (TriggerMessage)`,
      'system',
    );
    const requests =
      protocol === 'ocpp1.6'
        ? [{ requestedMessage: 'StatusNotification', connectorId: c.evseId }]
        : (connectorIds.length > 0 ? connectorIds : [1]).map((connectorId) => ({
            requestedMessage: 'StatusNotification',
            evse: { id: c.evseId, connectorId },
          }));
    for (const params of requests) {
      let answer: string;
      try {
        const reply = (await this.link.call(c.stationId, 'TriggerMessage', params, this.opts.timeoutMs)) as {
          status?: string;
        };
        answer = reply.status ?? 'no status';
      } catch (err) {
        answer = err instanceof TimeoutError ? 'no reply' : `error: ${(err as Error).message}`;
      }
      if (answer === 'Accepted') continue;
      const w = this.waiting.get(c.pointId);
      if (!w || w.phase !== 'asked' || this.stopped) return;
      this.flushUpdates();
      const p = this.store.points.get(c.pointId);
      if (!p || p.operator.version !== c.opVersion || p.delivery.state !== 'accepted') return;
      this.endWait(c.pointId);
      this.update(
        c,
        'notConfirmed',
        `the station would not report its status (TriggerMessage: ${answer}): ${expectation(c)}`.slice(0, 500),
        `station:${c.stationId}`,
      );
      return;
    }
  }

  /**
   * Records a step. Steps of every station that happen in the same turn of the event loop are committed together:
   * with synchronous=FULL each commit waits for the disk, and thousands of stations answering at once (a maintenance
   * window over a whole network) would otherwise queue thousands of disk flushes on the event loop.
   */
  private update(c: Command, state: DeliveryState, detail: string, actor: string): void {
    if (this.stopped) return;
    this.pendingUpdates.push(
      state === 'stationOffline'
        ? this.lost(c.pointId, c.opVersion)
        : { pointId: c.pointId, opVersion: c.opVersion, state, detail, actor },
    );
    this.pendingPoints.add(c.pointId);
    if (this.pendingUpdates.length === 1) setImmediate(() => this.flushUpdates(false));
  }

  /**
   * stationOffline for a change that may have gone with its station's connection. With several instances the station
   * may be connected again elsewhere by the time this is written, and that instance may have sent it before: then the
   * change is saved for that instance to send again, once (sendRouted), rather than left waiting for a reconnect that
   * has already happened (docs/cluster.md).
   */
  private lost(pointId: string, opVersion: number): DeliveryUpdate {
    const update: DeliveryUpdate = {
      pointId,
      opVersion,
      state: 'stationOffline',
      detail: OFFLINE_DETAIL,
      actor: 'system',
    };
    if (this.store.stations.holder === null) return update;
    const detail = `${LOST_SEND_DETAIL} (${new Date(this.clock.now()).toISOString()})`;
    return { ...update, ifStationConnected: { state: 'saved', detail } };
  }

  /**
   * Commits the steps recorded so far (all of them when something is about to read them back; at most
   * UPDATES_PER_TURN from the regular turn, the rest on the next, so a burst never holds the event loop for long).
   */
  flushUpdates(all = true): void {
    const updates = all ? this.pendingUpdates.splice(0) : this.pendingUpdates.splice(0, UPDATES_PER_TURN);
    if (this.pendingUpdates.length === 0) this.pendingPoints.clear();
    else setImmediate(() => this.flushUpdates(false));
    if (updates.length === 0) return;
    try {
      this.store.points.setDelivery(updates);
    } catch (err) {
      this.opts.log(`delivery: could not record ${updates.length} step(s): ${(err as Error).message}`);
    }
  }
}
