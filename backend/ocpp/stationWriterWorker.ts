// The station writer thread: writes the station reports and last-heard times the main thread sends it, in
// transactions as large as the backlog (few commits when thousands of reports a second arrive), and ends one early
// whenever the main thread waits to write (node/writerHandoff.ts). Its own connection to the SQLite store, with the
// history recorder in every transaction, as on the main thread.
import { workerData } from 'node:worker_threads';
import { systemClock } from '../../common/clock.js';
import { WriterHandoff } from '../../node/writerHandoff.js';
import { HistoryRecorder } from '../history/recorder.js';
import { Store } from '../store/index.js';
import { InvalidPointError } from '../store/points.js';
import { asError } from '../store/turnCommit.js';
import {
  PROGRESS,
  type ReportOutcome,
  type StationWriterBatch,
  type StationWriterMessage,
  type StationWriterStart,
} from './stationWriterMessages.js';

/** Reports written between two looks at whether the main thread waits to write. */
const SLICE = 16;
/** At most this many reports a commit (a backlog goes in several). */
const MOST_PER_COMMIT = 10_000;
/**
 * A commit waits this long after the last one for more reports to join it: a report costs less in a large commit
 * (the pages it changes are shared with others'), and what waits is the station's reply and the consoles' batch, which
 * gathers changes for 50 ms anyway (docs/performance.md, 2026-12-08).
 */
const COMMIT_GAP_MS = 40;
/** This many reports waiting are a backlog: no gap then. */
const BACKLOG = 500;

const start = workerData as StationWriterStart;
const port = start.port;
const progress = new Int32Array(start.progress);
const send = (message: StationWriterMessage) => port.postMessage(message);
const log = (line: string) => send({ type: 'log', line });

const handoff = new WriterHandoff(start.handoff, 'worker');
const store = new Store({ dataDir: start.dataDir, log, slowQueryMs: start.slowQueryMs, handoff });
new HistoryRecorder(store, systemClock, log).follow();
/** The points whose uptime figures this thread's writes changed since its last answer. */
const figures = new Set<number | null>();
store.history.onFiguresChanged = (n) => figures.add(n);
let zonesEpoch = Atomics.load(progress, PROGRESS.zones);

interface Waiting {
  outcomes: ReportOutcome[];
  left: number;
  /** Commits made before it arrived: its last-heard times are in the next one. */
  commitsBefore: number;
}
const queue: { batch: number; index: number; report: StationWriterBatch['reports'][number] }[] = [];
const heard = new Map<string, string>();
const waiting = new Map<number, Waiting>();
let commits = 0;
let scheduled = false;

function outcomeOf(result: string | null | Error): ReportOutcome {
  if (!(result instanceof Error)) return result;
  return { error: result.message, invalid: result instanceof InvalidPointError };
}

/**
 * One commit: the last-heard times, then reports a slice at a time until the queue is empty, the commit is full, or
 * the main thread waits to write. Each slice is a write of its own inside the transaction (a savepoint, with its
 * history recorded and the seq saved), so that ending the transaction early costs no more than the commit.
 */
function writeSome(): void {
  const taken: typeof queue = [];
  const seen = [...heard];
  heard.clear();
  const results: (string | null | Error)[] = [];
  const epoch = Atomics.load(progress, PROGRESS.zones);
  if (epoch !== zonesEpoch) {
    zonesEpoch = epoch;
    store.history.rollups.forgetZones();
  }
  try {
    // The commit's transaction (in the thread's turn); each slice's write inside it is a savepoint.
    store.db.tx('station messages', () => {
      for (const [id, at] of seen) {
        try {
          store.stations.touch(id, at);
        } catch (err) {
          log(`ocpp: could not record last seen of ${id}: ${(err as Error).message}`);
        }
      }
      while (queue.length > 0 && taken.length < MOST_PER_COMMIT && !(taken.length > 0 && handoff.wanted)) {
        const slice = queue.splice(0, Math.min(SLICE, MOST_PER_COMMIT - taken.length));
        taken.push(...slice);
        try {
          results.push(...store.points.setReportedMany(slice.map((q) => q.report)));
        } catch (thrown) {
          // The slice's savepoint is undone (its history failed, say); the slices before it still commit.
          const error = asError(thrown);
          log(`ocpp: could not store ${slice.length} station report(s): ${error.message}`);
          results.push(...slice.map(() => error));
        }
      }
    });
  } catch (thrown) {
    const error = asError(thrown);
    // Nothing was taken when the transaction could not begin: what waits fails with its error (never a loop).
    if (taken.length === 0) taken.push(...queue.splice(0));
    log(`ocpp: could not store ${taken.length} station report(s): ${error.message}`);
    results.splice(0, results.length, ...taken.map(() => error));
  }
  commits++;
  taken.forEach((q, i) => {
    const w = waiting.get(q.batch)!;
    w.outcomes[q.index] = outcomeOf(results[i]);
    w.left--;
  });
  const answers: { id: number; outcomes: ReportOutcome[] }[] = [];
  // In the order sent: `answered` says every batch up to its id is answered.
  for (const [id, w] of waiting) {
    if (w.left > 0 || w.commitsBefore >= commits) break;
    waiting.delete(id);
    answers.push({ id, outcomes: w.outcomes });
  }
  // After every commit, answered or not: the main thread reads what changed and sends it to the consoles.
  send({ type: 'answers', answers, figures: [...figures] });
  figures.clear();
  Atomics.add(progress, PROGRESS.commits, 1);
  if (answers.length > 0) Atomics.store(progress, PROGRESS.answered, answers[answers.length - 1].id);
  Atomics.notify(progress, PROGRESS.answered);
}

let lastCommitAt = 0;

function drain(): void {
  scheduled = false;
  while (queue.length > 0 || heard.size > 0 || waiting.size > 0) writeSome();
  lastCommitAt = performance.now();
}

port.on('message', (message: StationWriterBatch | { type: 'close' }) => {
  if (message.type === 'close') {
    drain();
    store.close();
    port.close();
    return;
  }
  waiting.set(message.id, {
    outcomes: new Array(message.reports.length),
    left: message.reports.length,
    commitsBefore: commits,
  });
  message.reports.forEach((report, index) => queue.push({ batch: message.id, index, report }));
  for (const [id, at] of message.heard) heard.set(id, at);
  if (scheduled) return;
  scheduled = true;
  // A backlog (the writer behind) is written at once; what arrives while it keeps up waits for the gap.
  const gap = queue.length >= BACKLOG ? 0 : lastCommitAt + COMMIT_GAP_MS - performance.now();
  setTimeout(drain, Math.max(0, gap));
});
send({ type: 'ready' });
