// Maintenance windows on this console: the backend's list (all after each catch-up, then what changed) and this
// console's own plan/change/cancel requests, queued durably and sent in order whenever the backend is reachable.
import { randomUUID } from 'node:crypto';
import { ConsoleApiError, type MethodParams, type MethodResult, type WindowsView } from '../../common/consoleApi.js';
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

  constructor(
    private readonly queue: WindowQueue,
    private readonly sender: WindowSender,
    private readonly emit: (view: WindowsView) => void,
  ) {}

  view(): WindowsView {
    return { full: true, windows: [...this.windows.values()], queued: this.queued() };
  }

  /** A message from the backend. */
  apply(message: Windows): void {
    if (message.full) this.windows.clear();
    for (const w of message.windows) this.windows.set(w.id, w);
    this.emit(message.full ? this.view() : { full: false, windows: message.windows, queued: this.queued() });
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

  dismiss(opId: string): boolean {
    const dismissed = this.queue.dismiss(opId);
    if (dismissed) this.emit({ full: false, windows: [], queued: this.queued() });
    return dismissed;
  }

  /** Sends what is queued, in order, until it is empty, one is refused... or the backend goes away. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private queued() {
    return this.queue.all().map(strip);
  }

  private async enqueue(op: WindowOp): Promise<ActionResult> {
    const queued = this.queue.add(op);
    this.emit({ full: false, windows: [], queued: this.queued() });
    await this.flush();
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
        this.queue.answered(next.opId);
        this.lastMessage.set(next.opId, reply.message);
        if (this.lastMessage.size > 100) this.lastMessage.delete(this.lastMessage.keys().next().value!);
        this.emit({ full: false, windows: [reply.window], queued: this.queued() });
      } catch (error) {
        if (error instanceof BackendError && ['invalid', 'forbidden', 'notFound', 'conflict'].includes(error.code)) {
          this.queue.refused(next.opId, error.message, error.overlap);
          this.emit({ full: false, windows: [], queued: this.queued() });
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
