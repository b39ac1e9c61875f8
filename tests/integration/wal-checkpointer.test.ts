// WAL checkpoints run on a worker thread with its own connection to the same real SQLite file: the main
// connection's commits no longer copy the log back (the main thread stalled 30-40 ms each time under live load).
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openSqlite } from '../../node/sqlite.js';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startWalCheckpointer } from '../../node/walCheckpointer.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

function fill(db: ReturnType<typeof openSqlite>, rows: number) {
  db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  // Many small commits, as live batches are: about 600 pages of log.
  for (let i = 0; i < rows; i += 10) db.transaction(() => { for (let j = 0; j < 10; j++) insert.run('x'.repeat(200)); })();
}

describe('WAL checkpointer', () => {
  it('copies the log into the database file from its worker while the main connection only writes', async () => {
    const dir = tempDir('wal');
    const file = path.join(dir.path, 'cache.sqlite');
    const db = openSqlite(file);
    const checkpointer = startWalCheckpointer(db, file, { intervalMs: 50 });
    try {
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), FALLBACK_AUTOCHECKPOINT_PAGES);
      const before = statSync(file).size;
      fill(db, 10_000);
      assert.ok(statSync(`${file}-wal`).size > 1_000_000, 'the log holds the writes');
      await waitFor('the worker to checkpoint', () => (statSync(file).size > before + 1_000_000 ? true : null), 10_000, 20);
      await waitFor('the worker to report it', () => (checkpointer.count() > 0 ? true : null), 5_000, 10);
      assert.equal((db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n, 10_000, 'nothing lost');
    } finally {
      await checkpointer.stop();
      db.close();
      dir.remove();
    }
  });

  it('without the worker, the same writes stay in the log (so the test above measures the worker)', () => {
    const dir = tempDir('wal-control');
    const file = path.join(dir.path, 'cache.sqlite');
    const db = openSqlite(file);
    try {
      db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
      const before = statSync(file).size;
      fill(db, 10_000);
      assert.ok(statSync(file).size < before + 1_000_000, 'the database file did not take the writes yet');
    } finally {
      db.close();
      dir.remove();
    }
  });

  it('stops cleanly (twice is harmless), and a requested stop is not reported as a failure', async () => {
    const dir = tempDir('wal-stop');
    const file = path.join(dir.path, 'cache.sqlite');
    const db = openSqlite(file);
    const lines: string[] = [];
    const checkpointer = startWalCheckpointer(db, file, { intervalMs: 20, log: (l) => lines.push(l) });
    await checkpointer.stop();
    await checkpointer.stop();
    fill(db, 100);
    db.close();
    dir.remove();
    assert.deepEqual(lines, [], 'a requested stop is not a failure');
  });
});
