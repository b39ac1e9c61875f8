// The Availability view's and drawer strip's pure parts: segments cut to the range, words on hover, sites worst first,
// the points that cost the most counted uptime.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UptimeReply } from '../../common/uptime.js';
import { costliestPoints, rankedSites } from '../../renderer/src/components/availability/availabilityModel.js';
import { minutesText, outageLine, stripSegments } from '../../renderer/src/components/availability/timelineModel.js';

test('strip segments are cut to the range, as fractions; an excluded window and an outage say so on hover', () => {
  const from = Date.parse('2026-06-01T00:00:00Z');
  const to = from + 24 * 3_600_000;
  const segs = stripSegments(
    [
      {
        status: 'Available',
        source: 'reported',
        start: '2026-05-31T18:00:00Z',
        end: '2026-06-01T06:00:00Z',
        cause: null,
        windowId: null,
      },
      {
        status: 'Maintenance',
        source: 'operator',
        start: '2026-06-01T06:00:00Z',
        end: '2026-06-01T12:00:00Z',
        cause: 'Inspection',
        windowId: 'w1',
      },
      {
        status: 'Faulted',
        source: 'reported',
        start: '2026-06-01T12:00:00Z',
        end: null,
        cause: 'GroundFailure',
        windowId: null,
      },
    ],
    from,
    to,
    'UTC',
  );
  assert.deepEqual(
    segs.map((s) => [s.status, s.left, s.width, s.outage, s.excluded]),
    [
      ['Available', 0, 0.25, false, false],
      ['Maintenance', 0.25, 0.25, true, true],
      ['Faulted', 0.5, 0.5, true, false],
    ],
  );
  assert.match(segs[1].title, /planned window: excluded from uptime/);
  assert.match(segs[2].title, /^Faulted: GroundFailure\n1 Jun, 12:00 – now\n12 h$/);
  assert.equal(minutesText(0.5), '< 1 min');
  assert.equal(minutesText(90), '1 h 30 min');
});

test("an outage line names its cause and its excluded minutes with the rule's reason", () => {
  const line = outageLine(
    {
      pointId: 'P',
      status: 'Offline',
      cause: 'offline',
      windowId: null,
      start: '2026-06-01T10:00:00Z',
      end: '2026-06-01T12:00:00Z',
      minutes: 120,
      excludedMinutes: 60,
      excludedBy: 'supervisor',
      exclusionReason: 'utilityInterruption',
    },
    'UTC',
  );
  assert.equal(line, '1 Jun, 10:00 – 1 Jun, 12:00 · 2 h · 1 h excluded (Electric utility service interruption)');
});

test('sites worst first (no figure last); the costliest points by counted minutes, within a site when one is picked', () => {
  const port = (pointId: string, siteId: string, outage: number, excluded: number) => ({
    pointId,
    stationId: 'ST',
    siteId,
    periodMinutes: 1000,
    outageMinutes: outage,
    excludedMinutes: excluded,
    uptime: 100 - (outage - excluded) / 10,
  });
  const reply: UptimeReply = {
    scope: 'network',
    id: null,
    from: '2026-06-01T00:00:00Z',
    to: '2026-06-02T00:00:00Z',
    uptime: 99,
    ports: [port('a', 'S1', 50, 0), port('b', 'S1', 80, 70), port('c', 'S2', 20, 0), port('d', 'S2', 0, 0)],
    stations: [],
    sites: [
      { id: 'S1', ports: 2, uptime: 97 },
      { id: 'S3', ports: 0, uptime: null },
      { id: 'S2', ports: 2, uptime: 99 },
    ],
    outages: [],
    outagesLeftOff: 0,
  };
  assert.deepEqual(
    rankedSites(reply).map((s) => s.id),
    ['S1', 'S2', 'S3'],
  );
  assert.deepEqual(
    costliestPoints(reply, null).map((p) => p.pointId),
    ['a', 'c', 'b'],
  );
  assert.deepEqual(
    costliestPoints(reply, 'S2').map((p) => p.pointId),
    ['c'],
  );
});
