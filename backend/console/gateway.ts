// Consoles over socket.io: handshake auth, hello, and the sync / mutate / history requests.
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { mutationSchema } from '../../common/model.js';
import type { SessionInfo, SyncReply, MutateReply, HistoryReply, Ack, Hello } from '../../common/protocol.js';
import {
  CONSOLE_EVENTS,
  handshakeAuthSchema,
  historyRequestSchema,
  MAX_MUTATIONS_PER_CALL,
  mutateRequestSchema,
  syncRequestSchema,
} from '../../common/protocol.js';
import type { Auth } from '../auth.js';
import type { AppliedPoint } from '../store/mutations.js';
import type { Store } from '../store/index.js';
import { CONSOLES_ROOM } from './broadcaster.js';
import { describeIssues, fail } from './validation.js';

export interface ConsoleGatewayDeps {
  store: Store;
  auth: Auth;
  /** Called after a mutation committed, with the points whose station must now be told. */
  onApplied: (applied: AppliedPoint[]) => void;
  log: (line: string) => void;
}

interface SocketData {
  session: SessionInfo;
  token: string;
  expiryTimer?: NodeJS.Timeout;
}

const KNOWN_EVENTS = new Set<string>([CONSOLE_EVENTS.sync, CONSOLE_EVENTS.mutate, CONSOLE_EVENTS.history]);
const MAX_TIMER_MS = 2 ** 31 - 1;
const usableId = (id: unknown): id is string =>
  typeof id === 'string' && mutationSchema.shape.id.safeParse(id).success;

export class ConsoleGateway {
  constructor(
    private readonly io: Server,
    private readonly deps: ConsoleGatewayDeps,
  ) {
    io.use((socket, next) => {
      const parsed = handshakeAuthSchema.safeParse(socket.handshake.auth);
      const session = parsed.success ? deps.auth.session(parsed.data.token) : null;
      if (!parsed.success || !session) return next(new Error('unauthenticated'));
      const data: SocketData = { session, token: parsed.data.token };
      socket.data = data;
      next();
    });
    io.on('connection', (socket) => this.onConnection(socket));
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
    data.expiryTimer = setTimeout(() => this.endSession(socket, 'session expired'), Math.min(Math.max(msLeft, 0), MAX_TIMER_MS));
    socket.on('disconnect', () => clearTimeout(data.expiryTimer));
    const hello: Hello = {
      networkId: store.networkId,
      session: data.session,
      serverTime: new Date().toISOString(),
      seq: store.seq,
    };
    socket.emit(CONSOLE_EVENTS.hello, hello);

    this.handle(socket, CONSOLE_EVENTS.sync, syncRequestSchema, (req) => this.sync(req));
    this.handle(socket, CONSOLE_EVENTS.history, historyRequestSchema, (req) => this.history(req));
    socket.on(CONSOLE_EVENTS.mutate, (...args: unknown[]) => {
      const ack = takeAck(args);
      this.guard(socket, ack, () => this.mutate(data.session, args[0]));
    });
    socket.onAny((event: string, ...args: unknown[]) => {
      if (KNOWN_EVENTS.has(event)) return;
      const ack = takeAck(args);
      if (ack) safeAck(ack, fail('invalid', `unknown event "${event}"`));
    });
  }

  private handle<S extends z.ZodType, R>(
    socket: Socket,
    event: string,
    schema: S,
    fn: (req: z.infer<S>) => Ack<R>,
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
  private guard(socket: Socket, ack: AckFn | null, fn: () => Ack<unknown>): void {
    const data = socket.data as SocketData;
    let reply: Ack<unknown>;
    if (!this.deps.auth.session(data.token)) {
      reply = fail('unauthenticated', 'session ended: sign in again');
      setImmediate(() => this.endSession(socket, 'session ended'));
    } else {
      try {
        reply = fn();
      } catch (err) {
        this.deps.log(`console: request failed: ${(err as Error).stack ?? String(err)}`);
        reply = fail('internal', 'the backend could not process the request');
      }
    }
    if (ack) safeAck(ack, reply);
  }

  private sync(req: z.infer<typeof syncRequestSchema>): Ack<SyncReply> {
    const { store } = this.deps;
    const seq = store.seq;
    const since = req.sinceSeq;
    const total = store.points.count();
    const snapshot =
      req.networkId !== store.networkId ||
      since === null ||
      since > seq ||
      store.points.countChangedSince(since) > total / 2;
    if (snapshot) {
      return {
        ok: true,
        data: { kind: 'snapshot', networkId: store.networkId, seq, sites: store.stations.allSites(), points: store.points.all() },
      };
    }
    const sites = store.stations.sitesSince(since).map(({ seq: _seq, ...site }) => site);
    return { ok: true, data: { kind: 'delta', networkId: store.networkId, seq, sites, points: store.points.changedSince(since) } };
  }

  private history(req: z.infer<typeof historyRequestSchema>): Ack<HistoryReply> {
    const { store } = this.deps;
    if (!store.points.row(req.pointId)) return fail('notFound', `history: unknown point "${req.pointId}"`);
    return { ok: true, data: { entries: store.audit.history(req.pointId, req.limit) } };
  }

  private mutate(session: SessionInfo, raw: unknown): Ack<MutateReply> {
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
            store.mutations.recordInvalid(id, session.username, `invalid: ${describeIssues(one.error, `mutations.${i}`)}`);
          }
        });
      }
      return fail('invalid', `mutate: ${describeIssues(parsed.error)}`);
    }
    const actor = { username: session.username, role: session.role };
    const outcomes = [];
    const applied: AppliedPoint[] = [];
    for (const m of parsed.data.mutations) {
      const r = store.mutations.process(m, actor);
      outcomes.push(r.outcome);
      for (const a of r.applied) applied.push(a);
    }
    if (applied.length > 0) setImmediate(() => this.deps.onApplied(applied));
    return { ok: true, data: { outcomes } };
  }
}

type AckFn = (reply: unknown) => void;

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
