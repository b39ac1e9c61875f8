// What the backend's main thread and its station writer thread (stationWriter.ts, stationWriterWorker.ts) send
// each other.
import type { MessagePort } from 'node:worker_threads';
import type { StationReport } from '../store/points.js';

export interface StationWriterStart {
  dataDir: string;
  /** WriterHandoff's buffer: the two threads take turns writing the store (node/writerHandoff.ts). */
  handoff: SharedArrayBuffer;
  /** Int32 words at the PROGRESS indexes below. */
  progress: SharedArrayBuffer;
  port: MessagePort;
  slowQueryMs?: number;
}

/** The words of StationWriterStart.progress. */
export const PROGRESS = {
  /** The last batch id answered, set after its answer was posted (the main thread may wait on it). */
  answered: 0,
  /** Commits the writer made: the main thread sees it is alive while it waits. */
  commits: 1,
  /** Advanced by the main thread when the history roll-ups' zones may have changed (the writer reads them again). */
  zones: 2,
  size: 3,
} as const;

/** Main → writer: reports to write, and stations' last-heard times (written with the next commit). */
export interface StationWriterBatch {
  type: 'batch';
  id: number;
  reports: StationReport[];
  heard: [stationId: string, at: string][];
}

/** The point reported on, null for an unknown station, or why the report was not stored. */
export type ReportOutcome = string | null | { error: string; invalid: boolean };

/** Writer → main. */
export type StationWriterMessage =
  | { type: 'ready' }
  /** After each commit: the batches it completed, and the points whose uptime figures it changed (null: all). */
  | { type: 'answers'; answers: { id: number; outcomes: ReportOutcome[] }[]; figures: (number | null)[] }
  | { type: 'log'; line: string };
