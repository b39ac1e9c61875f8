// Consoles over socket.io: handshake auth, hello, and the sync / mutate / history requests.
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { mutationSchema, roleAllows } from '../../common/model.js';
import type { SessionInfo, SyncReply, MutateReply, HistoryReply, Ack, Hello, Liveness } from '../../common/protocol.js';
import type { DeliveryActionReply, DeliveryActionRequest } from '../../common/protocol.js';
import {
  alertActionRequestSchema,
  alertsRequestSchema,
  type AlertActionRequest,
  type AlertReply,
  type Alerts,
} from '../../common/alerts.js';
import {
  cancelWindowRequestSchema,
  changeWindowRequestSchema,
  planWindowRequestSchema,
  windowsRequestSchema,
  type CancelWindowRequest,
  type ChangeWindowRequest,
  type PlanWindowRequest,
  type WindowReply,
  type Windows,
} from '../../common/windows.js';
import {
  CONSOLE_EVENTS,
  deliveryActionRequestSchema,
  livenessRequestSchema,
  handshakeAuthSchema,
  historyRequestSchema,
  MAX_CONSOLE_MESSAGE_BYTES,
  MAX_MUTATIONS_PER_CALL,
  mutateRequestSchema,
  syncRequestSchema,
} from '../../common/protocol.js';
import type { Auth } from '../auth.js';
import type { UptimeRequests } from '../history/requests.js';
import { excludeOutageRequestSchema, timelineRequestSchema, uptimeRequestSchema } from '../../common/uptime.js';
import type { AppliedPoint, ProcessResult } from '../store/mutations.js';
import type { Store } from '../store/index.js';
import {
  partnerActionRequestSchema,
  partnersRequestSchema,
  pointPartnersRequestSchema,
} from '../../common/ocpiPartners.js';
import type { PartnerRequests } from './partnerRequests.js';
import { CONSOLES_ROOM } from './broadcaster.js';
import { guardFrames } from './frameGuard.js';
import { describeIssues, fail } from './validation.js';

export interface ConsoleGatewayDeps {
  store: Store;
  auth: Auth;
  /** Called after a mutation committed, with the points whose station must now be told. */
  onApplied: (applied: AppliedPoint[]) => void;
  /** After any mutate request was processed (to send people's edits without waiting for the coalescing window). */
  onEdited?: (points: number) => void;
  log: (line: string) => void;
  /** Every station's liveness now (the answer to `liveness`). */
  liveness?: () => Liveness;
  /** Re-sends or withdraws a change its station has not confirmed (the role is checked before). */
  deliveryAction?: (
    req: DeliveryActionRequest,
    actor: { username: string; role: SessionInfo['role'] },
  ) => DeliveryActionReply;
  /** Planned maintenance windows (roles are checked by the scheduler). */
  windows?: WindowRequests;
  /** Alerts (roles are checked by the alert engine). */
  alerts?: AlertRequests;
  /** Timelines, uptime and exclusions (roles are checked by the uptime service). */
  uptime?: UptimeRequests;
  /** OCPI roaming partners (admins only: checked by partnerRequests.ts). */
  partners?: PartnerRequests;
  /** How often every connected console's session is checked against the store (disabled users, revocations made
   * by another process such as `user disable`). Default 2 000 ms. */
  sessionCheckMs?: number;
  rateLimit?: Partial<RateLimit>;
}

export interface AlertRequests {
  list(): Ack<Alerts>;
  act(req: AlertActionRequest, session: SessionInfo): Ack<AlertReply>;
}

export interface WindowRequests {
  list(): Ack<Windows>;
  plan(req: PlanWindowRequest, session: SessionInfo): Ack<WindowReply>;
  change(req: ChangeWindowRequest, session: SessionInfo): Ack<WindowReply>;
  cancel(req: CancelWindowRequest, session: SessionInfo): Ack<WindowReply>;
}

/** Per-connection limit on console → backend events: a token bucket. */
export interface RateLimit {
  /** Events allowed in one burst. Default 200. */
  burst: number;
  /** Sustained events per second. Default 100. */
  perSec: number;
  /** Refused events within 10 s after which the connection is closed. Default 1 000. */
  disconnectAfter: number;
  /** A `sync` or `history` is answered only while the connection holds less than this many bytes of earlier
   * answers it has not taken yet (engine.io's write buffer plus the WebSocket's buffered bytes); beyond it
   * `rateLimited`. So a snapshot still being sent is the only one in flight, and a console that does not read its
   * socket cannot make the backend hold more. Default 4 MiB. */
  maxUnsentBytes: number;
  /** Snapshot budget per user, in points sent per minute (all their connections together; a token bucket that
   * holds one minute's worth). A snapshot is sent while the budget is above zero, so even a network larger than
   * the budget gets one; beyond it `rateLimited`. Default 1 000 000 (50 full snapshots of a 20,000-point network). */
  snapshotPointsPerMin: number;
}
export const DEFAULT_RATE_LIMIT: RateLimit = {
  burst: 200,
  perSec: 100,
  disconnectAfter: 1000,
  maxUnsentBytes: 4 * 1024 * 1024,
  snapshotPointsPerMin: 1_000_000,
};
const ABUSE_WINDOW_MS = 10_000;

interface SocketData {
  session: SessionInfo;
  token: string;
  expiryTimer?: NodeJS.Timeout;
}

const END_REASONS = {
  unknown: 'session ended',
  expired: 'session expired',
  revoked: 'signed out',
  disabled: 'account disabled',
} as const;

const KNOWN_EVENTS = new Set<string>([
  CONSOLE_EVENTS.sync,
  CONSOLE_EVENTS.mutate,
  CONSOLE_EVENTS.history,
  CONSOLE_EVENTS.liveness,
  CONSOLE_EVENTS.deliveryAction,
  CONSOLE_EVENTS.windows,
  CONSOLE_EVENTS.planWindow,
  CONSOLE_EVENTS.changeWindow,
  CONSOLE_EVENTS.cancelWindow,
  CONSOLE_EVENTS.alerts,
  CONSOLE_EVENTS.alertAction,
  CONSOLE_EVENTS.timeline,
  CONSOLE_EVENTS.uptime,
  CONSOLE_EVENTS.excludeOutage,
  CONSOLE_EVENTS.partners,
  CONSOLE_EVENTS.pointPartners,
  CONSOLE_EVENTS.partnerAction,
]);
const MAX_TIMER_MS = 2 ** 31 - 1;
const usableId = (id: unknown): id is string => typeof id === 'string' && mutationSchema.shape.id.safeParse(id).success;

export class ConsoleGateway {
  private readonly sweep: NodeJS.Timeout;
  private readonly limit: RateLimit;
  /** Per user: snapshot points still allowed, and when that was worked out. */
  private readonly snapshotBudget = new Map<string, { points: number; at: number }>();

  constructor(
    private readonly io: Server,
    private readonly deps: ConsoleGatewayDeps,
  ) {
    this.limit = { ...DEFAULT_RATE_LIMIT, ...deps.rateLimit };
    this.sweep = setInterval(() => this.checkSessions(), deps.sessionCheckMs ?? 2000);
    this.sweep.unref();
    // Size (before sign-in) and nesting are checked before socket.io parses a frame (frameGuard.ts).
    const frames = guardFrames(io, io.engine.opts.maxHttpBufferSize ?? MAX_CONSOLE_MESSAGE_BYTES, deps.log);

    io.use((socket, next) => {
      const parsed = handshakeAuthSchema.safeParse(socket.handshake.auth);
      const session = parsed.success ? deps.auth.session(parsed.data.token) : null;
      if (!parsed.success || !session) return next(new Error('unauthenticated'));
      const data: SocketData = { session, token: parsed.data.token };
      socket.data = data;
      frames.signedIn(socket.conn);
      next();
    });
    io.on('connection', (socket) => this.onConnection(socket));
  }

  stop(): void {
    clearInterval(this.sweep);
  }

  /**
   * Drops every console whose session is no longer live in the store: expired, signed out, or its user disabled
   * (possibly by `npm run backend -- user disable`, another process on the same store).
   */
  checkSessions(): void {
    for (const socket of this.io.of('/').sockets.values()) {
      const data = socket.data as SocketData;
      if (!data?.token) continue;
      try {
        const end = this.deps.auth.sessionEnd(data.token);
        if (end) {
          this.deps.log(`console: ${data.session.username}'s session ended (${end}); dropping the console`);
          this.endSession(socket, END_REASONS[end]);
        }
      } catch (err) {
        this.deps.log(`console: session check failed: ${(err as Error).message}`);
      }
    }
  }

  /** Ends the sessions of one token (sign-out): its sockets hear sessionEnded and are disconnected. */
  endSessions(token: string, reason: string): void {
    for (const socket of this.io.of('/').sockets.values()) {
      if ((socket.data as SocketData).token === token) this.endSession(socket, reason);
    }
  }

  private endSession(socket: Socket, reason: string): void {
    socket.emit(CONSOLE_EVENTS.sessionEnded, { reason });
    socket.disconnect(true);
  }

  private onConnection(socket: Socket): void {
    const data = socket.data as SocketData;
    const { store } = this.deps;
    void socket.join(CONSOLES_ROOM);
    const msLeft = Date.parse(data.session.expiresAt) - Date.now();
    data.expiryTimer = setTimeout(
      () => this.endSession(socket, 'session expired'),
      Math.min(Math.max(msLeft, 0), MAX_TIMER_MS),
    );
    socket.on('disconnect', () => clearTimeout(data.expiryTimer));
    this.limitRate(socket);
    const hello: Hello = {
      networkId: store.networkId,
      session: data.session,
      serverTime: new Date().toISOString(),
      seq: store.seq,
    };
    socket.emit(CONSOLE_EVENTS.hello, hello);

    this.handle(socket, CONSOLE_EVENTS.sync, syncRequestSchema, (req) => this.sync(socket, req));
    this.handle(
      socket,
      CONSOLE_EVENTS.history,
      historyRequestSchema,
      (req) => this.unsentCheck(socket, 'history') ?? this.history(req),
    );
    this.handle(socket, CONSOLE_EVENTS.liveness, livenessRequestSchema, () => this.liveness());
    this.handle(socket, CONSOLE_EVENTS.deliveryAction, deliveryActionRequestSchema, (req) =>
      this.deliveryAction(data.session, req),
    );
    const windows = this.deps.windows;
    if (windows) {
      this.handle(socket, CONSOLE_EVENTS.windows, windowsRequestSchema, () => windows.list());
      this.handle(socket, CONSOLE_EVENTS.planWindow, planWindowRequestSchema, (req) => windows.plan(req, data.session));
      this.handle(socket, CONSOLE_EVENTS.changeWindow, changeWindowRequestSchema, (req) =>
        windows.change(req, data.session),
      );
      this.handle(socket, CONSOLE_EVENTS.cancelWindow, cancelWindowRequestSchema, (req) =>
        windows.cancel(req, data.session),
      );
    }
    const alerts = this.deps.alerts;
    if (alerts) {
      this.handle(
        socket,
        CONSOLE_EVENTS.alerts,
        alertsRequestSchema,
        () => this.unsentCheck(socket, 'alerts') ?? alerts.list(),
      );
      this.handle(socket, CONSOLE_EVENTS.alertAction, alertActionRequestSchema, (req) => alerts.act(req, data.session));
    }
    const uptime = this.deps.uptime;
    if (uptime) {
      this.handle(
        socket,
        CONSOLE_EVENTS.timeline,
        timelineRequestSchema,
        (req) => this.unsentCheck(socket, 'timeline') ?? uptime.timeline(req),
      );
      this.handle(
        socket,
        CONSOLE_EVENTS.uptime,
        uptimeRequestSchema,
        (req) => this.unsentCheck(socket, 'uptime') ?? uptime.uptime(req),
      );
      this.handle(socket, CONSOLE_EVENTS.excludeOutage, excludeOutageRequestSchema, (req) =>
        uptime.exclude(req, data.session),
      );
    }
    const partners = this.deps.partners;
    if (partners) {
      this.handle(socket, CONSOLE_EVENTS.partners, partnersRequestSchema, () => partners.list(data.session));
      this.handle(socket, CONSOLE_EVENTS.pointPartners, pointPartnersRequestSchema, (req) =>
        partners.point(req, data.session),
      );
      this.handle(socket, CONSOLE_EVENTS.partnerAction, partnerActionRequestSchema, (req) =>
        partners.act(req, data.session),
      );
    }
    socket.on(CONSOLE_EVENTS.mutate, (...args: unknown[]) => {
      const ack = takeAck(args);
      this.guard(socket, ack, () => this.mutate(data.session, args[0], (reply) => ack && safeAck(ack, reply)));
    });
    socket.onAny((event: string, ...args: unknown[]) => {
      if (KNOWN_EVENTS.has(event)) return;
      const ack = takeAck(args);
      if (ack) safeAck(ack, fail('invalid', `unknown event "${event}"`));
    });
  }

  /** A token bucket per connection: beyond it an event is answered `rateLimited` (connection kept); a console
   * that keeps hammering is disconnected. */
  private limitRate(socket: Socket): void {
    const { burst, perSec, disconnectAfter } = this.limit;
    let tokens = burst;
    let last = Date.now();
    let refused = 0;
    let windowStart = last;
    let waiting = false;
    socket.use((packet, next) => {
      const now = Date.now();
      tokens = Math.min(burst, tokens + ((now - last) * perSec) / 1000);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return next();
      }
      if (!waiting) {
        // One event may wait for the next token instead of being refused: a console that sends one request at a
        // time (the core replaying its queue one edit per request, as a role without bulk edits must) is paced at
        // perSec rather than refused and stalled. Anything sent meanwhile is refused as before.
        waiting = true;
        const waitMs = Math.ceil(((1 - tokens) * 1000) / perSec);
        tokens -= 1;
        setTimeout(() => {
          waiting = false;
          if (socket.connected) next();
        }, waitMs).unref();
        return;
      }
      if (now - windowStart > ABUSE_WINDOW_MS) {
        windowStart = now;
        refused = 0;
      }
      refused++;
      const ack = takeAck(packet as unknown[]);
      if (ack) safeAck(ack, fail('rateLimited', `too many requests: at most ${perSec} per second; slow down`));
      if (refused === disconnectAfter) {
        const who = (socket.data as SocketData).session?.username ?? '?';
        this.deps.log(`console: ${who} sent too many requests; disconnecting`);
        socket.disconnect(true);
      }
    });
  }

  private handle<S extends z.ZodType, R>(
    socket: Socket,
    event: string,
    schema: S,
    fn: (req: z.infer<S>) => Ack<R> | Promise<Ack<R>>,
  ): void {
    socket.on(event, (...args: unknown[]) => {
      const ack = takeAck(args);
      this.guard(socket, ack, () => {
        const parsed = schema.safeParse(args[0]);
        if (!parsed.success) return fail('invalid', `${event}: ${describeIssues(parsed.error)}`);
        return fn(parsed.data);
      });
    });
  }

  /** Checks the session is still live, runs the request, and answers (if the console asked for an answer). */
  private guard(
    socket: Socket,
    ack: AckFn | null,
    fn: () => Ack<unknown> | Promise<Ack<unknown>> | typeof ANSWERED_LATER,
  ): void {
    const data = socket.data as SocketData;
    let reply: Ack<unknown> | Promise<Ack<unknown>> | typeof ANSWERED_LATER;
    if (!this.deps.auth.session(data.token)) {
      const why = END_REASONS[this.deps.auth.sessionEnd(data.token) ?? 'unknown'];
      reply = fail('unauthenticated', `${why}: sign in again`);
      setImmediate(() => this.endSession(socket, why));
    } else {
      try {
        reply = fn();
      } catch (err) {
        this.deps.log(`console: request failed: ${(err as Error).stack ?? String(err)}`);
        reply = fail('internal', 'the backend could not process the request');
      }
    }
    if (reply === ANSWERED_LATER) return;
    if (reply instanceof Promise) {
      // A request that waits on the network (registering with a roaming partner) answers when it is done.
      void reply
        .catch((err: unknown) => {
          this.deps.log(`console: request failed: ${(err as Error).stack ?? String(err)}`);
          return fail('internal', 'the backend could not process the request');
        })
        .then((r) => ack && safeAck(ack, r));
      return;
    }
    if (ack) safeAck(ack, reply);
  }

  /** `rateLimited` while the connection still holds more than maxUnsentBytes of answers it has not taken. */
  private unsentCheck(socket: Socket, event: string): Ack<never> | null {
    const unsent = unsentBytes(socket);
    if (unsent <= this.limit.maxUnsentBytes) return null;
    return fail(
      'rateLimited',
      `${event}: ${Math.round(unsent / 1024)} KiB of earlier answers are still being sent on this connection; ask again once they are read`,
    );
  }

  /** Takes a snapshot of `points` points from the user's budget; false when the budget is spent. */
  private takeSnapshotBudget(username: string, points: number): boolean {
    const perMin = this.limit.snapshotPointsPerMin;
    const now = Date.now();
    const b = this.snapshotBudget.get(username) ?? { points: perMin, at: now };
    b.points = Math.min(perMin, b.points + ((now - b.at) * perMin) / 60_000);
    b.at = now;
    this.snapshotBudget.set(username, b);
    if (b.points <= 0) return false;
    b.points -= points;
    // Bounded memory: users with a full budget again need no entry.
    if (this.snapshotBudget.size > 10_000) {
      for (const [name, e] of this.snapshotBudget)
        if (e.points + ((now - e.at) * perMin) / 60_000 >= perMin) this.snapshotBudget.delete(name);
    }
    return true;
  }

  private sync(socket: Socket, req: z.infer<typeof syncRequestSchema>): Ack<SyncReply> {
    const { store } = this.deps;
    // Cost limits before any work: nothing is read or built while the connection has not taken earlier answers.
    const busy = this.unsentCheck(socket, 'sync');
    if (busy) return busy;
    const seq = store.seq;
    const since = req.sinceSeq;
    const total = store.points.count();
    const snapshot =
      req.networkId !== store.networkId ||
      since === null ||
      since > seq ||
      store.points.countChangedSince(since) > total / 2;
    if (snapshot) {
      const username = (socket.data as SocketData).session.username;
      if (!this.takeSnapshotBudget(username, Math.max(1, total))) {
        return fail(
          'rateLimited',
          `sync: too many full snapshots for ${username} in the last minute; ask again shortly`,
        );
      }
      return {
        ok: true,
        data: {
          kind: 'snapshot',
          networkId: store.networkId,
          seq,
          sites: store.stations.allSites(),
          points: store.points.all(),
        },
      };
    }
    const sites = store.stations.sitesSince(since).map(({ seq: _seq, ...site }) => site);
    return {
      ok: true,
      data: { kind: 'delta', networkId: store.networkId, seq, sites, points: store.points.changedSince(since) },
    };
  }

  private history(req: z.infer<typeof historyRequestSchema>): Ack<HistoryReply> {
    const { store } = this.deps;
    if (!store.points.row(req.pointId)) return fail('notFound', `history: unknown point "${req.pointId}"`);
    return { ok: true, data: { entries: store.audit.history(req.pointId, req.limit) } };
  }

  private liveness(): Ack<Liveness> {
    const { store, liveness } = this.deps;
    return { ok: true, data: liveness ? liveness() : { networkId: store.networkId, full: true, stations: [] } };
  }

  private deliveryAction(session: SessionInfo, req: DeliveryActionRequest): Ack<DeliveryActionReply> {
    if (!roleAllows(session.role, 'edit'))
      return fail('forbidden', `a ${session.role} may not re-send or withdraw changes`);
    if (!this.deps.store.points.row(req.pointId))
      return fail('notFound', `deliveryAction: unknown point "${req.pointId}"`);
    if (!this.deps.deliveryAction) return fail('internal', 'this backend cannot re-send changes');
    return { ok: true, data: this.deps.deliveryAction(req, { username: session.username, role: session.role }) };
  }

  /**
   * Applies a mutate request in the turn's shared commit (store/turnCommit.ts): the requests of one turn take the seq
   * lock once and commit once. Answered once stored; the edit goes out to the consoles once every request of that
   * commit is answered, in the same task (a task queued from there would wait for the next turn's messages).
   */
  private mutate(
    session: SessionInfo,
    raw: unknown,
    answer: (reply: Ack<MutateReply>) => void,
  ): Ack<MutateReply> | typeof ANSWERED_LATER {
    const { store } = this.deps;
    const parsed = mutateRequestSchema.safeParse(raw);
    if (!parsed.success) {
      // A mutation that can never pass is recorded as processed (rejected), so a console's queue cannot stick on it.
      const list = (raw as { mutations?: unknown } | null)?.mutations;
      if (Array.isArray(list) && list.length <= MAX_MUTATIONS_PER_CALL) {
        list.forEach((m, i) => {
          const one = mutationSchema.safeParse(m);
          const id = (m as { id?: unknown } | null)?.id;
          if (!one.success && usableId(id)) {
            store.mutations.recordInvalid(
              id,
              session.username,
              `invalid: ${describeIssues(one.error, `mutations.${i}`)}`,
            );
          }
        });
      }
      return fail('invalid', `mutate: ${describeIssues(parsed.error)}`);
    }
    const { mutations } = parsed.data;
    // Authorization per request: touching more than one point needs the bulk permission however the request is
    // split. A request of several mutations over several points from a role without it is refused whole and nothing
    // is recorded: the console core answers `invalid` by sending its queued edits one per request (SyncEngine.send),
    // so an operator's offline queue still goes through, while a hand-made request cannot bulk-edit. (Recording each
    // as rejected would throw away an operator's real queued edits for good.) One mutation naming several points
    // keeps its per-mutation answer: recorded as rejected, every point notAllowed.
    if (mutations.length > 1 && !roleAllows(session.role, 'bulkEdit')) {
      const touched = new Set(mutations.flatMap((m) => m.targets.map((t) => t.pointId))).size;
      if (touched > 1) {
        return fail(
          'invalid',
          `mutate: role ${session.role} may change one point per request (this one touches ${touched}); send the edits one at a time`,
        );
      }
    }
    const actor = { username: session.username, role: session.role };
    const points = mutations.reduce((n, m) => n + m.targets.length, 0);
    let results: ProcessResult[] = [];
    store.turn.join({
      name: 'mutate request',
      work: () => {
        results = store.mutations.processEach(mutations, actor);
      },
      done: (error, late) => {
        if (late) this.deps.log(`console: after storing a mutate request: ${late.message}`);
        if (error) {
          this.deps.log(`console: could not store a mutate request: ${error.message}`);
          answer(fail('internal', 'the backend could not store the request: send it again'));
          return;
        }
        answer({ ok: true, data: { outcomes: results.map((r) => r.outcome) } });
        const applied = results.flatMap((r) => r.applied);
        // After every request of this commit is answered, still in this task (a task of its own would wait for the
        // next turn's station messages).
        queueMicrotask(() => {
          try {
            this.deps.onEdited?.(points);
            if (applied.length > 0) this.deps.onApplied(applied);
          } catch (err) {
            this.deps.log(`console: after an edit was stored: ${(err as Error).stack ?? String(err)}`);
          }
        });
      },
    });
    return ANSWERED_LATER;
  }
}

type AckFn = (reply: unknown) => void;

interface ConnInternals {
  writeBuffer?: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: number } };
}

/** Bytes of answers a connection has not taken yet: engine.io's write buffer and the WebSocket's own buffer. */
export function unsentBytes(socket: Socket): number {
  const conn = socket.conn as unknown as ConnInternals;
  let n = 0;
  for (const p of conn.writeBuffer ?? []) {
    const d = p.data;
    n += typeof d === 'string' ? d.length : d instanceof Uint8Array ? d.byteLength : 0;
  }
  const ws = conn.transport?.socket?.bufferedAmount;
  return n + (typeof ws === 'number' ? ws : 0);
}

/** A handler that answers by itself, later (guard sends nothing). */
const ANSWERED_LATER = Symbol('answered later');

function takeAck(args: unknown[]): AckFn | null {
  return typeof args[args.length - 1] === 'function' ? (args.pop() as AckFn) : null;
}

function safeAck(ack: AckFn, reply: unknown): void {
  try {
    ack(reply);
  } catch {
    // a broken acknowledgement must not take the server down
  }
}
