// The point status history's storage (backend/store/history.ts, backend/history/recorder.ts): recorded from the
// store's own changes, sessions' detail merged after 35 days without changing uptime, dropped after 400 days, on the
// injectable clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { DAY_MS, portUptime } from '../../common/uptime.js';
import { HistoryRecorder } from '../../backend/history/recorder.js';
import { Store } from '../../backend/store/index.js';
import { testStore } from '../support/testStore.js';
import { tempDir } from '../support/tempDir.js';

const MIN = 60_000;

/** One site, one station 'ST' with points ST-1 … ST-<points>. */
function network(store: Store, points = 1) {
  store.stations.upsertSite({ id: 'S', name: 'Site', city: 'C', address: 'A' });
  store.stations.insert({ id: 'ST', siteId: 'S', protocol: 'ocpp1.6' });
  for (let i = 1; i <= points; i++)
    store.points.insert({
      id: `ST-${i}`,
      stationId: 'ST',
      evseId: i,
      label: String(i),
      connectors: [{ id: 1, type: null, maxKw: null }],
    });
}

test('changes are recorded with the change (status, source, cause), merged after 35 days with uptime unchanged, dropped after 400 days', () => {
  const dir = tempDir('history-store');
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const store = testStore(dir.path);
  const recorder = new HistoryRecorder(store, clock, () => undefined);
  try {
    network(store);
    recorder.start();
    const report = (status: 'Available' | 'Occupied' | 'Faulted', errorCode: string | null = null) =>
      store.points.setReported(
        'ST',
        1,
        { status, errorCode, info: null, at: new Date(clock.now()).toISOString() },
        'station:ST',
      );
    store.points.setConnection('ST', true, new Date(clock.now()).toISOString(), 'station:ST');
    report('Available');
    for (let d = 0; d < 3; d++) {
      clock.advance(8 * 60 * MIN);
      report('Occupied');
      clock.advance(45 * MIN);
      report('Available');
      clock.advance(15 * MIN);
      report('Faulted', 'GroundFailure');
      clock.advance(30 * MIN);
      report('Available');
      clock.advance(DAY_MS - (8 * 60 + 90) * MIN);
    }
    const n = store.history.points().get('ST-1')!.n;
    const period = { from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2026-01-04T00:00:00Z') };
    const before = store.history.between(n, period.from, period.to);
    // Offline, then connected (Unknown), then Available in the same instant: intervals of no length are replaced.
    assert.deepEqual(
      before.slice(0, 4).map((i) => [i.status, i.source, i.cause]),
      [
        ['Available', 'reported', null],
        ['Occupied', 'reported', null],
        ['Available', 'reported', null],
        ['Faulted', 'reported', 'GroundFailure'],
      ],
    );
    const uptimeBefore = portUptime(before, [], period, clock.now());
    assert.equal(uptimeBefore.outageMinutes, 3 * 30);

    clock.advance(40 * DAY_MS); // the recorder's 6-hourly prune runs on the clock
    const after = store.history.between(n, period.from, period.to);
    assert.ok(after.length < before.length, `${after.length} < ${before.length}`);
    assert.ok(!after.some((i) => i.status === 'Occupied'), 'sessions older than 35 days are merged into Available');
    assert.deepEqual(portUptime(after, [], period, clock.now()), uptimeBefore);

    clock.advance(400 * DAY_MS);
    const left = store.history.between(n, period.from, period.to);
    assert.deepEqual(
      left.map((i) => [i.status, i.end]),
      [['Available', null]],
      'older than 400 days: gone, but the interval still going is kept',
    );
  } finally {
    recorder.stop();
    store.close();
    dir.remove();
  }
});

test('a write that fails leaves no history of itself (the history commits with the change or not at all)', () => {
  const dir = tempDir('history-store');
  const clock = new ManualClock();
  const store = testStore(dir.path);
  const recorder = new HistoryRecorder(store, clock, () => undefined);
  try {
    network(store);
    recorder.start();
    const n = store.history.points().get('ST-1')!.n;
    const count = () => store.history.between(n, 0, Number.MAX_SAFE_INTEGER).length;
    const before = count();
    assert.throws(() =>
      store.changes.write('failing', () => {
        store.points.setConnection('ST', true, new Date(clock.now()).toISOString(), 'station:ST');
        throw new Error('disk on fire');
      }),
    );
    assert.equal(count(), before);
    store.points.setConnection('ST', true, new Date(clock.now() + 1).toISOString(), 'station:ST');
    clock.advance(1000);
    assert.equal(store.history.open(n)?.status, 'Unknown', 'connected, nothing reported yet');
  } finally {
    recorder.stop();
    store.close();
    dir.remove();
  }
});

test('a change of many points reads and closes their open intervals in one statement each on PostgreSQL (one per point on SQLite), one insert per point', () => {
  const dir = tempDir('history-store-many');
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const statements: string[] = [];
  // Every statement is logged by name at a slow-query threshold of 0 ms.
  const store = testStore(dir.path, { log: (line) => statements.push(line), slowQueryMs: 0 });
  const recorder = new HistoryRecorder(store, clock, () => undefined);
  const POINTS = 40;
  try {
    network(store, POINTS);
    recorder.start();
    store.points.setConnection('ST', true, new Date(clock.now()).toISOString(), 'station:ST');
    clock.advance(10 * MIN);
    statements.length = 0;
    store.points.setConnection('ST', false, new Date(clock.now()).toISOString(), 'station:ST');
    const ran = (name: string) => statements.filter((l) => l.startsWith(`slow query: ${name} took`)).length;
    // A statement is a round trip on PostgreSQL and a call on SQLite, where one per point by the key costs less.
    const sets = store.db.dialect === 'postgres';
    assert.equal(ran('history open of points'), sets ? 1 : 0);
    assert.equal(ran('history close many'), sets ? 1 : 0);
    assert.equal(ran('history insert'), POINTS);
    assert.equal(ran('history open'), sets ? 0 : POINTS);
    assert.equal(ran('history close'), sets ? 0 : POINTS);
    for (let i = 1; i <= POINTS; i++) {
      const n = store.history.points().get(`ST-${i}`)!.n;
      const intervals = store.history.between(n, clock.now() - 10 * MIN, clock.now() + 1);
      assert.deepEqual(
        intervals.map((v) => [v.status, v.start, v.end]),
        [
          ['Unknown', clock.now() - 10 * MIN, clock.now()],
          ['Offline', clock.now(), null],
        ],
        `ST-${i}`,
      );
    }
    // Back after 10 minutes: the 40 outages closed in one statement are each rolled up on their day.
    clock.advance(10 * MIN);
    statements.length = 0;
    store.points.setConnection('ST', true, new Date(clock.now()).toISOString(), 'station:ST');
    assert.equal(ran(sets ? 'history close many' : 'history close'), sets ? 1 : POINTS);
    const days = store.history.rollups.between(clock.now() - DAY_MS, clock.now());
    assert.equal(days.length, POINTS);
    assert.ok(
      days.every((d) => d.outageMs === 10 * MIN && d.windowMs === 0),
      JSON.stringify(days[0]),
    );
  } finally {
    recorder.stop();
    store.close();
    dir.remove();
  }
});

test("a point's open interval is its latest, read by the primary key (no index of open intervals), one point or many", () => {
  const dir = tempDir('history-store-latest');
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const store = testStore(dir.path);
  const recorder = new HistoryRecorder(store, clock, () => undefined);
  const POINTS = 40;
  try {
    const indexes =
      store.db.dialect === 'sqlite'
        ? store.db.preparePluck<string>('indexes', "SELECT name FROM sqlite_master WHERE type = 'index'").all()
        : store.db.preparePluck<string>('indexes', 'SELECT indexname FROM pg_indexes').all();
    assert.ok(indexes.includes('point_history_outages'));
    assert.ok(!indexes.includes('point_history_open'));
    network(store, POINTS);
    recorder.start();
    store.points.setConnection('ST', true, new Date(clock.now()).toISOString(), 'station:ST');
    const statuses = ['Occupied', 'Available', 'Faulted', 'Available'] as const;
    for (let round = 0; round < 12; round++) {
      clock.advance(7 * MIN);
      const at = new Date(clock.now()).toISOString();
      // Every point a change a round (many points: sets on PostgreSQL), and ST-1 alone once more (one point).
      store.points.setReportedMany(
        Array.from({ length: POINTS }, (_, i) => ({
          stationId: 'ST',
          evseId: i + 1,
          report: { status: statuses[(round + i) % 4], errorCode: null, info: null, at },
          actor: 'station:ST',
        })),
      );
      clock.advance(MIN);
      store.points.setReported(
        'ST',
        1,
        { status: round % 2 ? 'Occupied' : 'Reserved', errorCode: null, info: null, at },
        'station:ST',
      );
    }
    const numbers = store.history.points();
    const ns = Array.from({ length: POINTS }, (_, i) => numbers.get(`ST-${i + 1}`)!.n);
    const open = store.history.openOf(ns);
    assert.equal(open.size, POINTS);
    assert.deepEqual([open.get(ns[0])!.status, open.get(ns[0])!.start], ['Occupied', clock.now()]);
    for (let i = 1; i < POINTS; i++) {
      const expected = store.points.get(`ST-${i + 1}`)!.reported.status;
      assert.deepEqual([open.get(ns[i])!.status, open.get(ns[i])!.start], [expected, clock.now() - MIN], `ST-${i + 1}`);
    }
    assert.deepEqual(store.history.openOf([ns[0]]).get(ns[0]), open.get(ns[0]));
    assert.deepEqual(store.history.open(ns[1]), open.get(ns[1]));
    // A latest interval that is closed with an older one open (not something the recorder leaves) means no open
    // interval, not the older one.
    const [older, latest] = store.history.between(ns[1], 0, clock.now() + 1).slice(-2);
    store.db
      .prepare('close latest', 'UPDATE point_history SET end_ms = ? WHERE n = ? AND start_ms = ?')
      .run(clock.now(), ns[1], latest.start);
    store.db
      .prepare('reopen older', 'UPDATE point_history SET end_ms = NULL WHERE n = ? AND start_ms = ?')
      .run(ns[1], older.start);
    assert.equal(store.history.open(ns[1]), null);
    assert.equal(store.history.openOf([ns[1], ns[2]]).has(ns[1]), false);
    assert.equal(store.history.openOf(ns).has(ns[1]), false);
    assert.equal(store.history.openOf(ns).size, POINTS - 1);
  } finally {
    recorder.stop();
    store.close();
    dir.remove();
  }
});
