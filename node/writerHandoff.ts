// Two threads writing one SQLite file take turns through shared memory, the main thread first: the backend's event
// loop (a person's edit, a scheduler's turn) never waits for the station writer's whole transaction, only for the
// report it is on and its commit (backend/ocpp/stationWriter.ts). SQLite's own busy handler would make it sleep and
// retry instead, for as long as the other transaction lasts.

const MAIN_WANTS = 0;
const WORKER_WRITING = 1;
/** Between checks of a flag that another thread must change (a lost wake-up costs at most this). */
const RECHECK_MS = 50;
/**
 * The main thread waits at most this long for the other thread's turn to end, then writes anyway: a thread that died
 * inside its turn never ends it, and the main thread (blocked) cannot hear that it died. SQLite's own lock still keeps
 * the two writes apart (busy_timeout); this only ends the wait for a flag no one will clear.
 */
const MAIN_WAITS_AT_MOST_MS = 10_000;

export type HandoffRole = 'main' | 'worker';

export class WriterHandoff {
  private readonly flags: Int32Array;
  private held = 0;

  /** Both threads build it over the same buffer (from WriterHandoff.buffer()), each with its own role. */
  constructor(
    readonly shared: SharedArrayBuffer,
    readonly role: HandoffRole,
    private readonly mainWaitsAtMostMs = MAIN_WAITS_AT_MOST_MS,
  ) {
    this.flags = new Int32Array(shared);
  }

  static buffer(): SharedArrayBuffer {
    return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  }

  /** Runs fn as this thread's turn to write; nested calls run inside the turn already held. */
  turn<T>(fn: () => T): T {
    if (this.held > 0) {
      this.held++;
      try {
        return fn();
      } finally {
        this.held--;
      }
    }
    if (this.role === 'main') this.takeAsMain();
    else this.takeAsWorker();
    this.held = 1;
    try {
      return fn();
    } finally {
      this.held = 0;
      this.release();
    }
  }

  /** Whether this thread is in its turn now. */
  get holding(): boolean {
    return this.held > 0;
  }

  /** Worker: the main thread waits to write; end the transaction as soon as what is done can commit. */
  get wanted(): boolean {
    return this.role === 'worker' && Atomics.load(this.flags, MAIN_WANTS) === 1;
  }

  /** Main: the other thread has ended (and its connection with it): it no longer holds a turn. */
  workerGone(): void {
    Atomics.store(this.flags, WORKER_WRITING, 0);
    Atomics.notify(this.flags, WORKER_WRITING);
  }

  private takeAsMain(): void {
    Atomics.store(this.flags, MAIN_WANTS, 1);
    const until = performance.now() + this.mainWaitsAtMostMs;
    while (Atomics.load(this.flags, WORKER_WRITING) === 1 && performance.now() < until)
      Atomics.wait(this.flags, WORKER_WRITING, 1, RECHECK_MS);
  }

  private takeAsWorker(): void {
    for (;;) {
      while (Atomics.load(this.flags, MAIN_WANTS) === 1) Atomics.wait(this.flags, MAIN_WANTS, 1, RECHECK_MS);
      Atomics.store(this.flags, WORKER_WRITING, 1);
      // Both flags are set and read in one total order (Atomics are sequentially consistent): if the main thread
      // raised its flag before this one was seen, it waits for this one to fall, so the worker steps back.
      if (Atomics.load(this.flags, MAIN_WANTS) === 0) return;
      Atomics.store(this.flags, WORKER_WRITING, 0);
      Atomics.notify(this.flags, WORKER_WRITING);
    }
  }

  private release(): void {
    const flag = this.role === 'main' ? MAIN_WANTS : WORKER_WRITING;
    Atomics.store(this.flags, flag, 0);
    Atomics.notify(this.flags, flag);
  }
}
