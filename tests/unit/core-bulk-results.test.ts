// How the bulk dialog reads what the core reports for a bulk change: the mutation outcome (one per point) first,
// then each point's delivery state. Pure (renderer/src/components/BulkModel.ts), so the station's answers that the
// demo stations never give (Rejected, no reply) are covered here too.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ViewPoint } from '../../common/consoleApi.js';
import type { MutationOutcome, PointOutcome } from '../../common/model.js';
import type { DeliveryState } from '../../common/status.js';
import { bulkPreview, bulkProgress, retryEdit, type BulkAttempt } from '../../renderer/src/components/BulkModel.js';

const at = '2026-01-01T10:00:00.000Z';
function point(
  id: string,
  over: {
    station?: string;
    connected?: boolean;
    reported?: 'Available' | 'Occupied';
    opVersion?: number;
    delivery?: DeliveryState;
    status?: 'Available' | 'Maintenance';
  } = {},
): ViewPoint {
  return {
    id,
    siteId: id.startsWith('a') ? 'site-a' : 'site-b',
    stationId: over.station ?? `st-${id}`,
    evseId: 1,
    label: id,
    protocol: 'ocpp1.6',
    connectors: [],
    stationConnected: over.connected ?? true,
    stationLastSeen: at,
    reported: { status: over.reported ?? 'Available', errorCode: null, info: null, at },
    operator: {
      status: over.status ?? 'Available',
      reason: null,
      note: null,
      until: null,
      by: null,
      at: null,
      version: over.opVersion ?? 0,
    },
    delivery: { state: over.delivery ?? 'confirmed', detail: null, at },
    version: 1,
    seq: 1,
    pending: null,
  };
}
const po = (pointId: string, result: PointOutcome['result'], operatorVersion: number | null = 1): PointOutcome => ({
  pointId,
  result,
  reason: null,
  current: null,
  operatorVersion,
});
const outcome = (mutationId: string, points: PointOutcome[]): MutationOutcome => ({
  mutationId,
  result: 'partial',
  duplicate: false,
  reason: null,
  points,
  processedAt: at,
});
const edit = { status: 'Maintenance' as const, reason: 'Inspection', note: null, until: null };

describe('bulk preview and results', () => {
  test('the preview counts current statuses, sessions, offline stations (not points) and what the role may not change', () => {
    const points = new Map(
      [
        point('a1', { reported: 'Occupied' }),
        point('a2', { station: 'st-x', connected: false }),
        point('b1', { station: 'st-x', connected: false }),
        point('b2', { status: 'Maintenance', opVersion: 1 }),
      ].map((p) => [p.id, p]),
    );
    const ids = ['a1', 'a2', 'b1', 'b2', 'gone'];
    const supervisor = bulkPreview(ids, points, 'Maintenance', 'supervisor');
    assert.deepEqual(
      [
        supervisor.total,
        supervisor.sites,
        supervisor.occupied,
        supervisor.offlineStations,
        supervisor.offlinePoints,
        supervisor.alreadyThat,
        supervisor.notAllowed,
        supervisor.missing,
      ],
      [4, 2, 1, 1, 2, 1, 0, 1],
    );
    assert.deepEqual(supervisor.byCurrent, [
      ['Available', 3],
      ['Maintenance', 1],
    ]);
    const operator = bulkPreview(ids, points, 'Maintenance', 'operator');
    assert.equal(operator.notAllowed, 4);
    assert.match(operator.notAllowedWhy!, /needs a supervisor/);
  });

  test('each point: waiting, then saved, then the station’s answer; progress counts what is settled', () => {
    const attempt: BulkAttempt = { mutationId: 'm-1', edit, pointIds: ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'] };
    const points = new Map(
      [
        point('p1', { opVersion: 1, delivery: 'confirmed' }),
        point('p2', { opVersion: 1, delivery: 'scheduled' }),
        point('p3', { opVersion: 1, delivery: 'rejected' }),
        point('p4', { opVersion: 1, delivery: 'noReply' }),
        point('p5', { opVersion: 0 }), // the delta has not arrived yet
        point('p6', { opVersion: 1, delivery: 'stationOffline' }),
        point('p7', { opVersion: 3 }), // changed again since
      ].map((p) => [p.id, p]),
    );
    const waiting = bulkProgress(attempt.pointIds, [attempt], new Map(), points);
    assert.equal(waiting.byKind.get('waiting'), 7);
    assert.equal(waiting.percent, 0);

    const outcomes = new Map([
      [
        'm-1',
        outcome(
          'm-1',
          attempt.pointIds.map((id) => po(id, 'applied')),
        ),
      ],
    ]);
    const r = bulkProgress(attempt.pointIds, [attempt], outcomes, points);
    assert.deepEqual(
      r.results.map((x) => x.kind),
      ['applied', 'scheduled', 'stationRejected', 'noReply', 'saved', 'stationOffline', 'changedSince'],
    );
    assert.equal(r.answered, 7);
    assert.equal(r.settled, 6);
    assert.equal(r.percent, 85);
  });

  test('backend answers per point: conflict, refused, not allowed, unchanged; a retry replaces the earlier attempt', () => {
    const first: BulkAttempt = { mutationId: 'm-1', edit, pointIds: ['p1', 'p2', 'p3', 'p4'] };
    const points = new Map(['p1', 'p2', 'p3', 'p4'].map((id) => [id, point(id, { opVersion: 1 })]));
    const outcomes = new Map([
      [
        'm-1',
        outcome('m-1', [
          { ...po('p1', 'conflict'), current: { ...points.get('p1')!.operator, status: 'Faulted', by: 'ana' } },
          po('p2', 'rejected', null),
          po('p3', 'notAllowed', null),
          po('p4', 'unchanged'),
        ]),
      ],
    ]);
    const r = bulkProgress(first.pointIds, [first], outcomes, points);
    assert.deepEqual(
      r.results.map((x) => x.kind),
      ['conflict', 'rejected', 'notAllowed', 'applied'],
    );
    assert.equal(r.results[0].detail, 'now Faulted by ana');
    assert.equal(r.percent, 100);

    const retry: BulkAttempt = { mutationId: 'm-2', edit: retryEdit(edit, 1), pointIds: ['p1', 'p2'] };
    outcomes.set('m-2', outcome('m-2', [po('p1', 'applied', 1), po('p2', 'applied', 1)]));
    const after = bulkProgress(first.pointIds, [first, retry], outcomes, points);
    assert.deepEqual(
      after.results.map((x) => x.kind),
      ['applied', 'applied', 'notAllowed', 'applied'],
    );
    assert.equal(after.results[0].attempt?.mutationId, 'm-2');
  });

  test('a retry is a different edit (so the backend sends it to the station again), numbered, keeping the note', () => {
    assert.equal(retryEdit(edit, 1).note, 'Retry 1');
    assert.equal(retryEdit({ ...edit, note: 'Ticket 7' }, 2).note, 'Retry 2: Ticket 7');
    assert.equal(retryEdit(retryEdit({ ...edit, note: 'Ticket 7' }, 1), 2).note, 'Retry 2: Ticket 7');
    assert.equal(retryEdit(edit, 1).status, 'Maintenance');
  });
});
