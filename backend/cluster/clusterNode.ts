// One backend instance among several on one PostgreSQL (docs/cluster.md): it hears other instances' commits
// (LISTEN/NOTIFY, and a poll in case a notification is missed), takes the lead when no live instance holds it, and,
// as the leader, marks the stations of dead instances offline.
import type { Clock, TimerHandle } from '../../common/clock.js';
import { CHANGES_CHANNEL } from '../store/changes.js';
import { ClusterLocks } from '../store/clusterLocks.js';
import type { Store } from '../store/index.js';
import { listen, type PgListener } from '../store/pg/pgListener.js';

export interface ClusterEvents {
  /** Another instance committed changes: the store's seq has caught up and its change listeners have run. */
  changesCommitted(): void;
  /** This instance leads from now on (work that runs once starts here). */
  becameLeader(): void;
  /** An instance died: these stations, recorded on it, are now marked offline. */
  stationsLost(stationIds: string[]): void;
  /**
   * This instance's own store connection is gone. Its locks went with it (another instance may lead already) and
   * no statement can run: the instance must stop, and its stations and consoles go to the others.
   */
  storeLost(err: Error): void;
}

export interface ClusterNodeOptions {
  store: Store;
  /** The store's PostgreSQL URL (a second connection listens on it). */
  url: string;
  clock: Clock;
  log: (line: string) => void;
  /**
   * How often a follower tries to take the lead, the leader looks for dead instances, and the seq is read in case
   * a notification was missed. Default 1 000 ms: the longest a dead leader's work waits (docs/cluster.md).
   */
  checkMs?: number;
}

export const DEFAULT_CLUSTER_CHECK_MS = 1000;

const firstLine = (err: unknown): string => String((err as Error).message ?? err).split('\n')[0];
const RELISTEN_MS = 1000;

export class ClusterNode {
  /** This instance's number in the cluster (held as an advisory lock while it lives). */
  readonly instance: number;
  private readonly locks: ClusterLocks;
  private listener: PgListener | null = null;
  private check: TimerHandle | null = null;
  private relisten: TimerHandle | null = null;
  private catchUpQueued = false;
  private leading = false;
  private stopped = false;
  private events: ClusterEvents | null = null;

  constructor(private readonly opts: ClusterNodeOptions) {
    this.locks = new ClusterLocks(opts.store.db);
    this.instance = this.takeInstanceNumber();
    opts.store.stations.holder = this.instance;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(events: ClusterEvents): void {
    this.events = events;
    this.openListener();
    this.tick();
    this.check = this.opts.clock.every(this.opts.checkMs ?? DEFAULT_CLUSTER_CHECK_MS, () => this.tick());
  }

  stop(): void {
    this.stopped = true;
    this.check?.cancel();
    this.relisten?.cancel();
    this.listener?.close();
    this.listener = null;
  }

  private takeInstanceNumber(): number {
    for (let i = 0; i < 20; i++) {
      const n = 1 + Math.floor(Math.random() * 0x7ffffffe);
      if (this.locks.tryInstance(n)) return n;
    }
    throw new Error('could not take an instance number (20 tries)');
  }

  private tick(): void {
    if (this.stopped) return;
    try {
      this.catchUp();
      if (!this.leading && this.locks.tryLead()) {
        this.leading = true;
        this.opts.log(`cluster: instance ${this.instance} leads`);
        this.events?.becameLeader();
      }
      if (this.leading) this.sweepDeadInstances();
    } catch (err) {
      if (this.locks.storeAnswers()) this.opts.log(`cluster: check failed: ${(err as Error).message}`);
      else {
        this.stop();
        this.leading = false;
        this.opts.log(`cluster: the store's connection is lost (${firstLine(err)}); this instance stops`);
        this.events?.storeLost(err as Error);
      }
    }
  }

  /** Reads the last committed seq; listeners hear of what other instances committed. */
  private catchUp(): void {
    if (this.opts.store.changes.refresh()) this.events?.changesCommitted();
  }

  /** Notifications come in bursts: one catch-up per turn of the event loop. */
  private catchUpSoon(): void {
    if (this.catchUpQueued || this.stopped) return;
    this.catchUpQueued = true;
    setImmediate(() => {
      this.catchUpQueued = false;
      if (this.stopped) return;
      try {
        this.catchUp();
      } catch (err) {
        this.opts.log(`cluster: catch-up failed: ${(err as Error).message}`);
      }
    });
  }

  private openListener(): void {
    if (this.stopped) return;
    try {
      this.listener = listen(this.opts.url, CHANGES_CHANNEL, {
        notified: () => this.catchUpSoon(),
        failed: (err) => {
          this.listener = null;
          this.opts.log(`cluster: listening connection lost (${err.message}); the seq is polled meanwhile`);
          this.relisten = this.opts.clock.after(RELISTEN_MS, () => this.openListener());
        },
      });
      // What committed while no one listened.
      this.catchUpSoon();
    } catch (err) {
      this.opts.log(`cluster: cannot listen (${(err as Error).message}); retrying`);
      this.relisten = this.opts.clock.after(RELISTEN_MS, () => this.openListener());
    }
  }

  /** Instances whose lock is free are dead: the stations recorded on them are offline until they reconnect. */
  private sweepDeadInstances(): void {
    const { store } = this.opts;
    for (const holder of store.stations.holders()) {
      if (holder === this.instance || this.locks.instanceAlive(holder)) continue;
      const at = new Date(this.opts.clock.now()).toISOString();
      const lost = store.stations
        .connectedTo(holder)
        .filter((id) => store.points.setConnection(id, false, at, 'system', holder));
      if (lost.length === 0) continue;
      this.opts.log(
        `cluster: instance ${holder} is gone; ${lost.length} station(s) it held are offline until they reconnect`,
      );
      this.events?.stationsLost(lost);
    }
  }
}
