// The network's uptime reads kept between questions (backend/history/preparedUptime.ts) give the figures of reading
// everything afresh, to the bit, while outages start and end, time passes, midnights pass in each zone, exclusions are
// made and a site changes zone; and only the ports that changed are read again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS, MINUTE_MS, type Period } from '../../common/uptime.js';
import { HistoryRecorder } from '../../backend/history/recorder.js';
import { PreparedPeriods } from '../../backend/history/preparedUptime.js';
import { rollupFigures, rollupUptime } from '../../backend/history/rollupUptime.js';
import { UptimeService } from '../../backend/history/uptimeService.js';
import { END, generated, random, STEPS } from '../support/uptimeNetwork.js';

type Generated = ReturnType<typeof generated>;

/** Records a next status for one point at the clock's now, as the recorder writes it. */
function recordStep(g: Generated, n: number, step: (typeof STEPS)[number]): void {
  const open = g.store.history.open(n);
  const facts = { status: step.status, source: step.source, cause: step.cause, windowId: step.window ? `w${n}` : null };
  g.store.db.tx('test', () => g.store.history.record(n, open, facts, g.clock.now()));
}

/** Kept figures of the period (all ports, and site S2's) deep-equal to reading everything now. */
function assertSame(g: Generated, periods: PreparedPeriods, period: Period, label: string): void {
  const now = g.clock.now();
  const prepared = periods.get(period, now);
  const ports = g.store.history.ports();
  assert.deepEqual(
    rollupFigures(prepared, prepared.entries, now, { daily: true }),
    rollupUptime(g.store, ports, period, now, { daily: true }),
    `${label}: the network`,
  );
  const site = prepared.entries.filter((e) => (e.kind === 'fast' ? e.port : e.input.point).siteId === 'S2');
  assert.deepEqual(
    rollupFigures(prepared, site, now, { daily: true }),
    rollupUptime(
      g.store,
      ports.filter((p) => p.siteId === 'S2'),
      period,
      now,
      { daily: true },
    ),
    `${label}: site S2`,
  );
}

test('kept reads equal reading everything afresh through outages, passing time and midnights, exclusions and a zone change', () => {
  const g = generated();
  try {
    const periods = new PreparedPeriods(g.store, Number.POSITIVE_INFINITY);
    const nextMidnight = Math.ceil(END / DAY_MS) * DAY_MS;
    const PERIODS: [string, Period][] = [
      ['30 days to the next UTC midnight', { from: nextMidnight - 30 * DAY_MS, to: nextMidnight }],
      ['ending in the future', { from: END - 10 * DAY_MS + 17 * MINUTE_MS, to: END + 10 * DAY_MS }],
      ['March', { from: Date.parse('2026-03-01T00:00:00Z'), to: Date.parse('2026-04-01T00:00:00Z') }],
      ['starting later', { from: END + DAY_MS, to: END + 3 * DAY_MS }],
    ];
    const numbers = [...g.store.history.points().values()].map((p) => p.n);
    const rnd = random(2026);
    let asked = 0;
    for (let step = 0; step < 160; step++) {
      // Mostly minutes; now and then half a day, which passes midnights somewhere.
      g.clock.advance(rnd() < 0.1 ? (6 + Math.floor(rnd() * 8)) * 3_600_000 : (1 + Math.floor(rnd() * 90)) * MINUTE_MS);
      const roll = rnd();
      if (roll < 0.03) {
        const n = numbers[Math.floor(rnd() * numbers.length)];
        const pointId = [...g.store.history.points()].find(([, p]) => p.n === n)![0];
        g.store.history.addExclusion({
          pointId,
          start: g.clock.now() - 3 * DAY_MS,
          end: g.clock.now() - DAY_MS,
          reason: 'utilityInterruption',
          note: 'utility ref 7',
          by: 'user:sue',
          at: new Date(g.clock.now()).toISOString(),
        });
      } else if (step === 80) {
        g.store.changes.write('zone', () =>
          g.store.stations.upsertSite({ id: 'S3', name: 'Site 3', city: 'C', address: 'A', timeZone: 'Asia/Tokyo' }),
        );
        // Asked before the recorder cuts the site's days again (its ports are then computed from their intervals)…
        for (const [label, period] of PERIODS) assertSame(g, periods, period, `${label}, zone changed, step ${step}`);
        new HistoryRecorder(g.store, g.clock, () => undefined).reconcileRollups();
      } else {
        for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
          recordStep(g, numbers[Math.floor(rnd() * numbers.length)], STEPS[Math.floor(rnd() * STEPS.length)]);
        }
      }
      for (const [label, period] of PERIODS) {
        assertSame(g, periods, period, `${label}, step ${step}`);
        asked++;
      }
    }
    assert.ok(periods.counts.ports > 200, `ports read again: ${periods.counts.ports}`);
    assert.ok(periods.counts.full < asked / 3, `read in full ${periods.counts.full} times of ${asked}`);
  } finally {
    g.close();
  }
});

test('an outage starting reads that port again, not the network; a point recorded for the first time reads it all', () => {
  const g = generated();
  try {
    const periods = new PreparedPeriods(g.store, Number.POSITIVE_INFINITY);
    const period = { from: END - 20 * DAY_MS, to: END + 10 * DAY_MS };
    periods.get(period, g.clock.now());
    assert.deepEqual(periods.counts, { full: 1, ports: 0 });
    const n = [...g.store.history.points().values()][5].n;
    g.clock.advance(MINUTE_MS);
    recordStep(g, n, { status: 'Faulted', source: 'reported', cause: 'GroundFailure', window: false });
    assertSame(g, periods, period, 'after the fault');
    assert.deepEqual(periods.counts, { full: 1, ports: 1 });
    // Time alone: nothing read (an outage going on is counted up to now by arithmetic).
    g.clock.advance(7 * MINUTE_MS);
    assertSame(g, periods, period, 'later');
    assert.deepEqual(periods.counts, { full: 1, ports: 1 });

    g.store.changes.write('new point', () =>
      g.store.points.insert({
        id: 'ST0-0-9',
        stationId: 'ST0-0',
        evseId: 9,
        label: '9',
        connectors: [{ id: 1, type: null, maxKw: null }],
      }),
    );
    assertSame(g, periods, period, 'a new point');
    assert.equal(periods.counts.full, 2);
  } finally {
    g.close();
  }
});

test('the service answers from kept reads what a service computing every question answers, by scope', () => {
  const g = generated();
  try {
    const kept = new UptimeService(g.store, g.clock);
    const reference = new UptimeService(g.store, g.clock, 0);
    const nextMidnight = Math.ceil(END / DAY_MS) * DAY_MS;
    const q = { from: nextMidnight - 30 * DAY_MS, to: nextMidnight, outages: false, maxOutages: 1, daily: true };
    const scopes = [
      { scope: 'network' as const },
      { scope: 'site' as const, id: 'S1' },
      { scope: 'station' as const, id: 'ST2-3' },
    ];
    const rnd = random(5);
    const numbers = [...g.store.history.points().values()].map((p) => p.n);
    for (let step = 0; step < 12; step++) {
      g.clock.advance(2 * MINUTE_MS);
      recordStep(g, numbers[Math.floor(rnd() * numbers.length)], STEPS[2 + (step % 4)]);
      for (const s of scopes) {
        assert.deepEqual(kept.uptime({ ...q, ...s, worstPorts: 5 }), reference.uptime({ ...q, ...s, worstPorts: 5 }));
      }
    }
    assert.throws(() => kept.uptime({ ...q, scope: 'site', id: 'nowhere' }), /no site nowhere/);
  } finally {
    g.close();
  }
});
