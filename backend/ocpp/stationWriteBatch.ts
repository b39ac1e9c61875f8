// Station messages that arrive together are written in one transaction (a group commit): under thousands of status
// reports a second, committing each one cost more than applying it. Together means in the same turn of the event
// loop, or with a commit window (commitWindowMs) within that many milliseconds of the first: each commit waits for the
// disk on the event loop and writes every page its reports touched, and reports arrive a few per turn, so per turn
// they paid ~250 commits a second. With a station writer thread (stationWriter.ts) they are sent to it at the end of
// the turn instead, and written there.
import type { Store } from '../store/index.js';
import type { StationReport } from '../store/points.js';
import { outcomeError, type StationWriter } from './stationWriter.js';

/**
 * The backend's commit window for station reports: their answers and the consoles' view wait at most this long more
 * (the consoles' batches are coalesced over 50 ms anyway). Measured: ~25 % less of the backend's CPU at 2,000 reports
 * a second (docs/performance.md, 2026-12-08, second session).
 */
export const STATION_COMMIT_WINDOW_MS = 20;
/** The longest window the command line takes: a station waits that much longer for each report's answer. */
export const MAX_STATION_COMMIT_WINDOW_MS = 1_000;
/** So many reports waiting are committed without waiting for the rest of the window. */
const COMMIT_AT_ONCE = 1_000;

export class StationWriteBatch {
  private reports: { report: StationReport; settle: (error: Error | null) => void }[] = [];
  private readonly lastSeen = new Map<string, string>();
  private scheduled = false;
  private afterFlush: (() => void)[] = [];
  private windowTimer: NodeJS.Timeout | null = null;

  /** commitWindowMs: 0 commits what arrived at the end of each turn; more waits that long for more (inline only). */
  constructor(
    private readonly store: Store,
    private readonly log: (line: string) => void,
    private readonly writer: StationWriter | null = null,
    private readonly commitWindowMs = 0,
  ) {}

  /** The writer thread while it runs (after it stopped, reports are written here, inline). */
  private get thread(): StationWriter | null {
    return this.writer && !this.writer.stopped ? this.writer : null;
  }

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

  /** Resolves once everything waiting now is stored (when its commit window ends, with the rest of the batch). */
  stored(): Promise<void> {
    const sent = this.scheduled ? new Promise<void>((resolve) => this.afterFlush.push(resolve)) : Promise.resolve();
    const thread = this.writer;
    return thread ? sent.then(() => thread.answeredAll()) : sent;
  }

  /**
   * Writes everything waiting now (with the rest of the turn's shared commit, store/turnCommit.ts); with a writer
   * thread, sends it and blocks until the thread has written everything sent to it.
   */
  flush(): void {
    const thread = this.thread;
    if (!thread) {
      this.endWindow();
      if (this.scheduled) this.store.turn.flush();
      return;
    }
    if (this.scheduled) this.send(thread);
    thread.waitForAll();
  }

  private schedule(): void {
    if (this.scheduled) {
      if (this.reports.length >= COMMIT_AT_ONCE) this.endWindow();
      return;
    }
    this.scheduled = true;
    const thread = this.thread;
    if (thread) setImmediate(() => this.scheduled && this.send(thread));
    else if (this.commitWindowMs > 0) this.windowTimer = setTimeout(() => this.endWindow(), this.commitWindowMs);
    else this.joinTurn();
  }

  /** Ends a commit window now: what waits joins this turn's commit. */
  private endWindow(): void {
    if (!this.windowTimer) return;
    clearTimeout(this.windowTimer);
    this.windowTimer = null;
    this.joinTurn();
  }

  /** Sends what waits to the writer thread; each report settles with its outcome there. */
  private send(thread: StationWriter): void {
    this.scheduled = false;
    const reports = this.reports.splice(0);
    const heard = [...this.lastSeen];
    this.lastSeen.clear();
    thread.send(
      reports.map((r) => r.report),
      heard,
      reports.map((r) => (outcome) => r.settle(outcomeError(outcome))),
    );
    for (const w of this.afterFlush.splice(0)) w();
  }

  /** Joins the turn's shared commit (store/turnCommit.ts): one transaction with whatever else waits for this turn. */
  private joinTurn(): void {
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
