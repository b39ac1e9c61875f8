// Station liveness in the renderer (issue 14): the backend's word only (never this computer's clock), loaded at start
// and kept by events in the store's paced flush; a station's state change derives only its own points' rows again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StationLiveness } from '../../common/consoleApi.js';
import { connectivityTitle, connectivityLine } from '../../renderer/src/model/labels.js';
import { connectivityOf } from '../../renderer/src/model/connectivity.js';
import { createRowModelSelector } from '../../renderer/src/model/rows.js';
import type { RowModelInput } from '../../renderer/src/model/rows.js';
import { LivenessTable } from '../../renderer/src/store/livenessTable.js';
import { ConsoleStore } from '../../renderer/src/store/store.js';
import { point } from '../support/rendererFixtures.js';
import { rowModelInput } from '../support/rowModelInput.js';
import { fakeConsoleHost, nextTurn } from '../support/fakeConsoleHost.js';
import { manualScheduler } from '../support/manualScheduler.js';

const T = (s: string) => `2026-12-04T13:${s}.000Z`;
const entry = (
  stationId: string,
  state: StationLiveness['state'],
  lastHeardAt: string | null,
  since: string | null,
): StationLiveness => ({
  stationId,
  state,
  lastHeardAt,
  since,
});

const pts = () => [
  point('a1', { stationId: 'ST-A', label: 'Bay 1' }),
  point('a2', { stationId: 'ST-A', label: 'Bay 2' }),
  point('b1', { stationId: 'ST-B', label: 'Bay 3' }),
  point('c1', { stationId: 'ST-C', label: 'Bay 4', stationConnected: false, stationLastSeen: T('00:00') }),
];

async function started(liveness: StationLiveness[], opts: { holdLiveness?: boolean } = {}) {
  const host = fakeConsoleHost(pts(), { liveness });
  if (opts.holdLiveness) host.holdLiveness();
  const sched = manualScheduler();
  const store = new ConsoleStore(host.api, host.transport, sched.schedule);
  store.start();
  await nextTurn();
  sched.run();
  return { host, sched, store };
}

function rowInput(store: ConsoleStore, over: Partial<RowModelInput> = {}): RowModelInput {
  const st = store.getState();
  return rowModelInput(st.points, st.sites, {
    pointsVersion: st.pointsVersion,
    changed: st.changed,
    sitesVersion: st.sitesVersion,
    liveness: st.liveness,
    grouped: false,
    ...over,
  });
}

describe('renderer liveness: the backend decides, the console shows', () => {
  it('a station is silent only when the backend says so; without its word the point’s connection flag stands', () => {
    // Heard from a year ago by this computer's clock: still online until the backend says otherwise.
    const p = point('x', { stationId: 'ST-X', stationLastSeen: '2025-12-04T13:00:00.000Z' });
    assert.equal(connectivityOf(p, undefined).kind, 'online');
    assert.equal(connectivityOf(p, undefined).source, 'point');
    // Heard a second ago, but the backend says silent (since 13:23): silent.
    const fresh = point('y', { stationId: 'ST-Y', stationLastSeen: new Date().toISOString() });
    const c = connectivityOf(fresh, entry('ST-Y', 'silent', T('22:40'), T('23:10')));
    assert.deepEqual(c, { kind: 'silent', since: T('23:10'), lastHeardAt: T('22:40'), source: 'backend' });
    const off = point('z', { stationConnected: false, stationLastSeen: T('20:00') });
    assert.equal(connectivityOf(off, undefined).kind, 'offline');
  });

  it('says "Silent since 13:23" / "Offline since …" with when it was last heard, ages from the page clock', () => {
    const now = Date.parse(T('37:00'));
    const silent = connectivityOf(point('y'), entry('ST-y', 'silent', T('22:40'), T('23:10')));
    const line = connectivityLine(silent, now);
    assert.match(line, /^Silent since \d\d:\d\d · last heard 14 min ago$/);
    const online = connectivityOf(point('y'), entry('ST-y', 'online', T('36:48'), T('00:00')));
    assert.equal(connectivityLine(online, now), 'Online · last heard 12 s ago');
    assert.match(connectivityTitle(online, now), /last heard .* \(12 s ago\)/);
    const offline = connectivityOf(point('y'), entry('ST-y', 'offline', T('30:00'), T('30:05')));
    assert.match(connectivityTitle(offline, now), /^Offline since .*last heard .*\(7 min ago\)/);
  });

  it('the store loads getLiveness at start and applies events at the paced flush (a station fact, not a person’s)', async () => {
    const { host, sched, store } = await started([entry('ST-A', 'online', T('00:00'), T('00:00'))]);
    assert.ok(host.calls.includes('getLiveness'));
    assert.equal(store.getState().liveness.get('ST-A')?.state, 'online');
    sched.takeUrgency();
    host.emit('liveness', { full: false, stations: [entry('ST-B', 'silent', T('01:00'), T('03:00'))] });
    assert.deepEqual(sched.takeUrgency(), [false], 'waits for the pace like station reports');
    assert.equal(store.getState().liveness.get('ST-B'), undefined, 'not before the flush');
    sched.run();
    assert.equal(store.getState().liveness.get('ST-B')?.state, 'silent');
    assert.equal(store.getState().liveness.get('ST-A')?.state, 'online', 'a merge keeps the others');
    host.emit('liveness', { full: true, stations: [entry('ST-B', 'online', T('04:00'), T('04:00'))] });
    sched.run();
    assert.equal(store.getState().liveness.has('ST-A'), false, 'a full list replaces everything');
  });

  it('a station’s state change derives only its own points’ rows; a last-heard time alone derives none', async () => {
    const { host, sched, store } = await started([
      entry('ST-A', 'online', T('00:00'), T('00:00')),
      entry('ST-B', 'online', T('00:00'), T('00:00')),
    ]);
    const select = createRowModelSelector();
    const before = select(rowInput(store));
    const rowOf = (m: typeof before, id: string) => m.rows.find((r) => r.key === id)!;
    const b1Before = rowOf(before, 'b1');
    const v0 = store.getState().pointsVersion;

    host.emit('liveness', { full: false, stations: [entry('ST-A', 'silent', T('00:00'), T('02:00'))] });
    sched.run();
    const st = store.getState();
    assert.equal(st.pointsVersion, v0 + 1);
    assert.deepEqual([...(st.changed?.ids ?? [])].sort(), ['a1', 'a2'], 'only ST-A’s points');
    const after = select(rowInput(store));
    assert.equal(rowOf(after, 'b1'), b1Before, 'another station’s row is the same object');
    assert.equal(rowOf(after, 'a1').kind === 'point' && (rowOf(after, 'a1') as any).data.connKind, 'silent');

    const lv = st.livenessVersion;
    host.emit('liveness', { full: false, stations: [entry('ST-B', 'online', T('02:30'), T('00:00'))] });
    sched.run();
    assert.equal(store.getState().pointsVersion, v0 + 1, 'a new last-heard time changes no row');
    assert.equal(store.getState().livenessVersion, lv + 1, 'but renders what is on screen');
    assert.equal(store.getState().liveness.get('ST-B')?.lastHeardAt, T('02:30'));
  });

  it('a heartbeat whose `since` comes back a second apart (ages in whole seconds) derives no row', async () => {
    const { host, sched, store } = await started([entry('ST-A', 'online', T('00:00'), '2026-12-04T12:00:00.400Z')]);
    const v0 = store.getState().pointsVersion;
    host.emit('liveness', { full: false, stations: [entry('ST-A', 'online', T('00:30'), '2026-12-04T12:00:01.300Z')] });
    sched.run();
    assert.equal(store.getState().pointsVersion, v0, 'the same spell online: no row derived again');
    assert.equal(store.getState().liveness.get('ST-A')?.lastHeardAt, T('00:30'));
    assert.equal(
      store.getState().liveness.get('ST-A')?.since,
      '2026-12-04T12:00:00.400Z',
      'the first time of the spell is kept',
    );
    host.emit('liveness', { full: false, stations: [entry('ST-A', 'online', T('01:00'), T('00:59'))] });
    sched.run();
    assert.equal(store.getState().pointsVersion, v0 + 1, 'a new spell (back online later) is a change');
  });

  it('sorts the Station column by the backend’s word: offline, then silent, then online', async () => {
    const { store } = await started([
      entry('ST-A', 'online', T('00:00'), T('00:00')),
      entry('ST-B', 'silent', T('00:00'), T('01:00')),
      // ST-C has no entry: its points' flag (disconnected) stands.
    ]);
    const m = createRowModelSelector()(rowInput(store, { sort: { column: 'connectivity', dir: 'asc' } }));
    assert.deepEqual(
      m.rows.map((r) => r.key),
      ['c1', 'b1', 'a1', 'a2'],
    );
  });

  it('an older getLiveness answer does not undo a newer event handed over before it', async () => {
    const { host, sched, store } = await started([], { holdLiveness: true });
    // The newer event came after the question and is applied first (several messages handed over at once).
    host.emit('liveness', { full: false, stations: [entry('ST-A', 'offline', T('05:00'), T('06:00'))] });
    host.answerLiveness({
      full: true,
      stations: [entry('ST-A', 'online', T('05:00'), T('00:00')), entry('ST-B', 'online', T('05:00'), T('00:00'))],
    });
    await nextTurn();
    sched.run();
    assert.equal(store.getState().liveness.get('ST-A')?.state, 'offline', 'the fresher event stands');
    assert.equal(store.getState().liveness.get('ST-B')?.state, 'online', 'the answer brings the rest');
  });

  it('the table: a full event since the question makes the answer moot; an older event after the answer still applies in order', () => {
    const t = new LivenessTable();
    t.asking();
    t.applyEvent({ full: true, stations: [entry('ST-A', 'silent', T('01:00'), T('02:00'))] });
    t.applyAnswer({ full: true, stations: [entry('ST-A', 'online', T('00:00'), T('00:00'))] });
    assert.equal(t.get('ST-A')?.state, 'silent');
    // Events in the order they came, whatever their times (this computer's clock may have been set back).
    const c = t.applyEvent({ full: false, stations: [entry('ST-A', 'online', T('00:30'), T('00:30'))] });
    assert.equal(t.get('ST-A')?.state, 'online');
    assert.deepEqual([...c.rowStations], ['ST-A']);
    const same = t.applyEvent({ full: false, stations: [entry('ST-A', 'online', T('00:30'), T('00:30'))] });
    assert.equal(same.any, false, 'the same facts again change nothing');
  });
});
