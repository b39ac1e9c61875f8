// Station messages are written in groups, one transaction a turn of the event loop (a group commit): under thousands
// of status reports a second, committing each one cost more than applying it. A turn takes at most
// MAX_REPORTS_PER_TURN of them, the oldest first; a backlog goes on in the following turns.
import type { Store } from '../store/index.js';
import type { StationReport } from '../store/points.js';

/**
 * Reports written in one turn at most (~50 ms of work at 100,000 points). A backend that fell behind (a burst, a busy
 * machine) catches up a turn at a time: a person's edit waits for one such commit, not for seconds of them in one
 * (at 100k points and 5,000 reports a second, one turn held 18,000 reports and the event loop for 2–3 s).
 */
export const MAX_REPORTS_PER_TURN = 500;

type Queued = { id: number; report: StationReport; settle: (error: Error | null) => void };

export class StationWriteBatch {
  /** Reports waiting, oldest first (ids in the order they arrived). */
  private reports: Queued[] = [];
  /** A station's reports taken out of turn, to be written in the next turn before the rest (flushStation). */
  private urgent: Queued[] = [];
  private readonly lastSeen = new Map<string, string>();
  private scheduled = false;
  private nextId = 0;
  private waiters: { upTo: number; resolve: () => void }[] = [];
  /** The last turn's transaction failed as a whole (its reports were answered with the error). */
  private lastTurnFailed = false;

  constructor(
    private readonly store: Store,
    private readonly log: (line: string) => void,
  ) {}

  /** Resolves once the report is committed (so the station's reply means it is stored); rejects with its own error. */
  report(report: StationReport): Promise<void> {
    return new Promise((resolve, reject) => {
      this.reports.push({ id: this.nextId++, report, settle: (error) => (error ? reject(error) : resolve()) });
      this.schedule();
    });
  }

  /** When a station was last heard from; written with the next batch. */
  heard(stationId: string, at: string): void {
    this.lastSeen.set(stationId, at);
    this.schedule();
  }

  /** Resolves once every report queued before this call is written (stored, or answered with its error). */
  stored(): Promise<void> {
    if (!this.scheduled) return Promise.resolve();
    const upTo = this.nextId;
    return new Promise((resolve) => this.waiters.push({ upTo, resolve }));
  }

  /**
   * Writes everything waiting now, however long the backlog (closing down). Stops at a turn whose transaction failed:
   * the rest is tried in later turns, not each after its own wait for a locked store.
   */
  flush(): void {
    while (this.scheduled) {
      const waiting = this.waiting();
      this.store.turn.flush();
      // Nothing could be written now (inside a transaction): it is written at the end of the turn.
      if (this.lastTurnFailed || (this.scheduled && this.waiting() >= waiting)) return;
    }
  }

  /**
   * Writes a station's waiting reports and last-seen time now (before it is marked offline: what it said before it
   * went must come first), in one bounded turn: they go before the rest, which waits its turn.
   */
  flushStation(stationId: string): void {
    const own = this.reports.filter((r) => r.report.stationId === stationId);
    if (own.length === 0 && !this.lastSeen.has(stationId)) return;
    if (own.length > 0) {
      this.reports = this.reports.filter((r) => r.report.stationId !== stationId);
      this.urgent.push(...own);
    }
    this.store.turn.flush();
  }

  private waiting(): number {
    return this.urgent.length + this.reports.length + this.lastSeen.size;
  }

  /** Joins the turn's shared commit (store/turnCommit.ts): one transaction with whatever else waits for this turn. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    let taken: Queued[] | null = null;
    let results: (string | null | Error)[] = [];
    const take = () => {
      const urgent = this.urgent.splice(0);
      return [...urgent, ...this.reports.splice(0, Math.max(0, MAX_REPORTS_PER_TURN - urgent.length))];
    };
    this.store.turn.join({
      name: 'station messages',
      work: () => {
        taken = take();
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
        results = this.store.points.setReportedMany(taken.map((r) => r.report));
      },
      done: (error, late) => {
        this.scheduled = false;
        this.lastTurnFailed = error !== null;
        // Nothing ran (the transaction could not begin): the turn's share of what waits fails with its error, and the
        // rest is tried in the next turn.
        const settled = taken ?? take();
        if (late) this.log(`ocpp: after storing ${settled.length} station report(s): ${late.message}`);
        if (error) this.log(`ocpp: could not store ${settled.length} station report(s): ${error.message}`);
        settled.forEach((r, i) => {
          const result = error ?? results[i];
          r.settle(result instanceof Error ? result : null);
        });
        const oldestWaiting = Math.min(this.urgent[0]?.id ?? Infinity, this.reports[0]?.id ?? Infinity);
        const written = this.waiters.filter((w) => w.upTo <= oldestWaiting);
        if (written.length > 0) this.waiters = this.waiters.filter((w) => w.upTo > oldestWaiting);
        for (const w of written) w.resolve();
        // The rest of a backlog goes in the next turn's commit, after whatever else (an edit) arrived meanwhile.
        if (this.waiting() > 0) this.schedule();
      },
    });
  }
}
