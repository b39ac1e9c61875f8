// Sign-in, the socket.io handshake and the hello message, against a real backend.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { helloSchema, loginReplySchema } from '../../common/protocol.js';
import {
  connectConsole,
  login,
  startTestBackend,
  tokenFor,
  TEST_USERS,
  type TestBackend,
} from '../support/backendHarness.js';

describe('backend: sign-in and handshake', () => {
  let b: TestBackend;
  before(async () => {
    b = await startTestBackend();
  });
  after(async () => {
    await b.dispose();
  });

  it('answers a token for good credentials', async () => {
    const r = await login(b.url, 'operator', 'operator-pass-1');
    assert.equal(r.status, 200);
    const reply = loginReplySchema.parse(r.body);
    assert.equal(reply.username, 'operator');
    assert.equal(reply.role, 'operator');
    assert.ok(Date.parse(reply.expiresAt) > Date.now());
  });

  it('gives the same 401 for a wrong password and an unknown user', async () => {
    const wrongPassword = await login(b.url, 'operator', 'nope-nope');
    const unknownUser = await login(b.url, 'nobody', 'operator-pass-1');
    assert.equal(wrongPassword.status, 401);
    assert.equal(unknownUser.status, 401);
    assert.deepEqual(wrongPassword.body, unknownUser.body);
    assert.equal(wrongPassword.body.error.message, 'invalid username or password');
  });

  it('rejects a malformed login body with a clear message', async () => {
    const res = await fetch(b.url + '/api/login', { method: 'POST', body: '{"username":""}' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'invalid');
    assert.match(body.error.message, /username/);
    assert.match(body.error.message, /password/);
  });

  it('never logs a password', async () => {
    await login(b.url, 'admin', 'admin-pass-1');
    for (const u of TEST_USERS)
      assert.ok(!b.logs.some((l) => l.includes(u.password)), `log mentions ${u.username}'s password`);
  });

  it('refuses a socket without a token or with a bad one', async () => {
    await assert.rejects(connectConsole(b.url, null), /unauthenticated/);
    await assert.rejects(connectConsole(b.url, 'x'.repeat(40)), /unauthenticated/);
  });

  it('sends hello with the network id, session and seq', async () => {
    const token = await tokenFor(b.url, 'viewer');
    const c = await connectConsole(b.url, token);
    try {
      const hello = helloSchema.parse(c.hello);
      assert.equal(hello.networkId, b.networkId);
      assert.equal(hello.session.username, 'viewer');
      assert.equal(hello.session.role, 'viewer');
      assert.equal(hello.seq, b.store.seq);
    } finally {
      c.close();
    }
  });

  it('ends the session on sign-out: the token no longer connects', async () => {
    const token = await tokenFor(b.url, 'viewer');
    const c = await connectConsole(b.url, token);
    const ended = new Promise((resolve) => c.socket.once('sessionEnded', resolve));
    const res = await fetch(b.url + '/api/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(await ended, { reason: 'signed out' });
    await assert.rejects(connectConsole(b.url, token), /unauthenticated/);
  });

  it('answers /healthz', async () => {
    const res = await fetch(b.url + '/healthz');
    assert.equal(res.status, 200);
    const body = (await res.json()) as { ok: boolean; networkId: string };
    assert.equal(body.ok, true);
    assert.equal(body.networkId, b.networkId);
  });
});
