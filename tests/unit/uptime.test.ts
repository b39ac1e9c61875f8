// The uptime computation (common/uptime.ts) on hand-checked cases and properties.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SHOWN_STATUSES } from '../../common/status.js';
import {
  dailyDays,
  dailyUptimeSent,
  dailyUptimeSchema,
  daysOf,
  meanUptime,
  monthsOf,
  outagesIn,
  portUptime,
  RULE_YEAR_MINUTES,
  rollingUptime,
  twelveMonthsBefore,
  uptimeClass,
  type StatusInterval,
} from '../../common/uptime.js';

const t = (iso: string) => Date.parse(iso);
const iv = (
  status: StatusInterval['status'],
  start: string,
  end: string | null,
  extra: Partial<StatusInterval> = {},
): StatusInterval => ({
  status,
  source: 'reported',
  start: t(start),
  end: end === null ? null : t(end),
  cause: null,
  windowId: null,
  ...extra,
});
const NOW = t('2027-01-01T00:00:00Z');

test('the mapping: Available, Occupied, Reserved are up; Faulted, Offline, Out of Service, Maintenance, Unavailable are outages; Unknown is not counted', () => {
  assert.deepEqual(
    SHOWN_STATUSES.map((s) => [s, uptimeClass(s)]),
    [
      ['Available', 'up'],
      ['Occupied', 'up'],
      ['Reserved', 'up'],
      ['Unavailable', 'outage'],
      ['Faulted', 'outage'],
      ['OutOfService', 'outage'],
      ['Maintenance', 'outage'],
      ['Offline', 'outage'],
      ['Unknown', 'notCounted'],
    ],
  );
});

test('a point faulted for 2 h in a 30-day month: 120 outage minutes, uptime (43,200 − 120) / 43,200', () => {
  const history = [
    iv('Available', '2026-06-01T00:00:00Z', '2026-06-10T10:00:00Z'),
    iv('Faulted', '2026-06-10T10:00:00Z', '2026-06-10T12:00:00Z', { cause: 'GroundFailure' }),
    iv('Available', '2026-06-10T12:00:00Z', null),
  ];
  const june = { from: t('2026-06-01T00:00:00Z'), to: t('2026-07-01T00:00:00Z') };
  const r = portUptime(history, [], june, NOW);
  assert.equal(r.periodMinutes, 43_200);
  assert.equal(r.outageMinutes, 120);
  assert.equal(r.excludedMinutes, 0);
  assert.equal(r.uptime, ((43_200 - 120) / 43_200) * 100);
  assert.equal(r.outages.length, 1);
  assert.equal(r.outages[0].cause, 'GroundFailure');
});

test('an outage crossing a month boundary counts in each month only its own minutes, and keeps its real start and end', () => {
  const history = [iv('Faulted', '2026-06-30T23:00:00Z', '2026-07-01T02:00:00Z', { cause: 'X' })];
  const june = portUptime(history, [], { from: t('2026-06-01T00:00:00Z'), to: t('2026-07-01T00:00:00Z') }, NOW);
  const july = portUptime(history, [], { from: t('2026-07-01T00:00:00Z'), to: t('2026-08-01T00:00:00Z') }, NOW);
  assert.equal(june.outageMinutes, 60);
  assert.equal(july.outageMinutes, 120);
  assert.equal(june.outages[0].start, t('2026-06-30T23:00:00Z'));
  assert.equal(july.outages[0].end, t('2026-07-01T02:00:00Z'));
});

test('an excluded stretch inside a counted outage: only its own minutes are excluded; overlapping exclusions count once', () => {
  const history = [
    iv('Offline', '2026-06-10T00:00:00Z', '2026-06-10T10:00:00Z', { source: 'connection', cause: 'offline' }),
  ];
  const exclusions = [
    { start: t('2026-06-10T02:00:00Z'), end: t('2026-06-10T05:00:00Z'), reason: 'utilityInterruption' as const },
    { start: t('2026-06-10T04:00:00Z'), end: t('2026-06-10T06:00:00Z'), reason: 'utilityInterruption' as const },
    { start: t('2026-06-11T00:00:00Z'), end: t('2026-06-12T00:00:00Z'), reason: 'vandalism' as const },
  ];
  const r = portUptime(history, exclusions, { from: t('2026-06-01T00:00:00Z'), to: t('2026-07-01T00:00:00Z') }, NOW);
  assert.equal(r.outageMinutes, 600);
  assert.equal(r.excludedMinutes, 240, '02:00–06:00, once; the exclusion outside the outage excludes nothing');
  assert.equal(r.outages[0].excludedBy, 'supervisor');
  assert.equal(r.outages[0].exclusionReason, 'utilityInterruption');
  assert.equal(r.uptime, ((43_200 - 360) / 43_200) * 100);
});

test("a planned window's Maintenance is excluded whole; Maintenance set by hand is not", () => {
  const history = [
    iv('Maintenance', '2026-06-02T00:00:00Z', '2026-06-02T04:00:00Z', {
      source: 'operator',
      windowId: 'w-1',
      cause: 'firmware',
    }),
    iv('Maintenance', '2026-06-03T00:00:00Z', '2026-06-03T01:00:00Z', { source: 'operator', cause: 'cleaning' }),
  ];
  const r = portUptime(history, [], { from: t('2026-06-01T00:00:00Z'), to: t('2026-07-01T00:00:00Z') }, NOW);
  assert.equal(r.outageMinutes, 300);
  assert.equal(r.excludedMinutes, 240);
  assert.deepEqual(
    r.outages.map((o) => [o.excludedBy, o.exclusionReason]),
    [
      ['window', 'scheduledMaintenance'],
      [null, null],
    ],
  );
});

test('a station offline across a backend restart is one outage from its start to its end (the interval is not split)', () => {
  // What the recorder keeps when the backend stops and starts while the station stays away: one open Offline interval.
  const history = [iv('Offline', '2026-06-05T22:00:00Z', null, { source: 'connection', cause: 'offline' })];
  const now = t('2026-06-06T03:30:00Z');
  const r = portUptime(history, [], { from: t('2026-06-05T00:00:00Z'), to: t('2026-06-07T00:00:00Z') }, now);
  assert.equal(r.outages.length, 1);
  assert.equal(r.outageMinutes, 330, 'up to now, not to the end of the period');
  assert.equal(r.periodMinutes, 27.5 * 60, 'the part of the period after now is not counted');
});

test("the 12-month rolling figure uses the rule's 525,600 minutes", () => {
  const history = [iv('Faulted', '2026-03-01T00:00:00Z', '2026-03-01T10:00:00Z')];
  const window = twelveMonthsBefore(t('2026-12-01T00:00:00Z'), 'UTC');
  assert.deepEqual(window, { from: t('2025-12-01T00:00:00Z'), to: t('2026-12-01T00:00:00Z') });
  const r = rollingUptime(
    history,
    [{ start: t('2026-03-01T00:00:00Z'), end: t('2026-03-01T01:00:00Z'), reason: 'vehicle' }],
    window,
    NOW,
  );
  assert.equal(r.periodMinutes, RULE_YEAR_MINUTES);
  assert.equal(r.outageMinutes, 600);
  assert.equal(r.excludedMinutes, 60);
  assert.equal(r.uptime, ((525_600 - 540) / 525_600) * 100);
});

test("daylight-saving days in the site's zone have 23 and 25 hours; months start at local midnight", () => {
  const ny = 'America/New_York';
  const days = daysOf({ from: t('2026-03-07T05:00:00Z'), to: t('2026-03-10T04:00:00Z') }, ny);
  assert.deepEqual(
    days.map((d) => [d.label, (d.to - d.from) / 3_600_000]),
    [
      ['2026-03-07', 24],
      ['2026-03-08', 23],
      ['2026-03-09', 24],
    ],
  );
  const autumn = daysOf({ from: t('2026-10-23T22:00:00Z'), to: t('2026-10-25T23:00:00Z') }, 'Europe/Berlin');
  assert.deepEqual(
    autumn.map((d) => (d.to - d.from) / 3_600_000),
    [24, 25],
  );
  // A whole outage on the short day is the whole day: uptime 0, not 1/24 up.
  const d = days[1];
  const r = portUptime([iv('Faulted', '2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00')], [], d, NOW);
  assert.equal(r.periodMinutes, 23 * 60);
  assert.equal(r.uptime, 0);
  assert.deepEqual(
    monthsOf({ from: t('2026-10-15T00:00:00Z'), to: t('2026-11-30T23:00:00Z') }, 'Europe/Berlin').map((m) => [
      m.label,
      new Date(m.from).toISOString(),
    ]),
    [
      ['2026-10', '2026-10-15T00:00:00.000Z'],
      ['2026-11', '2026-10-31T23:00:00.000Z'],
    ],
  );
});

test('a station, site or network is the mean of its ports; ports without figures are left out', () => {
  assert.equal(meanUptime([{ uptime: 100 }, { uptime: 90 }, { uptime: null }]), 95);
  assert.equal(meanUptime([]), null);
});

const arbHistory = fc
  .array(fc.tuple(fc.constantFrom(...SHOWN_STATUSES), fc.integer({ min: 1, max: 5_000 }), fc.boolean()), {
    minLength: 1,
    maxLength: 40,
  })
  .map((steps) => {
    let at = t('2026-06-01T00:00:00Z') - 10_000 * 60_000;
    return steps.map(([status, minutes, inWindow], i) => {
      const start = at;
      at += minutes * 60_000;
      return {
        status,
        source: 'reported' as const,
        start,
        end: i === steps.length - 1 ? null : at,
        cause: null,
        windowId: inWindow ? 'w' : null,
      };
    });
  });
const arbExclusions = fc.array(
  fc.tuple(fc.integer({ min: -20_000, max: 60_000 }), fc.integer({ min: 1, max: 20_000 })).map(([s, len]) => ({
    start: t('2026-06-01T00:00:00Z') + s * 60_000,
    end: t('2026-06-01T00:00:00Z') + (s + len) * 60_000,
    reason: 'vandalism' as const,
  })),
  { maxLength: 6 },
);
const JUNE = { from: t('2026-06-01T00:00:00Z'), to: t('2026-07-01T00:00:00Z') };

test('property: 0 ≤ excluded ≤ outage ≤ period, uptime within 0–100, and more exclusions never lower uptime', () => {
  fc.assert(
    fc.property(arbHistory, arbExclusions, arbExclusions, (history, ex, more) => {
      const r = portUptime(history, ex, JUNE, NOW);
      assert.ok(r.excludedMinutes >= 0 && r.excludedMinutes <= r.outageMinutes + 1e-9);
      assert.ok(r.outageMinutes <= r.periodMinutes + 1e-9);
      assert.ok(r.uptime !== null && r.uptime >= -1e-9 && r.uptime <= 100 + 1e-9);
      const r2 = portUptime(history, [...ex, ...more], JUNE, NOW);
      assert.ok(r2.uptime! >= r.uptime! - 1e-9);
    }),
  );
});

test('property: the months of a period add up to the period (outage and excluded minutes too)', () => {
  fc.assert(
    fc.property(
      arbHistory,
      arbExclusions,
      fc.constantFrom('UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney'),
      (history, ex, tz) => {
        const period = { from: t('2026-05-20T00:00:00Z'), to: t('2026-08-10T00:00:00Z') };
        const whole = portUptime(history, ex, period, NOW);
        const parts = monthsOf(period, tz).map((m) => portUptime(history, ex, m, NOW));
        const add = (k: 'periodMinutes' | 'outageMinutes' | 'excludedMinutes') => parts.reduce((s, p) => s + p[k], 0);
        assert.ok(Math.abs(add('periodMinutes') - whole.periodMinutes) < 1e-6);
        assert.ok(Math.abs(add('outageMinutes') - whole.outageMinutes) < 1e-6);
        assert.ok(Math.abs(add('excludedMinutes') - whole.excludedMinutes) < 1e-6);
      },
    ),
    { numRuns: 50 },
  );
});

test('property: outages listed are exactly the outage-class intervals that touch the period', () => {
  fc.assert(
    fc.property(arbHistory, (history) => {
      const listed = outagesIn(history, [], JUNE, NOW);
      const expected = history.filter(
        (h) => uptimeClass(h.status) === 'outage' && h.start < JUNE.to && (h.end ?? NOW) > JUNE.from,
      );
      assert.equal(listed.length, expected.length);
    }),
  );
});

test("a site's daily figures on the wire name their first day; each day's date follows, across months and years", () => {
  assert.deepEqual(dailyDays({ from: '2026-12-30', uptimes: [99.5, null, 100] }), [
    { day: '2026-12-30', uptime: 99.5 },
    { day: '2026-12-31', uptime: null },
    { day: '2027-01-01', uptime: 100 },
  ]);
  assert.deepEqual(dailyDays({ from: '', uptimes: [] }), []);
  assert.deepEqual(dailyDays(undefined), []);
  // Sent with 4 decimals of a percent.
  assert.equal(dailyUptimeSent(99.97708333333334), 99.9771);
  assert.equal(dailyUptimeSent(100), 100);
  assert.equal(dailyUptimeSent(null), null);
  assert.equal(dailyUptimeSchema.safeParse({ from: '30/12/2026', uptimes: [] }).success, false);
  assert.equal(dailyUptimeSchema.safeParse({ from: '2026-12-30', uptimes: Array(401).fill(1) }).success, false);
});
