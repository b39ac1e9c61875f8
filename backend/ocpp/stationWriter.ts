// The station writer thread seen from the main thread: station reports are written there, so that the backend's
// event loop (people's edits and what the consoles are sent) never waits for a backlog's transaction. At 100,000
// points and 5,000 reports a second the backend only keeps up in commits of thousands of reports, and such a commit
// held the event loop for seconds (docs/performance.md, 2026-12-08). SQLite only; both threads take turns writing
// (node/writerHandoff.ts), the main thread first.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort, WorkerOptions } from 'node:worker_threads';
import { Db as SqliteDb } from '../../node/db.js';
import { WriterHandoff } from '../../node/writerHandoff.js';
import type { Store } from '../store/index.js';
import { InvalidPointError, type StationReport } from '../store/points.js';
import {
  PROGRESS,
  type ReportOutcome,
  type StationWriterMessage,
  type StationWriterStart,
} from './stationWriterMessages.js';

export interface StationWriterOptions {
  dataDir: string;
  log: (line: string) => void;
  slowQueryMs?: number;
  /** The worker's script, where it is not beside this module's source (a bundle: bench/stationWriterWorker.ts). */
  workerUrl?: URL;
  /** How long the writer may commit nothing while reports wait before it is taken for dead (SILENT_WRITER_MS). */
  silentWriterMs?: number;
}

type Settle = (outcome: ReportOutcome | Error) => void;

/** Waits at most this long in a row for the writer's answers before looking at the thread again. */
const WAIT_SLICE_MS = 200;
/** A writer that commits nothing for this long while reports wait for it is taken for dead (ended, written inline). */
const SILENT_WRITER_MS = 30_000;
/** The watchdog looks at the writer's commits this often (at most), while reports wait for it. */
const WATCHDOG_MS = 1_000;

export class StationWriter {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly progress: Int32Array;
  private readonly handoff: WriterHandoff;
  private readonly waiting = new Map<number, Settle[]>();
  private lastSent = 0;
  private answeredUpTo = 0;
  private failure: Error | null = null;
  /** Who waits for every batch up to `upTo` to be answered. */
  private readonly whenAnswered: { upTo: number; resolve: () => void }[] = [];
  private readonly silentWriterMs: number;
  /** The writer's commits when last seen to move, and when (performance.now()). */
  private commitsSeen = 0;
  private commitsMovedAt = 0;
  private watchdog: NodeJS.Timeout | null = null;
  /** Settles once the thread has exited and the main thread writes alone again. */
  private readonly exited: Promise<void>;
  /** close() has asked the thread to end. */
  private closing = false;
  /** The thread has opened its store and takes batches (until then only SILENT_WRITER_MS gives it up: it boots). */
  private ready = false;

  constructor(
    private readonly store: Store,
    private readonly opts: StationWriterOptions,
  ) {
    if (!(store.db instanceof SqliteDb)) throw new Error('the station writer thread is for a SQLite store');
    this.silentWriterMs = opts.silentWriterMs ?? SILENT_WRITER_MS;
    const db = store.db;
    const shared = WriterHandoff.buffer();
    this.handoff = new WriterHandoff(shared, 'main');
    const progressBuffer = new SharedArrayBuffer(PROGRESS.size * Int32Array.BYTES_PER_ELEMENT);
    this.progress = new Int32Array(progressBuffer);
    const channel = new MessageChannel();
    this.port = channel.port1;
    const start: StationWriterStart = {
      dataDir: opts.dataDir,
      handoff: shared,
      progress: progressBuffer,
      port: channel.port2,
      slowQueryMs: opts.slowQueryMs,
    };
    // From now on the main thread's writes take turns with the writer's (before the writer can write anything).
    db.shareWrites(this.handoff);
    // Roll-up zones cut here (reconciling) are read again by the writer before its next commit.
    store.history.onFiguresChanged = (n) => {
      if (n === null) Atomics.add(this.progress, PROGRESS.zones, 1);
    };
    this.worker = spawn(opts.workerUrl, start, [channel.port2]);
    this.worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) =>
      this.worker.on('exit', (code) => {
        // Only now is its connection closed (what it had begun rolled back): the main thread writes alone from here.
        this.handoff.workerGone();
        const stopped = new Error(`the station writer thread stopped (exit code ${code})`);
        // Closed by close(): its end is no failure to log (what was sent after close() began is failed, quietly).
        this.fail(stopped, this.closing);
        this.store.changes.refresh();
        db.shareWrites(null);
        store.history.onFiguresChanged = null;
        resolve();
      }),
    );
    this.port.on('message', (message: StationWriterMessage) => this.receive(message));
    this.worker.unref();
    this.port.unref();
  }

  /** Null while the thread writes; the error it stopped with once it did (the reports then go the inline way). */
  get stopped(): Error | null {
    return this.failure;
  }

  /** Sends reports and last-heard times; each report's outcome settles once the writer committed it. */
  send(reports: StationReport[], heard: [string, string][], settle: Settle[]): void {
    if (this.failure || this.closing) {
      const error = this.failure ?? new Error('the station writer thread is closing');
      for (const s of settle) s(error);
      return;
    }
    const id = ++this.lastSent;
    if (this.waiting.size === 0) this.noteCommits(true);
    this.waiting.set(id, settle);
    this.port.postMessage({ type: 'batch', id, reports, heard });
    this.watchdog ??= setInterval(() => this.watch(), Math.min(WATCHDOG_MS, this.silentWriterMs / 4)).unref();
  }

  /** Resolves once everything sent so far is answered (what is sent after does not hold it up). */
  answeredAll(): Promise<void> {
    if (this.failure || this.answeredUpTo >= this.lastSent) return Promise.resolve();
    const upTo = this.lastSent;
    return new Promise((resolve) => this.whenAnswered.push({ upTo, resolve }));
  }

  /**
   * Blocks until everything sent so far is committed and answered: for a write of the main thread that must come after
   * the reports sent before it (a station gone offline). Takes as long as the writer's backlog.
   */
  waitForAll(): void {
    // In its own turn the main thread would wait for a writer that waits for it: the order is not kept then.
    if (this.handoff.holding) {
      this.opts.log('ocpp: station reports not waited for inside a write (they are written after it)');
      return;
    }
    while (!this.failure && this.waiting.size > 0) {
      const answered = Atomics.load(this.progress, PROGRESS.answered);
      if (answered < this.lastSent)
        Atomics.wait(this.progress, PROGRESS.answered, answered, Math.min(WAIT_SLICE_MS, this.silentWriterMs));
      for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) this.receive(m.message);
      this.watch();
    }
  }

  /** Writes what was sent, then ends the thread. */
  async close(): Promise<void> {
    // A thread that failed may still be ending (terminated): the store stays open until it has. Until then the thread
    // keeps the process up (it is unref'd while it runs): with nothing else left, the wait would end the process.
    this.worker.ref();
    if (!this.failure) {
      this.waitForAll();
      this.closing = true;
      this.port.postMessage({ type: 'close' });
    }
    // Bounded: a thread stuck in native code may never end (terminate() cannot interrupt it either).
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.silentWriterMs)));
    const stuck = await Promise.race([this.exited.then(() => false), gaveUp]);
    clearTimeout(timer);
    if (stuck) {
      this.opts.log(`ocpp: the station writer thread did not end within ${this.silentWriterMs / 1000} s of closing`);
      void this.worker.terminate();
      this.worker.unref();
    }
    this.port.close();
  }

  private receive(message: StationWriterMessage): void {
    if (message.type === 'log') return this.opts.log(message.line);
    if (message.type === 'ready') {
      this.ready = true;
      return this.noteCommits(true);
    }
    this.store.history.noteFiguresChanged(message.figures);
    // The consoles and every listener hear of the changes before the stations get their replies, as inline.
    this.store.changes.refresh();
    for (const answer of message.answers) {
      const settle = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      this.answeredUpTo = Math.max(this.answeredUpTo, answer.id);
      settle?.forEach((s, i) => s(answer.outcomes[i]));
    }
    this.resolveAnswered();
  }

  private resolveAnswered(): void {
    for (let i = this.whenAnswered.length - 1; i >= 0; i--) {
      const w = this.whenAnswered[i];
      if (!this.failure && w.upTo > this.answeredUpTo) continue;
      this.whenAnswered.splice(i, 1);
      w.resolve();
    }
  }

  /** The writer's commits moved (or `reset`: reports start to wait now): its silence counts from here. */
  private noteCommits(reset = false): void {
    const commits = Atomics.load(this.progress, PROGRESS.commits);
    if (reset || commits !== this.commitsSeen) [this.commitsSeen, this.commitsMovedAt] = [commits, performance.now()];
  }

  /** While reports wait: a writer that has committed nothing for silentWriterMs is given up. */
  private watch(): void {
    if (this.failure || this.waiting.size === 0) {
      if (this.watchdog) clearInterval(this.watchdog);
      this.watchdog = null;
      return;
    }
    this.noteCommits();
    const limit = this.ready ? this.silentWriterMs : Math.max(this.silentWriterMs, SILENT_WRITER_MS);
    if (performance.now() - this.commitsMovedAt > limit) this.giveUp(limit);
  }

  /** A writer silent while reports wait: ended, and what it had not answered fails (written inline from now on). */
  private giveUp(silentMs: number): void {
    this.fail(new Error(`the station writer thread committed nothing for ${silentMs / 1000} s`));
    void this.worker.terminate();
  }

  private fail(error: Error, quiet = false): void {
    if (this.failure) return;
    this.failure = error;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    if (!quiet) this.opts.log(`ocpp: ${error.message}; station reports are written on the main thread from now on`);
    // What was sent and not answered may or may not be stored: each station hears an error and sends it again.
    for (const settle of this.waiting.values()) for (const s of settle) s(error);
    this.waiting.clear();
    this.resolveAnswered();
  }
}

/** A report's outcome as the inline write gives it: the point's id, null (unknown station), or the error. */
export function outcomeError(outcome: ReportOutcome | Error): Error | null {
  if (outcome instanceof Error) return outcome;
  if (outcome === null || typeof outcome === 'string') return null;
  return outcome.invalid ? new InvalidPointError(outcome.error) : new Error(outcome.error);
}

/** The worker from its source (run by tsx, which a new thread must register again) or from a given script. */
function spawn(workerUrl: URL | undefined, start: StationWriterStart, transfer: MessagePort[]): Worker {
  const options: WorkerOptions = { workerData: start, transferList: transfer };
  if (workerUrl) return new Worker(workerUrl, options);
  if (!import.meta.url.endsWith('.ts')) throw new Error('the station writer thread needs its script (workerUrl)');
  const source = new URL('./stationWriterWorker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
