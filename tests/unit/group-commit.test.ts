// Group commit (node/db.ts groupDurableTx): commits made in one turn are seen at once and share one sync of the
// write-ahead log; whoever awaits one is answered only after that sync. Over real SQLite files. A power loss cannot be
// made here: the sync itself is fdatasync on the log, which SQLite's own NORMAL checkpoints rely on.
import assert from 'node:assert/strict';
import { existsSync, fstatSync, statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { CACHE_MIGRATIONS } from '../../electron/core/cache/migrations.js';
import { Outbox } from '../../electron/core/cache/outbox.js';
import { Db } from '../../node/db.js';
import { migrate } from '../../node/migrations.js';
import { openSqlite } from '../../node/sqlite.js';
import { WriteAheadLogSync } from '../../node/walSync.js';
import { tempDir } from '../support/tempDir.js';

const dir = tempDir('group-commit');
after(() => dir.remove());
let files = 0;

function openTable() {
  const file = path.join(dir.path, `db-${++files}.sqlite`);
  const logs: string[] = [];
  const db = Db.open(file, { log: (line) => logs.push(line) });
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const insert = db.prepare('insert', 'INSERT INTO t (v) VALUES (?)');
  const count = () => db.raw.prepare('SELECT count(*) FROM t').pluck().get() as number;
  return { db, file, insert, count, logs };
}

test('the commits of one turn are seen at once and share one sync; each awaiter is answered after it', async () => {
  const { db, insert, count } = openTable();
  try {
    const before = db.groupSyncs;
    const saves = Array.from({ length: 50 }, (_, i) => db.groupDurableTx('save', () => insert.run(`v${i}`)));
    assert.equal(count(), 50, 'committed before any sync');
    assert.equal(db.groupSyncs, before, 'no sync yet: it runs after this turn');
    const results = await Promise.all(saves);
    assert.equal(db.groupSyncs, before + 1, 'one sync for the fifty');
    assert.deepEqual(
      results.map((r) => Number(r.lastInsertRowid)),
      Array.from({ length: 50 }, (_, i) => i + 1),
      'each answered with its own result',
    );
    for (let i = 0; i < 3; i++) await db.groupDurableTx('save', () => insert.run('alone'));
    assert.equal(db.groupSyncs, before + 4, 'one each when awaited one at a time');
    assert.ok(existsSync(`${db.raw.name}-wal`), 'the log it synced');
  } finally {
    db.close();
  }
});

test('a commit made while a sync runs waits for the next one, not the one already started', async () => {
  const { db, insert } = openTable();
  try {
    const first = db.groupDurableTx('first', () => insert.run('a'));
    await new Promise((resolve) => setImmediate(resolve)); // the first sync has started
    const second = db.groupDurableTx('second', () => insert.run('b'));
    await first;
    await second;
    assert.equal(db.groupSyncs, 2, 'two syncs: the second commit came after the first sync began');
  } finally {
    db.close();
  }
});

test('a transaction that throws rejects, leaves nothing behind and needs no sync', async () => {
  const { db, insert, count } = openTable();
  try {
    await assert.rejects(
      db.groupDurableTx('bad', () => {
        insert.run('half');
        throw new Error('refused midway');
      }),
      /refused midway/,
    );
    assert.equal(count(), 0);
    assert.equal(db.groupSyncs, 0);
  } finally {
    db.close();
  }
});

test('closing the database before the sync still answers: closing checkpointed and synced the log', async () => {
  const { db, file, insert } = openTable();
  const saved = db.groupDurableTx('save', () => insert.run('before close'));
  db.close();
  await saved;
  assert.equal(existsSync(`${file}-wal`), false, 'closing removed the log');
  const again = Db.open(file, { log: () => undefined });
  try {
    assert.equal(again.raw.prepare('SELECT v FROM t').pluck().get(), 'before close');
  } finally {
    again.close();
  }
});

test('a sync that fails (the log is not there while the database is open) rejects with the reason', async () => {
  const { db, file, insert } = openTable();
  try {
    db.raw.pragma('journal_mode = DELETE'); // no write-ahead log any more, the database still open
    await assert.rejects(
      db.groupDurableTx('save', () => insert.run('x')),
      (error: NodeJS.ErrnoException) => error.code === 'ENOENT' && error.message.includes(`${path.basename(file)}-wal`),
    );
  } finally {
    db.close();
  }
});

test('an edit is not sent before its commit is on disk, nor anything queued after it', () => {
  const raw = openSqlite(path.join(dir.path, `db-${++files}.sqlite`));
  migrate(raw, CACHE_MIGRATIONS);
  const db = new Db(raw, { log: () => undefined });
  try {
    const outbox = new Outbox(db);
    const edit = { status: 'Maintenance' as const, reason: 'Fan', note: null, until: null };
    const first = outbox.queue(edit, [{ pointId: 'p1', serverVersion: 1 }], new Date().toISOString());
    const second = outbox.queue(edit, [{ pointId: 'p2', serverVersion: 1 }], new Date().toISOString());
    assert.deepEqual(outbox.nextBatch(10), [], 'neither is on disk');
    outbox.onDisk(second);
    assert.deepEqual(outbox.nextBatch(10), [], 'the second waits for the first: the order is kept');
    outbox.onDisk(first);
    assert.deepEqual(
      outbox.nextBatch(10).map((m) => m.mutationId),
      [first, second],
    );
    const durable = outbox.enqueue(edit, [{ pointId: 'p3', serverVersion: 1 }], new Date().toISOString());
    assert.ok(
      outbox.nextBatch(10).some((m) => m.mutationId === durable),
      'enqueue is on disk when it returns',
    );
  } finally {
    db.close();
  }
});

test('a log that cannot be opened is tried again at the next sync', async () => {
  const { db, file, insert } = openTable();
  try {
    const sync = new WriteAheadLogSync(path.join(dir.path, 'no-such-database.sqlite'));
    await assert.rejects(sync.sync(), (error: NodeJS.ErrnoException) => error.code === 'ENOENT');
    await assert.rejects(sync.sync(), (error: NodeJS.ErrnoException) => error.code === 'ENOENT', 'tried again');
    insert.run('x');
    const real = new WriteAheadLogSync(file);
    await real.sync();
    sync.close();
    real.close();
  } finally {
    db.close();
  }
});

/** The log a WriteAheadLogSync holds open between syncs (private: read here to see which file it syncs). */
const heldLog = (sync: WriteAheadLogSync) => (sync as unknown as { log: Promise<FileHandle> | null }).log;

test('a log removed and made again (the database left write-ahead logging and came back) is synced in its new file', async () => {
  const { db, file, insert } = openTable();
  const sync = new WriteAheadLogSync(file);
  try {
    insert.run('a');
    await sync.sync();
    const first = await heldLog(sync)!;
    db.raw.pragma('journal_mode = DELETE');
    db.raw.pragma('journal_mode = WAL');
    insert.run('b');
    assert.equal(fstatSync(first.fd).nlink, 0, 'the log held is no longer in the folder');
    await sync.sync();
    const now = await heldLog(sync)!;
    assert.equal(fstatSync(now.fd).ino, statSync(`${file}-wal`).ino, 'the new log is the one held and synced');
  } finally {
    sync.close();
    db.close();
  }
});

test('a sync that failed fails every later one: what it should have written may never reach the disk', async () => {
  const { db, file, insert } = openTable();
  const sync = new WriteAheadLogSync(file);
  try {
    insert.run('a');
    await sync.sync();
    // A failing disk cannot be made here: the log's handle is closed under the sync, so its fdatasync fails.
    await (await heldLog(sync)!).close();
    await assert.rejects(sync.sync(), /could not be put on disk/);
    // Later syncs fail too, even where the log could be opened and synced again (Linux may report a later sync of
    // the same pages as a success after dropping them).
    (sync as unknown as { log: Promise<FileHandle> | null }).log = null;
    insert.run('b');
    await assert.rejects(sync.sync(), /could not be put on disk/);
  } finally {
    sync.close();
    db.close();
  }
});
