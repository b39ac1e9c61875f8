// Maintenance windows in the renderer (issue 17): the point → window map the grid reads, the Planned panel's
// groups, the overdue rule for expected ends, times in a site's zone across daylight-saving changes, and the
// store's handling of getWindows and `windows` events.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ViewPoint } from '../../common/consoleApi.js';
import type { MaintenanceWindow } from '../../common/windows.js';
import {
  buildPointWindows,
  groupWindows,
  isoToZonedInput,
  mergeWindows,
  nextFullHour,
  overdueIds,
  siteTime,
  untilState,
  windowsOfPoint,
  zonedInputToIso,
} from '../../renderer/src/model/windows.js';
import { ConsoleStore } from '../../renderer/src/store/store.js';
import { point, windowNotice } from '../support/rendererFixtures.js';
import { fakeConsoleHost } from '../support/fakeConsoleHost.js';
import { manualScheduler } from '../support/manualScheduler.js';
import { waitFor } from '../support/waitFor.js';

const H = 3600_000;

function win(id: string, over: Partial<MaintenanceWindow> = {}): MaintenanceWindow {
  return {
    id: `win-${id}`,
    reason: `Reason ${id}`,
    note: null,
    startsAt: '2026-12-04T14:00:00.000Z',
    endsAt: '2026-12-04T16:00:00.000Z',
    state: 'planned',
    createdBy: 'user:sam',
    createdAt: '2026-12-01T10:00:00.000Z',
    startedAt: null,
    endedAt: null,
    version: 1,
    points: [{ pointId: 'a', state: 'planned' }],
    ...over,
  };
}

describe('point → window map', () => {
  it('gives each point its running window, else its soonest planned one; ended, cancelled and released do not count', () => {
    const later = win('later', {
      startsAt: '2026-12-06T08:00:00.000Z',
      points: [
        { pointId: 'a', state: 'planned' },
        { pointId: 'b', state: 'planned' },
      ],
    });
    const sooner = win('sooner', {
      startsAt: '2026-12-05T08:00:00.000Z',
      points: [{ pointId: 'a', state: 'planned' }],
    });
    const running = win('running', {
      state: 'running',
      startedAt: '2026-12-04T14:00:00.000Z',
      points: [
        { pointId: 'c', state: 'applied' },
        { pointId: 'd', state: 'released' },
        { pointId: 'b', state: 'applied' },
      ],
    });
    const ended = win('ended', { state: 'ended', points: [{ pointId: 'e', state: 'restored' }] });
    const cancelled = win('cancelled', { state: 'cancelled', points: [{ pointId: 'f', state: 'cancelled' }] });
    const map = buildPointWindows([later, running, sooner, ended, cancelled]);
    assert.equal(map.get('a')?.window.id, 'win-sooner');
    assert.equal(map.get('a')?.running, false);
    assert.equal(map.get('b')?.window.id, 'win-running', 'a running window comes before a later planned one');
    assert.equal(map.get('b')?.running, true);
    assert.equal(map.get('c')?.window.id, 'win-running');
    assert.equal(map.has('d'), false, 'a point the window let go of is not marked');
    assert.equal(map.has('e'), false);
    assert.equal(map.has('f'), false);
  });

  it('builds a map for 50,000 points in one pass (a row render is a lookup)', () => {
    const points = Array.from({ length: 50_000 }, (_, i) => ({ pointId: `p-${i}`, state: 'planned' as const }));
    const t0 = performance.now();
    const map = buildPointWindows([win('big', { points })]);
    const ms = performance.now() - t0;
    assert.equal(map.size, 50_000);
    assert.ok(ms < 1000, `took ${ms} ms`);
  });

  it("lists a point's windows for the drawer: running, then upcoming (soonest first), then past (newest first)", () => {
    const ws = [
      win('past-old', { state: 'ended', endedAt: '2026-12-01T10:00:00.000Z' }),
      win('up-late', { startsAt: '2026-12-09T10:00:00.000Z', endsAt: null }),
      win('run', { state: 'running', points: [{ pointId: 'a', state: 'applied' }] }),
      win('past-new', { state: 'cancelled', endedAt: '2026-12-03T10:00:00.000Z' }),
      win('up-soon', { startsAt: '2026-12-05T10:00:00.000Z' }),
      win('other', { points: [{ pointId: 'z', state: 'planned' }] }),
    ];
    assert.deepEqual(
      windowsOfPoint(ws, 'a').map((w) => w.id),
      ['win-run', 'win-up-soon', 'win-up-late', 'win-past-new', 'win-past-old'],
    );
  });

  it('groups the Planned panel: upcoming by start, running by end (open-ended last), past 7 days newest first', () => {
    const now = Date.parse('2026-12-04T15:00:00.000Z');
    const ws = [
      win('u2', { startsAt: '2026-12-06T10:00:00.000Z' }),
      win('u1', { startsAt: '2026-12-05T10:00:00.000Z' }),
      win('r-open', { state: 'running', endsAt: null }),
      win('r-soon', { state: 'running', endsAt: '2026-12-04T15:30:00.000Z' }),
      win('p-old', { state: 'ended', endedAt: '2026-11-20T10:00:00.000Z' }),
      win('p-new', { state: 'ended', endedAt: '2026-12-04T14:00:00.000Z' }),
    ];
    const g = groupWindows(ws, now);
    assert.deepEqual(
      g.upcoming.map((w) => w.id),
      ['win-u1', 'win-u2'],
    );
    assert.deepEqual(
      g.running.map((w) => w.id),
      ['win-r-soon', 'win-r-open'],
    );
    assert.deepEqual(
      g.past.map((w) => w.id),
      ['win-p-new'],
      'older than 7 days is left out',
    );
  });

  it('merges events: a full one replaces, a partial one merges, an older version never replaces a newer one', () => {
    const map = new Map<string, MaintenanceWindow>();
    mergeWindows(map, true, [win('a'), win('b')]);
    assert.deepEqual([...map.keys()].sort(), ['win-a', 'win-b']);
    assert.equal(mergeWindows(map, false, [win('a', { version: 3, reason: 'v3' })]), true);
    assert.equal(mergeWindows(map, false, [win('a', { version: 2, reason: 'v2' })]), false);
    assert.equal(map.get('win-a')?.reason, 'v3');
    mergeWindows(map, true, [win('c')]);
    assert.deepEqual([...map.keys()], ['win-c']);
  });
});

describe('expected ends: overdue, reverting, reminding', () => {
  const until = '2026-12-04T14:00:00.000Z';
  const at = (iso: string) => Date.parse(iso);
  const oos = (over: Partial<ViewPoint['operator']> = {}) =>
    point('x', {
      operator: {
        status: 'OutOfService',
        reason: 'Bay blocked',
        note: null,
        until,
        by: 'user:sam',
        at: null,
        version: 2,
        ...over,
      },
    });

  it('a reminder is overdue as soon as its until passes, while the point is still Out of Service or in Maintenance', () => {
    assert.equal(untilState(oos(), at('2026-12-04T13:59:00.000Z'))?.kind, 'reminds');
    assert.equal(untilState(oos(), at('2026-12-04T14:00:00.000Z'))?.kind, 'overdue');
    assert.equal(untilState(oos({ status: 'Maintenance' }), at('2026-12-04T15:00:00.000Z'))?.kind, 'overdue');
    assert.equal(
      untilState(oos({ status: 'Available' }), at('2026-12-04T15:00:00.000Z')),
      null,
      'back in operation: not overdue',
    );
    assert.equal(untilState(oos({ until: null }), at('2026-12-04T15:00:00.000Z')), null);
  });

  it('a reverting until is "back to Available" before it passes; overdue only if the backend has not reverted it a minute later', () => {
    const p = oos({ untilAction: 'revert' });
    assert.equal(untilState(p, at('2026-12-04T13:00:00.000Z'))?.kind, 'reverts');
    assert.equal(untilState(p, at('2026-12-04T14:00:30.000Z'))?.kind, 'reverts');
    assert.equal(untilState(p, at('2026-12-04T14:01:00.000Z'))?.kind, 'overdue');
  });

  it("this console's queued edit counts: a queued Available is not overdue", () => {
    const p: ViewPoint = {
      ...oos(),
      pending: {
        mutationId: 'm1',
        edit: { status: 'Available', reason: null, note: null, until: null },
        state: 'queued',
        createdAt: until,
        error: null,
        theirs: null,
      },
    };
    assert.equal(untilState(p, at('2026-12-04T15:00:00.000Z')), null);
  });

  it('overdueIds lists the overdue points and keeps the same set object while nothing changed (a filter on it stays put)', () => {
    const pts = [oos(), point('ok'), { ...oos(), id: 'y' }];
    const now = at('2026-12-04T15:00:00.000Z');
    const first = overdueIds(pts, now);
    assert.deepEqual([...first].sort(), ['x', 'y']);
    assert.equal(overdueIds(pts, now + 5000, first), first);
    assert.notEqual(overdueIds(pts.slice(0, 2), now, first), first);
    // A point in a running window is the window's to end (its until is the window's end): not overdue.
    assert.deepEqual([...overdueIds(pts, now, undefined, (id) => id === 'y')], ['x']);
  });
});

describe('times in the site zone, across daylight-saving changes', () => {
  // The last Sunday of March 2026 is the 29th: Amsterdam goes from +01:00 to +02:00 at 01:00 UTC, London from
  // +00:00 to +01:00 at the same instant. The last Sunday of October 2026 is the 25th: back at 01:00 UTC.
  const now = Date.parse('2026-03-28T12:00:00.000Z');

  it('a window across the March change: the site clock and the viewer clock each take the change', () => {
    const start = '2026-03-28T23:00:00.000Z'; // 00:00 in Amsterdam (CET), 23:00 in London (GMT)
    const end = '2026-03-29T04:00:00.000Z'; // 06:00 in Amsterdam (CEST), 05:00 in London (BST): 5 real hours
    assert.equal(siteTime(start, 'Europe/Amsterdam', now, 'Europe/London'), '29 Mar 00:00 Amsterdam (23:00 your time)');
    assert.equal(
      siteTime(end, 'Europe/Amsterdam', now, 'Europe/London'),
      '29 Mar 06:00 Amsterdam (29 Mar 05:00 your time)',
    );
    assert.equal(siteTime(end, 'Europe/London', now, 'Europe/London'), '29 Mar 05:00', 'the same clock: one time');
    // Typed on the site's clock, the end is 04:00 UTC, not 05:00 (which a fixed +01:00 would give).
    assert.equal(zonedInputToIso('2026-03-29T06:00', 'Europe/Amsterdam'), end);
    assert.equal(zonedInputToIso('2026-03-29T00:00', 'Europe/Amsterdam'), start);
    assert.equal(isoToZonedInput(end, 'Europe/Amsterdam'), '2026-03-29T06:00');
    assert.equal((Date.parse(zonedInputToIso('2026-03-29T06:00', 'Europe/Amsterdam')!) - Date.parse(start)) / H, 5);
  });

  it('a time in the hour the March change skips lands after it', () => {
    assert.equal(zonedInputToIso('2026-03-29T02:30', 'Europe/Amsterdam'), '2026-03-29T01:30:00.000Z');
    assert.equal(isoToZonedInput('2026-03-29T01:30:00.000Z', 'Europe/Amsterdam'), '2026-03-29T03:30');
  });

  it('a window across the October change: 02:30 comes twice (the first is taken), and the hour in between is real', () => {
    const nowOct = Date.parse('2026-10-24T12:00:00.000Z');
    assert.equal(zonedInputToIso('2026-10-25T02:30', 'Europe/Amsterdam'), '2026-10-25T00:30:00.000Z');
    assert.equal(zonedInputToIso('2026-10-25T03:00', 'Europe/Amsterdam'), '2026-10-25T02:00:00.000Z');
    assert.equal(
      isoToZonedInput('2026-10-25T01:30:00.000Z', 'Europe/Amsterdam'),
      '2026-10-25T02:30',
      'the second 02:30',
    );
    // A window 00:00 → 06:00 on the site clock that night lasts 7 real hours.
    const s = zonedInputToIso('2026-10-25T00:00', 'Europe/Amsterdam')!;
    const e = zonedInputToIso('2026-10-25T06:00', 'Europe/Amsterdam')!;
    assert.equal((Date.parse(e) - Date.parse(s)) / H, 7);
    assert.equal(
      siteTime(e, 'Europe/Amsterdam', nowOct, 'Europe/London'),
      '25 Oct 06:00 Amsterdam (25 Oct 05:00 your time)',
    );
    // Between 01:00 and 02:00 UTC on that day London is already back on GMT while Amsterdam is on CET: one hour apart still.
    assert.equal(
      siteTime('2026-10-25T01:30:00.000Z', 'Europe/Amsterdam', nowOct, 'Europe/London'),
      '25 Oct 02:30 Amsterdam (25 Oct 01:30 your time)',
    );
  });

  it('a site without a zone is UTC; today is just the clock time; the next full hour is on the hour', () => {
    const t = Date.parse('2026-12-04T10:20:00.000Z');
    assert.equal(siteTime('2026-12-04T14:00:00.000Z', undefined, t, 'UTC'), '14:00');
    assert.equal(siteTime('2026-12-04T14:00:00.000Z', undefined, t, 'Europe/Amsterdam'), '14:00 UTC (15:00 your time)');
    assert.equal(nextFullHour(t), '2026-12-04T11:00:00.000Z');
    assert.equal(nextFullHour(Date.parse('2026-12-04T11:00:00.000Z')), '2026-12-04T12:00:00.000Z');
  });
});

describe('the store and windows events', () => {
  const host = () => fakeConsoleHost([point('a')], { windows: { full: true, windows: [], queued: [], notices: [] } });

  it('loads the windows, merges partial events, replaces on a full one, and keeps the queued requests', async () => {
    const h = host();
    h.setWindows({ full: true, windows: [win('a'), win('b')], queued: [], notices: [] });
    const store = new ConsoleStore(h.api, h.transport, manualScheduler().schedule);
    store.start();
    await waitFor('the windows loaded', () => store.getState().windows.size === 2);
    assert.deepEqual([...store.getState().windows.keys()].sort(), ['win-a', 'win-b']);
    const v0 = store.getState().windowsVersion;

    h.emit('windows', { full: false, windows: [win('a', { version: 2, state: 'running' })], queued: [], notices: [] });
    assert.equal(store.getState().windows.get('win-a')?.state, 'running');
    assert.equal(store.getState().windowsVersion, v0 + 1, 'a change is a new version (the grid rebuilds its map)');

    h.emit('windows', { full: false, windows: [win('a', { version: 1 })], queued: [], notices: [] });
    assert.equal(store.getState().windows.get('win-a')?.state, 'running', 'an older version does not step it back');
    assert.equal(store.getState().windowsVersion, v0 + 1);

    const queued = [
      {
        opId: 'op1',
        kind: 'plan' as const,
        windowId: 'win-q',
        createdAt: '2026-12-04T10:00:00.000Z',
        state: 'queued' as const,
        error: null,
      },
    ];
    h.emit('windows', { full: false, windows: [], queued, notices: [] });
    assert.deepEqual(store.getState().windowsQueued, queued);
    assert.equal(store.getState().windowsVersion, v0 + 1, 'only the queue changed');

    const notices = [windowNotice('op2', 'win-a')];
    h.emit('windows', { full: false, windows: [], queued, notices });
    assert.deepEqual(store.getState().windowNotices, notices, 'a notice of a late answer is kept');
    assert.equal(store.getState().windowsVersion, v0 + 1, 'only the notices changed');

    h.emit('windows', { full: true, windows: [win('c')], queued: [], notices: [] });
    assert.deepEqual([...store.getState().windows.keys()], ['win-c']);
    assert.deepEqual(store.getState().windowsQueued, []);
    assert.deepEqual(store.getState().windowNotices, [], 'dismissed: gone');
  });

  it('an event that arrives while getWindows is in flight is applied after the answer, not lost under it', async () => {
    const h = host();
    h.holdWindows();
    h.setWindows({ full: true, windows: [win('a')], queued: [], notices: [] });
    const store = new ConsoleStore(h.api, h.transport, manualScheduler().schedule);
    store.start();
    await waitFor('getWindows asked', () => h.called('getWindows') === 1);
    h.emit('windows', { full: false, windows: [win('new')], queued: [], notices: [] });
    assert.equal(store.getState().windows.size, 0, 'held until the answer');
    h.releaseWindows();
    await waitFor('the answer applied', () => store.getState().windows.has('win-a'));
    assert.deepEqual([...store.getState().windows.keys()].sort(), ['win-a', 'win-new']);
  });
});
