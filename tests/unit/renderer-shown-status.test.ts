// The shown status while a change back to Available is on its way (issue 14, "the flicker"): the station still
// reports the Unavailable our own earlier Inoperative caused until it applies Operative. effectiveView/shownStatus
// (common/) are the one rule; the grid, the drawer and the counts all read them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PendingEdit, ViewPoint } from '../../common/consoleApi.js';
import { effectiveView } from '../../common/consoleApi.js';
import { shownStatus } from '../../common/status.js';
import type { DeliveryState } from '../../common/status.js';
import { outOfServiceOperator, point } from '../support/rendererFixtures.js';

const unavailable = { status: 'Unavailable' as const, errorCode: null, info: null, at: '2026-12-04T12:00:00.000Z' };
const outOfService = outOfServiceOperator;
const available = { ...outOfService, status: 'Available' as const, reason: null, version: 4 };
const pendingAvailable = (state: PendingEdit['state']): PendingEdit => ({
  mutationId: 'm1',
  edit: { status: 'Available', reason: null, note: null, until: null },
  state,
  createdAt: '2026-12-04T12:01:00.000Z',
  error: state === 'conflict' ? 'changed since' : null,
  theirs: null,
});

/** The point as the grid sees it at each step of "Out of Service → Available". */
const at = (delivery: DeliveryState, over: Partial<ViewPoint> = {}): ViewPoint =>
  point('p', {
    reported: unavailable,
    operator: available,
    delivery: { state: delivery, detail: null, at: null },
    ...over,
  });

describe('shown status while a change to Available is on its way', () => {
  it('shows the change in progress at every step until the station confirms, never a bare Unavailable', () => {
    const steps: ViewPoint[] = [
      point('p', { reported: unavailable, operator: outOfService, pending: pendingAvailable('queued') }),
      point('p', { reported: unavailable, operator: outOfService, pending: pendingAvailable('sending') }),
      at('saved'),
      at('sentToStation'),
      at('accepted'),
    ];
    for (const p of steps) {
      const v = effectiveView(p);
      assert.equal(v.shown, 'Available', `${p.pending?.state ?? p.delivery.state}`);
      assert.equal(v.applying, 'Available', `${p.pending?.state ?? p.delivery.state}: marked as on its way`);
    }
    const done = effectiveView(at('confirmed', { reported: { ...unavailable, status: 'Available' } }));
    assert.deepEqual([done.shown, done.applying], ['Available', null]);
  });

  it('says Unavailable when it is the station’s own news: after confirming, or when the change was not confirmed', () => {
    for (const d of ['confirmed', 'notConfirmed', 'rejected', 'noReply'] as const) {
      const v = effectiveView(at(d));
      assert.deepEqual([v.shown, v.applying], ['Unavailable', null], d);
    }
    // A refused or conflicting edit of this console is not in effect either.
    const refused = effectiveView(
      point('p', { reported: unavailable, operator: outOfService, pending: pendingAvailable('conflict') }),
    );
    assert.equal(refused.shown, 'OutOfService');
  });

  it('other reports and states are shown as they are', () => {
    assert.equal(
      effectiveView(at('sentToStation', { reported: { ...unavailable, status: 'Faulted' } })).shown,
      'Faulted',
    );
    assert.equal(effectiveView(at('sentToStation', { stationConnected: false })).shown, 'Offline');
    const toMaintenance = effectiveView(
      point('p', {
        reported: { ...unavailable, status: 'Available' },
        pending: {
          ...pendingAvailable('queued'),
          edit: { status: 'Maintenance', reason: 'x', note: null, until: null },
        },
      }),
    );
    assert.deepEqual([toMaintenance.shown, toMaintenance.applying], ['Maintenance', null]);
    assert.equal(
      shownStatus({ operatorStatus: 'Available', reportedStatus: 'Unavailable', stationConnected: true }),
      'Unavailable',
    );
    assert.equal(
      shownStatus({
        operatorStatus: 'Available',
        reportedStatus: 'Unavailable',
        stationConnected: true,
        changeOnItsWay: true,
      }),
      'Available',
    );
  });
});
