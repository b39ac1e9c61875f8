// One console per data folder (node/dataDirLock.ts): a second is refused while the first runs, a lock left by a
// process that is gone is taken over. Real files and real processes.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { LOCK_FILE, lockDataDir } from '../../node/dataDirLock.js';
import { tempDir } from '../support/tempDir.js';

describe('the data folder lock', () => {
  const dirs: { remove(): void }[] = [];
  const folder = () => {
    const d = tempDir('data-lock');
    dirs.push(d);
    return d.path;
  };
  after(() => dirs.forEach((d) => d.remove()));

  test('a second console is refused while the first holds the folder, with the holder named; free again after release', () => {
    const dir = folder();
    const first = lockDataDir(dir);
    assert.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), String(process.pid));
    assert.throws(
      () => lockDataDir(dir),
      (e: Error) => e.message.includes(dir) && e.message.includes(`process ${process.pid}`),
    );
    first.release();
    assert.equal(existsSync(path.join(dir, LOCK_FILE)), false);
    lockDataDir(dir).release();
  });

  test('a lock held by another running process refuses this one', async () => {
    const dir = folder();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(path.join(dir, LOCK_FILE), `${other.pid}\n`);
      assert.throws(() => lockDataDir(dir), new RegExp(`process ${other.pid}`));
      assert.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), String(other.pid), 'its lock is kept');
    } finally {
      other.kill('SIGKILL');
    }
  });

  test('a lock left by a process that is gone, or written only in part, is taken over', () => {
    const dir = folder();
    const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    for (const left of [`${gone}\n`, '']) {
      writeFileSync(path.join(dir, LOCK_FILE), left);
      const lock = lockDataDir(dir);
      assert.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), String(process.pid));
      lock.release();
    }
  });

  test('release leaves a lock that another process took meanwhile', () => {
    const dir = folder();
    const lock = lockDataDir(dir);
    writeFileSync(path.join(dir, LOCK_FILE), '999999999\n');
    lock.release();
    assert.equal(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim(), '999999999');
  });
});
