// The renderer's alert model: merging the core's events, the panel's groups and order, the rows an alert marks,
// and the rules form (minutes in, milliseconds out; bad input named, nothing sent).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ALERT_RULES, type Alert } from '../../common/alerts.js';
import { faultAlert } from '../support/alertFixture.js';
import {
  AlertsFeed,
  alertedPoints,
  alertHistoryWord,
  alertTarget,
  formToRules,
  groupAlerts,
  inPanelOrder,
  mergeAlerts,
  rulesToForm,
} from '../../renderer/src/model/alerts.js';

const NOW = Date.parse('2026-12-04T15:00:00');

const alert = faultAlert;

describe('renderer alerts model', () => {
  it('merges changes by version and replaces on a full list', () => {
    const m = new Map<string, Alert>();
    assert.equal(mergeAlerts(m, true, [alert('a'), alert('b')]), true);
    assert.equal(mergeAlerts(m, false, [alert('a')]), false, 'same version: nothing changed');
    assert.equal(mergeAlerts(m, false, [alert('a', { state: 'acknowledged', version: 2 })]), true);
    assert.equal(mergeAlerts(m, false, [alert('a', { version: 1 })]), false, 'an older copy does not win');
    assert.equal(m.get('a')?.state, 'acknowledged');
    assert.equal(mergeAlerts(m, true, [alert('c')]), true);
    assert.deepEqual([...m.keys()], ['c']);
  });

  it('groups open (newest first), acknowledged, resolved today; yesterday’s resolved are left out', () => {
    const midnight = new Date(NOW);
    midnight.setHours(0, 0, 0, 0);
    const g = groupAlerts(
      [
        alert('old', { raisedAt: '2026-12-04T08:00:00.000Z' }),
        alert('new', { raisedAt: '2026-12-04T09:00:00.000Z' }),
        alert('ack', { state: 'acknowledged' }),
        alert('today', { state: 'resolved', resolvedAt: new Date(midnight.getTime() + 60_000).toISOString() }),
        alert('yesterday', { state: 'resolved', resolvedAt: new Date(midnight.getTime() - 60_000).toISOString() }),
      ],
      NOW,
    );
    assert.deepEqual(
      inPanelOrder(g).map((a) => a.id),
      ['new', 'old', 'ack', 'today'],
    );
  });

  it('marks the point of a point alert, every point of a station alert; open outranks acknowledged; resolved marks none', () => {
    const stationPoints = (id: string) => (id === 'ST9' ? ['ST9-1', 'ST9-2'] : []);
    const marks = alertedPoints(
      [
        alert('a', { pointId: 'ST9-1', state: 'acknowledged' }),
        alert('b', { kind: 'stationOffline', pointId: null, stationId: 'ST9' }),
        alert('c', { pointId: 'X-1', state: 'resolved' }),
      ],
      stationPoints,
    );
    assert.deepEqual([...marks.entries()].sort(), [
      ['ST9-1', 'open'],
      ['ST9-2', 'open'],
    ]);
    assert.equal(alertTarget(alert('b', { pointId: null, stationId: 'ST9' }), stationPoints), 'ST9-1');
  });

  it('the rules form: minutes in, milliseconds out; bad values named', () => {
    const form = rulesToForm(DEFAULT_ALERT_RULES);
    assert.deepEqual(form, {
      faultedHoldOffMs: '2',
      offlineHoldOffMs: '2',
      scheduledHoldOffMs: '120',
      overdueHoldOffMs: '10',
      flapCount: '5',
      flapWindowMs: '10',
    });
    assert.deepEqual(formToRules({ ...form, scheduledHoldOffMs: '90' }), {
      rules: { ...DEFAULT_ALERT_RULES, scheduledHoldOffMs: 90 * 60_000 },
    });
    assert.deepEqual(formToRules({ ...form, faultedHoldOffMs: '0.5' }), {
      rules: { ...DEFAULT_ALERT_RULES, faultedHoldOffMs: 30_000 },
    });
    const bad = formToRules({ ...form, faultedHoldOffMs: 'soon', flapCount: '1', flapWindowMs: '2000' });
    assert.ok('problems' in bad);
    assert.deepEqual(Object.keys(bad.problems).sort(), ['faultedHoldOffMs', 'flapCount', 'flapWindowMs']);
  });
});

describe('an alert in the history', () => {
  it('names its kind in words, and leaves other entries as they are', () => {
    assert.equal(alertHistoryWord('raised: pointFaulted'), 'raised: point faulted');
    assert.equal(alertHistoryWord('raised: stationOffline'), 'raised: station offline or silent');
    assert.equal(alertHistoryWord('raised: maintenanceOverdue'), 'raised: maintenance overdue');
    assert.equal(alertHistoryWord('raised: somethingNew'), 'raised: somethingNew');
    assert.equal(alertHistoryWord('acknowledged'), 'acknowledged');
  });
});

describe('the alerts feed: the getAlerts answer and the events that may overtake it', () => {
  const rules = (by: string) => ({
    rules: DEFAULT_ALERT_RULES,
    version: 1,
    changedBy: by,
    changedAt: '2026-12-04T10:00:00.000Z',
  });

  it('an event that overtakes the answer keeps the answer’s other alerts and its rules', () => {
    const feed = new AlertsFeed();
    const from = feed.loading();
    feed.event({ full: false, alerts: [alert('new')] });
    feed.answered(from, { alerts: [alert('old'), alert('new')], rules: rules('admin') });
    assert.deepEqual([...feed.alerts.keys()].sort(), ['new', 'old']);
    assert.equal(feed.rules?.changedBy, 'admin');
  });

  it('an overtaken answer does not undo what the event said', () => {
    const feed = new AlertsFeed();
    const from = feed.loading();
    feed.event({ full: false, alerts: [alert('a', { state: 'acknowledged', version: 2 })], rules: rules('newer') });
    feed.answered(from, { alerts: [alert('a', { version: 1 })], rules: rules('older') });
    assert.equal(feed.alerts.get('a')?.state, 'acknowledged');
    assert.equal(feed.rules?.changedBy, 'newer');
  });

  it('an answer alone replaces the list; one from before a reset is dropped', () => {
    const feed = new AlertsFeed();
    feed.event({ full: false, alerts: [alert('gone')] });
    feed.answered(feed.loading(), { alerts: [alert('kept')], rules: null });
    assert.deepEqual([...feed.alerts.keys()], ['kept']);
    const before = feed.loading();
    feed.reset();
    assert.equal(feed.answered(before, { alerts: [alert('stale')], rules: rules('x') }), false);
    assert.equal(feed.alerts.size, 0);
    assert.equal(feed.rules, null);
  });
});
