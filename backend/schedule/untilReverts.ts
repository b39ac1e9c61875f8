// Expected ends that revert on their own: when a point's Out of Service or Maintenance "until" passes and the person
// chose "revert", the backend sets it back to Available (a normal change: versioned, audited, ChangeAvailability
// Operative), with no console open and after a restart too. "remind" ends are left alone: consoles show them overdue.
import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Mutation } from '../../common/model.js';
import type { AppliedPoint } from '../store/mutations.js';
import type { Store } from '../store/index.js';
import type { Db } from '../store/db.js';
import { UntilsRepo } from '../store/untils.js';

/** Points reverted in one commit before the event loop serves others. */
const POINTS_PER_TURN = 500;

export interface UntilHooks {
  applied(points: AppliedPoint[]): void;
  log(line: string): void;
}

export class UntilReverts {
  private timer: TimerHandle | null = null;
  private stopped = false;
  private readonly untils: UntilsRepo;

  constructor(
    db: Db,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hooks: UntilHooks,
  ) {
    this.untils = new UntilsRepo(db);
  }

  start(): void {
    this.runDue();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** After any change that may have set or cleared an until: wait for the earliest one. */
  rearm(): void {
    if (!this.stopped) this.arm();
  }

  runDue(): void {
    if (this.stopped) return;
    const due = this.untils.due(new Date(this.clock.now()).toISOString(), POINTS_PER_TURN);
    if (due.length === 0) return this.arm();
    const targets = due.map((p) => ({ pointId: p.id, baseVersion: p.op_version }));
    const mutation: Mutation = {
      id: `until-revert-${this.clock.now()}-${due[0].id}`.slice(0, 100),
      kind: 'setStatus',
      targets,
      edit: { status: 'Available', reason: 'Expected end reached: back in operation', note: null, until: null },
      createdAt: new Date(this.clock.now()).toISOString(),
    };
    const { outcome, applied } = this.store.mutations.process(mutation, { username: 'system', role: 'admin' });
    const back = outcome.points.filter((p) => p.result === 'applied').length;
    this.hooks.log(`until: ${back} point(s) back to Available at their expected end`);
    if (applied.length > 0) this.hooks.applied(applied);
    if (due.length === POINTS_PER_TURN) setImmediate(() => this.runDue());
    else this.arm();
  }

  private arm(): void {
    this.timer?.cancel();
    this.timer = null;
    const next = this.untils.next();
    if (next === null || this.stopped) return;
    this.timer = this.clock.after(Math.max(0, Date.parse(next) - this.clock.now()), () => this.runDue());
  }
}
