// WAL checkpoints on a worker thread. With journal_mode=WAL, SQLite copies the log back into the database file
// (and syncs it) every 1,000 pages, inside whichever commit crosses that mark: under a stream of live changes that
// was a 30-40 ms stall of the event loop every few seconds (seen in the console core's CPU profile). A worker with
// its own connection runs PASSIVE checkpoints instead, which never block the writer; the main connection keeps a
// far-off automatic checkpoint as a fallback, and returns to the default if the worker fails.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** Pages (4 KiB) the log may grow to before the main connection checkpoints by itself after all. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 20_000;
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

export interface WalCheckpointer {
  /** Checkpoints the worker has run so far (for tests and logs). */
  readonly count: () => number;
  stop(): Promise<void>;
}

export interface WalCheckpointerOptions {
  intervalMs?: number;
  /** better-sqlite3's nativeBinding, when the runtime needs its own build (Electron). */
  nativeBinding?: string;
  log?: (line: string) => void;
}

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma('busy_timeout = 1000');
let stopping = false;
const timer = setInterval(() => {
  if (stopping) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ checkpointed: true });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  stopping = true;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
  parentPort.close();
});
`;

export function startWalCheckpointer(db: Database.Database, file: string, opts: WalCheckpointerOptions = {}): WalCheckpointer {
  let count = 0;
  let alive = true;
  const fallBack = (why: string) => {
    if (!alive) return;
    alive = false;
    opts.log?.(`WAL checkpoints back on the main thread: ${why}`);
    if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, modulePath, nativeBinding: opts.nativeBinding, intervalMs: opts.intervalMs ?? 1000 },
  });
  db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  worker.unref();
  const stopped = new Promise<void>((resolve) => {
    worker.on('message', (m: { checkpointed?: boolean; error?: string; stopped?: boolean }) => {
      if (m.checkpointed) count++;
      if (m.error) opts.log?.(`WAL checkpoint failed: ${m.error}`);
      if (m.stopped) resolve();
    });
    worker.on('error', (error) => {
      fallBack(error.message);
      resolve();
    });
    worker.on('exit', () => {
      fallBack('the worker exited');
      resolve();
    });
  });
  return {
    count: () => count,
    async stop() {
      if (!alive) return;
      alive = false;
      worker.postMessage('stop');
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
      await Promise.race([stopped, timeout]);
      await worker.terminate();
    },
  };
}
