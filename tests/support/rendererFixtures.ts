// Test data for the renderer's unit tests and measurement scripts (not a test file itself).
import type { ViewPoint, WindowOpNotice } from '../../common/consoleApi.js';
import type { Site } from '../../common/model.js';

export function site(id: string, name: string, city = 'Leeds'): Site {
  return { id, name, city, address: `${name} Road 1` };
}

export function point(id: string, over: Partial<ViewPoint> & { siteId?: string } = {}): ViewPoint {
  const base: ViewPoint = {
    id,
    siteId: 's1',
    stationId: `ST-${id}`,
    evseId: 1,
    label: `Bay ${id}`,
    protocol: 'ocpp1.6',
    connectors: [{ id: 1, type: 'CCS2', maxKw: 150 }],
    stationConnected: true,
    stationLastSeen: new Date().toISOString(),
    reported: { status: 'Available', errorCode: null, info: null, at: '2026-11-25T10:00:00.000Z' },
    operator: { status: 'Available', reason: null, note: null, until: null, by: null, at: null, version: 0 },
    delivery: { state: 'confirmed', detail: null, at: null },
    version: 1,
    seq: 1,
    pending: null,
  };
  return { ...base, ...over };
}

/** n points spread over `sites` sites, with a mix of statuses. */
/** An operator status set by a person: Out of Service, with a reason, at version 3. */
export const outOfServiceOperator = {
  status: 'OutOfService' as const,
  reason: 'Broken',
  note: null,
  until: null,
  by: 'user:alice',
  at: '2026-12-04T12:00:00.000Z',
  version: 3,
};

export function network(n: number, sites = 500): { points: Map<string, ViewPoint>; sites: Map<string, Site> } {
  const siteMap = new Map<string, Site>();
  for (let s = 0; s < sites; s++) siteMap.set(`site-${s}`, site(`site-${s}`, `Site ${s}`, s % 2 ? 'York' : 'Bath'));
  const reported = ['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted', 'Unknown'] as const;
  const operator = ['Available', 'Available', 'Available', 'OutOfService', 'Maintenance', 'Faulted'] as const;
  const points = new Map<string, ViewPoint>();
  for (let i = 0; i < n; i++) {
    const id = `p-${i}`;
    points.set(
      id,
      point(id, {
        siteId: `site-${i % sites}`,
        label: `Bay ${(i % 40) + 1}`,
        stationId: `ST-${Math.floor(i / 2)}`,
        stationConnected: i % 17 !== 0,
        reported: {
          status: reported[i % reported.length],
          errorCode: null,
          info: null,
          at: new Date(1_764_000_000_000 + i * 1000).toISOString(),
        },
        operator: {
          status: operator[i % operator.length],
          reason: operator[i % operator.length] === 'Available' ? null : 'Because',
          note: null,
          until: null,
          by: 'user:alice',
          at: new Date(1_764_000_000_000 + (i % 977) * 60_000).toISOString(),
          version: 1,
        },
      }),
    );
  }
  return { points, sites: siteMap };
}

/** A notice of a window plan kept offline that started at once when it reached the backend. */
export function windowNotice(opId: string, windowId = `win-${opId}`): WindowOpNotice {
  return {
    opId,
    kind: 'plan',
    windowId,
    reason: 'Firmware update',
    pointCount: 1,
    firstPointId: 'a',
    startsAt: '2026-12-04T10:05:00.000Z',
    endsAt: null,
    message: 'started at once: its start had passed',
    queuedAt: '2026-12-04T10:00:00.000Z',
    answeredAt: '2026-12-04T10:07:00.000Z',
  };
}
