// A refused window's overlap in words: the other window, its points, its span on the site's clock and the viewer's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WindowOverlap } from '../../common/windows.js';
import { overlapSentence, overlapSpan } from '../../renderer/src/components/planned/overlapWords.js';

const amsterdam = { tz: 'Europe/Amsterdam', label: 'Amsterdam time', site: true };
const NOW = Date.parse('2026-03-10T09:00:00Z');
const overlap = (o: Partial<WindowOverlap> = {}): WindowOverlap => ({
  windowId: 'w-pump-swap',
  reason: 'Pump swap',
  // Saturday 14 March 2026, 14:00–16:00 in Amsterdam (UTC+1 in winter).
  startsAt: '2026-03-14T13:00:00.000Z',
  endsAt: '2026-03-14T15:00:00.000Z',
  state: 'planned',
  pointIds: ['AMS-2'],
  pointCount: 1,
  from: '2026-03-14T14:00:00.000Z',
  until: '2026-03-14T15:00:00.000Z',
  ...o,
});
const label = (id: string) => (id === 'AMS-2' ? 'Bay 2' : id);

test('the sentence names the window, the point and the span on the site clock, the viewer’s beside it', () => {
  assert.equal(
    overlapSentence(overlap(), amsterdam, label, NOW, 'Europe/London'),
    'Overlaps “Pump swap” on Bay 2, Sat 14 Mar 14:00–16:00 Amsterdam time (13:00–15:00 your time).',
  );
});

test('where the viewer’s clock is the site’s, it is said once', () => {
  assert.equal(overlapSpan(overlap(), amsterdam, NOW, 'Europe/Paris'), 'Sat 14 Mar 14:00–16:00 Amsterdam time');
});

test('several points, a running window, an open end', () => {
  assert.equal(
    overlapSentence(
      overlap({ pointIds: ['AMS-2', 'AMS-3'], pointCount: 4, endsAt: null, state: 'running' }),
      amsterdam,
      label,
      NOW,
      'Europe/Amsterdam',
    ),
    'Overlaps “Pump swap” (running now) on Bay 2 and 3 more points, from Sat 14 Mar 14:00, open-ended Amsterdam time.',
  );
});

test('across midnight, and a viewer whose day differs: both days on both clocks', () => {
  const night = overlap({ startsAt: '2026-03-14T21:00:00.000Z', endsAt: '2026-03-15T01:00:00.000Z' });
  assert.equal(
    overlapSpan(night, amsterdam, NOW, 'America/New_York'),
    'Sat 14 Mar 22:00 – Sun 15 Mar 02:00 Amsterdam time (Sat 14 Mar 17:00–21:00 your time)',
  );
});

test('across the spring change the end is on summer time', () => {
  // Sunday 29 March 2026: 02:00 becomes 03:00 in Amsterdam. 01:00–04:00 local is 00:00–02:00 UTC.
  const spring = overlap({ startsAt: '2026-03-29T00:00:00.000Z', endsAt: '2026-03-29T02:00:00.000Z' });
  assert.equal(
    overlapSpan(spring, amsterdam, NOW, 'UTC'),
    'Sun 29 Mar 01:00–04:00 Amsterdam time (00:00–02:00 your time)',
  );
});

test('points at sites in different zones: the viewer’s clock alone, and the year when it is not this one', () => {
  const viewer = { tz: 'Asia/Kolkata', label: 'your time (Kolkata)', site: false };
  assert.equal(
    overlapSpan(
      overlap({ startsAt: '2027-01-02T04:30:00.000Z', endsAt: '2027-01-02T06:30:00.000Z' }),
      viewer,
      NOW,
      'Asia/Kolkata',
    ),
    'Sat 2 Jan 2027 10:00–12:00 your time',
  );
});
