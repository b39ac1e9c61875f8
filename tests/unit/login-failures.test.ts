// Failed sign-ins counted in the store (backend/store/loginFailures.ts): two instances on one store (two connections,
// as two backend processes have) count the guesses at one username together, however they are spread; a good
// password on either gives its slot back for both; rows past their window are pruned.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { LoginLimiter } from '../../backend/loginLimiter.js';
import { LoginFailuresRepo } from '../../backend/store/loginFailures.js';
import { seedStore, smallNetwork } from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { disposeStoreOf, testStore } from '../support/testStore.js';

describe('failed sign-ins counted in the store', () => {
  const tmp = tempDir('login-failures');
  after(() => {
    disposeStoreOf(tmp.path);
    tmp.remove();
  });

  it('two instances count one username together; a good sign-in on one clears it for both; old rows pruned', async () => {
    await seedStore(tmp.path, smallNetwork());
    const stores = [testStore(tmp.path), testStore(tmp.path)];
    let now = 1_000_000;
    const limits = { perUser: 4, perAddress: 100, baseLockMs: 1000, maxLockMs: 8000, windowMs: 60_000 };
    const [a, b] = stores.map(
      (s) => new LoginLimiter(limits, () => now, new LoginFailuresRepo(s.db, 60_000, () => now)),
    );
    try {
      for (let i = 0; i < 3; i++) {
        const limiter = i % 2 ? b : a;
        assert.equal(limiter.attempt('ann', `10.0.0.${i}`).waitMs, 0, `attempt ${i + 1} goes through`);
      }
      assert.equal(b.retryAfterMs('Ann', '10.9.9.9'), 0, 'three failures of four allowed');
      assert.equal(b.attempt('ann', '10.0.0.3').waitMs, 0);
      assert.equal(a.retryAfterMs('ann', '10.9.9.9'), 1000, 'the fourth, made on the other instance, locks it here');
      assert.equal(b.attempt('ANN', '10.9.9.9').waitMs, 1000, 'and there, in any case');
      assert.equal(a.retryAfterMs('bob', '10.0.0.1'), 0, 'another username is not locked');

      now += 1000;
      const good = a.attempt('ann', '10.0.0.7');
      assert.equal(good.waitMs, 0);
      if (!('succeeded' in good)) throw new Error('not counted');
      good.succeeded();
      assert.equal(b.retryAfterMs('ann', '10.0.0.7'), 0, 'a good password clears the username on every instance');
      assert.equal(b.attempt('ann', '10.0.0.8').waitMs, 0);

      const rows = () =>
        Number(stores[0].db.prepare<{ n: number }>('rows', 'SELECT COUNT(*) AS n FROM login_failures').get()!.n);
      assert.ok(rows() > 0);
      now += 3600_000;
      for (let i = 0; i < 100; i++) a.retryAfterMs('carol', '10.1.1.1');
      assert.equal(rows(), 0, 'rows past their window are pruned as attempts come');
    } finally {
      for (const s of stores) s.close();
    }
  });
});
