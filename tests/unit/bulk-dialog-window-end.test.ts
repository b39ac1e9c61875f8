// The bulk results' Retry and Undo ask the running-window question a person's change asks (issue 17): which points
// a retry or an undo would change, which a running window holds, the words per action, and what "leave them" sends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MaintenanceWindow } from '../../common/windows.js';
import { undoTargets, type PointResult } from '../../renderer/src/components/BulkModel.js';
import { heldByRunningWindows, withoutHeld } from '../../renderer/src/components/planned/runningWindows.js';
import { windowEndQuestion } from '../../renderer/src/components/planned/windowEndWords.js';

const running: MaintenanceWindow = {
  id: 'w1',
  reason: 'Cable heads',
  note: null,
  startsAt: '2026-12-05T08:00:00.000Z',
  endsAt: '2026-12-05T10:00:00.000Z',
  state: 'running',
  createdBy: 'sam',
  createdAt: '2026-12-04T08:00:00.000Z',
  startedAt: '2026-12-05T08:00:00.000Z',
  endedAt: null,
  version: 1,
  points: [
    { pointId: 'B', state: 'applied' },
    { pointId: 'C', state: 'applied' },
  ],
};
const result = (pointId: string, kind: PointResult['kind']): PointResult => ({
  pointId,
  kind,
  answered: true,
  detail: null,
  attempt: {
    mutationId: `m-${pointId}`,
    edit: { status: 'Available', reason: 'x', note: null, until: null },
    pointIds: [pointId],
  },
});

test('a retry that would change held points offers to end the windows, to leave them and retry the others, or not', () => {
  const failed = [result('A', 'conflict'), result('B', 'conflict'), result('C', 'stationRejected')];
  const held = heldByRunningWindows(
    failed.map((r) => r.pointId),
    [running],
  );
  assert.deepEqual(held.pointIds, ['B', 'C']);
  const q = windowEndQuestion({ action: 'retry', held, total: 3, firstLabel: 'Bay 2', until: 'until 10:00' });
  assert.match(q.text, /^2 of these 3 points are in the running maintenance window “Cable heads” \(until 10:00\)\./);
  assert.match(q.text, /Retrying them ends the window for them: at the window’s end they are not put back/);
  assert.equal(q.yes, 'Yes, end the windows for these 2');
  assert.equal(q.leave, 'Leave them; retry the other 1');
  // Leaving them: only the point no window holds is sent again.
  assert.deepEqual(
    withoutHeld(failed, held).map((f) => f.pointId),
    ['A'],
  );
  // Every failed point held: nothing else to retry, so no "leave" choice (No sends nothing).
  const allHeld = heldByRunningWindows(['B'], [running]);
  const one = windowEndQuestion({ action: 'retry', held: allHeld, total: 1, firstLabel: 'Bay 2', until: 'open-ended' });
  assert.equal(one.leave, null);
  assert.match(one.text, /^Bay 2 is in the running maintenance window “Cable heads” \(open-ended\)\. Retrying it ends/);
  assert.equal(one.yes, 'Yes, end the window for it');
});

test('an undo says it leaves held points in their window (the backend answers Conflict), and asks before sending', () => {
  const results = [
    result('A', 'applied'),
    result('B', 'saved'),
    result('C', 'conflict'),
    result('D', 'notAllowed'),
    result('E', 'waiting'),
  ];
  // Only points the change altered (or may still alter) are restored.
  assert.deepEqual(undoTargets(results), ['A', 'B', 'E']);
  const held = heldByRunningWindows(undoTargets(results), [running]);
  assert.deepEqual(held.pointIds, ['B']);
  const q = windowEndQuestion({ action: 'undo', held, total: 3, firstLabel: 'Bay 2', until: 'until 10:00' });
  assert.match(q.text, /The undo leaves it in the window: the window’s start changed its status after this change/);
  assert.match(q.text, /answers Conflict for it\. Retry then asks whether to end the window\. Undo the other 2\?$/);
  assert.equal(q.yes, 'Undo, leave it in the window');
  assert.equal(q.leave, null);
});

test('a change keeps its words', () => {
  const held = heldByRunningWindows(['B'], [running]);
  const q = windowEndQuestion({ action: 'change', held, total: 1, firstLabel: 'Bay 2', until: 'until 10:00' });
  assert.equal(
    q.text,
    'Bay 2 is in the running maintenance window “Cable heads” (until 10:00). This change ends the window for it: at ' +
      'the window’s end it is not put back to what it had before. Save it anyway?',
  );
  assert.equal(q.leave, null);
});
