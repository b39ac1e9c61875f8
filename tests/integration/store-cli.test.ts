// `--store` on the backend's command lines: a bad value fails in one line without its password; a PostgreSQL URL
// starts the backend on that database and is shown without its password.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { freePort } from '../support/freePort.js';
import { createTestDatabase, dropTestDatabase, postgresUnreachable, TEST_PG_BASE } from '../support/testStore.js';
import { waitFor } from '../support/waitFor.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const TSX = `${ROOT}node_modules/.bin/tsx`;

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, ['backend/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('store: --store on the command line', () => {
  it('refuses a bad --store in one line, never showing its password', () => {
    for (const args of [
      ['--store', 'mysql://vb:hunter2@db/vb'],
      ['--store', 'sqlite:'],
      ['--store', 'postgres://vb:hunter2@db'],
      ['--store', 'sqlite:/tmp/x', '--data', '/tmp/y'],
      ['user', 'list', '--store', 'mysql://vb:hunter2@db/vb'],
    ]) {
      const r = cli(args);
      assert.notEqual(r.status, 0, args.join(' '));
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
      assert.match(lines[0], /--store|--data/);
      assert.ok(!r.stderr.includes('hunter2') && !r.stdout.includes('hunter2'));
    }
  });

  const unreachable = postgresUnreachable();
  it(
    'starts on a PostgreSQL database given by URL, shown without its password',
    { skip: unreachable ? `PostgreSQL unreachable: ${unreachable}` : false, timeout: 60_000 },
    async () => {
      const db = createTestDatabase();
      // trust authentication ignores the password: it is here to be hidden
      const url = TEST_PG_BASE.replace('://postgres@', '://postgres:hunter2@') + `/${db.name}`;
      const port = await freePort();
      const child = spawn(TSX, ['backend/cli.ts', '--port', String(port), '--store', url], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      try {
        await waitFor('listening', () => /store: PostgreSQL .*pid \d+/.test(out), 45_000, 100);
        assert.match(out, new RegExp(`store: PostgreSQL postgres://postgres:\\*\\*\\*@[^ ]+/${db.name}, pid`));
        assert.ok(!out.includes('hunter2'), out);
        const users = cli(['user', 'list', '--store', url]);
        assert.equal(users.status, 0, users.stderr);
        child.kill('SIGTERM');
        assert.equal(await exited, 0, out);
      } finally {
        child.kill('SIGKILL');
        dropTestDatabase(db.name);
      }
    },
  );
});
