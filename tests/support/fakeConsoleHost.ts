// A console host for the renderer store's unit tests (not a test file itself): answers the ConsoleApi calls the
// store makes at once, from data the test sets, and lets a test hold an answer, fail one, or send events around it.
// getLiveness and getWindows are answered only when the test gives liveness or windows (else they fail, as on a host
// without them: the store carries on without).
import type {
  ConnectionState,
  ConsoleApi,
  ConsoleEvent,
  LivenessView,
  StationLiveness,
  ViewPoint,
  WindowsView,
} from '../../common/consoleApi.js';
import type { Transport, TransportStatus } from '../../renderer/src/api/transport.js';
import { site } from './rendererFixtures.js';
import { encodeNetworkColumns } from '../../common/networkWire.js';

export interface FakeConsoleHostOptions {
  liveness?: StationLiveness[];
  windows?: WindowsView;
}

/** An answer the test can hold back: while held, calls wait; release() lets them all through. */
function gate() {
  let open: Promise<void> | null = null;
  let release: () => void = () => undefined;
  return {
    hold() {
      open = new Promise<void>((r) => (release = r));
    },
    release() {
      open = null;
      release();
    },
    /** The promise to wait for while held; null when open (then the answer comes without an extra turn). */
    held: () => open,
  };
}

/** A console's connection state as the core reports it: live with the demo backend, nothing queued, unless told. */
export function connectionState<T extends Partial<ConnectionState>>(
  over: T = {} as T,
): Omit<ConnectionState, 'seq'> & T {
  return {
    state: 'live',
    backendUrl: null,
    demo: true,
    lastSyncAt: null,
    queued: 0,
    conflicts: 0,
    session: null,
    error: null,
    ...over,
  };
}

export function fakeConsoleHost(points: ViewPoint[], opts: FakeConsoleHostOptions = {}) {
  const listeners = new Map<ConsoleEvent, Set<(p: any) => void>>();
  let network = { sites: [site('s1', 'Harbour')], points, seq: 1, lastSyncAt: '2026-11-25T10:00:00.000Z' };
  let liveness: LivenessView | null = opts.liveness ? { full: true, stations: opts.liveness } : null;
  let windows: WindowsView | null = opts.windows ?? null;
  const networkGate = gate();
  const livenessGate = gate();
  const windowsGate = gate();
  /** Every method called, in order. */
  const calls: string[] = [];
  const networkParams: { limit?: number }[] = [];
  let failNext = false;
  /** Given by the test: answered to getNetworkColumns as it is (a malformed answer), instead of the network. */
  let networkAnswer: unknown = null;
  const conn = connectionState();
  // Like the core, every connection state handed out (answer or event) gets the next seq.
  let connectionSeq = 0;
  let eventRightAfterAnswer: Partial<ConnectionState> | null = null;

  function emit(event: ConsoleEvent, payload: any) {
    if (event === 'connection' && payload.seq === undefined) payload = { ...payload, seq: ++connectionSeq };
    for (const l of listeners.get(event) ?? []) l(payload);
  }

  const api: ConsoleApi = {
    async call(method: string, params?: { limit?: number }) {
      calls.push(method);
      if (method === 'getNetworkColumns') {
        networkParams.push(params ?? {});
        if (failNext) {
          failNext = false;
          throw new Error('the host went away');
        }
        if (networkGate.held()) await networkGate.held();
        if (networkAnswer) return networkAnswer as any;
        const points = network.points.slice(0, params?.limit ?? Infinity);
        const { sites, seq, lastSyncAt } = network;
        const pending = new Map(points.filter((p) => p.pending).map((p) => [p.id, p.pending!]));
        const head = { sites, total: network.points.length, seq, lastSyncAt };
        // As it comes off the wire: a copy the store may keep.
        return structuredClone(encodeNetworkColumns(head, points, pending)) as any;
      }
      if (method === 'getConnection') {
        const answer = { ...conn, seq: ++connectionSeq };
        const after = eventRightAfterAnswer;
        eventRightAfterAnswer = null;
        // Delivered before the caller's continuation runs, as when several messages arrive in one go.
        if (after) queueMicrotask(() => emit('connection', { ...conn, ...after }));
        return answer as any;
      }
      if (method === 'getLiveness' && liveness) {
        if (livenessGate.held()) await livenessGate.held();
        return structuredClone(liveness) as any;
      }
      if (method === 'getWindows' && windows) {
        // The answer as it stood when asked: events sent while it is held are newer.
        const answer = structuredClone(windows);
        if (windowsGate.held()) await windowsGate.held();
        return answer as any;
      }
      throw new Error(`unexpected ${method}`);
    },
    on(event: ConsoleEvent, l: (p: any) => void) {
      let s = listeners.get(event);
      if (!s) listeners.set(event, (s = new Set()));
      s.add(l);
      return () => s!.delete(l);
    },
  } as ConsoleApi;

  let tStatus: TransportStatus = { state: 'open', opens: 1, error: null, retryAt: null };
  const tListeners = new Set<(s: TransportStatus) => void>();
  const transport: Transport = {
    get: () => tStatus,
    subscribe: (l) => (tListeners.add(l), () => tListeners.delete(l)),
  };

  return {
    api,
    transport,
    calls,
    /** How often a method has been called. */
    called: (method: string) => calls.filter((c) => c === method).length,
    networkParams,
    emit,
    failNextNetwork() {
      failNext = true;
    },
    /** The next getConnection answer is followed at once by this event (produced after it). */
    sendEventRightAfterAnswer(c: Partial<ConnectionState>) {
      eventRightAfterAnswer = c;
    },
    setNetwork(next: ViewPoint[]) {
      network = { ...network, points: next };
    },
    /** getNetworkColumns answers `raw` from now on (null: the network again). */
    answerNetworkWith(raw: unknown) {
      networkAnswer = raw;
    },
    holdNetwork: networkGate.hold,
    releaseNetwork: networkGate.release,
    setLiveness(view: LivenessView) {
      liveness = view;
    },
    holdLiveness: livenessGate.hold,
    /** Answers the held getLiveness calls with `view`. */
    answerLiveness(view: LivenessView) {
      liveness = view;
      livenessGate.release();
    },
    setWindows(view: WindowsView) {
      windows = view;
    },
    holdWindows: windowsGate.hold,
    releaseWindows: windowsGate.release,
    setTransport(s: TransportStatus) {
      tStatus = s;
      for (const l of tListeners) l(s);
    },
  };
}

export type FakeConsoleHost = ReturnType<typeof fakeConsoleHost>;

/** One turn of the event loop, after which every promise the fake host has already settled has been handled: not a
 *  wait for time (the host answers at once), so nothing here depends on how fast the machine is. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
