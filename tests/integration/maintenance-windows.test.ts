// Planned maintenance runs in the backend on a clock the test moves: windows start and end on time with
// ChangeAvailability Inoperative then Operative over real OCPP-J (1.6 and 2.0.1), points go back to what they had,
// a restart mid-window resumes it, and conflicts are refused plainly.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import type { Point } from '../../common/model.js';
import type { MaintenanceWindow, Windows } from '../../common/windows.js';
import { CONSOLE_EVENTS, errorReplySchema } from '../../common/protocol.js';
import {
  connectConsole,
  setStatus,
  tokenFor,
  type TestBackend,
  type TestConsole,
  type TestStation,
} from '../support/backendHarness.js';
import { at, ClockedBackend, MINUTE as MIN, NO_PINGS, T0 } from '../support/clockedBackend.js';
import { waitFor } from '../support/waitFor.js';

describe('maintenance windows', () => {
  let f: ClockedBackend;
  let clock: ManualClock;
  let b: TestBackend;
  let supervisor: TestConsole;
  let stations: TestStation[] = [];

  /** Starts the backend again (after b.stop()) on the same data, on `clock`. */
  const start = async () => {
    b = await f.restart(clock);
    supervisor = await f.console('supervisor');
  };

  beforeEach(async () => {
    f = await ClockedBackend.start({ startAt: T0, liveness: NO_PINGS });
    ({ clock, backend: b } = f);
    supervisor = await f.console('supervisor');
  });
  afterEach(async () => {
    stations = [];
    await f.close();
  });

  const point = (id: string): Point => b.store.points.get(id)!;

  async function online(
    id: string,
    protocol: 'ocpp1.6' | 'ocpp2.0.1',
    statuses: Record<number, string> = { 1: 'Available', 2: 'Available' },
  ) {
    const st = await f.station(id, protocol);
    stations.push(st);
    st.beforeAnswer = async (params) => {
      const evse = protocol === 'ocpp1.6' ? params.connectorId : params.evse.id;
      const inoperative = (params.type ?? params.operationalStatus) === 'Inoperative';
      if (st.answer === 'Accepted') await st.status(evse, inoperative ? 'Unavailable' : 'Available');
    };
    await st.boot();
    for (const [evse, status] of Object.entries(statuses)) await st.status(Number(evse), status);
    return st;
  }

  async function plan(pointIds: string[], from: number, to: number | null, who: TestConsole = supervisor) {
    return who.request('planWindow', {
      id: randomUUID(),
      pointIds,
      startsAt: at(from),
      endsAt: to === null ? null : at(to),
      reason: 'Annual inspection',
      note: 'Technician: Sam',
    });
  }

  async function edit(pointId: string, status: string, reason: string | null) {
    const r = await supervisor.request('mutate', {
      mutations: [setStatus([{ pointId, baseVersion: point(pointId).operator.version }], { status, reason })],
    });
    assert.ok(r.ok, JSON.stringify(r));
  }

  for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
    const sid = protocol === 'ocpp1.6' ? 'ST16' : 'ST201';

    it(`${protocol}: starts and ends on time: Inoperative, then Operative, then back to what the point had`, async () => {
      const st = await online(sid, protocol);
      await edit(`${sid}-2`, 'OutOfService', 'cable damaged');
      await waitFor('OOS confirmed', () => point(`${sid}-2`).delivery.state === 'confirmed');
      const sentBefore = st.received.length;
      const r = await plan([`${sid}-1`, `${sid}-2`], 30, 90);
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.data.window.state, 'planned');
      clock.advance(30 * MIN - 1);
      assert.equal(point(`${sid}-1`).operator.status, 'Available', 'nothing before the start');
      clock.advance(1);
      assert.equal(point(`${sid}-1`).operator.status, 'Maintenance');
      assert.equal(point(`${sid}-1`).operator.reason, 'Annual inspection');
      assert.equal(point(`${sid}-1`).operator.until, at(90));
      await waitFor('Inoperative confirmed', () => point(`${sid}-1`).delivery.state === 'confirmed');
      const inoperative = st.received.slice(sentBefore).map((p) => p.type ?? p.operationalStatus);
      assert.ok(inoperative.length >= 1 && inoperative.every((x) => x === 'Inoperative'), JSON.stringify(inoperative));
      clock.advance(60 * MIN);
      assert.equal(point(`${sid}-1`).operator.status, 'Available', 'back to Available');
      assert.equal(point(`${sid}-2`).operator.status, 'OutOfService', 'back to what it had, not blindly Available');
      assert.equal(point(`${sid}-2`).operator.reason, 'cable damaged');
      await waitFor('Operative sent', () => st.received.some((p) => (p.type ?? p.operationalStatus) === 'Operative'));
      await waitFor('Operative confirmed', () => point(`${sid}-1`).delivery.state === 'confirmed');
      const w = b.store.windows.get(r.data.window.id)!;
      assert.equal(w.state, 'ended');
      assert.deepEqual(
        w.points.map((p) => p.state),
        ['restored', 'restored'],
      );
    });
  }

  it('a backend restarted mid-window resumes it, and one down at its end catches up', async () => {
    await online('ST16', 'ocpp1.6');
    const r = await plan(['ST16-1'], 10, 60);
    assert.ok(r.ok);
    clock.advance(20 * MIN);
    assert.equal(point('ST16-1').operator.status, 'Maintenance');
    supervisor.close();
    for (const s of stations) await s.close();
    stations = [];
    await b.stop();
    clock = new ManualClock(T0 + 45 * MIN);
    await start();
    assert.equal(b.store.windows.get(r.data.window.id)!.state, 'running', 'still running after the restart');
    clock.advance(15 * MIN);
    assert.equal(point('ST16-1').operator.status, 'Available', 'ended on time after the restart');
    supervisor.close();
    await b.stop();
    // Down through a whole window: it starts and ends on start-up, the point back as it was.
    const r2Clock = T0 + 2 * 60 * MIN;
    clock = new ManualClock(r2Clock);
    await start();
    const r2 = await plan(['ST16-2'], 125, 130);
    assert.ok(r2.ok);
    supervisor.close();
    await b.stop();
    clock = new ManualClock(T0 + 3 * 60 * MIN);
    await start();
    const w2 = b.store.windows.get(r2.data.window.id)!;
    assert.equal(w2.state, 'ended');
    assert.equal(point('ST16-2').operator.status, 'Available');
  });

  it('a station offline at the start gets the change when it reconnects', async () => {
    const r = await plan(['ST201-1'], 5, 60);
    assert.ok(r.ok);
    clock.advance(5 * MIN);
    assert.equal(point('ST201-1').operator.status, 'Maintenance');
    assert.equal(point('ST201-1').delivery.state, 'stationOffline');
    const st = await online('ST201', 'ocpp2.0.1', {}); // it reports only in answer to the change
    await waitFor('sent on reconnect', () => st.received.some((p) => p.operationalStatus === 'Inoperative'));
    await waitFor('confirmed', () => point('ST201-1').delivery.state === 'confirmed');
  });

  it('a session running at the start gives Scheduled; the window applies when it ends', async () => {
    const st = await online('ST16', 'ocpp1.6', { 1: 'Charging' });
    st.answer = 'Scheduled';
    const r = await plan(['ST16-1'], 5, 120);
    assert.ok(r.ok);
    clock.advance(5 * MIN);
    await waitFor('scheduled', () => point('ST16-1').delivery.state === 'scheduled');
    await st.status(1, 'Unavailable'); // the session ended; the station applied it
    await waitFor('confirmed', () => point('ST16-1').delivery.state === 'confirmed');
  });

  it('overlapping windows on a point are refused, naming the other window', async () => {
    const first = await plan(['ST16-1', 'ST16-2'], 60, 120);
    assert.ok(first.ok);
    const clash = await plan(['ST201-1', 'ST16-2'], 90, 150);
    assert.equal(clash.ok, false);
    assert.equal(clash.error.code, 'conflict');
    assert.match(clash.error.message, /ST16-2 is already in the window "Annual inspection"/);
    assert.ok(clash.error.message.includes(first.data.window.id));
    // The same facts as fields, checked by the shared schema: the other window, the shared point, when they meet.
    assert.deepEqual(errorReplySchema.parse(clash.error).overlap, {
      windowId: first.data.window.id,
      reason: 'Annual inspection',
      startsAt: at(60),
      endsAt: at(120),
      state: 'planned',
      pointIds: ['ST16-2'],
      pointCount: 1,
      from: at(90),
      until: at(120),
    });
    const after = await plan(['ST16-2'], 120, 150);
    assert.ok(after.ok, 'back to back is not an overlap');
    const open = await plan(['ST201-2'], 10, null);
    assert.ok(open.ok);
    const later = await plan(['ST201-2'], 600, 700);
    assert.equal(later.ok, false, 'an open-ended window holds the point for good');
  });

  it('an overlap with a running window names every shared point, the window running, and an open end', async () => {
    const running = await plan(['ST16-1', 'ST16-2', 'ST201-1'], 0, null);
    assert.ok(running.ok);
    await waitFor('running', () => b.store.windows.get(running.data.window.id)?.state === 'running');
    const clash = await plan(['ST201-2', 'ST201-1', 'ST16-2'], 30, 90);
    assert.equal(clash.ok, false);
    const overlap = errorReplySchema.parse(clash.error).overlap!;
    assert.equal(overlap.windowId, running.data.window.id);
    assert.equal(overlap.state, 'running');
    assert.deepEqual(
      overlap.pointIds,
      ['ST201-1', 'ST16-2'],
      'the refused plan’s points the other holds, in its order',
    );
    assert.equal(overlap.pointCount, 2);
    assert.equal(overlap.endsAt, null);
    assert.deepEqual([overlap.from, overlap.until], [at(30), at(90)]);
    assert.match(clash.error.message, /ST201-1 and 1 more point\(s\) are already in the window/);
    // Moving a planned window onto another is refused the same way, with the same fields.
    const later = await plan(['ST201-2'], 200, 260);
    const earlier = await plan(['ST201-2'], 100, 150);
    assert.ok(later.ok && earlier.ok);
    const moved = await supervisor.request('changeWindow', {
      id: later.data.window.id,
      version: later.data.window.version,
      startsAt: at(120),
    });
    assert.equal(moved.ok, false);
    const movedOverlap = errorReplySchema.parse(moved.error).overlap!;
    assert.equal(movedOverlap.windowId, earlier.data.window.id);
    assert.deepEqual([movedOverlap.from, movedOverlap.until], [at(120), at(150)]);
    const onto = await plan(['ST16-1'], 300, 400);
    assert.equal(onto.ok, false);
    assert.deepEqual(errorReplySchema.parse(onto.error).overlap?.pointIds, ['ST16-1']);
  });

  it('a person changing a point inside a running window takes it out of the window (not restored at the end)', async () => {
    await online('ST16', 'ocpp1.6');
    const r = await plan(['ST16-1', 'ST16-2'], 5, 60);
    assert.ok(r.ok);
    clock.advance(5 * MIN);
    await edit('ST16-1', 'Faulted', 'found a broken socket');
    await waitFor(
      'released',
      () => b.store.windows.get(r.data.window.id)!.points.find((p) => p.pointId === 'ST16-1')?.state === 'released',
    );
    clock.advance(55 * MIN);
    assert.equal(point('ST16-1').operator.status, 'Faulted', 'the person’s change stands');
    assert.equal(point('ST16-2').operator.status, 'Available');
  });

  it('a window planned after its start (say, queued offline) starts at once and says so; planning it again changes nothing', async () => {
    clock.advance(30 * MIN);
    const id = randomUUID();
    const req = { id, pointIds: ['ST16-1'], startsAt: at(10), endsAt: at(60), reason: 'Annual inspection', note: null };
    const r = await supervisor.request('planWindow', req);
    assert.ok(r.ok, JSON.stringify(r));
    assert.match(r.data.message, /started at once/);
    assert.equal(point('ST16-1').operator.status, 'Maintenance');
    const version = point('ST16-1').operator.version;
    const again = await supervisor.request('planWindow', req);
    assert.ok(again.ok);
    assert.equal(again.data.message, 'already planned');
    assert.equal(point('ST16-1').operator.version, version, 'applied once');
  });

  it('edit, shorten, extend and cancel; every console hears about it', async () => {
    const viewer = await connectConsole(b.url, await tokenFor(b.url, 'viewer'));
    const heard: Windows[] = [];
    viewer.socket.on(CONSOLE_EVENTS.windows, (w: Windows) => heard.push(w));
    try {
      const r = await plan(['ST16-1'], 30, 60);
      assert.ok(r.ok);
      let w: MaintenanceWindow = r.data.window;
      const moved = await supervisor.request('changeWindow', {
        id: w.id,
        version: w.version,
        startsAt: at(40),
        endsAt: at(100),
      });
      assert.ok(moved.ok, JSON.stringify(moved));
      w = moved.data.window;
      const stale = await supervisor.request('changeWindow', { id: w.id, version: 1, endsAt: at(200) });
      assert.equal(stale.ok, false);
      assert.equal(stale.error.code, 'conflict');
      clock.advance(40 * MIN);
      w = b.store.windows.get(w.id)!;
      assert.equal(w.state, 'running');
      const startAgain = await supervisor.request('changeWindow', { id: w.id, version: w.version, startsAt: at(45) });
      assert.equal(startAgain.ok, false, 'a running window keeps its start');
      const extended = await supervisor.request('changeWindow', { id: w.id, version: w.version, endsAt: at(120) });
      assert.ok(extended.ok);
      clock.advance(60 * MIN);
      assert.equal(point('ST16-1').operator.status, 'Maintenance', 'extended: still in Maintenance at the old end');
      const ended = await supervisor.request('cancelWindow', { id: w.id, version: extended.data.window.version });
      assert.ok(ended.ok);
      assert.match(ended.data.message, /ended now/);
      assert.equal(point('ST16-1').operator.status, 'Available');
      const other = await plan(['ST16-2'], 300, 360);
      assert.ok(other.ok);
      const cancelled = await supervisor.request('cancelWindow', {
        id: other.data.window.id,
        version: other.data.window.version,
      });
      assert.ok(cancelled.ok);
      assert.equal(cancelled.data.window.state, 'cancelled');
      clock.advance(400 * MIN);
      assert.equal(point('ST16-2').operator.status, 'Available', 'a cancelled window never starts');
      await waitFor('the viewer heard every step', () =>
        heard.some((m) => m.windows.some((x) => x.id === other.data.window.id && x.state === 'cancelled')),
      );
      const list = await viewer.request('windows', {});
      assert.ok(list.ok);
      assert.deepEqual((list.data as Windows).windows.map((x) => x.state).sort(), ['cancelled', 'ended']);
      // The point's history records every step of its windows, oldest first, each naming its window.
      const steps = (pointId: string, windowId: string) =>
        b.store.audit
          .history(pointId, 100)
          .filter((e) => e.fact === 'window' && e.note === windowId)
          .map((e) => `${e.to} by ${e.actor}`)
          .reverse();
      assert.deepEqual(steps('ST16-1', w.id), [
        'planned by user:supervisor',
        'changed by user:supervisor',
        'started by system',
        'changed by user:supervisor',
        'ended by system',
      ]);
      assert.deepEqual(steps('ST16-2', other.data.window.id), [
        'planned by user:supervisor',
        'cancelled by user:supervisor',
      ]);
    } finally {
      viewer.close();
    }
  });

  it('viewers may not plan; an operator plans one point at a time; bad requests get clear errors', async () => {
    const viewer = await connectConsole(b.url, await tokenFor(b.url, 'viewer'));
    const operator = await connectConsole(b.url, await tokenFor(b.url, 'operator'));
    try {
      const v = await plan(['ST16-1'], 5, 10, viewer);
      assert.equal(v.ok, false);
      assert.equal(v.error.code, 'forbidden');
      const many = await plan(['ST16-1', 'ST16-2'], 5, 10, operator);
      assert.equal(many.ok, false);
      assert.equal(many.error.code, 'forbidden');
      const one = await plan(['ST16-1'], 5, 10, operator);
      assert.ok(one.ok);
      const backwards = await plan(['ST16-2'], 10, 5);
      assert.equal(backwards.ok, false);
      assert.equal(backwards.error.code, 'invalid');
      const unknown = await plan(['NOPE-1'], 5, 10);
      assert.equal(unknown.ok, false);
      assert.equal(unknown.error.code, 'notFound');
      assert.equal(b.store.windows.current(at(-1000)).length, 1, 'nothing else was stored');
    } finally {
      viewer.close();
      operator.close();
    }
  });
});
