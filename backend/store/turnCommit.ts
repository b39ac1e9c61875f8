// One commit per turn of the event loop for the writers that may wait for the end of the turn: the station reports'
// group commit (ocpp/stationWriteBatch.ts) and the maintenance scheduler's turns while a burst of windows falls due
// (schedule/maintenance.ts). With synchronous=FULL each commit waits for the disk and blocks the event loop; under a
// burst both wrote every turn, so the turn paid two disk flushes where one does (docs/performance.md, "Maintenance
// windows"). Each job runs in its own savepoint, so one that fails is undone alone; each hears after the commit.
import type { ChangeLog } from './changes.js';
import type { Db } from './db.js';

export interface TurnJob {
  /** The job's savepoint name (for the slow-query log). */
  name: string;
  /** Runs inside the turn's transaction. */
  work(): void;
  /**
   * After the commit: error is the job's own (its writes undone) or the commit's (nothing stored); late is an error
   * thrown after the commit by a change listener (everything is stored).
   */
  done(error: Error | null, late?: Error): void;
}

/** What was thrown, as an Error. */
export const asError = (thrown: unknown): Error => (thrown instanceof Error ? thrown : new Error(String(thrown)));

export class TurnCommit {
  private jobs: TurnJob[] = [];
  private scheduled = false;
  private flushing = false;

  constructor(
    private readonly db: Db,
    private readonly changes: ChangeLog,
    private readonly log: (line: string) => void,
  ) {}

  /** Runs the job at the end of this turn, in one transaction with the turn's other jobs. */
  join(job: TurnJob): void {
    this.jobs.push(job);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Whether jobs wait for the end of the turn. */
  get pending(): boolean {
    return this.jobs.length > 0;
  }

  /** Runs and commits every job waiting now (at the end of the turn, or before anything that must come after it). */
  flush(): void {
    // Each job hears only after its commit: from inside a transaction (a job's own work included) they wait for the
    // end of the turn, already scheduled.
    if (this.flushing || this.db.inTransaction) return;
    this.scheduled = false;
    const jobs = this.jobs.splice(0);
    if (jobs.length === 0) return;
    this.flushing = true;
    const errors: (Error | null)[] = jobs.map(() => null);
    const seqBefore = this.changes.current;
    let ran = false;
    let failed: Error | null = null;
    let late: Error | undefined;
    try {
      this.changes.write('turn', () => {
        jobs.forEach((job, i) => {
          try {
            this.changes.write(job.name, () => job.work());
          } catch (thrown) {
            errors[i] = asError(thrown);
          }
        });
        ran = true;
      });
    } catch (thrown) {
      // The seq moves back when the transaction fails; if it moved on, the jobs are stored and what failed came after
      // the commit (a change listener).
      if (ran && this.changes.current !== seqBefore) late = asError(thrown);
      else failed = asError(thrown);
    } finally {
      this.flushing = false;
    }
    // Every job hears, whatever another's done does: a console's answer must not wait on a scheduler's failure.
    jobs.forEach((job, i) => {
      try {
        job.done(failed ?? errors[i], failed || errors[i] ? undefined : late);
      } catch (thrown) {
        this.log(`store: after the turn's commit, ${job.name} failed: ${asError(thrown).message}`);
      }
    });
  }
}
