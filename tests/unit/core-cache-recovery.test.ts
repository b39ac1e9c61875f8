// A damaged console cache (issue 15, item 10): real SQLite files, damaged on purpose (emptied, cut short, filled
// with garbage, overwritten in the middle), opened the way the core opens them. The damaged file is moved aside,
// never deleted; the queued edits that can be read come back in a fresh cache; what cannot is reported.
import assert from 'node:assert/strict';
import {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { StatusEdit } from '../../common/model.js';
import { openConsoleCache } from '../../electron/core/cache/cacheRecovery.js';
import { NetworkCache } from '../../electron/core/cache/networkCache.js';
import { Outbox } from '../../electron/core/cache/outbox.js';
import { CACHE_FILE, ConsoleCore } from '../../electron/core/consoleCore.js';
import { settingsFrom } from '../../electron/core/settings.js';
import { Db } from '../../node/db.js';
import { migrate } from '../../node/migrations.js';
import { openSqlite, WAL_CHECKPOINT_PAGES_UNDER_LOAD } from '../../node/sqlite.js';
import { CACHE_MIGRATIONS } from '../../electron/core/cache/migrations.js';
import { tempDir } from '../support/tempDir.js';

const edit = (n: number): StatusEdit => ({ status: 'Maintenance', reason: `Cable ${n}`, note: null, until: null });

function somePoints(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `ST-${i}-1`,
    siteId: `site-${i % 7}`,
    stationId: `ST-${i}`,
    label: `Bay ${i}`,
    seq: i + 1,
    operator: { status: 'Available', version: 1, reason: null, note: null, until: null, by: null, at: null },
    padding: 'x'.repeat(400),
  }));
}

interface Prepared {
  dir: string;
  file: string;
  ids: string[];
}

/**
 * A cache as a console leaves it: a network of points, and `edits` queued durably. With `crash`, the files are
 * copied while the database is open, as a power cut leaves them: the edits then live only in the -wal file.
 * With `editsFirst`, the edits are queued before the network is stored (their pages lie early in the file).
 */
function prepareCache(options: { edits: number; points?: number; crash?: boolean; editsFirst?: boolean }): Prepared {
  const dir = tempDir('cache-damage').path;
  const file = path.join(dir, CACHE_FILE);
  const work = path.join(dir, 'work.sqlite');
  let db = openConsoleCache(work).db;
  const storeNetwork = () =>
    new NetworkCache(db).replaceAll(
      'net',
      10,
      [],
      somePoints(options.points ?? 300) as never,
      new Date().toISOString(),
    );
  const queue = () => {
    const outbox = new Outbox(db);
    return Array.from({ length: options.edits }, (_, i) =>
      outbox.enqueue(edit(i), [{ pointId: `ST-${i}-1`, serverVersion: 1 }], new Date().toISOString()),
    );
  };
  let ids: string[] = [];
  if (options.editsFirst) ids = queue();
  storeNetwork();
  db.close(); // a clean stop: everything checkpointed into the file
  db = openConsoleCache(work).db;
  if (!options.editsFirst) ids = queue();
  if (options.crash) {
    copyFileSync(work, file);
    copyFileSync(work + '-wal', file + '-wal');
    db.close();
    assert.ok(statSync(file + '-wal').size > 0, 'the crash left the edits in the write-ahead log');
  } else {
    db.close();
    copyFileSync(work, file);
  }
  return { dir, file, ids };
}

function queuedIds(db: ReturnType<typeof openConsoleCache>['db']): string[] {
  return new Outbox(db).list().map((item) => item.mutationId);
}

function movedAside(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.includes('.damaged-'))
    .sort();
}

describe('a damaged console cache', () => {
  test('a sound cache opens as it is, with no recovery', () => {
    const { file, ids } = prepareCache({ edits: 3 });
    const opened = openConsoleCache(file);
    assert.equal(opened.recovery, null);
    assert.deepEqual(queuedIds(opened.db), ids);
    // Written all day by the live load: its log is copied into the file less often (node/sqlite.ts).
    assert.equal(opened.db.raw.pragma('wal_autocheckpoint', { simple: true }), WAL_CHECKPOINT_PAGES_UNDER_LOAD);
    opened.db.close();
  });

  test('an emptied file (zero bytes) no longer loses the edits in its write-ahead log', () => {
    const { dir, file, ids } = prepareCache({ edits: 5, crash: true });
    truncateSync(file, 0);
    // How the edits were lost: SQLite deletes the log of an empty database file when it opens it.
    const probeDir = tempDir('cache-probe').path;
    const probe = path.join(probeDir, 'probe.sqlite');
    copyFileSync(file, probe);
    copyFileSync(file + '-wal', probe + '-wal');
    const plain = openSqlite(probe);
    migrate(plain, CACHE_MIGRATIONS);
    assert.equal(
      queuedIds(new Db(plain, { log: () => undefined })).length,
      0,
      'opened plainly, the queued edits are gone',
    );
    plain.close();
    assert.equal(existsSync(probe + '-wal'), false, '…and so is the log that held them');

    const opened = openConsoleCache(file);
    assert.ok(opened.recovery, 'the damage is reported');
    assert.match(opened.recovery.problem, /empty/);
    assert.equal(opened.recovery.recovered, 5);
    assert.deepEqual(opened.recovery.lost, []);
    assert.deepEqual(queuedIds(opened.db), ids, 'every queued edit is back, with its own id, in order');
    const outbox = new Outbox(opened.db);
    assert.deepEqual(outbox.nextBatch(10)[0].edit, edit(0));
    assert.deepEqual(outbox.nextBatch(10)[0].targets, [{ pointId: 'ST-0-1', baseVersion: 1 }]);
    // New ids do not repeat old ones (the backend would answer them as duplicates).
    const next = outbox.enqueue(edit(99), [{ pointId: 'ST-9-1', serverVersion: 1 }], new Date().toISOString());
    assert.ok(!ids.includes(next));
    assert.equal(next.split('-')[0], ids[0].split('-')[0]);
    assert.ok(Number(next.split('-')[1]) > Math.max(...ids.map((id) => Number(id.split('-')[1]))));
    // Moved aside, never deleted: the empty file and its log, and a report beside them.
    const aside = movedAside(dir);
    assert.equal(aside.length, 3, aside.join(', '));
    assert.equal(statSync(opened.recovery.movedTo).size, 0);
    assert.ok(statSync(opened.recovery.movedTo + '-wal').size > 0);
    assert.equal(JSON.parse(readFileSync(opened.recovery.movedTo + '.report.json', 'utf8')).recovered, 5);
    opened.db.close();
  });

  test('a file cut short is detected; the edits before the cut come back, and the loss is reported, not silent', () => {
    const early = prepareCache({ edits: 4, points: 600, editsFirst: true });
    truncateSync(early.file, Math.floor(statSync(early.file).size / 2));
    const first = openConsoleCache(early.file);
    assert.ok(first.recovery);
    assert.equal(first.recovery.recovered, 4);
    assert.deepEqual(queuedIds(first.db), early.ids);
    first.db.close();

    // Many edits stored after the network: their pages lie past the cut. They do not come back, and the person is
    // told that part of the outbox could not be read.
    const late = prepareCache({ edits: 200, points: 600 });
    const cutTo = Math.floor(statSync(late.file).size / 2);
    truncateSync(late.file, cutTo);
    const second = openConsoleCache(late.file);
    assert.ok(second.recovery);
    assert.ok(second.recovery.recovered < 200, String(second.recovery.recovered));
    assert.match(second.recovery.unreadable ?? '', /Part of the outbox/);
    assert.equal(statSync(second.recovery.movedTo).size, cutTo, 'the damaged file is kept as it was');
    second.db.close();
  });

  test('a file of garbage is detected and moved aside; the fresh cache works and says nothing could be read', () => {
    const { dir, file } = prepareCache({ edits: 2 });
    const size = statSync(file).size;
    writeFileSync(file, Buffer.from(Array.from({ length: size }, (_, i) => (i * 7919 + 13) & 0xff)));
    const opened = openConsoleCache(file);
    assert.ok(opened.recovery);
    assert.match(opened.recovery.problem, /not an SQLite database/);
    assert.equal(opened.recovery.recovered, 0);
    assert.match(opened.recovery.unreadable ?? '', /could be read/);
    assert.equal(statSync(opened.recovery.movedTo).size, size, 'the garbage is kept as it was');
    assert.equal(movedAside(dir).length, 2); // the file and its report
    new Outbox(opened.db).enqueue(edit(1), [{ pointId: 'ST-1-1', serverVersion: 1 }], new Date().toISOString());
    opened.db.close();
  });

  test('a file of garbage, or no file, beside its write-ahead log: the edits in the log come back', () => {
    const { file, ids } = prepareCache({ edits: 4, crash: true });
    writeFileSync(file, Buffer.alloc(statSync(file).size, 0x41));
    const opened = openConsoleCache(file);
    assert.ok(opened.recovery);
    assert.match(opened.recovery.problem, /not an SQLite database/);
    assert.equal(opened.recovery.recovered, 4);
    assert.deepEqual(queuedIds(opened.db), ids);
    opened.db.close();

    // The database file removed, its log left: SQLite would make a new database and delete the log.
    const removed = prepareCache({ edits: 2, crash: true });
    rmSync(removed.file);
    const reopened = openConsoleCache(removed.file);
    assert.match(reopened.recovery?.problem ?? '', /missing/);
    assert.deepEqual(queuedIds(reopened.db), removed.ids);
    reopened.db.close();
  });

  test('bytes overwritten in the middle: quick_check finds it, the console does not run on the malformed file', () => {
    const { file, ids } = prepareCache({ edits: 6, points: 600, editsFirst: true });
    const fd = openSync(file, 'r+');
    const size = statSync(file).size;
    writeSync(fd, Buffer.alloc(4096 * 3, 0xa5), 0, 4096 * 3, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const opened = openConsoleCache(file);
    assert.ok(opened.recovery);
    assert.match(opened.recovery.problem, /quick_check|malformed|not readable JSON/);
    assert.equal(opened.recovery.recovered, 6);
    assert.deepEqual(queuedIds(opened.db), ids);
    opened.db.close();
  });

  test("bytes overwritten on the page of the edits' points: those edits are reported lost, with what they were", () => {
    const { file, ids } = prepareCache({ edits: 6, points: 50, editsFirst: true });
    const db = openSqlite(file);
    const pages = db
      .prepare("SELECT pageno FROM dbstat WHERE name = 'outbox_points' AND pagetype = 'leaf'")
      .pluck()
      .all() as number[];
    const root = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'outbox_points'").pluck().get() as number;
    db.close();
    const target = pages[0] ?? root;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, (target - 1) * 4096);
    closeSync(fd);
    const opened = openConsoleCache(file);
    assert.ok(opened.recovery);
    const lostIds = opened.recovery.lost.map((l) => l.mutationId);
    assert.equal(opened.recovery.recovered + lostIds.length, ids.length, 'every edit is either back or reported');
    assert.ok(lostIds.length > 0);
    for (const lost of opened.recovery.lost) {
      assert.equal(lost.edit?.status, 'Maintenance', 'the person is told what the lost edit was');
      assert.match(lost.why, /points/);
    }
    opened.db.close();
  });

  test('a point whose stored JSON was damaged in place is detected (the file is otherwise sound)', () => {
    const { file, ids } = prepareCache({ edits: 2 });
    const db = openSqlite(file);
    db.prepare("UPDATE points SET json = substr(json, 1, 40) WHERE id = 'ST-5-1'").run();
    db.close();
    const opened = openConsoleCache(file);
    assert.ok(opened.recovery);
    assert.match(opened.recovery.problem, /not readable JSON/);
    assert.deepEqual(queuedIds(opened.db), ids);
    opened.db.close();
  });

  test('the console core starts on a damaged cache and hands the recovery to the renderer until dismissed', async () => {
    const { dir, file, ids } = prepareCache({ edits: 3, crash: true });
    truncateSync(file, 0);
    const store = new Map<string, unknown>();
    const core = new ConsoleCore({
      dataDir: dir,
      backendUrl: null,
      settings: settingsFrom({ get: (k) => store.get(k), set: (k, v) => void store.set(k, v) }),
    });
    try {
      const recovery = core.getCacheRecovery();
      assert.ok(recovery);
      assert.equal(recovery.recovered, 3);
      assert.deepEqual(
        core.listOutbox().items.map((i) => i.mutationId),
        ids,
      );
      assert.equal(core.connection().queued, 3);
      assert.deepEqual(core.dismissCacheRecovery(), { dismissed: true });
      assert.equal(core.getCacheRecovery(), null);
    } finally {
      await core.close();
    }
  });
});
