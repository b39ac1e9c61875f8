// Sign-out through the console core against a real backend: the token is revoked there, so a copy of it is refused;
// with the backend out of reach the console still forgets it, and the backend keeps it until it expires.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConsoleCore, type TokenStore } from '../../electron/core/consoleCore.js';
import { confSettings } from '../../electron/core/settings.js';
import { LOGOUT_PATH } from '../../common/protocol.js';
import { connectConsole, startTestBackend, type TestBackend } from '../support/backendHarness.js';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

/** A token store the test can read: what the console keeps on this computer. */
function keptToken(): TokenStore & { kept: string | null } {
  const store = {
    kept: null as string | null,
    load: () => store.kept,
    save: (t: string | null) => void (store.kept = t),
  };
  return store;
}

describe('console core: sign-out revokes the token', () => {
  let b: TestBackend;
  let line: TcpProxy;
  const dirs: { remove(): void }[] = [];
  before(async () => {
    b = await startTestBackend();
    line = await startTcpProxy(b.port);
  });
  after(async () => {
    await line.close();
    await b.dispose();
    for (const dir of dirs) dir.remove();
  });

  function openCore(backendUrl: string, tokens: TokenStore, logs: string[] = []): ConsoleCore {
    const dir = tempDir('sign-out');
    dirs.push(dir);
    const core = new ConsoleCore({
      dataDir: dir.path,
      backendUrl,
      autoSignIn: { username: 'operator', password: 'operator-pass-1' },
      settings: confSettings(dir.path),
      tokens,
      log: (l) => logs.push(l),
    });
    void core.start();
    return core;
  }

  it('after sign-out the old token is refused by the backend, and nothing of it is kept here', async () => {
    const tokens = keptToken();
    const core = openCore(b.url, tokens);
    try {
      await waitFor('live', () => core.connection().state === 'live');
      const token = tokens.kept;
      assert.ok(token);
      (await connectConsole(b.url, token)).close(); // the token works before

      const state = await core.signOut();
      assert.equal(state.state, 'signedOut');
      assert.equal(tokens.kept, null);
      await assert.rejects(connectConsole(b.url, token), /unauthenticated/);
      const again = await fetch(b.url + LOGOUT_PATH, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      assert.equal(again.status, 401, 'the session is over on the backend');
    } finally {
      await core.close();
    }
  });

  it('with the backend out of reach: signed out here at once, the token forgotten, the failure logged without it', async () => {
    const tokens = keptToken();
    const logs: string[] = [];
    const core = openCore(line.url, tokens, logs);
    try {
      await waitFor('live', () => core.connection().state === 'live');
      const token = tokens.kept;
      assert.ok(token);
      await line.cut();

      const state = await core.signOut();
      assert.equal(state.state, 'signedOut');
      assert.equal(tokens.kept, null, 'forgotten on this computer even though the backend was not told');
      assert.ok(
        logs.some((l) =>
          /^sign-out: cannot reach the backend at .*; the session ends on the backend when it expires$/.test(l),
        ),
        logs.join('\n'),
      );
      assert.ok(!logs.some((l) => l.includes(token)), 'the token is never logged');
      await assert.rejects(
        core.setStatus({
          pointIds: ['ST16-1'],
          edit: { status: 'Maintenance', reason: 'x', note: null, until: null },
        }),
        /read-only/,
      );

      // What docs/security.md says: the backend was not told, so the token stays valid there until it expires.
      await line.restore();
      (await connectConsole(b.url, token)).close();
    } finally {
      await core.close();
    }
  });
});
