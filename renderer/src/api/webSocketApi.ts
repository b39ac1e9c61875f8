// ConsoleApi over the web host's loopback WebSocket (`ws://<host>/api`). The host authenticates the socket by the
// port's cookie, the page's origin and the per-start session token the page offers as a subprotocol
// (boot/hostSession.ts).
// Wire form: common/consoleApi.ts (WireCall, WireReply, WireEvent).
//
// - Calls made while the socket is (re)connecting wait for it (up to callTimeoutMs).
// - If the socket drops, calls in flight are rejected with a ConsoleApiError('offline') that says whether
//   the host may have acted on them; the socket reconnects with backoff.
// - Events are handed to listeners as they come; validation is done by validated.ts around this.
// - It can start on the socket the boot chunk opened (boot/earlyConnection.ts): a call the boot already sent is
//   not sent again, its answer (held until asked for) settles the same call made here.
import { ConsoleApiError, consoleEvents } from '../../../common/consoleApi.js';
import type {
  ConsoleApi,
  ConsoleEvent,
  ConsoleMethod,
  EventPayload,
  MethodParams,
  MethodResult,
  WireCall,
} from '../../../common/consoleApi.js';
import type { Transport, TransportStatus } from './transport.js';
import { callKey } from '../boot/earlyConnection.js';
import { hostSocketProtocols } from '../boot/hostSession.js';
import type { EarlyConnection } from '../boot/earlyConnection.js';
import { SOCKET_OPEN } from './socketLike.js';
import type { SocketFactory, SocketLike } from './socketLike.js';

export interface WebSocketApiOptions {
  url: string;
  createSocket?: SocketFactory;
  /** A call not answered within this time is rejected (the host may still act on it). */
  callTimeoutMs?: number;
  minRetryMs?: number;
  maxRetryMs?: number;
  /** The socket the boot chunk opened, with the calls it sent: used instead of opening a first one. */
  early?: EarlyConnection | null;
}

const ERROR_CODES = new Set(['invalid', 'unknownMethod', 'notFound', 'offline', 'forbidden', 'internal']);

interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  sent: boolean;
  wire: string;
}

/** Calls that change something: if the link drops before the answer, the change may or may not have been made. */
const MUTATING: ReadonlySet<string> = new Set([
  'setStatus',
  'undoBulk',
  'discardQueued',
  'resolveConflict',
  'updateSettings',
  'signIn',
  'signOut',
  'deliveryAction',
]);

export interface WebSocketApi extends ConsoleApi {
  transport: Transport;
  close(): void;
}

export function createWebSocketApi(opts: WebSocketApiOptions): WebSocketApi {
  // The host's session token goes with every socket (boot/hostSession.ts), read again at each reconnect.
  const createSocket: SocketFactory = opts.createSocket ?? ((url) => new WebSocket(url, hostSocketProtocols()));
  const callTimeoutMs = opts.callTimeoutMs ?? 30_000;
  const minRetry = opts.minRetryMs ?? 300;
  const maxRetry = opts.maxRetryMs ?? 5_000;

  let socket: SocketLike | null = null;
  let early = opts.early ?? null;
  early?.adopt();
  /** Calls the boot sent (wire id by callKey) and the answers to them that came before they were asked for here. */
  const sentEarly = new Map(early?.sent ?? []);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies as they came off the wire, read by settle
  const earlyReplies = new Map<number, any>();
  let nextId = Math.max(0, ...sentEarly.values()) + 1;
  let closed = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  const pending = new Map<number, Pending>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each event's payload is its consoleEvents schema's
  const listeners = new Map<ConsoleEvent, Set<(payload: any) => void>>();
  const statusListeners = new Set<(s: TransportStatus) => void>();
  let status: TransportStatus = { state: 'connecting', opens: 0, error: null, retryAt: null };

  const setStatus = (s: Partial<TransportStatus>) => {
    status = { ...status, ...s };
    for (const l of statusListeners) {
      try {
        l(status);
      } catch (e) {
        console.error('transport listener failed', e);
      }
    }
  };

  const flushUnsent = () => {
    if (!socket || socket.readyState !== SOCKET_OPEN) return;
    for (const p of pending.values()) {
      if (!p.sent) {
        socket.send(p.wire);
        p.sent = true;
      }
    }
  };

  const failInFlight = (why: string) => {
    for (const [id, p] of pending) {
      if (!p.sent) continue; // still waiting for a socket: it will be sent after reconnecting
      pending.delete(id);
      clearTimeout(p.timer);
      const maybe = MUTATING.has(p.method)
        ? ' It may or may not have been carried out: check the grid and the outbox before repeating it.'
        : ' Try again once the link is back.';
      p.reject(
        new ConsoleApiError('offline', `Lost the link to the console host during "${p.method}" (${why}).${maybe}`),
      );
    }
  };

  const connect = () => {
    if (closed) return;
    retryTimer = null;
    setStatus({ state: 'connecting', retryAt: null });
    let s: SocketLike;
    const held = early?.socket ?? null;
    early = null;
    try {
      s = held ?? createSocket(opts.url);
    } catch (e) {
      scheduleRetry(e instanceof Error ? e.message : String(e));
      return;
    }
    socket = s;
    let opened = false;
    s.addEventListener('open', () => {
      if (socket !== s) return;
      opened = true;
      attempt = 0;
      setStatus({ state: 'open', opens: status.opens + 1, error: null, retryAt: null });
      flushUnsent();
    });
    s.addEventListener('message', (ev: { data: unknown }) => {
      if (socket !== s) return;
      onMessage(typeof ev.data === 'string' ? ev.data : String(ev.data));
    });
    s.addEventListener('error', () => {
      /* a close event follows */
    });
    s.addEventListener('close', (ev: { code?: number; reason?: string }) => {
      if (socket !== s) return;
      socket = null;
      // The boot's calls went on this socket: their answers, if not here yet, will not come.
      sentEarly.clear();
      earlyReplies.clear();
      let why: string;
      // The host refuses a page it does not accept before the socket opens (HTTP 403 on the upgrade): no close code.
      if (!opened) {
        // A restarted host has a new secret: this page's cookie no longer opens it.
        why =
          attempt >= 3
            ? 'cannot reach the console host (if it was restarted, open the new link it printed)'
            : 'cannot reach the console host';
      } else {
        why = ev.reason ? `connection closed: ${ev.reason}` : 'connection closed';
      }
      failInFlight(why);
      if (!closed) scheduleRetry(why);
    });
    // What the boot's socket received comes once the code that created this API has run to its end (so it has
    // subscribed and made its first calls).
    if (held) queueMicrotask(() => held.release());
  };

  const scheduleRetry = (why: string) => {
    attempt++;
    const delay = Math.min(maxRetry, minRetry * 2 ** Math.min(attempt - 1, 8)) * (0.8 + Math.random() * 0.4);
    setStatus({ state: 'closed', error: why, retryAt: Date.now() + delay });
    retryTimer = setTimeout(connect, delay);
  };

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a wire reply; its fields are checked here before use
  const settle = (p: Pending, msg: any) => {
    clearTimeout(p.timer);
    if (msg.ok === true) p.resolve(msg.data);
    else {
      const code = ERROR_CODES.has(msg.error?.code) ? msg.error.code : 'internal';
      const message =
        typeof msg.error?.message === 'string' ? msg.error.message : 'the console host answered with an error';
      p.reject(new ConsoleApiError(code, message));
    }
  };

  const onMessage = (text: string) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed wire text, checked field by field below
    let msg: any;
    try {
      msg = JSON.parse(text);
    } catch {
      console.error('console host sent a message that is not JSON; ignored');
      return;
    }
    if (msg && msg.kind === 'reply' && typeof msg.id === 'number') {
      const p = pending.get(msg.id);
      if (p) {
        pending.delete(msg.id);
        settle(p, msg);
      } else if ([...sentEarly.values()].includes(msg.id)) earlyReplies.set(msg.id, msg);
      return;
    }
    if (msg && msg.kind === 'event' && typeof msg.name === 'string' && Object.hasOwn(consoleEvents, msg.name)) {
      const set = listeners.get(msg.name as ConsoleEvent);
      if (!set) return;
      for (const l of [...set]) {
        try {
          l(msg.payload);
        } catch (e) {
          console.error(`listener for "${msg.name}" failed`, e);
        }
      }
      return;
    }
    console.error('console host sent a message of an unknown kind; ignored');
  };

  connect();

  return {
    transport: {
      get: () => status,
      subscribe(l) {
        statusListeners.add(l);
        return () => statusListeners.delete(l);
      },
    },
    call<M extends ConsoleMethod>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
      if (closed) return Promise.reject(new ConsoleApiError('offline', 'the console API was closed'));
      const key = callKey(method, params);
      const earlyId = sentEarly.get(key);
      sentEarly.delete(key);
      const id = earlyId ?? nextId++;
      const call: WireCall = { kind: 'call', id, method, params };
      return new Promise<MethodResult<M>>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(
            new ConsoleApiError(
              'offline',
              `No answer from the console host to "${method}" within ${Math.round(callTimeoutMs / 1000)} s.` +
                (MUTATING.has(method)
                  ? ' It may still be carried out: check the grid and the outbox before repeating it.'
                  : ''),
            ),
          );
        }, callTimeoutMs);
        const p: Pending = {
          method,
          resolve: resolve as (v: unknown) => void,
          reject,
          timer,
          sent: earlyId !== undefined,
          wire: JSON.stringify(call),
        };
        const answered = earlyReplies.get(id);
        earlyReplies.delete(id);
        if (answered) return settle(p, answered);
        pending.set(id, p);
        flushUnsent();
      });
    },
    on<E extends ConsoleEvent>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set!.delete(listener);
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const s = socket;
      socket = null;
      for (const [id, p] of pending) {
        pending.delete(id);
        clearTimeout(p.timer);
        p.reject(new ConsoleApiError('offline', 'the console API was closed'));
      }
      s?.close(1000, 'closing');
      setStatus({ state: 'closed', error: 'closed', retryAt: null });
    },
  };
}
