// Keeps the cache true to the backend: catch up (or snapshot) on every connect, apply batched deltas,
// then replay the outbox in order. Only the outbox sends edits.
import type { MutationOutcome } from '../../../common/model.js';
import {
  MAX_MUTATIONS_PER_CALL,
  type Changes,
  type DeliveryActionRequest,
  type Hello,
  type Liveness,
  type SessionInfo,
} from '../../../common/protocol.js';
import type { WindowReply, Windows } from '../../../common/windows.js';
import type { AlertActionRequest, Alerts } from '../../../common/alerts.js';
import type { NetworkCache } from '../cache/networkCache.js';
import type { WindowOp } from '../cache/windowQueue.js';
import type { Outbox, QueuedMutation } from '../cache/outbox.js';
import { BackendError, BackendLink, type InvalidRecord } from './backendLink.js';
import type { z } from 'zod';
import type { clientToServer } from '../../../common/protocol.js';

export type AvailabilityEvent = 'timeline' | 'uptime' | 'excludeOutage';
export type PartnerEvent = 'partners' | 'pointPartners' | 'partnerAction';
type RequestOf<E extends keyof typeof clientToServer> = z.input<(typeof clientToServer)[E]['request']>;
type ReplyOf<E extends keyof typeof clientToServer> = z.infer<(typeof clientToServer)[E]['reply']>;
export type AvailabilityRequest<E extends AvailabilityEvent> = z.input<(typeof clientToServer)[E]['request']>;
export type AvailabilityReply<E extends AvailabilityEvent> = z.infer<(typeof clientToServer)[E]['reply']>;

export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'signedOut';

export interface SyncListener {
  pointsChanged(pointIds: string[]): void;
  networkReplaced(): void;
  /** Called with the backend's answers before the outbox records them (the edits are still readable there). */
  outcomes(outcomes: MutationOutcome[]): void;
  stateChanged(): void;
  /** The backend's word on stations' liveness (all of them after each catch-up, then what changed). */
  liveness(liveness: Liveness): void;
  /** Maintenance windows (all of them after each catch-up, then what changed). */
  windows(windows: Windows): void;
  /** Alerts (all of them after each catch-up, then what changed). */
  alerts?(alerts: Alerts): void;
  /** Points whose latest record from the backend failed the schema and was skipped (SyncEngine.invalidPoints). */
  invalidData?(pointIds: string[]): void;
}

export interface SyncEngineOptions {
  backendUrl: string;
  token: string;
  cache: NetworkCache;
  outbox: Outbox;
  listener: SyncListener;
  /** Asked for a new token when the backend refuses the current one; null = cannot sign in again. */
  renewToken?: () => Promise<string | null>;
  log?: (line: string) => void;
  replayBatchSize?: number;
}

export class SyncEngine {
  state: LinkState = 'connecting';
  session: SessionInfo | null = null;
  error: string | null = null;
  /**
   * Points whose latest record from the backend failed the schema, with why: they keep what the cache had (or are
   * missing) and are shown as "invalid data"; a valid record of the point later clears it. Everything else applies.
   */
  readonly invalidPoints = new Map<string, string>();
  /** Records skipped as invalid since start (points and sites). */
  invalidRecords = 0;
  private readonly link: BackendLink;
  private syncing = false;
  private bufferedChanges: [Changes, InvalidRecord[]][] = [];
  private flushing = false;
  private flushAgain = false;
  private failedAttempts = 0;
  private everLive = false;
  private closed = false;
  private renewing = false;

  constructor(private readonly options: SyncEngineOptions) {
    this.link = new BackendLink(options.backendUrl, options.token, {
      onConnect: (hello) => void this.onConnect(hello),
      onDisconnect: (reason) => this.onDisconnect(reason),
      onConnectError: (message) => void this.onConnectError(message),
      onChanges: (changes, invalid) => this.onChanges(changes, invalid),
      onLiveness: (liveness) => this.onLiveness(liveness),
      onWindows: (windows) => this.onWindows(windows),
      onAlerts: (alerts) => this.onAlerts(alerts),
      onSessionEnded: (reason) => this.onSessionEnded(reason),
      onProtocolError: (message) => this.log(`protocol error: ${message}`),
    });
    this.options.outbox.requeueInFlight();
  }

  start(): void {
    this.link.connect();
  }

  close(): void {
    this.closed = true;
    this.link.close();
  }

  get connected(): boolean {
    return this.state === 'live';
  }

  async history(pointId: string, limit: number) {
    return (await this.link.request('history', { pointId, limit })).entries;
  }

  async deliveryAction(request: DeliveryActionRequest) {
    return this.link.request('deliveryAction', request);
  }

  /** Timelines, uptime and exclusions (docs/uptime.md): answered by the backend only. */
  async availability<E extends AvailabilityEvent>(
    event: E,
    request: AvailabilityRequest<E>,
  ): Promise<AvailabilityReply<E>> {
    return this.link.request(event, request);
  }

  /** OCPI roaming partners (docs/ocpi.md): answered by the backend only, to admins. */
  async partnerRequest<E extends PartnerEvent>(event: E, request: RequestOf<E>): Promise<ReplyOf<E>> {
    return this.link.request(event, request);
  }

  async windowRequest(op: WindowOp): Promise<WindowReply> {
    if (op.kind === 'plan') return this.link.request('planWindow', op.request);
    if (op.kind === 'change') return this.link.request('changeWindow', op.request);
    return this.link.request('cancelWindow', op.request);
  }

  /** Sends what the outbox holds, in order, until it is empty or the connection goes. */
  async flushOutbox(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    try {
      do {
        this.flushAgain = false;
        while (this.state === 'live' && !this.closed) {
          const batch = this.options.outbox.nextBatch(this.options.replayBatchSize ?? MAX_MUTATIONS_PER_CALL);
          if (batch.length === 0) break;
          await this.send(batch);
        }
      } while (this.flushAgain && this.state === 'live' && !this.closed);
    } finally {
      this.flushing = false;
    }
  }

  private async send(batch: QueuedMutation[]): Promise<void> {
    const { outbox, listener } = this.options;
    outbox.markSending(batch.map((m) => m.mutationId));
    listener.pointsChanged(batch.flatMap((m) => m.targets.map((t) => t.pointId)));
    try {
      const reply = await this.link.request('mutate', {
        mutations: batch.map((m) => ({
          id: m.mutationId,
          kind: 'setStatus' as const,
          targets: m.targets,
          edit: m.edit,
          createdAt: m.createdAt,
        })),
      });
      this.recordOutcomes(reply.outcomes);
    } catch (error) {
      if (error instanceof BackendError && error.code === 'invalid') {
        // One bad edit must not hold up the rest: send them one by one; a lone invalid edit is refused for good.
        if (batch.length > 1) {
          for (const mutation of batch) await this.send([mutation]);
          return;
        }
        this.recordOutcomes([refusedOutcome(batch[0].mutationId, error.message)]);
        return;
      }
      outbox.requeueInFlight();
      if (error instanceof BackendError && error.code === 'unauthenticated') {
        // The session ended under us: the edits stay queued for the next sign-in.
        listener.pointsChanged(batch.flatMap((m) => m.targets.map((t) => t.pointId)));
        this.onSessionEnded(error.message);
        return;
      }
      listener.pointsChanged(batch.flatMap((m) => m.targets.map((t) => t.pointId)));
      this.log(`mutate failed (${(error as Error).message}); will retry`);
      if (error instanceof BackendError && error.code === 'timeout' && this.state === 'live')
        setTimeout(() => void this.flushOutbox(), 1000);
      throw error;
    }
  }

  private recordOutcomes(outcomes: MutationOutcome[]): void {
    this.options.listener.outcomes(outcomes);
    const touched = this.options.outbox.recordOutcomes(outcomes);
    this.options.listener.pointsChanged(touched);
    this.options.listener.stateChanged();
  }

  private async onConnect(hello: Hello): Promise<void> {
    this.session = hello.session;
    this.failedAttempts = 0;
    this.error = null;
    this.setState(this.everLive ? 'reconnecting' : 'connecting');
    await this.catchUp();
  }

  private async catchUp(): Promise<void> {
    const { cache, listener } = this.options;
    this.syncing = true;
    try {
      const position = cache.position();
      const { reply, invalid } = await this.link.sync({
        networkId: position.networkId,
        sinceSeq: position.networkId ? position.seq : null,
      });
      const at = new Date().toISOString();
      if (reply.kind === 'snapshot') {
        cache.replaceAll(reply.networkId, reply.seq, reply.sites, reply.points, at);
        this.invalidPoints.clear();
        this.noteInvalid(reply.points, invalid, 'sync');
        listener.networkReplaced();
      } else {
        const changed = cache.applyChanges(reply.sites, reply.points, reply.seq, at);
        this.noteInvalid(reply.points, invalid, 'sync');
        listener.pointsChanged(changed.map((p) => p.id));
      }
      this.syncing = false;
      const buffered = this.bufferedChanges;
      this.bufferedChanges = [];
      for (const [changes, skipped] of buffered) this.onChanges(changes, skipped);
      this.everLive = true;
      this.setState('live');
      void this.loadLiveness();
      void this.loadWindows();
      void this.loadAlerts();
      await this.flushOutbox().catch(() => undefined);
    } catch (error) {
      this.syncing = false;
      this.log(`catch-up failed: ${(error as Error).message}`);
      if (error instanceof BackendError && error.code === 'unauthenticated') this.onSessionEnded(error.message);
    }
  }

  private onChanges(changes: Changes, invalid: InvalidRecord[] = []): void {
    if (this.syncing) {
      this.bufferedChanges.push([changes, invalid]);
      return;
    }
    const { cache, listener } = this.options;
    const position = cache.position();
    if (changes.networkId !== position.networkId || changes.fromSeq > position.seq + 1) {
      // A gap (or another network): what the cache holds can no longer be patched; catch up again.
      if (changes.toSeq > position.seq) void this.catchUp();
      return;
    }
    const changed = cache.applyChanges(changes.sites, changes.points, changes.toSeq, new Date().toISOString());
    this.noteInvalid(changes.points, invalid, 'changes');
    if (changed.length > 0) listener.pointsChanged(changed.map((p) => p.id));
    listener.stateChanged();
  }

  /** Records which points came invalid (skipped) and which came valid again, logs the skipped, tells the listener. */
  private noteInvalid(valid: readonly { id: string }[], invalid: InvalidRecord[], where: string): void {
    const before = this.invalidPoints.size;
    if (before > 0) for (const p of valid) this.invalidPoints.delete(p.id);
    if (invalid.length === 0 && this.invalidPoints.size === before) return;
    for (const r of invalid) if (r.kind === 'point' && r.id !== null) this.invalidPoints.set(r.id, r.problem);
    if (invalid.length > 0) {
      this.invalidRecords += invalid.length;
      const first = invalid[0];
      this.log(
        `invalid data from the backend: skipped ${invalid.length} record(s) in ${where}, applied the rest; first: ${first.kind} ${first.id ?? '(no id)'}: ${first.problem}`,
      );
    }
    this.options.listener.invalidData?.([...this.invalidPoints.keys()]);
  }

  private async loadLiveness(): Promise<void> {
    try {
      this.onLiveness(await this.link.request('liveness', {}));
    } catch (error) {
      this.log(`liveness not loaded: ${(error as Error).message}`);
    }
  }

  private async loadWindows(): Promise<void> {
    try {
      this.onWindows(await this.link.request('windows', {}));
    } catch (error) {
      this.log(`windows not loaded: ${(error as Error).message}`);
    }
  }

  async alertAction(request: AlertActionRequest) {
    return this.link.request('alertAction', request);
  }

  private async loadAlerts(): Promise<void> {
    try {
      this.onAlerts(await this.link.request('alerts', {}));
    } catch (error) {
      this.log(`alerts not loaded: ${(error as Error).message}`);
    }
  }

  private onAlerts(alerts: Alerts): void {
    if (alerts.networkId !== this.options.cache.position().networkId) return;
    this.options.listener.alerts?.(alerts);
  }

  private onWindows(windows: Windows): void {
    if (windows.networkId !== this.options.cache.position().networkId) return;
    this.options.listener.windows(windows);
  }

  private onLiveness(liveness: Liveness): void {
    if (liveness.networkId !== this.options.cache.position().networkId) return;
    this.options.listener.liveness(liveness);
  }

  private onDisconnect(reason: string): void {
    if (this.closed) return;
    this.log(`disconnected: ${reason}`);
    this.options.outbox.requeueInFlight();
    this.setState(this.state === 'signedOut' ? 'signedOut' : 'reconnecting');
  }

  private async onConnectError(message: string): Promise<void> {
    if (this.closed) return;
    this.failedAttempts++;
    if (message === 'unauthenticated') {
      if (!this.renewing && this.options.renewToken) {
        this.renewing = true;
        const token = await this.options.renewToken().catch(() => null);
        this.renewing = false;
        if (token) {
          this.link.setToken(token);
          this.link.connect();
          return;
        }
      }
      this.error = 'The backend refused this console’s sign-in. Sign in again.';
      this.setState('signedOut');
      this.link.close();
      return;
    }
    this.error = `Cannot reach the backend: ${message}`;
    if (!this.everLive || this.failedAttempts >= 2) this.setState('offline');
    else this.setState('reconnecting');
  }

  private onSessionEnded(reason: string): void {
    if (this.closed || this.state === 'signedOut') return;
    this.error = `Signed out by the backend: ${reason}. This console is read-only until you sign in again; queued edits are kept.`;
    this.session = null;
    this.setState('signedOut');
    this.link.close();
  }

  private setState(state: LinkState): void {
    this.state = state;
    this.options.listener.stateChanged();
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

function refusedOutcome(mutationId: string, reason: string): MutationOutcome {
  return {
    mutationId,
    result: 'rejected',
    duplicate: false,
    reason,
    points: [],
    processedAt: new Date().toISOString(),
  };
}
