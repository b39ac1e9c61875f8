// The live load of the scale benchmarks: station status reports pushed through the backend store at a steady rate.
import type { Point } from '../common/model.js';
import type { ReportedStatus } from '../common/status.js';
import { STATION_COMMIT_WINDOW_MS, StationWriteBatch } from '../backend/ocpp/stationWriteBatch.js';
import type { backendWithNetwork } from './backendWithNetwork.js';

type Backend = Awaited<ReturnType<typeof backendWithNetwork>>;
const REPORTED: ReportedStatus[] = ['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'];

/**
 * Pushes station status reports at `rate` per second through the OCPP gateway's write path (its StationWriteBatch, and
 * the backend's station writer thread when it runs one):
 * the reports due at each 4 ms tick arrive in one turn and share a commit with those of the next ticks within the
 * gateway's commit window, as the reports that reach the gateway do; a backlog (the backend behind) goes in one commit,
 * as there.
 */
export function startLoad(backend: Backend, points: Point[], rate: number) {
  const current = new Uint8Array(points.length);
  for (let i = 0; i < points.length; i++) current[i] = Math.max(0, REPORTED.indexOf(points[i].reported.status));
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const started = performance.now();
  let sent = 0;
  let worstLagMs = 0;
  let failed = 0;
  /** Reports written (stored or refused): what the backend has taken, not just what was sent to it. */
  let written = 0;
  let worstBacklog = 0;
  // The gateway's commit window, or VB_BENCH_COMMIT_WINDOW_MS for an experiment (0: each turn's reports, as before).
  const windowMs = Number(process.env.VB_BENCH_COMMIT_WINDOW_MS ?? STATION_COMMIT_WINDOW_MS);
  const writes = new StationWriteBatch(backend.store, () => undefined, backend.stationWriter, windowMs);
  const push = () => {
    const now = performance.now();
    const due = Math.floor(((now - started) / 1000) * rate);
    worstLagMs = Math.max(worstLagMs, ((due - sent) / rate) * 1000);
    worstBacklog = Math.max(worstBacklog, sent - written);
    while (sent < due) {
      const i = Math.floor(rand() * points.length);
      const next = (current[i] + 1 + Math.floor(rand() * (REPORTED.length - 1))) % REPORTED.length;
      current[i] = next;
      const p = points[i];
      const report = { status: REPORTED[next], errorCode: null, info: null, at: new Date().toISOString() };
      writes.report({ stationId: p.stationId, evseId: p.evseId, report, actor: `station:${p.stationId}` }).then(
        () => written++,
        () => (written++, failed++),
      );
      sent++;
    }
  };
  const timer = setInterval(push, 4);
  return {
    /**
     * Stops the load; answers once its last reports are written. rate: reports written a second, until the last was
     * (a backend that fell behind shows here); worstBacklog: the most reports sent and not yet written at once.
     */
    async stop() {
      clearInterval(timer);
      push();
      await writes.stored();
      const seconds = (performance.now() - started) / 1000;
      return { sent, failed, seconds, rate: written / seconds, worstLagMs, worstBacklog };
    },
  };
}

/** The backend's truth as the grid should show it (no pending edits of this console). */
