// Labels with a rule behind them (issue 14): connector details a station did not report, and the header's sync line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectorPowerLabel, connectorTypeLabel, syncLine } from '../../renderer/src/model/labels.js';

describe('renderer labels', () => {
  it('a connector the station did not describe reads "not reported", never "Unknown 0 kW"', () => {
    assert.equal(connectorTypeLabel({ id: 1, type: null, maxKw: null }), 'not reported');
    assert.equal(connectorPowerLabel({ id: 1, type: null, maxKw: null }), 'not reported');
    assert.equal(connectorTypeLabel({ id: 1, type: 'CCS2', maxKw: null }), 'CCS2');
    assert.equal(connectorPowerLabel({ id: 1, type: null, maxKw: 22 }), '22 kW');
    // What an older console cached for such a connector.
    assert.equal(connectorTypeLabel({ id: 1, type: 'Unknown', maxKw: 0 }), 'not reported');
    assert.equal(connectorPowerLabel({ id: 1, type: 'Unknown', maxKw: 0 }), 'not reported');
    assert.equal(connectorPowerLabel({ id: 1, type: 'Type2', maxKw: 0 }), '0 kW');
  });

  it('the sync line: nothing beside "Live"; the last sync and its age only when behind', () => {
    const now = Date.parse('2026-12-04T13:06:00.000Z');
    const at = '2026-12-04T13:02:00.000Z';
    assert.equal(syncLine('live', true, at, now), null, 'live and current: no age that keeps growing');
    assert.match(syncLine('reconnecting', true, at, now) ?? '', /^last in sync \d\d:\d\d \(4 min ago\)$/);
    assert.match(syncLine('offline', true, at, now) ?? '', /\(4 min ago\)/);
    assert.match(syncLine('connecting', true, at, now) ?? '', /\(4 min ago\)/);
    assert.match(
      syncLine('live', false, at, now) ?? '',
      /\(4 min ago\)/,
      'this page cut off from its console is behind too',
    );
    assert.equal(syncLine('offline', true, null, now), 'never in sync yet');
  });
});
