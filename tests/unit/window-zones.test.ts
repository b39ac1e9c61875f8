// The "next full hour" a new window starts at by default is the next full hour on the site's clock, not on UTC's:
// half past a UTC hour in Asia/Kolkata (+5:30), a quarter to in Asia/Kathmandu (+5:45), and right across the
// daylight-saving changes (the skipped spring hour, the repeated autumn one).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoToZonedInput, nextFullHour } from '../../renderer/src/model/windows.js';

const at = (iso: string) => Date.parse(iso);

describe('the next full hour on a site clock', () => {
  it('at a :30 offset (Kolkata) it is half past a UTC hour', () => {
    // 10:20 UTC is 15:50 in Kolkata: the next full hour there is 16:00, 10:30 UTC (not 11:00 UTC, 16:30 there).
    const next = nextFullHour(at('2026-12-04T10:20:00.000Z'), 'Asia/Kolkata');
    assert.equal(next, '2026-12-04T10:30:00.000Z');
    assert.equal(isoToZonedInput(next, 'Asia/Kolkata'), '2026-12-04T16:00');
    // Exactly on the site's hour: the one after.
    assert.equal(nextFullHour(at('2026-12-04T10:30:00.000Z'), 'Asia/Kolkata'), '2026-12-04T11:30:00.000Z');
  });

  it('at a :45 offset (Kathmandu) it is a quarter past a UTC hour', () => {
    // 10:20 UTC is 16:05 in Kathmandu: 17:00 there is 11:15 UTC.
    assert.equal(nextFullHour(at('2026-12-04T10:20:00.000Z'), 'Asia/Kathmandu'), '2026-12-04T11:15:00.000Z');
  });

  it('on a whole-hour offset and in UTC it is on the UTC hour; a new day on the site clock is a new day', () => {
    assert.equal(nextFullHour(at('2026-12-04T10:20:00.000Z'), 'Europe/Amsterdam'), '2026-12-04T11:00:00.000Z');
    assert.equal(nextFullHour(at('2026-12-04T10:20:00.000Z')), '2026-12-04T11:00:00.000Z');
    // 23:50 in New York (UTC-5) on the 4th: midnight of the 5th there.
    const next = nextFullHour(at('2026-12-05T04:50:00.000Z'), 'America/New_York');
    assert.equal(next, '2026-12-05T05:00:00.000Z');
    assert.equal(isoToZonedInput(next, 'America/New_York'), '2026-12-05T00:00');
  });

  it('in the spring change the skipped hour is not offered: 01:30 → 03:00 summer time, one real half hour later', () => {
    // Amsterdam 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC. At 01:30 CET (00:30 UTC) the next full
    // hour on the clock is 02:00, which does not exist: the first hour after the change.
    const next = nextFullHour(at('2026-03-29T00:30:00.000Z'), 'Europe/Amsterdam');
    assert.equal(next, '2026-03-29T01:00:00.000Z');
    assert.equal(isoToZonedInput(next, 'Europe/Amsterdam'), '2026-03-29T03:00');
  });

  it('in the autumn change both 02:00s count: each is followed by the next real hour', () => {
    // Amsterdam 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC, so 02:xx comes twice.
    // In the first 02:30 (00:30 UTC) the clock next shows :00 when it goes back to 02:00 (01:00 UTC).
    assert.equal(nextFullHour(at('2026-10-25T00:30:00.000Z'), 'Europe/Amsterdam'), '2026-10-25T01:00:00.000Z');
    // In the second 02:30 (01:30 UTC) it is 03:00 CET (02:00 UTC): never a time already passed.
    const second = nextFullHour(at('2026-10-25T01:30:00.000Z'), 'Europe/Amsterdam');
    assert.equal(second, '2026-10-25T02:00:00.000Z');
    assert.equal(isoToZonedInput(second, 'Europe/Amsterdam'), '2026-10-25T03:00');
  });

  it('is always after now, and within an hour, in every kind of zone over a day of minutes', () => {
    for (const tz of [
      'UTC',
      'Asia/Kolkata',
      'Asia/Kathmandu',
      'Europe/Amsterdam',
      'America/St_Johns',
      'Australia/Lord_Howe',
    ]) {
      for (let t = at('2026-10-24T20:00:00.000Z'); t < at('2026-10-25T20:00:00.000Z'); t += 7 * 60_000) {
        const next = Date.parse(nextFullHour(t, tz));
        assert.ok(
          next > t && next - t <= 3600_000,
          `${tz} at ${new Date(t).toISOString()}: ${new Date(next).toISOString()}`,
        );
        assert.match(isoToZonedInput(new Date(next).toISOString(), tz), /T\d\d:00$/, `${tz}: on the site's hour`);
      }
    }
  });
});
