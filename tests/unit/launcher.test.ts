// watchLauncher (node/launcher.ts): a failure to read /proc is not the launcher being gone (issue 15, item 7: under
// `npm run` the backend shut itself down when an attacker had used up its file descriptors).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { watchLauncher } from '../../node/launcher.js';
import { waitFor } from '../support/waitFor.js';

describe('launcher watch', () => {
  it('keeps running while /proc cannot be read, and stops once the launcher really changed', async () => {
    const answers: (number | null)[] = [4242, null, null, null, 4242, null];
    let calls = 0;
    let goneAt = -1;
    watchLauncher(() => (goneAt = calls), {
      env: { npm_lifecycle_event: 'backend' },
      everyMs: 5,
      parentOf: () => (calls < answers.length ? answers[calls++] : (calls++, 1)),
    });
    await waitFor('the launcher to be found gone', () => goneAt >= 0, 2000, 5);
    assert.equal(
      goneAt,
      answers.length + 1,
      'gone at the first read that names another launcher (here init), not before',
    );
  });

  it('a read that always fails never counts as gone', async () => {
    let gone = 0;
    let calls = 0;
    watchLauncher(() => gone++, {
      env: { npm_lifecycle_event: 'backend' },
      everyMs: 5,
      parentOf: () => (calls++ === 0 ? 4242 : null),
    });
    await waitFor('several failed reads', () => calls > 5, 2000, 5);
    assert.equal(gone, 0);
  });
});
