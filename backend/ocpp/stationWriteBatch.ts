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

  /** Resolves once everything waiting now is stored (at the end of this turn, with the rest of the batch). */
  stored(): Promise<void> {
    if (!this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.afterFlush.push(resolve));
  }

  /** Writes everything waiting now (with the rest of the turn's shared commit, store/turnCommit.ts). */
  flush(): void {
    if (this.scheduled) this.store.turn.flush();
  }

  /** Joins the turn's shared commit (store/turnCommit.ts): one transaction with whatever else waits for this turn. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    let reports: typeof this.reports | null = null;
    let results: (string | null | Error)[] = [];
    this.store.turn.join({
      name: 'station messages',
      work: () => {
        reports = this.reports.splice(0);
        const seen = [...this.lastSeen];
        this.lastSeen.clear();
        for (const [id, at] of seen) {
          try {
            this.store.stations.touch(id, at);
          } catch (err) {
            if (!this.store.db.inTransaction) throw err;
            this.log(`ocpp: could not record last seen of ${id}: ${(err as Error).message}`);
          }
        }
        results = this.store.points.setReportedMany(reports.map((r) => r.report));
      },
      done: (error, late) => {
        this.scheduled = false;
        // Nothing ran (the transaction could not begin): what waits fails with its error.
        const settled = reports ?? this.reports.splice(0);
        const waiters = this.afterFlush.splice(0);
        if (late) this.log(`ocpp: after storing ${settled.length} station report(s): ${late.message}`);
        if (error) this.log(`ocpp: could not store ${settled.length} station report(s): ${error.message}`);
        settled.forEach((r, i) => {
          const result = error ?? results[i];
          r.settle(result instanceof Error ? result : null);
        });
        for (const w of waiters) w();
        if (this.reports.length > 0 || this.lastSeen.size > 0) this.schedule();
      },
    });
  }
}
