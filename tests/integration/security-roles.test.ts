// Roles and sign-in, enforced by the backend whatever the client: hand-made socket.io events from a viewer and an
// operator, wrong passwords, sign-in slow-down, disabling a user with the real `user` command while the backend
// runs, per-connection rate limits, and a console core that drops to read-only and keeps its queued edits.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { LOGIN_PATH, type MutateReply } from '../../common/protocol.js';
import {
  connectConsole,
  consoleAs,
  login,
  setStatus,
  startTestBackend,
  tokenFor,
  type TestBackend,
} from '../support/backendHarness.js';
import { waitFor } from '../support/waitFor.js';
import { ConsoleApiError } from '../../common/consoleApi.js';
import { ConsoleCore } from '../../electron/core/consoleCore.js';
import { confSettings } from '../../electron/core/settings.js';
import { startTcpProxy } from '../support/tcpProxy.js';
import { storeArgsFor } from '../support/testStore.js';
import { tempDir } from '../support/tempDir.js';
import { hasCommand } from '../support/hasCommand.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Everything an edit could change: the points' operator state and versions, the audit log, the global seq. */
function stateOf(b: TestBackend) {
  const points = b.store.points.all().map((p) => ({ id: p.id, operator: p.operator, version: p.version }));
  const audit = b.store.db.prepare('test', 'SELECT COUNT(*) AS n FROM audit').get() as { n: number };
  return { seq: b.store.seq, points, audit: audit.n };
}

const edit = (pointId: string, version = 0) =>
  setStatus([{ pointId, baseVersion: version }], { status: 'Maintenance', reason: 'Inspection' });

function runCli(args: string[], stdin?: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'backend/cli.ts', ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end(stdin ?? '');
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('security: roles are enforced by the backend', () => {
  let b: TestBackend;
  before(async () => {
    b = await startTestBackend({
      sessionCheckMs: 200,
      loginLimits: { perUser: 3, perAddress: 1000, baseLockMs: 400, maxLockMs: 800 },
    });
  });
  after(async () => {
    await b.dispose();
  });

  it("refuses a viewer's edit sent by hand over the socket; nothing changes", async () => {
    const c = await consoleAs(b.url, 'viewer');
    try {
      const before = stateOf(b);
      const reply = await c.request<MutateReply>('mutate', { mutations: [edit('ST16-1')] });
      assert.ok(reply.ok, JSON.stringify(reply));
      const [outcome] = reply.data.outcomes;
      assert.equal(outcome.result, 'rejected');
      assert.match(outcome.reason ?? '', /forbidden/);
      assert.deepEqual(
        outcome.points.map((p) => p.result),
        ['notAllowed'],
      );
      assert.deepEqual(stateOf(b), before);
    } finally {
      c.close();
    }
  });

  it("refuses an operator's bulk edit, applies a supervisor's", async () => {
    const targets = [
      { pointId: 'ST16-1', baseVersion: 0 },
      { pointId: 'ST16-2', baseVersion: 0 },
    ];
    const op = await consoleAs(b.url, 'operator');
    try {
      const before = stateOf(b);
      const reply = await op.request<MutateReply>('mutate', {
        mutations: [setStatus(targets, { status: 'OutOfService', reason: 'Broken' })],
      });
      assert.ok(reply.ok);
      assert.equal(reply.data.outcomes[0].result, 'rejected');
      assert.match(reply.data.outcomes[0].reason ?? '', /forbidden/);
      assert.deepEqual(stateOf(b), before);
    } finally {
      op.close();
    }
    const sup = await consoleAs(b.url, 'supervisor');
    try {
      const reply = await sup.request<MutateReply>('mutate', {
        mutations: [setStatus(targets, { status: 'OutOfService', reason: 'Broken' })],
      });
      assert.ok(reply.ok);
      assert.equal(reply.data.outcomes[0].result, 'applied');
    } finally {
      sup.close();
    }
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const wrongPassword = await login(b.url, 'admin', 'not-the-password');
    const unknownUser = await login(b.url, 'nobody-at-all', 'admin-pass-1');
    assert.equal(wrongPassword.status, 401);
    assert.deepEqual(wrongPassword, unknownUser);
    assert.deepEqual(wrongPassword.body, {
      error: { code: 'unauthenticated', message: 'invalid username or password' },
    });
  });

  it('slows sign-in down after repeated failures, for right and wrong passwords alike, then lets the right one in', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await login(b.url, 'viewer', `guess-${i}`)).status, 401);
    const locked = await login(b.url, 'viewer', 'viewer-pass-1');
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, 'rateLimited');
    assert.deepEqual(
      await login(b.url, 'viewer', 'wrong-again'),
      locked,
      'a locked name answers the same whatever the password',
    );
    // Locked attempts are not counted, so asking again until the lock ends does not lengthen it.
    await waitFor(
      'the lock to end and the right password to be let in',
      async () => (await login(b.url, 'viewer', 'viewer-pass-1')).status === 200,
      5000,
      50,
    );
  });

  it('rate-limits a console that floods the socket: rateLimited replies, connection kept; sustained abuse disconnects', async () => {
    const limited = await startTestBackend({ consoleRateLimit: { burst: 20, perSec: 10, disconnectAfter: 200 } });
    try {
      const c = await consoleAs(limited.url, 'viewer');
      const replies = await Promise.all(
        Array.from({ length: 40 }, () => c.request('sync', { networkId: null, sinceSeq: null })),
      );
      const codes = replies.map((r) => (r.ok ? 'ok' : r.error.code));
      assert.ok(codes.filter((x) => x === 'ok').length >= 20, codes.join(','));
      assert.ok(codes.includes('rateLimited'), codes.join(','));
      const refused = replies.find((r) => !r.ok);
      assert.match(refused && !refused.ok ? refused.error.message : '', /too many requests/);
      assert.ok(c.socket.connected, 'a burst does not cost the connection');
      const again = await waitFor(
        'answers again once the bucket refills',
        async () => {
          const reply = await c.request('sync', { networkId: null, sinceSeq: null });
          return reply.ok ? reply : null;
        },
        5000,
        50,
      );
      assert.ok(again.ok);

      const gone = new Promise<string>((resolve) => c.socket.once('disconnect', (reason) => resolve(reason)));
      for (let i = 0; i < 400; i++) c.socket.emit('history', { pointId: 'ST16-1' });
      assert.equal(await gone, 'io server disconnect');
      assert.match(limited.logs.join('\n'), /too many requests; disconnecting/);
    } finally {
      await limited.dispose();
    }
  });
});

describe('security: user management with the backend command', () => {
  let b: TestBackend;
  before(async () => {
    b = await startTestBackend({ sessionCheckMs: 300 });
  });
  after(async () => {
    await b.dispose();
  });

  it('adds a user from stdin (never argv), lists users without secrets, refuses a password in argv', async () => {
    const argv = await runCli([
      'user',
      'add',
      'carol',
      '--role',
      'supervisor',
      ...storeArgsFor(b.dataDir),
      '--password',
      'carol-pass-1',
    ]);
    assert.equal(argv.code, 2);
    assert.match(argv.out, /never put a password on the command line/);

    const add = await runCli(
      ['user', 'add', 'carol', '--role', 'supervisor', ...storeArgsFor(b.dataDir), '--password-stdin'],
      'carol-pass-1\n',
    );
    assert.equal(add.code, 0, add.out);
    assert.doesNotMatch(add.out, /carol-pass-1/);
    const r = await login(b.url, 'carol', 'carol-pass-1');
    assert.equal(r.status, 200, 'the running backend sees the new user');
    assert.equal(r.body.role, 'supervisor');

    const short = await runCli(
      ['user', 'add', 'dave', '--role', 'viewer', ...storeArgsFor(b.dataDir), '--password-stdin'],
      'short\n',
    );
    assert.equal(short.code, 1);
    assert.match(short.out, /at least 8 characters/);

    const list = await runCli(['user', 'list', ...storeArgsFor(b.dataDir)]);
    assert.equal(list.code, 0, list.out);
    assert.match(list.out, /^carol\s+supervisor\s+active\s+1$/m);
    assert.match(list.out, /^viewer\s+viewer\s+active/m);
    assert.doesNotMatch(list.out, /pass|hash|salt/i);
  });

  it(
    'on a terminal, asks for the password twice without echoing it',
    { skip: hasCommand('script', '--version') ? false : 'no `script` command to give the CLI a terminal' },
    async () => {
      // `script` runs the command on a pseudo-terminal; we type only once each prompt is shown.
      const cmd = `${process.execPath} --import tsx backend/cli.ts user add tina --role viewer ${storeArgsFor(b.dataDir).join(' ')}`;
      const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let typed = 0;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const prompts = (out.match(/Password( again)?: /g) ?? []).length;
        if (prompts > typed) {
          typed++;
          child.stdin.write('tina-secret-9\r');
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 0, out);
      assert.match(out, /Password: [\s\S]*Password again: [\s\S]*added tina \(viewer\)/);
      assert.doesNotMatch(out, /tina-secret-9/, 'the password is not echoed');
      assert.equal((await login(b.url, 'tina', 'tina-secret-9')).status, 200);
    },
  );

  it('disabling a user drops their connected console within seconds, revokes their tokens and refuses their sign-in', async () => {
    const token = await tokenFor(b.url, 'operator');
    const c = await connectConsole(b.url, token);
    const ended = new Promise<unknown>((resolve) => c.socket.once('sessionEnded', resolve));
    const disconnected = new Promise<void>((resolve) => c.socket.once('disconnect', () => resolve()));
    const t0 = Date.now();
    const res = await runCli(['user', 'disable', 'operator', ...storeArgsFor(b.dataDir)]);
    assert.equal(res.code, 0, res.out);
    assert.deepEqual(await ended, { reason: 'account disabled' });
    await disconnected;
    assert.ok(Date.now() - t0 < 10_000, `dropped after ${Date.now() - t0} ms`);
    await assert.rejects(connectConsole(b.url, token), /unauthenticated/);
    const r = await login(b.url, 'operator', 'operator-pass-1');
    assert.equal(r.status, 401);
    assert.equal(r.body.error.message, 'invalid username or password');
    const list = await runCli(['user', 'list', ...storeArgsFor(b.dataDir)]);
    assert.match(list.out, /^operator\s+operator\s+disabled \S+\s+0$/m);

    assert.equal((await runCli(['user', 'enable', 'operator', ...storeArgsFor(b.dataDir)])).code, 0);
    assert.equal((await login(b.url, 'operator', 'operator-pass-1')).status, 200);
  });

  it('never logs a password', () => {
    assert.ok(!b.logs.some((l) => /pass-1/.test(l)), b.logs.filter((l) => /pass-1/.test(l)).join('\n'));
  });
});

describe('security: a console whose session ends drops to read-only and keeps its queued edits', () => {
  let b: TestBackend;
  before(async () => {
    b = await startTestBackend({ sessionCheckMs: 200 });
  });
  after(async () => {
    await b.dispose();
  });

  function openCore(backendUrl: string, username: string, password: string): ConsoleCore {
    const dir = tempDir('sec-console').path;
    const core = new ConsoleCore({
      dataDir: dir,
      backendUrl,
      autoSignIn: { username, password },
      settings: confSettings(dir),
      log: () => undefined,
    });
    void core.start();
    return core;
  }

  it('sessionEnded (user disabled while live): signed out, edits refused, banner text says read-only', async () => {
    const core = openCore(b.url, 'supervisor', 'supervisor-pass-1');
    try {
      await waitFor('live', () => core.connection().state === 'live', 15_000);
      b.store.users.disable('supervisor');
      const t0 = Date.now();
      await waitFor('signed out', () => core.connection().state === 'signedOut', 5000);
      assert.ok(Date.now() - t0 < 3000);
      const conn = core.connection();
      assert.equal(conn.session, null);
      assert.match(conn.error ?? '', /account disabled/);
      assert.match(conn.error ?? '', /read-only/);
      await assert.rejects(
        core.setStatus({
          pointIds: ['ST16-1'],
          edit: { status: 'Maintenance', reason: 'x', note: null, until: null },
        }),
        (e: unknown) => e instanceof ConsoleApiError && e.code === 'forbidden' && /read-only/.test(e.message),
      );
      assert.equal(core.listOutbox().items.length, 0);
    } finally {
      b.store.users.enable('supervisor');
      await core.close();
    }
  });

  it('an unauthenticated refusal on reconnect: read-only, queued edit kept, and sent after signing in again', async () => {
    const line = await startTcpProxy(b.port);
    const core = openCore(line.url, 'supervisor', 'supervisor-pass-1');
    try {
      await waitFor('live', () => core.connection().state === 'live', 15_000);
      await line.cut();
      await waitFor('offline', () => core.connection().state !== 'live', 10_000);
      const version = core.getNetwork().points.find((p) => p.id === 'ST201-1')!.operator.version;
      const { mutationId } = await core.setStatus({
        pointIds: ['ST201-1'],
        edit: { status: 'Maintenance', reason: 'Queued while away', note: null, until: null },
      });
      assert.equal(core.listOutbox().items.length, 1);
      b.store.users.disable('supervisor');
      await line.restore();
      await waitFor('signed out', () => core.connection().state === 'signedOut', 15_000);
      assert.match(core.connection().error ?? '', /refused|Sign in/i);
      assert.deepEqual(
        core.listOutbox().items.map((i) => [i.mutationId, i.state]),
        [[mutationId, 'queued']],
        'the edit is kept',
      );
      assert.equal(b.store.points.get('ST201-1')!.operator.version, version, 'and not applied');

      b.store.users.enable('supervisor');
      const state = await core.signIn({ username: 'supervisor', password: 'supervisor-pass-1' });
      assert.notEqual(state.state, 'signedOut');
      await waitFor(
        'the queued edit applied',
        () => b.store.points.get('ST201-1')!.operator.status === 'Maintenance',
        15_000,
      );
      await waitFor('outbox empty', () => core.listOutbox().items.length === 0, 10_000);
      assert.equal(b.store.points.get('ST201-1')!.operator.reason, 'Queued while away');
    } finally {
      await core.close();
      await line.close();
    }
  });

  it('a signed-out console is read-only until it signs in; signing out forgets the token', async () => {
    const core = openCore(b.url, 'operator', 'operator-pass-1');
    try {
      await waitFor('live', () => core.connection().state === 'live', 15_000);
      await core.signOut();
      assert.equal(core.connection().state, 'signedOut');
      await assert.rejects(
        core.setStatus({
          pointIds: ['ST16-2'],
          edit: { status: 'Available', reason: null, note: null, until: null },
        }),
        /read-only/,
      );
      await assert.rejects(
        core.signIn({ username: 'operator', password: 'wrong-password' }),
        /invalid username or password/,
      );
      await core.signIn({ username: 'operator', password: 'operator-pass-1' });
      await waitFor('live again', () => core.connection().state === 'live', 15_000);
      await core.setStatus({
        pointIds: ['ST16-2'],
        edit: { status: 'Available', reason: null, note: null, until: null },
      });
    } finally {
      await core.close();
    }
  });
});

describe('security: sign-in limits behind a trusted reverse proxy', () => {
  let b: TestBackend;
  before(async () => {
    b = await startTestBackend({
      trustedProxies: ['127.0.0.1'],
      loginLimits: { perUser: 1000, perAddress: 2, baseLockMs: 60_000, maxLockMs: 60_000 },
    });
  });
  after(async () => {
    await b.dispose();
  });

  const loginFrom = async (forwardedFor: string, password: string) => {
    const res = await fetch(b.url + LOGIN_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ username: 'operator', password }),
    });
    return res.status;
  };

  it('counts failures per forwarded client address, so one guesser does not lock everyone behind the proxy out', async () => {
    assert.equal(await loginFrom('198.51.100.7', 'guess-1'), 401);
    assert.equal(await loginFrom('198.51.100.7', 'guess-2'), 401);
    assert.equal(await loginFrom('198.51.100.7', 'operator-pass-1'), 429, 'the guessing address is locked');
    // A client claiming an address before the proxy's own entry does not escape: only the last entry counts.
    assert.equal(await loginFrom('203.0.113.1, 198.51.100.7', 'operator-pass-1'), 429);
    assert.equal(await loginFrom('198.51.100.8', 'operator-pass-1'), 200, 'another client signs in');
  });
});
