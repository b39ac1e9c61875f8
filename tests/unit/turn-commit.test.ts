// The turn's shared commit (backend/store/turnCommit.ts): every job hears after the commit, even when another job's
// done fails (a console's answer must not wait on a scheduler's failure).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tempDir } from '../support/tempDir.js';
import { disposeStoreOf, storeLocationFor } from '../support/testStore.js';
import { Store } from '../../backend/store/index.js';

test("a job's failing done does not keep the others from hearing, and is logged", async () => {
  const dir = tempDir('turn-commit');
  const logs: string[] = [];
  const store = new Store({ ...storeLocationFor(dir.path), log: (l) => logs.push(l) });
  try {
    const heard: string[] = [];
    store.turn.join({
      name: 'failing scheduler',
      work: () => undefined,
      done: () => {
        heard.push('first');
        throw new Error('its after-effect failed');
      },
    });
    store.turn.join({
      name: 'a console request',
      work: () => undefined,
      done: (error) => heard.push(`second ${error}`),
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(heard, ['first', 'second null']);
    assert.ok(
      logs.some((l) => l.includes('failing scheduler failed: its after-effect failed')),
      logs.join('\n'),
    );
  } finally {
    store.close();
    disposeStoreOf(dir.path);
    dir.remove();
  }
});
