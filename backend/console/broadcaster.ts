// Coalesced fan-out: changes are gathered for coalesceMs, then each batch is emitted once to the room of
// all signed-in consoles (one serialisation however many consoles listen).
import type { Server } from 'socket.io';
import type { Point, Site } from '../../common/model.js';
import type { Changes } from '../../common/protocol.js';
import { CONSOLE_EVENTS } from '../../common/protocol.js';
import type { Store } from '../store/index.js';

export const CONSOLES_ROOM = 'consoles';
const EDIT_FLUSH_GAP_MS = 10;
const EDIT_FLUSH_MAX_POINTS = 50;

export interface BroadcasterOptions {
  coalesceMs: number;
  /** Largest number of points+sites in one emit; a bigger burst goes out as several contiguous batches. */
  maxItemsPerBatch?: number;
}

type Item = { kind: 'site'; seq: number; site: Site } | { kind: 'point'; seq: number; point: Point };

export class Broadcaster {
  private lastSeq: number;
  private timer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;
  private readonly maxItems: number;
  private stopped = false;
  private lastEditFlushAt = 0;

  constructor(
    private readonly io: Server,
    private readonly store: Store,
    private readonly opts: BroadcasterOptions,
  ) {
    this.lastSeq = store.seq;
    this.maxItems = opts.maxItemsPerBatch ?? 2000;
    this.unsubscribe = store.changes.onChange(() => this.schedule());
  }

  /** The seq of the last change that went out in a batch. */
  get emittedSeq(): number {
    return this.lastSeq;
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.opts.coalesceMs);
  }

  /**
   * A person's edit was just applied: send it now instead of at the end of the coalescing window (edits are few;
   * the stream of station reports keeps coalescing). At most one such early batch per EDIT_FLUSH_GAP_MS, so a
   * burst of edits still goes out as few batches. A bulk edit keeps the window: its thousands of points and the
   * delivery states that follow them are better sent together (measured: two 5,000-point batches slowed it).
   */
  flushForEdit(points: number): void {
    if (this.stopped) return;
    if (points > EDIT_FLUSH_MAX_POINTS) return this.schedule();
    const now = Date.now();
    if (now - this.lastEditFlushAt < EDIT_FLUSH_GAP_MS) return this.schedule();
    this.lastEditFlushAt = now;
    // At the end of this task, not in it: the turn's commit answers all of its requests first, and a change must not
    // reach a console before the answer to the request that made it.
    queueMicrotask(() => {
      if (!this.stopped) this.flush();
    });
  }

  /** Emits everything committed since the last batch: each point once, in its latest state. */
  flush(): void {
    const toSeq = this.store.seq;
    if (toSeq <= this.lastSeq) return;
    // With several instances (docs/cluster.md) another may commit between these reads: what is newer than toSeq goes
    // in the next batch, so a batch never claims a range it has not read whole.
    const items: Item[] = [
      ...this.store.stations.sitesSince(this.lastSeq).map((s): Item => {
        const { seq, ...site } = s;
        return { kind: 'site', seq, site };
      }),
      ...this.store.points.changedSince(this.lastSeq).map((p): Item => ({ kind: 'point', seq: p.seq, point: p })),
    ]
      .filter((it) => it.seq <= toSeq)
      .sort((a, b) => a.seq - b.seq);
    for (let i = 0; i < items.length || i === 0; i += this.maxItems) {
      const chunk = items.slice(i, i + this.maxItems);
      const last = i + this.maxItems >= items.length;
      const batch: Changes = {
        networkId: this.store.networkId,
        fromSeq: this.lastSeq + 1,
        toSeq: last ? toSeq : chunk[chunk.length - 1].seq,
        sites: chunk.flatMap((it) => (it.kind === 'site' ? [it.site] : [])),
        points: chunk.flatMap((it) => (it.kind === 'point' ? [it.point] : [])),
      };
      this.io.to(CONSOLES_ROOM).emit(CONSOLE_EVENTS.changes, batch);
      this.lastSeq = batch.toSeq;
      if (last) break;
    }
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
