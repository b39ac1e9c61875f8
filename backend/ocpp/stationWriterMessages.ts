// What the backend's main thread and its station writer thread (stationWriter.ts, stationWriterWorker.ts) send
// each other.
import type { MessagePort } from 'node:worker_threads';
import type { StationReport } from '../store/points.js';

export interface StationWriterStart {
  dataDir: string;
  /** WriterHandoff's buffer: the two threads take turns writing the store (node/writerHandoff.ts). */
  handoff: SharedArrayBuffer;
  /** [0]: the last batch id answered, set after its answer was posted (the main thread may wait on it). */
  answered: SharedArrayBuffer;
  port: MessagePort;
  slowQueryMs?: number;
}

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
  | { type: 'answers'; answers: { id: number; outcomes: ReportOutcome[] }[] }
  | { type: 'log'; line: string };
