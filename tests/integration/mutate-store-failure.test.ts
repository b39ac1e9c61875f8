// A mutate request the store cannot write (a trigger that refuses the update, on either engine) is answered
// `internal` with nothing applied, and the same mutation sent again once the store accepts writes is applied once.
// Another request sent at the same time (possibly in the same turn's commit, store/turnCommit.ts) is unaffected.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MutateReply } from '../../common/protocol.js';
import { refuseUpdates } from '../support/refuseWrites.js';
import {
  consoleAs,
  setStatus,
  startTestBackend,
  type TestBackend,
  type TestConsole,
} from '../support/backendHarness.js';

describe('a mutate request the store cannot write', () => {
  let b: TestBackend;
  let op: TestConsole;
  let other: TestConsole;
  before(async () => {
    b = await startTestBackend();
    op = await consoleAs(b.url, 'operator');
    other = await consoleAs(b.url, 'operator');
  });
  after(async () => {
    op.close();
    other.close();
    await b.dispose();
  });

  it('is answered internal with nothing applied; sent again, it is applied once', async () => {
    const version = (id: string) => b.store.points.get(id)!.operator.version;
    const refused = setStatus([{ pointId: 'ST16-1', baseVersion: version('ST16-1') }], {
      status: 'OutOfService',
      reason: 'test',
    });
    const fine = setStatus([{ pointId: 'ST16-2', baseVersion: version('ST16-2') }], {
      status: 'OutOfService',
      reason: 'test',
    });
    const allow = refuseUpdates(b.store.db, 'points', 'op_status', "NEW.id = 'ST16-1'");
    const [r1, r2] = await Promise.all([
      op.request<MutateReply>('mutate', { mutations: [refused] }),
      other.request<MutateReply>('mutate', { mutations: [fine] }),
    ]);
    assert.equal(r1.ok, false);
    assert.equal(!r1.ok && r1.error.code, 'internal');
    assert.equal(b.store.points.get('ST16-1')!.operator.status, 'Available', 'nothing applied');
    assert.equal(b.store.mutations.previous(refused.id), null, 'not recorded as processed');
    assert.ok(r2.ok && r2.data.outcomes[0].result === 'applied', JSON.stringify(r2));
    assert.equal(b.store.points.get('ST16-2')!.operator.status, 'OutOfService');

    allow();
    const again = await op.request<MutateReply>('mutate', { mutations: [refused] });
    assert.ok(again.ok && again.data.outcomes[0].result === 'applied', JSON.stringify(again));
    const twice = await op.request<MutateReply>('mutate', { mutations: [refused] });
    assert.ok(twice.ok && twice.data.outcomes[0].duplicate, 'the third send is answered as a duplicate');
    assert.equal(b.store.points.get('ST16-1')!.operator.version, refused.targets[0].baseVersion + 1, 'applied once');
  });
});
