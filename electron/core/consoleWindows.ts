// Maintenance windows on this console: the backend's list (all after each catch-up, then what changed) and this
// console's own plan/change/cancel requests, queued durably and sent in order whenever the backend is reachable.
// A request the person was told is "kept on this computer" that took effect at once when it got through (its time
// had passed on the way) leaves a notice until the person dismisses it: nobody is waiting for that answer any more.
import { randomUUID } from 'node:crypto';
import {
  ConsoleApiError,
  type MethodParams,
  type MethodResult,
  type WindowOpNotice,
  type WindowsView,
} from '../../common/consoleApi.js';
import type { MaintenanceWindow, PlanWindowRequest, WindowReply, Windows } from '../../common/windows.js';
import type { QueuedWindowOp, WindowOp, WindowQueue } from './cache/windowQueue.js';
import { BackendError } from './sync/backendLink.js';

type ActionResult = MethodResult<'planWindow'>;

export interface WindowSender {
  /** null while the backend is not reachable. */
  send(op: WindowOp): Promise<WindowReply> | null;
}

export class ConsoleWindows {
  private readonly windows = new Map<string, MaintenanceWindow>();
  private flushing: Promise<void> | null = null;
  /** Requests whose planWindow/changeWindow/cancelWindow call has not returned yet: their answer goes to that call. */
  private readonly awaited = new Set<string>();

  constructor(
    private readonly queue: WindowQueue,
    private readonly sender: WindowSender,
    private readonly emit: (view: WindowsView) => void,
  ) {}

  view(): WindowsView {
    return { full: true, windows: [...this.windows.values()], ...this.requests() };
  }

  /** A message from the backend. */
  apply(message: Windows): void {
    if (message.full) this.windows.clear();
    for (const w of message.windows) this.windows.set(w.id, w);
    this.emit(message.full ? this.view() : { full: false, windows: message.windows, ...this.requests() });
  }

  clear(): void {
    this.windows.clear();
  }

  plan(params: MethodParams<'planWindow'>): Promise<ActionResult> {
    return this.enqueue({ kind: 'plan', request: { ...params, id: params.id ?? randomUUID() } });
  }

  change(params: MethodParams<'changeWindow'>): Promise<ActionResult> {
    return this.enqueue({ kind: 'change', request: params });
  }

  cancel(params: MethodParams<'cancelWindow'>): Promise<ActionResult> {
    return this.enqueue({ kind: 'cancel', request: params });
  }

  /** Forgets a refused request or a notice. */
  dismiss(opId: string): boolean {
    const dismissed = this.queue.dismiss(opId);
    if (dismissed) this.emit({ full: false, windows: [], ...this.requests() });
    return dismissed;
  }

  /** Sends what is queued, in order, until it is empty, one is refused... or the backend goes away. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private requests(): Pick<WindowsView, 'queued' | 'notices'> {
    return { queued: this.queue.all().map(strip), notices: this.queue.notices() };
  }

  private async enqueue(op: WindowOp): Promise<ActionResult> {
    const queued = this.queue.add(op);
    this.emit({ full: false, windows: [], ...this.requests() });
    this.awaited.add(queued.opId);
    try {
      await this.flush();
    } finally {
      this.awaited.delete(queued.opId);
    }
    const left = this.queue.all().find((q) => q.opId === queued.opId);
    const window = this.windows.get(op.request.id) ?? null;
    if (!left)
      return { windowId: op.request.id, queued: false, message: this.lastMessage.get(queued.opId) ?? 'done', window };
    if (left.state === 'failed') throw new ConsoleApiError('invalid', left.error ?? 'the backend refused it');
    return {
      windowId: op.request.id,
      queued: true,
      message: 'kept on this computer: sent when the console is online',
      window,
    };
  }

  private readonly lastMessage = new Map<string, string>();

  private async drain(): Promise<void> {
    for (;;) {
      const next = this.queue.next();
      if (!next) return;
      const sending = this.sender.send(toOp(next));
      if (!sending) return;
      try {
        const reply = await sending;
        this.windows.set(reply.window.id, reply.window);
        const toTell = reply.tookEffectAtOnce === true && !this.awaited.has(next.opId);
        this.queue.answered(next.opId, toTell ? noticeOf(next, reply) : null);
        this.lastMessage.set(next.opId, reply.message);
        if (this.lastMessage.size > 100) this.lastMessage.delete(this.lastMessage.keys().next().value!);
        this.emit({ full: false, windows: [reply.window], ...this.requests() });
      } catch (error) {
        if (error instanceof BackendError && ['invalid', 'forbidden', 'notFound', 'conflict'].includes(error.code)) {
          this.queue.refused(next.opId, error.message, error.overlap);
          this.emit({ full: false, windows: [], ...this.requests() });
          continue;
        }
        return; // not reachable now: it stays queued
      }
    }
  }
}

function toOp(q: QueuedWindowOp): WindowOp {
  return { kind: q.kind, request: q.request } as WindowOp;
}

/** The notice of a queued request's late answer, with the window as the backend answered it. */
function noticeOf(q: QueuedWindowOp, reply: WindowReply, answeredAt = new Date()): WindowOpNotice {
  const w = reply.window;
  return {
    opId: q.opId,
    kind: q.kind,
    windowId: w.id,
    reason: w.reason,
    pointCount: w.points.length,
    firstPointId: w.points[0]?.pointId ?? null,
    startsAt: w.startsAt,
    endsAt: w.endsAt,
    message: reply.message,
    queuedAt: q.createdAt,
    answeredAt: answeredAt.toISOString(),
  };
}

function strip(q: QueuedWindowOp) {
  const overlap = q.overlap;
  const base = {
    opId: q.opId,
    kind: q.kind,
    windowId: q.windowId,
    createdAt: q.createdAt,
    state: q.state,
    error: q.overlapUnreadable ? `${q.error ?? 'refused'} (its stored overlap details could not be read)` : q.error,
    ...(overlap && q.state === 'failed' ? { overlap } : {}),
  };
  if (q.kind !== 'plan') return base;
  const plan = q.request as PlanWindowRequest;
  return { ...base, reason: plan.reason, pointCount: plan.pointIds.length, firstPointId: plan.pointIds[0] };
}
