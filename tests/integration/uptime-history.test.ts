// Availability over time against a real backend and real OCPP-J stations on a manual clock: the history recorded
// from station reports, windows and disconnects; uptime and outages over the console API; supervisors' exclusions
// (audited, refused for operators); the CSV report over HTTP with its documented fields.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { UPTIME_REPORT_PATH, type TimelineReply, type UptimeReply } from '../../common/uptime.js';
import { MONTHLY_FIELDS, OUTAGE_FIELDS } from '../../backend/history/csvReport.js';
import {
  connectConsole,
  connectStation,
  startTestBackend,
  tokenFor,
  type TestBackend,
  type TestConsole,
  type TestStation,
} from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const JUNE = Date.parse('2026-06-01T00:00:00Z');
const JULY = Date.parse('2026-07-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('availability over time', () => {
  let clock: ManualClock;
  let data: ReturnType<typeof tempDir>;
  let b: TestBackend;
  let supervisor: TestConsole;
  let operator: TestConsole;
  let stations: TestStation[] = [];

  const start = async () => {
    // Pings far apart: the test moves the clock by days in one step, which no station could answer in between; the
    // consoles' last-heard ages hourly (their 5 s default would run half a million times in a month).
    b = await startTestBackend({
      clock,
      dataDir: data.path,
      network: stations.length ? null : undefined,
      liveness: { pingIntervalMs: 100 * DAY },
      livenessFanout: { heardFlushMs: HOUR },
      clusterCheckMs: HOUR,
    });
    supervisor = await connectConsole(b.url, await tokenFor(b.url, 'supervisor'));
    operator = await connectConsole(b.url, await tokenFor(b.url, 'operator'));
  };
  const stop = async () => {
    supervisor.close();
    operator.close();
    await b.stop();
  };

  beforeEach(async () => {
    clock = new ManualClock(JUNE);
    data = tempDir('uptime');
    stations = [];
    await start();
  });
  afterEach(async () => {
    for (const s of stations) await s.close();
    await stop();
    data.remove();
  });

  async function online(id: string) {
    const st = await connectStation(b.ocppUrl, id, 'ocpp1.6');
    stations.push(st);
    // Reports its availability change as real 1.6 stations do (Unavailable for Inoperative).
    st.beforeAnswer = async (params) => {
      if (st.answer === 'Accepted')
        await st.status(params.connectorId, params.type === 'Inoperative' ? 'Unavailable' : 'Available');
    };
    await st.boot();
    await st.status(1, 'Available');
    await st.status(2, 'Available');
    await waitFor('the station is connected', () => b.store.points.get(`${id}-1`)?.stationConnected);
    return st;
  }

  const uptime = async (who: TestConsole, req: Record<string, unknown>) => {
    const r = await who.request<UptimeReply>('uptime', req);
    assert.ok(r.ok, JSON.stringify(r));
    return r.data;
  };

  it('a point faulted for 2 h in June: 120 outage minutes with its error code, the right uptime; a supervisor excludes it (audited), an operator may not; the CSV has the documented fields', async () => {
    const st = await online('ST16');
    clock.advance(9 * DAY + 10 * HOUR);
    const faultedAt = clock.now();
    await st.status(1, 'Faulted', { errorCode: 'GroundFailure' });
    await waitFor('the fault is stored', () => b.store.points.get('ST16-1')?.reported.status === 'Faulted');
    clock.advance(2 * HOUR);
    await st.status(1, 'Available');
    await waitFor('the recovery is stored', () => b.store.points.get('ST16-1')?.reported.status === 'Available');
    clock.advance(JULY - clock.now());

    const june = await uptime(supervisor, {
      scope: 'point',
      id: 'ST16-1',
      from: iso(JUNE),
      to: iso(JULY),
      outages: true,
    });
    assert.equal(june.ports[0].periodMinutes, 43_200);
    assert.equal(june.ports[0].outageMinutes, 120);
    assert.equal(june.ports[0].uptime, ((43_200 - 120) / 43_200) * 100);
    assert.deepEqual(
      june.outages.map((o) => [o.status, o.cause, o.start, o.end, o.minutes, o.excludedBy]),
      [['Faulted', 'GroundFailure', iso(faultedAt), iso(faultedAt + 2 * HOUR), 120, null]],
    );
    const site = await uptime(operator, { scope: 'site', id: 'S1', from: iso(JUNE), to: iso(JULY) });
    const st16 = site.stations.find((s) => s.id === 'ST16')!;
    assert.equal(st16.ports, 2);
    assert.equal(st16.uptime, (100 + june.ports[0].uptime!) / 2, 'a station is the mean of its ports');

    const timeline = await operator.request<TimelineReply>('timeline', { pointId: 'ST16-1', range: '30d' });
    assert.ok(timeline.ok);
    assert.deepEqual(
      timeline.data.intervals.map((i) => [i.status, i.source, i.cause]),
      [
        ['Available', 'reported', null],
        ['Faulted', 'reported', 'GroundFailure'],
        ['Available', 'reported', null],
      ],
    );

    const exclusion = {
      pointId: 'ST16-1',
      from: iso(faultedAt),
      to: iso(faultedAt + HOUR),
      reason: 'utilityInterruption',
      note: 'Grid outage, utility ref 4471',
    };
    const refused = await operator.request('excludeOutage', exclusion);
    assert.deepEqual(refused, {
      ok: false,
      error: { code: 'forbidden', message: 'only a supervisor may exclude outage minutes from uptime' },
    });
    const bad = await supervisor.request('excludeOutage', { ...exclusion, from: iso(JUNE), to: iso(JUNE + HOUR) });
    assert.equal(bad.ok, false);
    assert.match((bad as any).error.message, /no outage/);
    const noReason = await supervisor.request('excludeOutage', { ...exclusion, note: ' ' });
    assert.equal((noReason as any).error.code, 'invalid');
    const done = await supervisor.request('excludeOutage', exclusion);
    assert.ok(done.ok, JSON.stringify(done));
    assert.equal((done as any).data.exclusion.by, 'user:supervisor');
    assert.ok(b.logs.some((l) => l.includes(`exclusion ${(done as any).data.exclusion.id} by user:supervisor`)));
    const audit = b.store.db.prepare('test', 'SELECT point_id, reason, note, by FROM uptime_exclusions').all();
    assert.deepEqual(audit, [
      {
        point_id: 'ST16-1',
        reason: 'utilityInterruption',
        note: 'Grid outage, utility ref 4471',
        by: 'user:supervisor',
      },
    ]);
    assert.throws(() => b.store.db.prepare('test', "UPDATE uptime_exclusions SET by = 'someone'").run(), /append-only/);

    const after = await uptime(supervisor, {
      scope: 'point',
      id: 'ST16-1',
      from: iso(JUNE),
      to: iso(JULY),
      outages: true,
    });
    assert.equal(after.ports[0].excludedMinutes, 60);
    assert.equal(after.ports[0].uptime, ((43_200 - 60) / 43_200) * 100);
    assert.equal(after.outages[0].exclusionReason, 'utilityInterruption');

    const token = await tokenFor(b.url, 'viewer');
    const csv = await fetch(`${b.url}${UPTIME_REPORT_PATH}?kind=monthly&from=${iso(JUNE)}&to=${iso(JULY)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type')!, /^text\/csv/);
    const rows = (await csv.text())
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    assert.deepEqual(rows[0], [...MONTHLY_FIELDS]);
    const row = Object.fromEntries(rows[0].map((f, i) => [f, rows.find((r) => r[1] === 'ST16-1')![i]]));
    assert.deepEqual(
      [
        row.station_id,
        row.uptime_reporting_start,
        row.uptime_reporting_end,
        row.total_outage,
        row.total_outage_excl,
        row.month_outage,
      ],
      ['ST16', iso(JUNE), iso(JULY), '120', '60', '120'],
    );
    assert.equal(
      Number(row.uptime),
      Math.round(((525_600 - 60) / 525_600) * 100 * 1000) / 1000,
      'the rolling year over 525,600 minutes',
    );
    assert.equal(rows.length, 1 + 4, 'a row per port of the network for the month');
    const outages = await fetch(`${b.url}${UPTIME_REPORT_PATH}?kind=outages&from=${iso(JUNE)}&to=${iso(JULY)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const outageRows = (await outages.text())
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    assert.deepEqual(outageRows[0], [...OUTAGE_FIELDS]);
    assert.deepEqual(
      outageRows
        .slice(1)
        .filter((r) => r[0] === 'ST16')
        .map((r) => [r[1], r[6], r[7], r[8], r[9], r[10], r[11]]),
      [['ST16-1', '120', '60', 'Faulted', 'GroundFailure', 'supervisor', 'utilityInterruption']],
    );
    const unauthenticated = await fetch(`${b.url}${UPTIME_REPORT_PATH}?kind=monthly&from=${iso(JUNE)}&to=${iso(JULY)}`);
    assert.equal(unauthenticated.status, 401);
    const invalid = await fetch(`${b.url}${UPTIME_REPORT_PATH}?kind=weekly&from=${iso(JUNE)}&to=${iso(JULY)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(invalid.status, 400);
    assert.match(await invalid.text(), /kind/);
  });

  it("a point in a planned window: its Maintenance is recorded with the window and excluded whole; the station's Unavailable after the window is not an outage", async () => {
    await online('ST16');
    const startsAt = JUNE + 2 * HOUR;
    const planned = await supervisor.request('planWindow', {
      id: randomUUID(),
      pointIds: ['ST16-2'],
      startsAt: iso(startsAt),
      endsAt: iso(startsAt + 4 * HOUR),
      reason: 'Annual inspection',
      note: null,
    });
    assert.ok(planned.ok, JSON.stringify(planned));
    clock.advance(startsAt - clock.now());
    await waitFor(
      'the station reports the window',
      () => b.store.points.get('ST16-2')?.reported.status === 'Unavailable',
    );
    clock.advance(4 * HOUR);
    await waitFor(
      'the station is back',
      () =>
        b.store.points.get('ST16-2')?.delivery.state === 'confirmed' &&
        b.store.points.get('ST16-2')?.reported.status === 'Available',
    );
    clock.advance(HOUR);
    const r = await uptime(supervisor, { scope: 'point', id: 'ST16-2', from: iso(JUNE), to: iso(JULY), outages: true });
    assert.equal(r.ports[0].periodMinutes, (clock.now() - JUNE) / MIN, 'counted up to now');
    assert.deepEqual(
      r.outages.map((o) => [o.status, o.start, o.end, o.minutes, o.excludedMinutes, o.excludedBy, o.cause]),
      [['Maintenance', iso(startsAt), iso(startsAt + 4 * HOUR), 240, 240, 'window', 'Annual inspection']],
    );
    assert.equal(r.ports[0].uptime, 100);
  });

  it('a station offline across a backend restart is one outage, from its disconnect to its return', async () => {
    const st = await online('ST16');
    clock.advance(DAY);
    const leftAt = clock.now();
    await st.close();
    stations = stations.filter((s) => s !== st);
    await waitFor('the disconnect is stored', () => b.store.points.get('ST16-1')?.stationConnected === false);
    await stop();
    clock.advance(3 * HOUR);
    stations.push(st); // (keeps the second start from seeding again)
    await start();
    stations = [];
    clock.advance(2 * HOUR);
    const backAt = clock.now();
    await online('ST16');
    clock.advance(HOUR);
    const r = await uptime(supervisor, {
      scope: 'station',
      id: 'ST16',
      from: iso(JUNE),
      to: iso(clock.now()),
      outages: true,
    });
    assert.deepEqual(
      r.outages.filter((o) => o.pointId === 'ST16-1').map((o) => [o.status, o.cause, o.start, o.end, o.minutes]),
      [['Offline', 'offline', iso(leftAt), iso(backAt), 5 * 60]],
    );
  });

  it('bad requests get a clear error and change nothing', async () => {
    const r = await operator.request('uptime', { scope: 'site', from: iso(JUNE), to: iso(JULY) });
    assert.equal((r as any).error.code, 'invalid');
    assert.match((r as any).error.message, /id/);
    const far = await operator.request('uptime', { scope: 'network', from: iso(JUNE - 500 * DAY), to: iso(JULY) });
    assert.match((far as any).error.message, /400 days/);
    const unknown = await operator.request('timeline', { pointId: 'NOPE', range: '24h' });
    assert.equal((unknown as any).error.code, 'notFound');
    const range = await operator.request('timeline', { pointId: 'ST16-1', range: '1y' });
    assert.equal((range as any).error.code, 'invalid');
  });
});
