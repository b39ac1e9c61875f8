// "Not confirmed" shown plainly (issue 14): its own tone and step, counted in the toolbar (a count that filters),
// sorted with the problems; a Scheduled change says how long it has waited; who may re-send or withdraw, and when.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectionState, ViewPoint } from '../../common/consoleApi.js';
import { effectiveView } from '../../common/consoleApi.js';
import type { DeliveryState } from '../../common/status.js';
import { PROBLEM_KINDS, pointResult } from '../../renderer/src/components/BulkModel.js';
import { deliveryActionsState } from '../../renderer/src/model/deliveryActions.js';
import { deliveryProgress, deliveryWords } from '../../renderer/src/model/deliveryLabels.js';
import { createRowModelSelector, EMPTY_FILTER } from '../../renderer/src/model/rows.js';
import type { RowModelInput } from '../../renderer/src/model/rows.js';
import { outOfServiceOperator, point, site } from '../support/rendererFixtures.js';
import { rowModelInput } from '../support/rowModelInput.js';

const OUT = outOfServiceOperator;
const withDelivery = (id: string, state: DeliveryState, seq = 1, at: string | null = null): ViewPoint =>
  point(id, { seq, operator: OUT, delivery: { state, detail: null, at } });

const input = (points: ViewPoint[], over: Partial<RowModelInput> = {}) =>
  rowModelInput(points, new Map([['s1', site('s1', 'Harbour')]]), { grouped: false, ...over });

describe('renderer: not confirmed, plainly', () => {
  it('has its own tone and step, neither a refusal’s nor a wait’s', () => {
    const nc = deliveryProgress('notConfirmed');
    assert.equal(nc.tone, 'unconfirmed');
    assert.deepEqual(nc.steps, ['done', 'done', 'done', 'unconfirmed']);
    assert.notEqual(nc.tone, deliveryProgress('rejected').tone);
    assert.notEqual(nc.tone, deliveryProgress('noReply').tone);
  });

  it('is counted for the toolbar, kept through live updates, and the count filters the grid to those points', () => {
    const pts = [
      withDelivery('a', 'notConfirmed'),
      withDelivery('b', 'confirmed'),
      withDelivery('c', 'notConfirmed'),
      withDelivery('d', 'rejected'),
    ];
    const sel = createRowModelSelector();
    const base = input(pts);
    const m = sel(base);
    assert.equal(m.deliveryCounts.notConfirmed, 2);
    // A live update: b is now not confirmed, a was re-sent.
    const points = base.points as Map<string, ViewPoint>;
    points.set('b', withDelivery('b', 'notConfirmed', 2));
    points.set('a', withDelivery('a', 'sentToStation', 2));
    const m2 = sel({ ...base, pointsVersion: 2, changed: { version: 2, ids: ['a', 'b'] } });
    assert.equal(m2.deliveryCounts.notConfirmed, 2);
    const filtered = sel({
      ...base,
      pointsVersion: 2,
      changed: { version: 2, ids: ['a', 'b'] },
      filter: { ...EMPTY_FILTER, deliveries: new Set(['notConfirmed']) },
    });
    assert.deepEqual(
      filtered.rows.map((r) => r.key),
      ['b', 'c'],
    );
    assert.equal(filtered.matched, 2);
  });

  it('sorts with the problems in the Delivery column: after rejected, before waits and progress', () => {
    const pts = [
      withDelivery('a', 'confirmed'),
      withDelivery('b', 'scheduled'),
      withDelivery('c', 'notConfirmed'),
      withDelivery('d', 'sentToStation'),
      withDelivery('e', 'rejected'),
      withDelivery('f', 'noReply'),
    ];
    const m = createRowModelSelector()(input(pts, { sort: { column: 'delivery', dir: 'asc' } }));
    assert.deepEqual(
      m.rows.map((r) => r.key),
      ['e', 'c', 'f', 'd', 'b', 'a'],
    );
  });

  it('a bulk change’s results say which points were not confirmed, as a problem (not "saved, awaiting station" for good)', () => {
    const outcome = {
      mutationId: 'm1',
      result: 'applied' as const,
      duplicate: false,
      reason: null,
      points: [{ pointId: 'a', result: 'applied' as const, reason: null, current: null, operatorVersion: 3 }],
      processedAt: '2026-12-04T13:00:00.000Z',
    };
    const r = pointResult('a', { mutationId: 'm1' } as never, outcome, withDelivery('a', 'notConfirmed'));
    assert.equal(r.kind, 'notConfirmed');
    assert.ok(PROBLEM_KINDS.has(r.kind));
  });

  it('a Scheduled change says how long it has waited', () => {
    const now = Date.parse('2026-12-04T13:14:00.000Z');
    assert.equal(deliveryWords('scheduled', '2026-12-04T13:02:00.000Z', now), 'Scheduled · waiting 12 min');
    assert.equal(deliveryWords('scheduled', '2026-12-04T09:00:00.000Z', now), 'Scheduled · waiting 4 h 14 min');
    assert.equal(deliveryWords('scheduled', null, now), 'Scheduled');
    assert.equal(deliveryWords('notConfirmed', null, now), 'Not confirmed by the station');
    assert.equal(deliveryWords('notConfirmed', null, now, true), 'Not confirmed', 'the grid’s narrow column');
  });
});

describe('renderer: re-send and withdraw', () => {
  const live: ConnectionState['state'] = 'live';
  const state = (
    p: ViewPoint,
    role: 'viewer' | 'operator' | 'admin' | null = 'operator',
    conn: ConnectionState['state'] | null = live,
    host = true,
  ) => deliveryActionsState(p, effectiveView(p), role, conn, host);

  it('are offered for a change that is stuck or refused, not for one that is done or still this console’s', () => {
    for (const s of ['notConfirmed', 'scheduled', 'accepted', 'rejected', 'noReply', 'stationOffline'] as const) {
      assert.deepEqual(state(withDelivery('a', s)), { show: true, disabledWhy: null }, s);
    }
    for (const s of ['confirmed', 'saved', 'sentToStation', 'overrideOnly'] as const)
      assert.equal(state(withDelivery('a', s)).show, false, s);
    const mine = {
      ...withDelivery('a', 'notConfirmed'),
      pending: {
        mutationId: 'm1',
        edit: { status: 'Available' as const, reason: null, note: null, until: null },
        state: 'queued' as const,
        createdAt: 'x',
        error: null,
        theirs: null,
      },
    };
    assert.equal(state(mine).show, false);
  });

  it('are disabled, with the reason, for viewers and while the console or its host is not connected', () => {
    const p = withDelivery('a', 'notConfirmed');
    assert.match(state(p, 'viewer').disabledWhy ?? '', /viewer/);
    assert.match(state(p, 'operator', 'offline').disabledWhy ?? '', /not connected/);
    assert.match(state(p, 'operator', 'reconnecting').disabledWhy ?? '', /not connected/);
    assert.match(state(p, 'operator', 'signedOut').disabledWhy ?? '', /sign in/i);
    assert.match(state(p, 'operator', live, false).disabledWhy ?? '', /lost the link/);
    assert.equal(state(p, 'admin').disabledWhy, null);
  });
});
