// Records that change now and then (maintenance windows, alerts) go to every console as they are now: whatever
// changed since the last message, each once, at most every 250 ms.
import type { Server } from 'socket.io';
import { CONSOLES_ROOM } from './broadcaster.js';

export class SeqFanout<T> {
  private lastSeq: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly io: Server,
    private readonly event: string,
    private readonly networkId: string,
    currentSeq: number,
    private readonly changedSince: (seq: number) => { items: T[]; seq: number },
    private readonly message: (networkId: string, items: T[]) => unknown,
  ) {
    this.lastSeq = currentSeq;
  }

  /** Something changed: tell the consoles soon (changes that follow within 250 ms go in the same message). */
  changed(): void {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flush();
    }, 250);
  }

  flush(): void {
    const { items, seq } = this.changedSince(this.lastSeq);
    this.lastSeq = seq;
    if (items.length > 0) this.io.to(CONSOLES_ROOM).emit(this.event, this.message(this.networkId, items));
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
