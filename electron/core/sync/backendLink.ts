// The console's connection to the backend: sign-in over HTTP, then one socket.io connection whose every
// answer and pushed message is validated against the shared protocol schemas.
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { pointSchema, siteSchema, type Point, type Site } from '../../../common/model.js';
import {
  CONSOLE_EVENTS,
  CONSOLE_SOCKET_PATH,
  LOGIN_PATH,
  changesSchema,
  clientToServer,
  errorReplySchema,
  helloSchema,
  livenessSchema,
  loginReplySchema,
  sessionEndedSchema,
  type Changes,
  type ErrorReply,
  type Hello,
  type Liveness,
  type LoginReply,
  type SyncReply,
} from '../../../common/protocol.js';
import { windowsSchema, type Windows } from '../../../common/windows.js';
import { alertsSchema, type Alerts } from '../../../common/alerts.js';

export class BackendError extends Error {
  constructor(
    readonly code: ErrorReply['code'] | 'timeout' | 'disconnected' | 'badReply',
    message: string,
    /** A refused window's overlap with another, when the backend named one. */
    readonly overlap?: ErrorReply['overlap'],
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

export async function login(backendUrl: string, username: string, password: string): Promise<LoginReply> {
  let response: Response;
  try {
    response = await fetch(new URL(LOGIN_PATH, backendUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new BackendError('disconnected', `cannot reach the backend at ${backendUrl}: ${(error as Error).message}`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = errorReplySchema.safeParse((body as { error?: unknown } | null)?.error ?? body);
    throw new BackendError(
      response.status === 401
        ? 'unauthenticated'
        : response.status === 429
          ? 'rateLimited'
          : response.status === 400
            ? 'invalid'
            : 'internal',
      parsed.success ? parsed.data.message : `sign-in failed (HTTP ${response.status})`,
    );
  }
  const parsed = loginReplySchema.safeParse(body);
  if (!parsed.success) throw new BackendError('badReply', 'the backend answered sign-in with an unexpected reply');
  return parsed.data;
}

/** A site or point from the backend that failed the shared schema: skipped (the rest is applied) and reported. */
export interface InvalidRecord {
  kind: 'site' | 'point';
  /** Its id when it has a usable one. */
  id: string | null;
  problem: string;
}

/**
 * Batches and sync replies are checked in two steps: the envelope as a whole, then every site and point on its own,
 * so one record the schema refuses is skipped alone instead of the whole message (which froze consoles on one bad
 * point: issue 15).
 */
const changesEnvelopeSchema = changesSchema.extend({ sites: z.array(z.unknown()), points: z.array(z.unknown()) });
const syncEnvelopeSchema = z.object({
  kind: z.enum(['snapshot', 'delta']),
  networkId: z.string(),
  seq: z.number().int().nonnegative(),
  sites: z.array(z.unknown()),
  points: z.array(z.unknown()),
});

function recordsOf(
  rawSites: unknown[],
  rawPoints: unknown[],
): { sites: Site[]; points: Point[]; invalid: InvalidRecord[] } {
  const invalid: InvalidRecord[] = [];
  const check = <T>(kind: InvalidRecord['kind'], schema: z.ZodType<T>, raw: unknown[]): T[] => {
    const ok: T[] = [];
    for (const record of raw) {
      const parsed = schema.safeParse(record);
      if (parsed.success) ok.push(parsed.data);
      else {
        const id = (record as { id?: unknown } | null)?.id;
        const issue = parsed.error.issues[0];
        invalid.push({
          kind,
          id: typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : null,
          problem: `${issue.path.join('.') || kind}: ${issue.message}`,
        });
      }
    }
    return ok;
  };
  return { sites: check('site', siteSchema, rawSites), points: check('point', pointSchema, rawPoints), invalid };
}

export interface LinkHandlers {
  onConnect(hello: Hello): void;
  onDisconnect(reason: string): void;
  onConnectError(message: string): void;
  /** A batch, without the records that failed their schema (those are in `invalid`). */
  onChanges(changes: Changes, invalid: InvalidRecord[]): void;
  onLiveness(liveness: Liveness): void;
  onWindows(windows: Windows): void;
  onAlerts(alerts: Alerts): void;
  onSessionEnded(reason: string): void;
  onProtocolError(message: string): void;
}

type RequestEvent = keyof typeof clientToServer;
type Reply<E extends RequestEvent> = z.infer<(typeof clientToServer)[E]['reply']>;
type Request<E extends RequestEvent> = z.input<(typeof clientToServer)[E]['request']>;

export class BackendLink {
  private readonly socket: Socket;

  constructor(backendUrl: string, token: string, handlers: LinkHandlers) {
    this.socket = io(backendUrl, {
      path: CONSOLE_SOCKET_PATH,
      auth: { token },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5,
      timeout: 10_000,
    });
    this.socket.on('connect', () => {
      // socket.io buffers emits made while disconnected; only the outbox may resend edits.
      this.socket.sendBuffer = [];
    });
    this.socket.on(CONSOLE_EVENTS.hello, (payload: unknown) => {
      const hello = helloSchema.safeParse(payload);
      if (hello.success) handlers.onConnect(hello.data);
      else handlers.onProtocolError(`invalid hello from the backend: ${hello.error.message}`);
    });
    this.socket.on('disconnect', (reason) => handlers.onDisconnect(reason));
    this.socket.on('connect_error', (error) => handlers.onConnectError(error.message));
    this.socket.on(CONSOLE_EVENTS.changes, (payload: unknown) => {
      const envelope = changesEnvelopeSchema.safeParse(payload);
      if (!envelope.success)
        return handlers.onProtocolError(`invalid changes from the backend: ${envelope.error.message}`);
      const { sites, points, invalid } = recordsOf(envelope.data.sites, envelope.data.points);
      handlers.onChanges({ ...envelope.data, sites, points }, invalid);
    });
    this.socket.on(CONSOLE_EVENTS.liveness, (payload: unknown) => {
      const liveness = livenessSchema.safeParse(payload);
      if (liveness.success) handlers.onLiveness(liveness.data);
      else handlers.onProtocolError(`invalid liveness from the backend: ${liveness.error.message}`);
    });
    this.socket.on(CONSOLE_EVENTS.alerts, (payload: unknown) => {
      const alerts = alertsSchema.safeParse(payload);
      if (alerts.success) handlers.onAlerts(alerts.data);
      else handlers.onProtocolError(`invalid alerts from the backend: ${alerts.error.message}`);
    });
    this.socket.on(CONSOLE_EVENTS.windows, (payload: unknown) => {
      const windows = windowsSchema.safeParse(payload);
      if (windows.success) handlers.onWindows(windows.data);
      else handlers.onProtocolError(`invalid windows from the backend: ${windows.error.message}`);
    });
    this.socket.on(CONSOLE_EVENTS.sessionEnded, (payload: unknown) => {
      const ended = sessionEndedSchema.safeParse(payload);
      handlers.onSessionEnded(ended.success ? ended.data.reason : 'session ended');
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Replaces the token used for the next (re)connection. */
  setToken(token: string): void {
    this.socket.auth = { token };
  }

  connect(): void {
    this.socket.connect();
  }

  async request<E extends RequestEvent>(event: E, payload: Request<E>, timeoutMs = 30_000): Promise<Reply<E>> {
    const data = await this.ask(event, payload, timeoutMs);
    const parsed = clientToServer[event].reply.safeParse(data);
    if (!parsed.success) throw new BackendError('badReply', `invalid ${event} reply: ${parsed.error.message}`);
    return parsed.data as Reply<E>;
  }

  /** `sync`, its sites and points checked one by one: those that fail are left out and listed in `invalid`. */
  async sync(payload: Request<'sync'>, timeoutMs = 30_000): Promise<{ reply: SyncReply; invalid: InvalidRecord[] }> {
    const envelope = syncEnvelopeSchema.safeParse(await this.ask('sync', payload, timeoutMs));
    if (!envelope.success) throw new BackendError('badReply', `invalid sync reply: ${envelope.error.message}`);
    const { sites, points, invalid } = recordsOf(envelope.data.sites, envelope.data.points);
    return { reply: { ...envelope.data, sites, points }, invalid };
  }

  /** Sends a request and returns the data of a successful answer; a refusal is thrown as a BackendError. */
  private async ask(event: RequestEvent, payload: unknown, timeoutMs: number): Promise<unknown> {
    if (!this.socket.connected) throw new BackendError('disconnected', 'not connected to the backend');
    let ack: unknown;
    try {
      ack = await this.socket.timeout(timeoutMs).emitWithAck(event, payload);
    } catch {
      throw new BackendError('timeout', `the backend did not answer ${event} within ${timeoutMs} ms`);
    }
    const envelope = ack as { ok?: unknown; data?: unknown; error?: unknown } | null;
    if (envelope?.ok === true) return envelope.data;
    const error = errorReplySchema.safeParse(envelope?.error);
    if (error.success) throw new BackendError(error.data.code, error.data.message, error.data.overlap);
    throw new BackendError('badReply', `invalid ${event} reply`);
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}
