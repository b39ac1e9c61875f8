// Uptime read from the day roll-ups (backend/store/historyRollups.ts, backend/history/rollupUptime.ts) is the interval
// computation's, to the bit: generated histories in five kinds of zone, periods across month boundaries and
// daylight-saving days, outages still going, windows, history starting inside the period, a supervisor's exclusion
// made afterwards, and a site that changes zone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ShownStatus } from '../../common/status.js';
import { DAY_MS, MINUTE_MS } from '../../common/uptime.js';
import { HistoryRecorder } from '../../backend/history/recorder.js';
import { UPTIME_CACHE_MS, UptimeService } from '../../backend/history/uptimeService.js';
import { localDayAt } from '../../backend/store/historyRollups.js';
import { END, generated, random, START } from '../support/uptimeNetwork.js';

const PERIODS = [
  ['March, UTC months', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'],
  ['30 days to the next UTC midnight, past now', '2026-03-11T00:00:00Z', '2026-04-10T00:00:00Z'],
  ['across the European DST night, odd minutes', '2026-03-27T13:17:00Z', '2026-03-31T02:05:30Z'],
  ['across the US DST night', '2026-03-07T05:00:00Z', '2026-03-09T04:00:00Z'],
  ['February to April', '2026-02-01T00:00:00Z', '2026-04-30T00:00:00Z'],
  ['shorter than a day', '2026-03-29T00:30:00Z', '2026-03-29T03:30:00Z'],
  ['in the future', '2026-05-01T00:00:00Z', '2026-05-03T00:00:00Z'],
] as const;

function bothWays(service: UptimeService, from: string, to: string) {
  const q = { scope: 'network' as const, from: Date.parse(from), to: Date.parse(to), maxOutages: 1, daily: true };
  const exact = service.uptime({ ...q, outages: true });
  const rolled = service.uptime({ ...q, outages: false });
  return { exact: { ...exact, outages: [], outagesLeftOff: 0 }, rolled };
}

test('uptime from the roll-ups equals the interval computation, in five zones, across months and DST days', () => {
  const { store, clock, service, close } = generated();
  try {
    const rows = store.history.rollups.between(START - DAY_MS, END);
    assert.ok(rows.length > 500, `roll-up days kept: ${rows.length}`);
    // The DST days are in the roll-ups with their own length.
    const amsterdam = localDayAt(Date.parse('2026-03-29T12:00:00Z'), 'Europe/Amsterdam');
    assert.equal(amsterdam.end - amsterdam.start, 23 * 3_600_000);
    for (const [name, from, to] of PERIODS) {
      const { exact, rolled } = bothWays(service, from, to);
      assert.deepEqual(rolled, exact, name);
    }
    // An outage still going at a later now: counted up to now both ways.
    clock.advance(5 * 3_600_000);
    const { exact, rolled } = bothWays(service, '2026-03-20T00:00:00Z', '2026-04-11T00:00:00Z');
    assert.deepEqual(rolled, exact);
    assert.ok(rolled.ports.some((p) => p.outageMinutes > 0) && rolled.uptime! < 100);
  } finally {
    close();
  }
});

test("a supervisor's exclusion made afterwards, and a site changing zone, are in the roll-ups' figures", () => {
  const { store, clock, service, close } = generated();
  try {
    const before = bothWays(service, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z').rolled;
    const port = before.ports.find((p) => p.outageMinutes - p.excludedMinutes > 600)!;
    service.exclude(
      {
        pointId: port.pointId,
        from: '2026-03-01T00:00:00Z',
        to: '2026-03-20T00:00:00Z',
        reason: 'utilityInterruption',
        note: 'utility ref 42',
      },
      { username: 'sue', role: 'supervisor' },
    );
    const after = bothWays(service, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
    assert.deepEqual(after.rolled, after.exact);
    const changed = after.rolled.ports.find((p) => p.pointId === port.pointId)!;
    assert.ok(changed.excludedMinutes > port.excludedMinutes, 'the exclusion counts');

    store.changes.write('zone', () =>
      store.stations.upsertSite({ id: 'S0', name: 'Site 0', city: 'C', address: 'A', timeZone: 'Asia/Kathmandu' }),
    );
    // Until the recorder cuts the site's days again its points are computed from their intervals; after, read.
    const moved = bothWays(service, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
    assert.deepEqual(moved.rolled, moved.exact);
    const recorder = new HistoryRecorder(store, clock, () => undefined);
    assert.equal(recorder.reconcileRollups(), 8);
    const recut = bothWays(service, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
    assert.deepEqual(recut.rolled, recut.exact);
    assert.notDeepEqual(
      recut.rolled.sites.find((s) => s.id === 'S0')!.daily,
      before.sites.find((s) => s.id === 'S0')!.daily,
    );
  } finally {
    close();
  }
});

test('the fast path equals the reference computation for random periods, ends inside outages, every scope', () => {
  const { store, clock, service, close } = generated();
  try {
    const rnd = random(99);
    // Each period's ends fall inside an outage of some port (closed since, or still going), at odd milliseconds.
    const outages = store.history.outagesBetween(START, END);
    const starts = [...outages.values()].flat().filter((i) => i.end === null || i.end - i.start > 2 * 60_000);
    assert.ok(starts.length > 100);
    const inside = () => {
      const iv = starts[Math.floor(rnd() * starts.length)];
      return iv.start + 1 + Math.floor(rnd() * ((iv.end ?? END) - iv.start - 1));
    };
    const scopes = [
      { scope: 'network' as const },
      { scope: 'site' as const, id: 'S1' },
      { scope: 'site' as const, id: 'S4' },
      { scope: 'station' as const, id: 'ST2-3' },
    ];
    let compared = 0;
    for (let i = 0; i < 30; i++) {
      const [from, to] = [inside(), i % 3 === 0 ? END + Math.floor(rnd() * DAY_MS) : inside()].sort((a, b) => a - b);
      if (to - from < 60_000) continue;
      const { scope, id } = scopes[i % scopes.length];
      const q = { scope, id, from, to, maxOutages: 1, daily: true };
      const exact = service.uptime({ ...q, outages: true });
      const rolled = service.uptime({ ...q, outages: false });
      assert.deepEqual(rolled, { ...exact, outages: [], outagesLeftOff: 0 }, `${scope} ${id ?? ''} ${from}–${to}`);
      compared++;
    }
    assert.ok(compared >= 25, `periods compared: ${compared}`);
    // Read at a later now: the outages going on then are counted up to now both ways.
    clock.advance(3 * DAY_MS);
    const q = { scope: 'network' as const, from: END - 5 * DAY_MS, to: END + 5 * DAY_MS, maxOutages: 1, daily: true };
    const exact = service.uptime({ ...q, outages: true });
    assert.deepEqual(service.uptime({ ...q, outages: false }), { ...exact, outages: [], outagesLeftOff: 0 });
  } finally {
    close();
  }
});

test("a period's figures are answered again until an outage starts or ends here, an exclusion is made or a minute passes; a session changes nothing", () => {
  const { store, clock, close } = generated();
  try {
    const cached = new UptimeService(store, clock);
    const reference = new UptimeService(store, clock, 0);
    const q = {
      scope: 'network' as const,
      from: Date.parse('2026-03-11T00:00:00Z'),
      to: Date.parse('2026-04-10T00:00:00Z'),
      outages: false,
      maxOutages: 1,
      daily: true,
    };
    const record = (status: ShownStatus, up: boolean) => {
      const numbers = store.history.points();
      // A point whose interval going on is up (a session starts) or, for an outage, any point's.
      for (const [, { n }] of numbers) {
        const open = store.history.open(n);
        if (!open || (up && !['Available', 'Occupied'].includes(open.status)) || open.status === status) continue;
        store.db.tx('test', () =>
          store.history.record(n, open, { status, source: 'reported', cause: null, windowId: null }, clock.now()),
        );
        return;
      }
      throw new Error('no point to record');
    };
    const first = cached.uptime(q);
    assert.equal(cached.uptime(q), first, 'asked again: the same reply, not computed');
    assert.deepEqual(first, reference.uptime(q));
    clock.advance(MINUTE_MS);
    record('Occupied', true);
    clock.advance(UPTIME_CACHE_MS - 2 * MINUTE_MS);
    assert.equal(cached.uptime(q), first, 'a session (up after up) and less than a minute: still the same');
    clock.advance(MINUTE_MS);
    const aMinuteOn = cached.uptime(q);
    assert.notEqual(aMinuteOn, first, 'a minute on: computed again');
    assert.deepEqual(aMinuteOn, reference.uptime(q));

    record('Faulted', true);
    const faulted = cached.uptime(q);
    assert.notEqual(faulted, aMinuteOn, 'an outage started: computed again');
    assert.deepEqual(faulted, reference.uptime(q));
    clock.advance(10 * MINUTE_MS);
    record('Available', false);
    assert.notEqual(cached.uptime(q), faulted, 'an outage ended: computed again');
    const port = faulted.ports.find((p) => p.outageMinutes - p.excludedMinutes > 600)!;
    const beforeExclusion = cached.uptime(q);
    cached.exclude(
      {
        pointId: port.pointId,
        from: '2026-03-11T00:00:00Z',
        to: '2026-03-30T00:00:00Z',
        reason: 'utilityInterruption',
        note: 'utility ref 43',
      },
      { username: 'sue', role: 'supervisor' },
    );
    const excluded = cached.uptime(q);
    assert.notEqual(excluded, beforeExclusion, 'an exclusion: computed again');
    assert.deepEqual(excluded, reference.uptime(q));
  } finally {
    close();
  }
});

test('worstPorts lists only the ports that cost the most uptime, and stations: false leaves out the stations; the means are the same', () => {
  const { store, clock, close } = generated();
  try {
    const service = new UptimeService(store, clock, 0);
    for (const outages of [false, true]) {
      const q = {
        scope: 'network' as const,
        from: Date.parse('2026-03-11T00:00:00Z'),
        to: Date.parse('2026-04-10T00:00:00Z'),
        outages,
        maxOutages: 3,
        daily: true,
      };
      const all = service.uptime(q);
      const lean = service.uptime({ ...q, worstPorts: 5, stations: false });
      const counted = (p: { outageMinutes: number; excludedMinutes: number }) => p.outageMinutes - p.excludedMinutes;
      const expected = all.ports
        .filter((p) => counted(p) > 0)
        .sort((a, b) => counted(b) - counted(a) || a.pointId.localeCompare(b.pointId))
        .slice(0, 5);
      assert.equal(lean.ports.length, 5);
      assert.deepEqual(lean.ports, expected);
      assert.equal(lean.portsLeftOff, all.ports.length - 5);
      assert.deepEqual(lean.stations, []);
      assert.deepEqual(
        { ...lean, ports: all.ports, stations: all.stations, portsLeftOff: undefined },
        {
          ...all,
          portsLeftOff: undefined,
        },
      );
      assert.equal(all.portsLeftOff, undefined, 'without worstPorts: every port, nothing left off');
    }
  } finally {
    close();
  }
});
