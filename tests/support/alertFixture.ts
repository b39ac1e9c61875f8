// An open pointFaulted alert as the backend sends it, with whatever a test changes.
import type { Alert } from '../../common/alerts.js';

export function faultAlert(id: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    kind: 'pointFaulted',
    pointId: `${id}-p`,
    stationId: 'ST1',
    siteId: 'site-1',
    state: 'open',
    since: '2026-12-04T10:00:00.000Z',
    raisedAt: '2026-12-04T10:02:00.000Z',
    evidence: 'station reported Faulted',
    raises: 1,
    acknowledgedBy: null,
    acknowledgedAt: null,
    assignedTo: null,
    resolvedBy: null,
    resolvedAt: null,
    resolution: null,
    version: 1,
    ...over,
  };
}
