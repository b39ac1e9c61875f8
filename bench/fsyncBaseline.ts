// The disk's own cost of "saved means on disk" (issue 22): a bare insert of one small row committed with
// synchronous=FULL on a WAL database, opened the way the console opens its cache (node/sqlite.ts), in the same
// folder the console's profile lives in. The offline save is reported as a ratio to this, measured in the same run.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { durableTransaction, openSqlite } from '../node/sqlite.js';
import { tempDir } from '../tests/support/tempDir.js';

/** Mean ms of one fsync'd single-row commit, over `commits` commits. */
export function bareDurableInsertMs(commits = 500): number {
  const dir = tempDir('bench-fsync');
  const db = openSqlite(join(dir.path, 'bare.sqlite'));
  try {
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const row = JSON.stringify({ status: 'Maintenance', reason: 'Bench', note: null, until: null });
    const t0 = performance.now();
    for (let i = 0; i < commits; i++) durableTransaction(db, () => insert.run(row));
    return (performance.now() - t0) / commits;
  } finally {
    db.close();
    dir.remove();
  }
}
