// The backend reads the network's uptime of the Availability view's periods before anyone asks
// (BackendOptions.warmUptimeAfterMs): once after start, on the clock, and again when a new day's period begins; the
// view's question is then answered with the figures of a backend that reads nothing before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { recentDays, VIEW_FIRST_DAYS, type UptimeReply } from '../../common/uptime.js';
import { UptimeService } from '../../backend/history/uptimeService.js';
import { consoleAs, startTestBackend } from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { disposeStoreOf } from '../support/testStore.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const READ = /^history: the network's uptime of the last 30 days read in \d+ ms$/;

test("the view's first period is read 10 s after start and after each UTC midnight, not before; its question is answered as computed", async () => {
  const clock = new ManualClock(Date.parse('2026-06-10T21:30:00Z'));
  const data = tempDir('uptime-warm');
  const b = await startTestBackend({
    clock,
    dataDir: data.path,
    warmUptimeAfterMs: 10_000,
    liveness: { pingIntervalMs: 100 * DAY },
    livenessFanout: { heardFlushMs: HOUR },
    clusterCheckMs: HOUR,
  });
  const c = await consoleAs(b.url, 'operator');
  try {
    // On PostgreSQL nothing is read ahead: kept reads last a minute there (other backends write history).
    const ahead = b.store.db.dialect === 'postgres' ? 0 : 1;
    const reads = () => b.logs.filter((l) => READ.test(l)).length;
    clock.advance(9_999);
    assert.equal(reads(), 0, 'not read before the time asked');
    clock.advance(1);
    assert.equal(reads(), ahead, 'read once');
    assert.equal(b.logs.filter((l) => /the last 7 days read in/.test(l)).length, ahead, "the view's other period too");
    // Hourly: the same period's reads are still true (nothing read in full) until a new UTC day starts.
    clock.advance(HOUR);
    assert.equal(reads(), ahead);
    clock.advance(2 * HOUR);
    assert.equal(reads(), 2 * ahead, 'a new day: its period read');

    const period = recentDays(clock.now(), VIEW_FIRST_DAYS);
    const q = {
      scope: 'network',
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      daily: true,
      worstPorts: 10,
      stations: false,
    };
    const r = await c.request<UptimeReply>('uptime', q);
    assert.ok(r.ok, JSON.stringify(r));
    const computed = new UptimeService(b.store, clock, 0).uptime({
      scope: 'network',
      from: period.from,
      to: period.to,
      outages: false,
      maxOutages: 1,
      daily: true,
      worstPorts: 10,
      stations: false,
    });
    assert.deepEqual(r.data, JSON.parse(JSON.stringify(computed)));
  } finally {
    c.close();
    await b.stop();
    disposeStoreOf(data.path);
    data.remove();
  }
});
