// A generated history for uptime tests: 5 sites in 5 kinds of zone, 40 points, outages of every kind, windows,
// history starting late for some points, written as the recorder writes it.
import { ManualClock } from '../../common/clock.js';
import type { ShownStatus } from '../../common/status.js';
import { DAY_MS, MINUTE_MS, type IntervalSource } from '../../common/uptime.js';
import { HistoryRecorder } from '../../backend/history/recorder.js';
import { UptimeService } from '../../backend/history/uptimeService.js';
import type { OpenInterval } from '../../backend/store/history.js';
import { createRng } from '../../backend/demo/prng.js';
import { tempDir } from './tempDir.js';
import { disposeStoreOf, testStore } from './testStore.js';

export const ZONES = ['UTC', 'Europe/Amsterdam', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
export const START = Date.parse('2026-02-20T00:00:00Z');
export const END = Date.parse('2026-04-10T00:00:00Z');

/** The same seeded sequence every run (mulberry32, as the demo's). */
export const random = (seed: number): (() => number) => createRng(seed).next;

export const STEPS: { status: ShownStatus; source: IntervalSource; cause: string | null; window: boolean }[] = [
  { status: 'Available', source: 'reported', cause: null, window: false },
  { status: 'Occupied', source: 'reported', cause: null, window: false },
  { status: 'Faulted', source: 'reported', cause: 'GroundFailure', window: false },
  { status: 'Offline', source: 'connection', cause: 'offline', window: false },
  { status: 'OutOfService', source: 'operator', cause: 'broken cable', window: false },
  { status: 'Maintenance', source: 'operator', cause: 'inspection', window: true },
  { status: 'Maintenance', source: 'operator', cause: 'by hand', window: false },
];

/** A network of 5 sites (one per zone), 40 points; the roll-ups are cut when the recorder starts, then kept as the
 * history is written (what the recorder does). Some points' history starts late. */
export function generated() {
  const dir = tempDir('uptime-rollups');
  const store = testStore(dir.path);
  const clock = new ManualClock(END);
  store.changes.write('seed', () => {
    ZONES.forEach((timeZone, s) => {
      store.stations.upsertSite({ id: `S${s}`, name: `Site ${s}`, city: 'C', address: 'A', timeZone });
      for (let st = 0; st < 4; st++) {
        store.stations.insert({ id: `ST${s}-${st}`, siteId: `S${s}`, protocol: 'ocpp1.6' });
        for (let e = 1; e <= 2; e++) {
          store.points.insert({
            id: `ST${s}-${st}-${e}`,
            stationId: `ST${s}-${st}`,
            evseId: e,
            label: `${e}`,
            connectors: [{ id: 1, type: null, maxKw: null }],
          });
        }
      }
    });
  });
  const ids = store.points.all().map((p) => p.id);
  const rnd = random(7);
  const starts = ids.map((_, i) => (i % 9 === 4 ? START + Math.floor(rnd() * 30) * DAY_MS + 3_600_000 : START));
  const numbers = store.db.tx('numbers', () => ids.map((id, i) => store.history.numberOf(id, starts[i])));
  new HistoryRecorder(store, clock, () => undefined).reconcileRollups();
  store.db.tx('history', () => {
    numbers.forEach((n, i) => {
      let open: OpenInterval | null = null;
      let at = starts[i];
      while (at < END - 3 * 3_600_000) {
        const step = STEPS[Math.floor(rnd() * STEPS.length)];
        const facts = {
          status: step.status,
          source: step.source,
          cause: step.cause,
          windowId: step.window ? `w${i}` : null,
        };
        store.history.record(n, open, facts, at);
        open = { ...facts, start: at, end: null, n };
        // Mostly minutes to hours; now and then two days (an outage across midnights and the DST nights).
        at += (rnd() < 0.1 ? 2 * DAY_MS : Math.floor(rnd() * 9 * 60) * MINUTE_MS) + Math.floor(rnd() * 60_000) + 1;
      }
    });
  });
  return {
    store,
    clock,
    // No cache: each question here is computed (the cache has its own test).
    service: new UptimeService(store, clock, 0),
    close: () => (store.close(), disposeStoreOf(dir.path), dir.remove()),
  };
}
