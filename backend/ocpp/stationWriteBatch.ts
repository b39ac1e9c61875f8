// Station messages that arrive in the same turn of the event loop are written in one transaction (a group commit):
// under thousands of status reports a second, committing each one cost more than applying it.
import type { Store } from '../store/index.js';
import type { StationReport } from '../store/points.js';

/**
 * Reports written in one turn at most (~50 ms of work at 100,000 points). A backend that fell behind (a burst, a busy
 * machine) catches up a turn at a time: a person's edit waits for one such commit, not for seconds of them in one
 * (at 100k points and 5,000 reports a second, one turn held 18,000 reports and the event loop for 2–3 s).
 */
export const MAX_REPORTS_PER_TURN = 500;

export class StationWriteBatch {
  private reports: { report: StationReport; settle: (error: Error | null) => void }[] = [];
  private readonly lastSeen = new Map<string, string>();
  private scheduled = false;
  /** Reports queued and written (stored or refused) since the start: stored() waits for a count. */
  private queued = 0;
  private written = 0;
  private waiters: { upTo: number; resolve: () => void }[] = [];

  constructor(
    private readonly store: Store,
    private readonly log: (line: string) => void,
  ) {}

  /** Resolves once the report is committed (so the station's reply means it is stored); rejects with its own error. */
  report(report: StationReport): Promise<void> {
    return new Promise((resolve, reject) => {
      this.reports.push({ report, settle: (error) => (error ? reject(error) : resolve()) });
      this.queued++;
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
    const upTo = this.queued;
    return new Promise((resolve) => this.waiters.push({ upTo, resolve }));
  }

  /** Writes everything waiting now, however long the backlog (with the turn's shared commit, store/turnCommit.ts). */
  flush(): void {
    while (this.scheduled) {
      const waiting = this.reports.length + this.lastSeen.size;
      this.store.turn.flush();
      // Nothing could be written now (inside a transaction): it is written at the end of the turn.
      if (this.scheduled && this.reports.length + this.lastSeen.size >= waiting) return;
    }
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
        reports = this.reports.splice(0, MAX_REPORTS_PER_TURN);
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
        const settled = reports ?? this.reports.splice(0, MAX_REPORTS_PER_TURN);
        if (late) this.log(`ocpp: after storing ${settled.length} station report(s): ${late.message}`);
        if (error) this.log(`ocpp: could not store ${settled.length} station report(s): ${error.message}`);
        settled.forEach((r, i) => {
          const result = error ?? results[i];
          r.settle(result instanceof Error ? result : null);
        });
        this.written += settled.length;
        const stored = this.waiters.filter((w) => w.upTo <= this.written);
        if (stored.length > 0) this.waiters = this.waiters.filter((w) => w.upTo > this.written);
        for (const w of stored) w.resolve();
        // The rest of a backlog goes in the next turn's commit, after whatever else (an edit) arrived meanwhile.
        if (this.reports.length > 0 || this.lastSeen.size > 0) this.schedule();
      },
    });
  }
}
