// The mapping from our statuses to OCPI 2.2.1 EVSE statuses, status_schedule from maintenance windows, connectors,
// and the Token header's two accepted forms.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Point } from '../../common/model.js';
import { SHOWN_STATUSES } from '../../common/status.js';
import { presentedTokens } from '../../backend/ocpi/handler.js';
import { tokenHeader } from '../../backend/ocpi/client.js';
import { EVSE_STATUSES } from '../../backend/ocpi/schemas.js';
import {
  ocpiConnectorOf,
  ocpiStatusOf,
  ocpiStatusOfPoint,
  statusScheduleOf,
} from '../../backend/ocpi/statusMapping.js';

function point(over: {
  op?: Point['operator']['status'];
  reported?: Point['reported']['status'];
  connected?: boolean;
  delivery?: Point['delivery']['state'];
}): Point {
  return {
    id: 'P1',
    siteId: 'S1',
    stationId: 'ST',
    evseId: 1,
    label: 'Bay 1',
    protocol: 'ocpp1.6',
    connectors: [{ id: 1, type: 'Type2', maxKw: 22 }],
    stationConnected: over.connected ?? true,
    stationLastSeen: null,
    reported: { status: over.reported ?? 'Available', errorCode: null, info: null, at: null },
    operator: { status: over.op ?? 'Available', reason: null, note: null, until: null, by: null, at: null, version: 0 },
    delivery: { state: over.delivery ?? 'confirmed', detail: null, at: null },
    version: 1,
    seq: 1,
  };
}

describe('OCPI status mapping', () => {
  it('maps every shown status as docs/ocpi.md says', () => {
    const expected = {
      Available: 'AVAILABLE',
      Occupied: 'CHARGING',
      Reserved: 'RESERVED',
      Unavailable: 'INOPERATIVE',
      Faulted: 'OUTOFORDER',
      OutOfService: 'INOPERATIVE',
      Maintenance: 'INOPERATIVE',
      Offline: 'UNKNOWN',
      Unknown: 'UNKNOWN',
    } as const;
    for (const s of SHOWN_STATUSES) assert.equal(ocpiStatusOf(s), expected[s], s);
    assert.equal(ocpiStatusOf(null), 'REMOVED');
    for (const v of Object.values(expected)) assert.ok((EVSE_STATUSES as readonly string[]).includes(v));
  });

  it('takes the shown status of a point: operator status first, then connection, then the report', () => {
    assert.equal(ocpiStatusOfPoint(point({ op: 'Maintenance', reported: 'Available' })), 'INOPERATIVE');
    assert.equal(ocpiStatusOfPoint(point({ op: 'Faulted', reported: 'Available' })), 'OUTOFORDER');
    assert.equal(ocpiStatusOfPoint(point({ reported: 'Occupied', connected: false })), 'UNKNOWN');
    assert.equal(ocpiStatusOfPoint(point({ reported: 'Occupied' })), 'CHARGING');
    // Operator set Available and it is on its way: the station's old Unavailable is not news.
    assert.equal(ocpiStatusOfPoint(point({ reported: 'Unavailable', delivery: 'accepted' })), 'AVAILABLE');
    assert.equal(ocpiStatusOfPoint(point({ reported: 'Unavailable', delivery: 'confirmed' })), 'INOPERATIVE');
  });

  it('fills status_schedule from windows that have not ended, as INOPERATIVE periods in time order', () => {
    const now = Date.parse('2026-01-05T08:00:00Z');
    const schedule = statusScheduleOf(
      [
        { startsAt: '2026-01-06T10:00:00+01:00', endsAt: '2026-01-06T12:00:00+01:00' },
        { startsAt: '2026-01-04T10:00:00Z', endsAt: '2026-01-04T12:00:00Z' },
        { startsAt: '2026-01-05T07:00:00Z', endsAt: null },
      ],
      now,
    );
    assert.deepEqual(schedule, [
      { period_begin: '2026-01-05T07:00:00.000Z', status: 'INOPERATIVE' },
      { period_begin: '2026-01-06T09:00:00.000Z', period_end: '2026-01-06T11:00:00.000Z', status: 'INOPERATIVE' },
    ]);
    assert.equal(
      statusScheduleOf([{ startsAt: '2026-01-04T10:00:00Z', endsAt: '2026-01-04T12:00:00Z' }], now),
      undefined,
    );
  });

  it('describes known connector types and leaves unknown ones out', () => {
    const t2 = ocpiConnectorOf({ id: 1, type: 'Type2', maxKw: 22 }, '2026-01-05T08:00:00.000Z');
    assert.deepEqual(t2, {
      id: '1',
      standard: 'IEC_62196_T2',
      format: 'SOCKET',
      power_type: 'AC_3_PHASE',
      max_voltage: 230,
      max_amperage: 32,
      max_electric_power: 22000,
      last_updated: '2026-01-05T08:00:00.000Z',
    });
    assert.equal(ocpiConnectorOf({ id: 2, type: 'CCS2', maxKw: 150 }, 'x')?.power_type, 'DC');
    assert.equal(ocpiConnectorOf({ id: 3, type: null, maxKw: null }, 'x'), null);
    assert.equal(ocpiConnectorOf({ id: 3, type: 'Schuko', maxKw: 3 }, 'x'), null);
  });

  it('reads the Token header Base64-encoded as 2.2.1 requires, and raw for older partners', () => {
    const token = 'abc-DEF_123';
    assert.deepEqual(presentedTokens(tokenHeader(token)), [token, Buffer.from(token).toString('base64')]);
    assert.deepEqual(presentedTokens(`Token ${token}`), [token]);
    assert.deepEqual(presentedTokens('Bearer x'), []);
    assert.deepEqual(presentedTokens(undefined), []);
    assert.deepEqual(presentedTokens('Token a b'), []);
  });
});
