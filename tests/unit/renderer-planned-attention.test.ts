// The Planned button's badge (issue 17 follow-up): what waits for the person in the Planned panel — refused window
// requests and notices of requests answered later — counted from the WindowsView, in words, and kept by the store.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QueuedWindowOpView } from '../../common/consoleApi.js';
import {
  NO_PLANNED_ATTENTION,
  plannedAttention,
  plannedAttentionLabel,
  plannedAttentionTotal,
} from '../../renderer/src/model/plannedAttention.js';
import { ConsoleStore } from '../../renderer/src/store/store.js';
import { fakeConsoleHost } from '../support/fakeConsoleHost.js';
import { manualScheduler } from '../support/manualScheduler.js';
import { point, windowNotice as notice } from '../support/rendererFixtures.js';
import { waitFor } from '../support/waitFor.js';

function op(opId: string, state: QueuedWindowOpView['state']): QueuedWindowOpView {
  return {
    opId,
    kind: 'plan',
    windowId: `win-${opId}`,
    createdAt: '2026-12-04T10:00:00.000Z',
    state,
    error: state === 'failed' ? 'refused' : null,
  };
}

describe('what waits in the Planned panel', () => {
  it('counts refused requests and notices; requests still waiting to be sent need nobody', () => {
    const a = plannedAttention([op('1', 'queued'), op('2', 'failed'), op('3', 'failed')], [notice('4')]);
    assert.deepEqual(a, { refused: 2, answeredLater: 1 });
    assert.equal(plannedAttentionTotal(a), 3);
    assert.equal(plannedAttention([op('1', 'queued')], []), NO_PLANNED_ATTENTION, 'nothing waits: the same object');
  });

  it('says what waits, in words, and nothing when nothing does', () => {
    assert.equal(
      plannedAttentionLabel({ refused: 1, answeredLater: 1 }),
      '1 planned request refused, 1 answered later: open the Planned panel',
    );
    assert.equal(
      plannedAttentionLabel({ refused: 2, answeredLater: 0 }),
      '2 planned requests refused: open the Planned panel',
    );
    assert.equal(
      plannedAttentionLabel({ refused: 0, answeredLater: 1 }),
      '1 planned request answered later: open the Planned panel',
    );
    assert.equal(plannedAttentionLabel(NO_PLANNED_ATTENTION), null);
  });

  it('the store keeps the count with every windows event, and drops it when they are dismissed', async () => {
    const h = fakeConsoleHost([point('a')], {
      windows: { full: true, windows: [], queued: [op('1', 'failed')], notices: [] },
    });
    const store = new ConsoleStore(h.api, h.transport, manualScheduler().schedule);
    store.start();
    await waitFor('the windows loaded', () => store.getState().windowsQueued.length === 1);
    assert.deepEqual(store.getState().plannedAttention, { refused: 1, answeredLater: 0 });

    h.emit('windows', { full: false, windows: [], queued: [op('1', 'failed')], notices: [notice('2')] });
    assert.deepEqual(store.getState().plannedAttention, { refused: 1, answeredLater: 1 });
    const kept = store.getState().plannedAttention;
    h.emit('windows', { full: false, windows: [], queued: [op('1', 'failed')], notices: [notice('2')] });
    assert.equal(store.getState().plannedAttention, kept, 'the same requests: the same object (no render)');

    h.emit('windows', { full: false, windows: [], queued: [op('3', 'queued')], notices: [] });
    assert.equal(store.getState().plannedAttention, NO_PLANNED_ATTENTION, 'dismissed: nothing waits');
  });
});
