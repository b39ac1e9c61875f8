// The notice of a window request kept on this computer that took effect at once when it reached the backend, in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WindowOpNotice } from '../../common/consoleApi.js';
import { noticeSentence } from '../../renderer/src/components/planned/windowNoticeWords.js';

const notice = (n: Partial<WindowOpNotice> = {}): WindowOpNotice => ({
  opId: 'op-1',
  kind: 'plan',
  windowId: 'w-firmware',
  reason: 'Firmware update',
  pointCount: 3,
  firstPointId: 'AMS-2',
  startsAt: '2026-03-14T13:00:00.000Z',
  endsAt: '2026-03-14T15:00:00.000Z',
  message: 'started at once: its start had passed',
  queuedAt: '2026-03-14T12:50:00.000Z',
  answeredAt: '2026-03-14T13:20:00.000Z',
  ...n,
});
const name = (id: string) => (id === 'AMS-2' ? 'Bay 2, Amsterdam Zuid' : id);

test('a plan that started at once: the reason, how many points, and the backend’s words', () => {
  assert.equal(
    noticeSentence(notice(), name),
    'Planned while offline: ‘Firmware update’ (3 points) reached the backend after its start — started at once: its start had passed.',
  );
});

test('one point is named; a change that ended the window says so', () => {
  assert.equal(
    noticeSentence(notice({ kind: 'change', pointCount: 1, message: 'ended now: its new end has passed' }), name),
    'Changed while offline: ‘Firmware update’ (Bay 2, Amsterdam Zuid) reached the backend after its new end — ended now: its new end has passed.',
  );
});
