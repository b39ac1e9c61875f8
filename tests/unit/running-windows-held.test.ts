// Which points a running window holds (the status dialogs ask before changing them): applied points of running
// windows only, in the order asked, each window once, soonest ending first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MaintenanceWindow, WindowPointState, WindowState } from '../../common/windows.js';
import { heldByRunningWindows } from '../../renderer/src/components/planned/runningWindows.js';

const win = (
  id: string,
  state: WindowState,
  endsAt: string | null,
  points: [string, WindowPointState][],
): MaintenanceWindow => ({
  id,
  reason: id,
  note: null,
  startsAt: '2026-12-05T08:00:00.000Z',
  endsAt,
  state,
  createdBy: 'sam',
  createdAt: '2026-12-04T08:00:00.000Z',
  startedAt: state === 'running' ? '2026-12-05T08:00:00.000Z' : null,
  endedAt: null,
  version: 1,
  points: points.map(([pointId, s]) => ({ pointId, state: s })),
});

test('only points a running window still holds; windows once, soonest end first', () => {
  const windows = [
    win('open-ended', 'running', null, [['A', 'applied']]),
    win('soon', 'running', '2026-12-05T10:00:00.000Z', [
      ['B', 'applied'],
      ['C', 'released'],
    ]),
    win('later', 'planned', '2026-12-06T10:00:00.000Z', [['D', 'planned']]),
    win('done', 'ended', '2026-12-05T07:00:00.000Z', [['E', 'restored']]),
  ];
  const held = heldByRunningWindows(['E', 'D', 'C', 'B', 'A'], windows);
  assert.deepEqual(held.pointIds, ['B', 'A']);
  assert.deepEqual(
    held.windows.map((w) => w.id),
    ['soon', 'open-ended'],
  );
});

test('nothing held: nothing to ask', () => {
  assert.deepEqual(heldByRunningWindows(['A'], []), { pointIds: [], windows: [] });
});
