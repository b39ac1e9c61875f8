// The renderer store: points by id updated in place, batched per frame, never stepping back, highlights.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ViewPoint } from '../../common/consoleApi.js';
import { FIRST_SCREEN_POINTS } from '../../common/firstScreen.js';
import { ConsoleStore } from '../../renderer/src/store/store.js';
import { point, site } from '../support/rendererFixtures.js';
import { connectionState, fakeConsoleHost, nextTurn } from '../support/fakeConsoleHost.js';
import { manualScheduler } from '../support/manualScheduler.js';
import { waitFor } from '../support/waitFor.js';

/** A store over `points`, started and past its first answer (with holdNetwork: getNetwork still on its way). */
async function startStore(points: ViewPoint[], opts: { holdNetwork?: boolean } = {}) {
  const host = fakeConsoleHost(points);
  if (opts.holdNetwork) host.holdNetwork();
  const sched = manualScheduler();
  const store = new ConsoleStore(host.api, host.transport, sched.schedule);
  store.start();
  await nextTurn();
  return { host, sched, store };
}

/** A store over a network larger than its first screen, started and past its first answer. */
async function startLarge() {
  const many = Array.from({ length: 1000 }, (_, i) => point(`p${i}`, { seq: 1 }));
  return { many, ...(await startStore(many)) };
}

describe('renderer store', () => {
  it('loads the network, then applies point events in place, one flush per frame', async () => {
    const host = fakeConsoleHost([point('a'), point('b')]);
    const sched = manualScheduler();
    let now = 1000;
    const store = new ConsoleStore(host.api, host.transport, sched.schedule, () => now);
    let renders = 0;
    store.subscribe(() => renders++);
    store.start();
    await nextTurn();
    const s1 = store.getState();
    assert.equal(s1.loaded, true);
    assert.equal(s1.points.size, 2);
    assert.equal(s1.connection?.demo, true);
    const mapBefore = s1.points;

    renders = 0;
    host.emit('points', {
      points: [
        point('a', { seq: 2, version: 2, reported: { status: 'Occupied', errorCode: null, info: null, at: null } }),
      ],
      sites: [],
    });
    host.emit('points', { points: [point('b', { seq: 3, version: 2, stationConnected: false })], sites: [] });
    host.emit('points', { points: [point('c', { seq: 4 })], sites: [] });
    assert.equal(renders, 0, 'nothing renders before the frame');
    assert.deepEqual(sched.takeUrgency(), [false, true], 'reports may wait; a new point makes the flush urgent');
    now = 2000;
    sched.run();
    assert.equal(renders, 1, 'one render for the burst');
    const s2 = store.getState();
    assert.equal(s2.points, mapBefore, 'the same Map, updated in place');
    assert.equal(s2.pointsVersion, s1.pointsVersion + 1);
    assert.equal(s2.points.get('a')?.reported.status, 'Occupied');
    assert.equal(s2.points.get('b')?.stationConnected, false);
    assert.equal(s2.points.size, 3);
    assert.deepEqual(s2.flashes.get('a'), { at: 2000 });
    assert.equal(s2.flashes.has('c'), false, 'a new point is not a change');
  });

  it('asks for the next frame for a person’s change and lets station reports wait for the pace, once per burst', async () => {
    const { host, sched, store } = await startStore([point('a'), point('b')]);
    sched.run();
    sched.takeUrgency();
    const report = (id: string, seq: number) =>
      host.emit('points', {
        points: [
          point(id, {
            seq,
            reported: { status: seq % 2 ? 'Occupied' : 'Available', errorCode: null, info: null, at: null },
          }),
        ],
        sites: [],
      });
    report('a', 2);
    report('b', 3);
    assert.deepEqual(sched.takeUrgency(), [false], 'reports: one request that may wait');
    host.emit('points', {
      points: [
        point('b', {
          seq: 4,
          operator: {
            status: 'OutOfService',
            reason: 'Broken',
            note: null,
            until: null,
            by: 'user:bo',
            at: '2026-11-30T05:00:00.000Z',
            version: 1,
          },
        }),
      ],
      sites: [],
    });
    assert.deepEqual(sched.takeUrgency(), [true], 'someone’s edit turns the pending flush urgent');
    report('a', 5);
    assert.deepEqual(sched.takeUrgency(), [], 'already urgent: no new request');
    sched.run();
    assert.equal(store.getState().points.get('b')?.operator.status, 'OutOfService');
    assert.equal(store.getState().points.get('a')?.seq, 5);

    host.emit('points', {
      points: [
        point('a', {
          seq: 6,
          reported: { status: 'Occupied', errorCode: null, info: null, at: null },
          delivery: { state: 'sentToStation', detail: null, at: null },
        }),
      ],
      sites: [],
    });
    assert.deepEqual(sched.takeUrgency(), [true], 'a delivery in progress is followed at once');
    sched.run();

    const live = connectionState({ lastSyncAt: '2026-11-30T05:00:01.000Z' });
    host.emit('connection', live);
    assert.deepEqual(sched.takeUrgency(), [false], 'only the last sync time changed');
    sched.run();
    host.emit('connection', { ...live, queued: 3 });
    assert.deepEqual(sched.takeUrgency(), [true], 'edits queued: shown at once');
    sched.run();
    host.emit('connection', { ...live, queued: 3, state: 'offline' });
    assert.deepEqual(sched.takeUrgency(), [true], 'offline: shown at once');
    sched.run();

    // This console's own edit, through every state it shows, is followed at once.
    const edit = { status: 'Maintenance' as const, reason: 'Cleaning', note: null, until: null };
    const pending = (state: 'queued' | 'sending' | 'conflict', mutationId = 'm1', error: string | null = null) =>
      ({ mutationId, edit, state, createdAt: '2026-11-30T05:00:02.000Z', error, theirs: null }) as const;
    let seq = 10;
    for (const [p, why] of [
      [pending('queued'), 'queued'],
      [pending('sending'), 'sending'],
      [pending('sending', 'm1', 'timed out, retrying'), 'an error shown on the row'],
      [pending('sending', 'm2'), 'another edit of the same point'],
      [pending('conflict', 'm2'), 'a conflict'],
      [null, 'taken by the backend'],
    ] as const) {
      host.emit('points', { points: [point('a', { seq: ++seq, pending: p })], sites: [] });
      assert.deepEqual(sched.takeUrgency(), [true], why);
      sched.run();
    }
    host.emit('points', { points: [], sites: [site('s1', 'Renamed site')] });
    assert.deepEqual(sched.takeUrgency(), [true], 'a site changed');
    sched.run();
  });

  it('applies changes held during a load at the next frame once the network is here', async () => {
    const { host, sched, store } = await startStore([point('a', { seq: 1 })], { holdNetwork: true });
    host.emit('points', {
      points: [point('a', { seq: 2, reported: { status: 'Occupied', errorCode: null, info: null, at: null } })],
      sites: [],
    });
    assert.deepEqual(sched.takeUrgency(), [], 'held, not scheduled, while the network loads');
    host.releaseNetwork();
    await nextTurn();
    sched.run();
    assert.ok(sched.takeUrgency().includes(true), 'released at the next frame, though it is only a report');
    sched.run();
    assert.equal(store.getState().points.get('a')?.reported.status, 'Occupied');
  });

  it('never steps a point back to an older state', async () => {
    const { host, sched, store } = await startStore([point('a', { seq: 5 })]);
    host.emit('points', { points: [point('a', { seq: 4, label: 'old' })], sites: [] });
    sched.run();
    assert.equal(store.getState().points.get('a')?.label, 'Bay a');
    // Same seq with a pending edit laid over it is newer information: applied.
    host.emit('points', {
      points: [
        point('a', {
          seq: 5,
          pending: {
            mutationId: 'm1',
            edit: { status: 'Faulted', reason: 'r', note: null, until: null },
            state: 'queued',
            createdAt: '2026-11-25T10:00:00Z',
            error: null,
            theirs: null,
          },
        }),
      ],
      sites: [],
    });
    sched.run();
    assert.equal(store.getState().points.get('a')?.pending?.state, 'queued');
  });

  it('holds events that arrive while the network loads and applies them after it', async () => {
    const { host, sched, store } = await startStore([point('a', { seq: 1 })], { holdNetwork: true });
    host.emit('points', { points: [point('a', { seq: 2, label: 'newer' })], sites: [] });
    host.releaseNetwork();
    await nextTurn();
    await nextTurn();
    sched.run();
    assert.equal(store.getState().points.get('a')?.label, 'newer');
  });

  it('reloads everything on reset and when the link to the host comes back', async () => {
    const { host, store } = await startStore([point('a')]);
    host.setNetwork([point('a'), point('z')]);
    host.emit('reset', {});
    await nextTurn();
    assert.equal(store.getState().points.size, 2);
    host.setNetwork([point('q')]);
    host.setTransport({ state: 'closed', opens: 1, error: 'connection closed', retryAt: null });
    assert.equal(store.getState().transport.state, 'closed');
    host.setTransport({ state: 'open', opens: 2, error: null, retryAt: null });
    await nextTurn();
    assert.deepEqual([...store.getState().points.keys()], ['q']);
    assert.equal(host.calls.filter((c) => c === 'getNetworkColumns').length, 3);
  });

  it('keeps connection state and recent outcomes', async () => {
    const { host, sched, store } = await startStore([]);
    host.emit(
      'connection',
      connectionState({
        state: 'offline',
        demo: false,
        lastSyncAt: '2026-11-25T10:00:00.000Z',
        queued: 3,
        error: 'no route',
      }),
    );
    sched.run();
    assert.equal(store.getState().connection?.queued, 3);
    assert.equal(store.getState().lastSyncAt, '2026-11-25T10:00:00.000Z');
    host.emit('outcome', {
      outcome: {
        mutationId: 'm1',
        result: 'applied',
        duplicate: false,
        reason: null,
        points: [],
        processedAt: '2026-11-25T10:00:00.000Z',
      },
    });
    assert.equal(store.getState().outcomes[0].mutationId, 'm1');
  });

  it('a live batch and the connection state that follows it render once, in the same frame', async () => {
    const { host, sched, store } = await startStore([point('a')]);
    let renders = 0;
    store.subscribe(() => renders++);
    const live = (lastSyncAt: string) => ({
      state: 'live' as const,
      backendUrl: 'http://b',
      demo: false,
      lastSyncAt,
      queued: 0,
      conflicts: 0,
      session: null,
      error: null,
    });
    host.emit('points', {
      points: [point('a', { seq: 2, reported: { status: 'Faulted', errorCode: null, info: null, at: null } })],
      sites: [],
    });
    host.emit('connection', live('2026-11-30T02:00:00.000Z'));
    host.emit('connection', live('2026-11-30T02:00:00.050Z'));
    assert.equal(renders, 0, 'nothing before the frame');
    sched.run();
    assert.equal(renders, 1, 'points and connection in one render');
    assert.equal(store.getState().points.get('a')?.reported.status, 'Faulted');
    assert.equal(store.getState().lastSyncAt, '2026-11-30T02:00:00.050Z', 'the latest connection state');
    host.emit('connection', { ...live('2026-11-30T02:00:01.000Z'), state: 'offline', error: 'no route' });
    sched.run();
    assert.equal(renders, 2, 'a connection change alone renders too');
    assert.equal(store.getState().connection?.state, 'offline');
  });

  it('a connection event that comes while the network is still loading is newer than the connection answer: it stands', async () => {
    const { host, sched, store } = await startStore([point('a')], { holdNetwork: true }); // getConnection has answered "live"; getNetwork is still on its way
    host.emit('connection', connectionState({ state: 'offline', error: 'no route' }));
    host.releaseNetwork();
    await nextTurn();
    sched.run();
    assert.equal(store.getState().loaded, true);
    assert.equal(store.getState().connection?.state, 'offline');
  });

  it('a connection event produced right after the connection answer stands, even when both are handed over in one go', async () => {
    const host = fakeConsoleHost([point('a')]);
    host.sendEventRightAfterAnswer({ state: 'offline', error: 'dropped just after answering' });
    const sched = manualScheduler();
    const store = new ConsoleStore(host.api, host.transport, sched.schedule);
    store.start();
    await nextTurn();
    sched.run();
    assert.equal(store.getState().loaded, true);
    assert.equal(store.getState().connection?.state, 'offline');
    assert.equal(store.getState().connection?.error, 'dropped just after answering');
  });

  it('a connection event produced before the connection answer is older: the answer stands', async () => {
    const { host, sched, store } = await startStore([point('a')], { holdNetwork: true });
    host.emit('connection', connectionState({ state: 'offline', error: 'old', seq: 0 }));
    host.releaseNetwork();
    await nextTurn();
    sched.run();
    assert.equal(store.getState().connection?.state, 'live');
  });

  it('a large network: the first screen first, then all of it; live changes held until then, nothing lost', async () => {
    const { host, sched, store } = await startLarge();
    host.holdNetwork();
    const first = store.getState();
    assert.equal(first.loaded, true);
    assert.equal(first.points.size, FIRST_SCREEN_POINTS);
    assert.deepEqual(first.loadProgress, { loaded: FIRST_SCREEN_POINTS, total: 1000 });
    // A change to a point not shown yet, and one older than what will load: held, then applied (or dropped) after.
    host.emit('points', { points: [point('p999', { seq: 5, version: 2, stationConnected: false })], sites: [] });
    host.emit('points', { points: [point('p1', { seq: 0 })], sites: [] });
    sched.run();
    assert.equal(store.getState().points.has('p999'), false, 'held while loading');
    await waitFor('the rest of the network to be asked for', () => host.called('getNetworkColumns') === 2);
    host.releaseNetwork();
    await nextTurn();
    sched.run();
    const all = store.getState();
    assert.equal(all.points.size, 1000);
    assert.equal(all.loadProgress, null);
    assert.equal(all.loading, false);
    assert.equal(all.points.get('p999')?.stationConnected, false, 'the held change is applied');
    assert.equal(all.points.get('p1')?.seq, 1, 'an older state never replaces a newer one');
  });

  it('a reload keeps the whole network on screen (no first-screen step) and drops changes queued for the old one', async () => {
    const { many, host, sched, store } = await startLarge();
    await waitFor('the whole network', () => store.getState().points.size === 1000);
    // A change queued (not yet flushed) when the host says the network was reset, for a point the new one lacks.
    host.emit('points', { points: [point('gone', { seq: 99 })], sites: [] });
    host.setNetwork(many.slice(0, 900));
    let smallest = Infinity;
    store.subscribe(() => (smallest = Math.min(smallest, store.getState().points.size)));
    host.emit('reset', {});
    await nextTurn();
    sched.run();
    assert.deepEqual(host.networkParams.at(-1), {}, 'the reload asks for everything at once');
    assert.equal(smallest, 900, 'never fewer points than the network has');
    assert.equal(
      store.getState().points.has('gone'),
      false,
      'a change queued for the old network is not applied to the new one',
    );
  });

  it('when the rest of a large network fails to load, live changes stay held and the retry brings everything', async () => {
    const { host, sched, store } = await startLarge();
    host.failNextNetwork();
    await waitFor('the failed second answer', () => store.getState().loadError);
    let s = store.getState();
    assert.equal(s.points.size, FIRST_SCREEN_POINTS);
    assert.deepEqual(s.loadProgress, { loaded: FIRST_SCREEN_POINTS, total: 1000 });
    assert.match(s.loadError ?? '', /went away/);
    host.emit('points', { points: [point('p999', { seq: 5, stationConnected: false })], sites: [] });
    sched.run();
    assert.equal(store.getState().points.has('p999'), false, 'not added to the partial network');
    await store.load();
    sched.run();
    s = store.getState();
    assert.equal(s.points.size, 1000);
    assert.equal(s.loadProgress, null);
    assert.equal(s.loadError, null);
    assert.equal(s.points.get('p999')?.stationConnected, false, 'the held change applied after the retry');
  });
});
