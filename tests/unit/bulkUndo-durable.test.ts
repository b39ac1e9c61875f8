// A status change's outbox row and what undo remembers of it are saved in one durable transaction (real SQLite
// file): a process killed between the two leaves neither; undo still restores; only the newest changes are kept.
// The crash is real: this file re-runs itself as a child process (VB_BULK_CRASH) that SIGKILLs itself mid-save.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { StatusEdit } from '../../common/model.js';
import { BulkUndo, REMEMBERED_CHANGES, type PreviousState } from '../../electron/core/bulkUndo.js';
import { FORGET_BATCH } from '../../electron/core/cache/bulkChanges.js';
import { openConsoleCache } from '../../electron/core/cache/cacheRecovery.js';
import { Outbox } from '../../electron/core/cache/outbox.js';
import { tempDir } from '../support/tempDir.js';

const FILE = 'console-cache.sqlite';
const maintenance: StatusEdit = { status: 'Maintenance', reason: 'Cable swap', note: null, until: null };
const before = (ids: string[]) =>
  new Map<string, PreviousState>(
    ids.map((id) => [id, { status: 'Available', reason: null, note: null, until: null, version: 3 }]),
  );
const targets = (ids: string[]) => ids.map((pointId) => ({ pointId, serverVersion: 3 }));

function open(dir: string) {
  const { db } = openConsoleCache(path.join(dir, FILE));
  return { db, outbox: new Outbox(db), bulk: new BulkUndo(db) };
}

/** Undo's view of a console holding the points at version 3, queueing into `outbox`. */
function undoContext(outbox: Outbox, onEnqueue: () => void = () => undefined) {
  return {
    role: null,
    currentVersion: () => 3,
    enqueue: (edit: StatusEdit, t: { pointId: string; serverVersion: number }[]) => {
      const id = outbox.enqueue(edit, t, new Date().toISOString());
      onEnqueue();
      return id;
    },
    queued: () => undefined,
  };
}

const die = () => process.kill(process.pid, 'SIGKILL');

// ---- the child: one step, then killed (or exits) ----
const step = process.env.VB_BULK_CRASH;
if (step) {
  const { outbox, bulk } = open(process.env.VB_BULK_DIR!);
  const ids = ['p1', 'p2', 'p3'];
  if (step === 'kill-between-save-and-remember') {
    bulk.saveAndRemember(
      () => {
        const id = outbox.queue(maintenance, targets(ids), new Date().toISOString());
        die();
        return id;
      },
      maintenance,
      before(ids),
    );
  } else if (step === 'kill-after-save') {
    const id = await bulk.saveAndRemember(
      () => outbox.queue(maintenance, targets(ids), new Date().toISOString()),
      maintenance,
      before(ids),
    );
    process.stdout.write(id);
    die();
  } else if (step === 'kill-inside-undo') {
    const [change] = outbox.list();
    bulk.undo([change.mutationId], undoContext(outbox, die));
  }
  process.exit(3); // not reached: each step is killed
}

/** Runs `crashes` in child processes one after another (each killed), then `check` on the cache they left. */
function afterCrashes(crashes: string[], check: (cache: ReturnType<typeof open>, childOutput: string) => void) {
  const dir = tempDir('bulk-crash');
  try {
    const output = crashes.map((crash) => runChild(dir.path, crash)).join('');
    const cache = open(dir.path);
    try {
      check(cache, output);
    } finally {
      cache.db.close();
    }
  } finally {
    dir.remove();
  }
}

function runChild(dir: string, crash: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, VB_BULK_CRASH: crash, VB_BULK_DIR: dir },
    encoding: 'utf8',
  });
  assert.equal(r.signal, 'SIGKILL', `the child was killed (${crash}): status ${r.status}, ${r.stderr.slice(0, 500)}`);
  return r.stdout;
}

describe('bulk undo memory: saved with the change, durably', () => {
  if (step) return;

  it('a process killed between the outbox save and the undo memory leaves neither on disk', () => {
    afterCrashes(['kill-between-save-and-remember'], ({ outbox, bulk }) => {
      assert.deepEqual(outbox.list(), [], 'no queued change without its undo');
      assert.equal(outbox.counts().queued, 0);
      assert.equal(bulk.describe('anything'), null);
    });
  });

  it('killed after the save returned: both are on disk, and undo restores every point', () => {
    afterCrashes(['kill-after-save'], ({ outbox, bulk }, mutationId) => {
      assert.deepEqual(
        outbox.list().map((i) => i.mutationId),
        [mutationId],
      );
      const remembered = bulk.describe(mutationId)!;
      assert.deepEqual(remembered.edit, maintenance);
      assert.deepEqual(
        remembered.points.map((p) => [p.pointId, p.previous.status, p.result]),
        [
          ['p1', 'Available', null],
          ['p2', 'Available', null],
          ['p3', 'Available', null],
        ],
      );
      const undone = bulk.undo([mutationId], undoContext(outbox));
      assert.equal(undone.mutations.length, 1);
      assert.deepEqual(undone.mutations[0].pointIds, ['p1', 'p2', 'p3']);
      assert.equal(undone.mutations[0].edit.status, 'Available');
      assert.deepEqual(bulk.describe(mutationId)!.undoneBy, undone.mutationIds);
      // The undo is remembered too, so it can be undone.
      assert.equal(bulk.describe(undone.mutationIds[0])!.points.length, 3);
      assert.equal(outbox.counts().queued, 2);
    });
  });

  it('a process killed inside an undo leaves the change as it was: not undone, nothing of the undo queued', () => {
    afterCrashes(['kill-after-save', 'kill-inside-undo'], ({ outbox, bulk }, mutationId) => {
      assert.deepEqual(
        outbox.list().map((i) => i.mutationId),
        [mutationId],
      );
      assert.equal(bulk.describe(mutationId)!.undoneBy, null);
      assert.equal(bulk.undo([mutationId], undoContext(outbox)).mutations.length, 1, 'and can be undone now');
    });
  });

  it(`keeps the newest ${REMEMBERED_CHANGES} changes and their points, forgetting older ones ${FORGET_BATCH} at a time`, async () => {
    const dir = tempDir('bulk-prune');
    const { db, outbox, bulk } = open(dir.path);
    try {
      const ids: string[] = [];
      const saved = REMEMBERED_CHANGES + 2 * FORGET_BATCH + 20;
      for (let i = 0; i < saved; i++) {
        const points = [`p${i}`, `q${i}`];
        ids.push(
          await bulk.saveAndRemember(
            () => outbox.queue(maintenance, targets(points), new Date().toISOString()),
            maintenance,
            before(points),
          ),
        );
      }
      // At most FORGET_BATCH - 1 more than REMEMBERED_CHANGES are kept: the last forgetting was at most that long ago.
      const forgotten = saved - REMEMBERED_CHANGES - FORGET_BATCH + 1;
      for (const id of ids.slice(0, forgotten)) assert.equal(bulk.describe(id), null, `${id} forgotten`);
      for (const id of ids.slice(-REMEMBERED_CHANGES)) assert.equal(bulk.describe(id)?.points.length, 2, `${id} kept`);
      const count = (table: string) => db.raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
      assert.ok(count('bulk_changes') < REMEMBERED_CHANGES + FORGET_BATCH, `${count('bulk_changes')} kept`);
      assert.equal(count('bulk_points'), 2 * count('bulk_changes'), 'the points of forgotten changes go with them');
    } finally {
      db.close();
      dir.remove();
    }
  });
});
