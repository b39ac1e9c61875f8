// The one SQLite layer (node/): pragmas per side, the migration runner, durable transactions and slow statements
// logged by name, over real SQLite files.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { CACHE_MIGRATIONS } from '../../electron/core/cache/migrations.js';
import { Outbox } from '../../electron/core/cache/outbox.js';
import { Db } from '../../node/db.js';
import { migrate, MigrationListError, type Migration } from '../../node/migrations.js';
import { durableTransaction, openSqlite } from '../../node/sqlite.js';
import { tempDir } from '../support/tempDir.js';

const dir = tempDir('node-sqlite');
after(() => dir.remove());
let files = 0;
const freshFile = () => path.join(dir.path, `db-${++files}.sqlite`);

const synchronous = (db: ReturnType<typeof openSqlite>) => db.pragma('synchronous', { simple: true }) as number;
const NORMAL = 1;
const FULL = 2;

const tables = (db: ReturnType<typeof openSqlite>) =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all();

test('opens in WAL with NORMAL by default (the console) and FULL when asked (the backend)', () => {
  const console = openSqlite(freshFile());
  const backend = openSqlite(freshFile(), { synchronous: 'FULL' });
  try {
    assert.equal(console.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(synchronous(console), NORMAL);
    assert.equal(synchronous(backend), FULL);
    assert.equal(backend.pragma('foreign_keys', { simple: true }), 1);
  } finally {
    console.close();
    backend.close();
  }
});

test('a durable transaction commits with FULL and goes back to NORMAL; on a FULL connection it stays FULL', () => {
  const normal = openSqlite(freshFile());
  const full = openSqlite(freshFile(), { synchronous: 'FULL' });
  try {
    let during = 0;
    durableTransaction(normal, () => {
      during = synchronous(normal);
    });
    assert.equal(during, FULL);
    assert.equal(synchronous(normal), NORMAL);
    durableTransaction(full, () => undefined);
    assert.equal(synchronous(full), FULL);
    assert.throws(
      () =>
        durableTransaction(normal, () => {
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.equal(synchronous(normal), NORMAL, 'back to NORMAL after a failed one too');
  } finally {
    normal.close();
    full.close();
  }
});

const m = (version: number, sql: string): Migration => ({ version, name: `m${version}`, sql });

test('migrations run once each, lowest version first, and one missed in between is still applied', () => {
  const file = freshFile();
  const db = openSqlite(file);
  const lines: string[] = [];
  assert.deepEqual(
    migrate(db, [m(2, 'CREATE TABLE b (x)'), m(1, 'CREATE TABLE a (x)')], (l) => lines.push(l)),
    [1, 2],
  );
  assert.match(lines[0], /^sqlite: applied migration 1 \(m1\) in [\d.]+ ms$/);
  assert.deepEqual(migrate(db, [m(1, 'CREATE TABLE a (x)'), m(2, 'CREATE TABLE b (x)')]), []);
  db.close();
  const reopened = openSqlite(file);
  try {
    // A list that gained 3 and 4, where 3 sorts in before an applied 4 on another machine: only what is missing runs.
    reopened.exec("INSERT INTO schema_migrations VALUES (4, 'm4', 'x'); CREATE TABLE d (x)");
    assert.deepEqual(
      migrate(reopened, [m(1, ''), m(2, ''), m(3, 'CREATE TABLE c (x)'), m(4, 'CREATE TABLE d (x)')]),
      [3],
    );
    assert.deepEqual(tables(reopened), ['a', 'b', 'c', 'd', 'schema_migrations']);
  } finally {
    reopened.close();
  }
});

test('a failing migration leaves nothing of itself, the ones before it stay, and it runs again next time', () => {
  const db = openSqlite(freshFile());
  try {
    assert.throws(
      () => migrate(db, [m(1, 'CREATE TABLE a (x)'), m(2, 'CREATE TABLE b (x); INSERT INTO nowhere VALUES (1)')]),
      /no such table: nowhere/,
    );
    assert.deepEqual(tables(db), ['a', 'schema_migrations']);
    assert.deepEqual(db.prepare('SELECT version FROM schema_migrations').pluck().all(), [1]);
    assert.deepEqual(migrate(db, [m(1, 'CREATE TABLE a (x)'), m(2, 'CREATE TABLE b (x)')]), [2]);
  } finally {
    db.close();
  }
});

test('a list with two migrations of one number, or a number that is no version, is refused before anything runs', () => {
  const db = openSqlite(freshFile());
  try {
    assert.throws(
      () => migrate(db, [m(1, 'CREATE TABLE a (x)'), m(1, 'CREATE TABLE b (x)')]),
      (error: unknown) => error instanceof MigrationListError && /two migrations are numbered 1/.test(error.message),
    );
    assert.throws(() => migrate(db, [m(0, 'CREATE TABLE a (x)')]), /whole number from 1, not 0/);
    assert.throws(() => migrate(db, [m(1.5, 'CREATE TABLE a (x)')]), MigrationListError);
    assert.deepEqual(tables(db), []);
  } finally {
    db.close();
  }
});

test("the console's cache logs a slow statement or transaction by its name, never with what it wrote", () => {
  const lines: string[] = [];
  const raw = openSqlite(freshFile());
  migrate(raw, CACHE_MIGRATIONS);
  const db = new Db(raw, { log: (l) => lines.push(l), slowMs: 0 });
  try {
    const outbox = new Outbox(db);
    outbox.enqueue(
      { status: 'Maintenance', reason: 'secret-reason-text', note: null, until: null },
      [{ pointId: 'P-1', serverVersion: 1 }],
      '2026-01-01T00:00:00.000Z',
    );
    assert.ok(
      lines.some((l) => /^slow query: outbox insert took [\d.]+ ms$/.test(l)),
      lines.join('\n'),
    );
    assert.ok(lines.some((l) => /^slow query: tx outbox enqueue took/.test(l)));
    assert.ok(!lines.some((l) => l.includes('secret-reason-text') || l.includes('P-1')));
  } finally {
    db.close();
  }
});

test('statements faster than the threshold are not logged', () => {
  const lines: string[] = [];
  const db = Db.open(freshFile(), { log: (l) => lines.push(l), slowMs: 60_000 });
  try {
    db.exec('CREATE TABLE t (x)');
    db.prepare('t insert', 'INSERT INTO t VALUES (?)').run(1);
    assert.deepEqual([...db.preparePluck<number>('t all', 'SELECT x FROM t').iterate()], [1]);
    assert.deepEqual(lines, []);
  } finally {
    db.close();
  }
});
