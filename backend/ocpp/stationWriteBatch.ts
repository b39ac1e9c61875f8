// Station messages that arrive in the same turn of the event loop are written in one transaction (a group commit):
// under thousands of status reports a second, committing each one cost more than applying it.
import type { Store } from '../store/index.js';
import type { StationReport } from '../store/points.js';

export class StationWriteBatch {
  private reports: { report: StationReport; settle: (error: Error | null) => void }[] = [];
  private readonly lastSeen = new Map<string, string>();
  private scheduled = false;
  private afterFlush: (() => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly log: (line: string) => void,
  ) {}

  /** Resolves once the report is committed (so the station's reply means it is stored); rejects with its own error. */
  report(report: StationReport): Promise<void> {
    return new Promise((resolve, reject) => {
      this.reports.push({ report, settle: (error) => (error ? reject(error) : resolve()) });
      this.schedule();
    });
  }

  /** When a station was last heard from; written with the next batch. */
  heard(stationId: string, at: string): void {
    this.lastSeen.set(stationId, at);
    this.schedule();
  }

  /** Writes everything waiting now: at the end of the turn, and before anything that must come after it. */
  /** Resolves once everything waiting now is stored (at the end of this turn, with the rest of the batch). */
  stored(): Promise<void> {
    if (!this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.afterFlush.push(resolve));
  }

  flush(): void {
    this.scheduled = false;
    const waiters = this.afterFlush.splice(0);
    try {
      this.flushNow();
    } finally {
      for (const w of waiters) w();
    }
  }

  private flushNow(): void {
    const reports = this.reports.splice(0);
    const seen = [...this.lastSeen];
    this.lastSeen.clear();
    if (reports.length === 0 && seen.length === 0) return;
    const seqBefore = this.store.seq;
    let applied: (string | null | Error)[] | null = null;
    let results: (string | null | Error)[];
    try {
      results = this.store.changes.write('station messages', () => {
        for (const [id, at] of seen) {
          try {
            this.store.stations.touch(id, at);
          } catch (err) {
            if (!this.store.db.inTransaction) throw err;
            this.log(`ocpp: could not record last seen of ${id}: ${(err as Error).message}`);
          }
        }
        return (applied = this.store.points.setReportedMany(reports.map((r) => r.report)));
      });
    } catch (thrown) {
      const err = thrown instanceof Error ? thrown : new Error(String(thrown));
      // The seq moves back when the transaction fails; if it stayed, the reports are stored and what failed came
      // after the commit (a change listener): the stations get their answers as stored.
      if (applied && this.store.seq !== seqBefore) {
        this.log(`ocpp: after storing ${reports.length} station report(s): ${err.message}`);
        results = applied;
      } else {
        this.log(`ocpp: could not store ${reports.length} station report(s): ${err.message}`);
        results = reports.map(() => err);
      }
    }
    reports.forEach((r, i) => {
      const result = results[i];
      r.settle(result instanceof Error ? result : null);
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }
}
