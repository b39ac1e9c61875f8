// TLS: the backend serves https/wss for sign-in, consoles and OCPP with a certificate made here by `openssl`
// (skipped, and said so, where openssl is missing); a console core reaches it over TLS; and the core refuses an
// unencrypted backend off loopback unless told otherwise.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { RPCClient } from 'ocpp-rpc';
import { io as ioClient } from 'socket.io-client';
import { CONSOLE_SOCKET_PATH, LOGIN_PATH, loginReplySchema } from '../../common/protocol.js';
import { startTestBackend, stationPassword, type TestBackend } from '../support/backendHarness.js';
import { ConsoleCore } from '../../electron/core/consoleCore.js';
import { confSettings } from '../../electron/core/settings.js';
import { makeTestCertificate, NO_OPENSSL, type TestCertificate } from '../support/testCertificate.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const ROOT = new URL('../..', import.meta.url).pathname;

const skip = NO_OPENSSL;

function post(url: string, body: unknown, ca: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('security: TLS', { skip }, () => {
  let b: TestBackend;
  let tls: TestCertificate;
  before(async () => {
    tls = makeTestCertificate(tempDir('tls').path);
    b = await startTestBackend({ tls: { cert: tls.cert, key: tls.key } });
  });
  after(async () => {
    await b?.dispose();
  });

  it('serves https and wss URLs', () => {
    assert.match(b.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(b.ocppUrl, /^wss:\/\/127\.0\.0\.1:\d+\/ocpp$/);
  });

  it('signs in over https; refuses a client that does not trust the certificate; plain http gets nothing', async () => {
    const ok = await post(b.url + LOGIN_PATH, { username: 'operator', password: 'operator-pass-1' }, tls.cert);
    assert.equal(ok.status, 200);
    loginReplySchema.parse(ok.body);
    await assert.rejects(
      fetch(b.url + LOGIN_PATH, { method: 'POST', body: '{}' }),
      'an untrusted certificate is not accepted',
    );
    await assert.rejects(fetch(b.url.replace('https:', 'http:') + '/healthz'));
  });

  it('serves consoles over wss', async () => {
    const { body } = await post(b.url + LOGIN_PATH, { username: 'viewer', password: 'viewer-pass-1' }, tls.cert);
    const socket = ioClient(b.url, {
      path: CONSOLE_SOCKET_PATH,
      transports: ['websocket'],
      auth: { token: body.token },
      ca: tls.cert,
      reconnection: false,
      forceNew: true,
    });
    try {
      const hello = await new Promise<{ session: { username: string } }>((resolve, reject) => {
        socket.once('hello', resolve);
        socket.once('connect_error', reject);
      });
      assert.equal(hello.session.username, 'viewer');
    } finally {
      socket.close();
    }
  });

  it('serves stations over wss (OCPP strict mode)', async () => {
    const client = new RPCClient({
      endpoint: b.ocppUrl,
      identity: 'ST16',
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
      // OCPP security profile 2: TLS with the server's certificate, HTTP Basic with the station's password.
      password: stationPassword('ST16'),
      wsOpts: { ca: tls.cert },
    } as ConstructorParameters<typeof RPCClient>[0]);
    try {
      await client.connect();
      const reply = (await client.call('BootNotification', { chargePointVendor: 'T', chargePointModel: 'M' })) as {
        status: string;
      };
      assert.equal(reply.status, 'Accepted');
      await waitFor('the station online', () => b.store.points.get('ST16-1')?.stationConnected);
    } finally {
      await client.close({ force: true });
    }
  });

  it('a console core (own process, trusting the certificate) goes live over TLS', { timeout: 60_000 }, async () => {
    const dir = tempDir('tls-core').path;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/support/coreProcess.ts', dir, b.url, 'operator', 'operator-pass-1'],
      { cwd: ROOT, env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.certFile }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor('the core live over https', () => /"state":"live"/.test(out), 45_000, 100);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it('the command line takes --tls-cert and --tls-key and prints https URLs', { timeout: 60_000 }, async () => {
    const data = tempDir('tls-cli').path;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'backend/cli.ts',
        '--port',
        '0',
        '--data',
        data,
        '--tls-cert',
        tls.certFile,
        '--tls-key',
        tls.keyFile,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(
        'listening',
        () =>
          /listening on https:\/\/127\.0\.0\.1:\d+ \(consoles: socket\.io, stations: wss:\/\/127\.0\.0\.1:\d+\/ocpp/.test(
            out,
          ),
        45_000,
        100,
      );
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    const half = spawn(process.execPath, ['--import', 'tsx', 'backend/cli.ts', '--tls-cert', tls.certFile], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    half.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => half.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(err, /--tls-cert and --tls-key go together/);
  });
});

describe('security: the console refuses unencrypted backends off loopback', () => {
  function coreFor(backendUrl: string, allowInsecure?: boolean): ConsoleCore {
    const dir = tempDir('insecure').path;
    return new ConsoleCore({
      dataDir: dir,
      backendUrl,
      autoSignIn: { username: 'u', password: 'p' },
      allowInsecure,
      settings: confSettings(dir),
      log: () => undefined,
    });
  }

  it('http:// to another machine: refused with a clear error; sign-in refused too', async () => {
    const core = coreFor('http://192.0.2.10:7070');
    try {
      await core.start();
      const conn = core.connection();
      assert.equal(conn.state, 'offline');
      assert.match(conn.error ?? '', /Refusing an unencrypted connection to 192\.0\.2\.10:7070/);
      assert.match(conn.error ?? '', /--allow-insecure-backend/);
      await assert.rejects(core.signIn({ username: 'u', password: 'pppppppp' }), /Refusing an unencrypted connection/);
    } finally {
      await core.close();
    }
  });

  it('allowInsecure lets it try (it then fails only because nothing is there)', async () => {
    const core = coreFor('http://192.0.2.10:7070', true);
    try {
      void core.start(); // the address is checked before start's first await: a refusal would be set by now
      assert.doesNotMatch(core.connection().error ?? '', /Refusing/);
    } finally {
      await core.close();
    }
  });
});
