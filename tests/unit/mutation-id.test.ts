// The mutation-id rule is defined once (common/model.ts mutationIdSchema) and used wherever an id comes in: the
// backend's mutations and the console API's undo, discard and conflict calls. The ids the core makes pass it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { consoleMethods } from '../../common/consoleApi.js';
import { mutationIdSchema, mutationSchema } from '../../common/model.js';
import { CACHE_MIGRATIONS } from '../../electron/core/cache/migrations.js';
import { Outbox } from '../../electron/core/cache/outbox.js';
import { Db } from '../../node/db.js';
import { migrate } from '../../node/migrations.js';
import { openSqlite } from '../../node/sqlite.js';
import { tempDir } from '../support/tempDir.js';

const BAD = ['', 'short-1', 'x; DROP TABLE outbox', 'with space-123', 'é-accented-1', 'x'.repeat(101)];

const takers: [where: string, takes: (id: string) => boolean][] = [
  [
    'a mutation sent to the backend',
    (id) =>
      mutationSchema.safeParse({
        id,
        kind: 'setStatus',
        targets: [{ pointId: 'P-1', baseVersion: 0 }],
        edit: { status: 'Available', reason: null, note: null, until: null },
        createdAt: '2026-01-01T00:00:00.000Z',
      }).success,
  ],
  ['undoBulk', (id) => consoleMethods.undoBulk.params.safeParse({ mutationId: id }).success],
  ['undoBulk (several)', (id) => consoleMethods.undoBulk.params.safeParse({ mutationIds: [id] }).success],
  ['discardQueued', (id) => consoleMethods.discardQueued.params.safeParse({ mutationId: id }).success],
  [
    'resolveConflict',
    (id) => consoleMethods.resolveConflict.params.safeParse({ mutationId: id, choice: 'keepMine' }).success,
  ],
];

test('the ids the console core makes pass the rule everywhere', () => {
  const dir = tempDir('mutation-id');
  const raw = openSqlite(path.join(dir.path, 'cache.sqlite'));
  migrate(raw, CACHE_MIGRATIONS);
  const db = new Db(raw, { log: () => undefined });
  try {
    const outbox = new Outbox(db);
    const ids = [1, 2, 3].map(() =>
      outbox.enqueue(
        { status: 'Maintenance', reason: 'x', note: null, until: null },
        [{ pointId: 'P-1', serverVersion: 0 }],
        '2026-01-01T00:00:00.000Z',
      ),
    );
    for (const id of ids) {
      assert.ok(mutationIdSchema.safeParse(id).success, id);
      for (const [where, takes] of takers) assert.ok(takes(id), `${where} takes ${id}`);
    }
  } finally {
    db.close();
    dir.remove();
  }
});

test('a bad id is refused the same way everywhere, with the rule in the message', () => {
  for (const id of BAD) {
    assert.equal(mutationIdSchema.safeParse(id).success, false, JSON.stringify(id));
    for (const [where, takes] of takers) assert.equal(takes(id), false, `${where} refuses ${JSON.stringify(id)}`);
  }
  assert.match(
    mutationIdSchema.safeParse('x; DROP TABLE outbox').error!.issues[0].message,
    /a mutation id: letters, digits, _ and - only/,
  );
});
