// A console hears the answer to its mutate request before the change it made: requests of one turn share one
// commit (store/turnCommit.ts), and the early broadcast of an edit waits until every request of that commit is
// answered, even when two requests arrive together.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Changes } from '../../common/protocol.js';
import { CONSOLE_EVENTS } from '../../common/protocol.js';
import {
  consoleAs,
  setStatus,
  startTestBackend,
  type TestBackend,
  type TestConsole,
} from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';

describe('the answer to a mutate request and the change it made', () => {
  let b: TestBackend;
  let op: TestConsole;
  before(async () => {
    b = await startTestBackend();
    op = await consoleAs(b.url, 'operator');
  });
  after(async () => {
    op.close();
    await b.dispose();
  });

  it('two requests sent together: both answers come before either change', async () => {
    const heard: string[] = [];
    op.socket.on(CONSOLE_EVENTS.changes, (c: Changes) => {
      for (const p of c.points) heard.push(`change ${p.id}`);
    });
    const edits = ['ST16-1', 'ST16-2'].map((pointId) =>
      setStatus([{ pointId, baseVersion: b.store.points.get(pointId)!.operator.version }], {
        status: 'OutOfService',
        reason: 'test',
      }),
    );
    for (const m of edits)
      op.socket.emit(CONSOLE_EVENTS.mutate, { mutations: [m] }, () => heard.push(`answer ${m.targets[0].pointId}`));
    await waitFor('both answers and both changes', () => heard.length >= 4, 10_000);
    for (const id of ['ST16-1', 'ST16-2'])
      assert.ok(
        heard.indexOf(`answer ${id}`) < heard.indexOf(`change ${id}`),
        `the answer for ${id} came after its change: ${heard.join(', ')}`,
      );
  });
});
