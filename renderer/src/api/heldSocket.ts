// A socket whose events are held until its new owner says it is listening: the boot chunk opens the web host's
// socket before the app's code has loaded, and nothing that arrives meanwhile (the first screen's answer, live
// changes) may be lost. release() hands over what was held, in the order it came; later events go straight through.
import type { SocketEventType, SocketLike } from './socketLike.js';

const TYPES: readonly SocketEventType[] = ['open', 'message', 'error', 'close'];

export class HeldSocket implements SocketLike {
  private held: { type: SocketEventType; ev: unknown }[] | null = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each listener takes its event type's DOM event
  private readonly listeners = new Map<SocketEventType, ((ev: any) => void)[]>();

  constructor(private readonly socket: SocketLike) {
    for (const type of TYPES) socket.addEventListener(type, (ev) => this.deliver(type, ev));
  }

  get readyState(): number {
    return this.socket.readyState;
  }

  send(data: string): void {
    this.socket.send(data);
  }

  close(code?: number, reason?: string): void {
    this.socket.close(code, reason);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as WebSocket's: the event type decides the event
  addEventListener(type: SocketEventType, listener: (ev: any) => void): void {
    const list = this.listeners.get(type) ?? [];
    list.push(listener);
    this.listeners.set(type, list);
  }

  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const { type, ev } of held) this.dispatch(type, ev);
  }

  private deliver(type: SocketEventType, ev: unknown): void {
    if (this.held) this.held.push({ type, ev });
    else this.dispatch(type, ev);
  }

  private dispatch(type: SocketEventType, ev: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) listener(ev);
  }
}
