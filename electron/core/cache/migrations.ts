import type { Migration } from '../../../node/migrations.js';

/** The console cache's schema, in order. Never edit a shipped migration: add the next one. */
export const CACHE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'network cache and outbox',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE sites (id TEXT PRIMARY KEY, json TEXT NOT NULL);
      CREATE TABLE points (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, json TEXT NOT NULL);
      CREATE TABLE outbox (
        ord INTEGER PRIMARY KEY AUTOINCREMENT,
        mutation_id TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        edit_json TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'answered')),
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT
      );
      CREATE TABLE outbox_points (
        mutation_id TEXT NOT NULL REFERENCES outbox(mutation_id) ON DELETE CASCADE,
        point_id TEXT NOT NULL,
        base_version INTEGER NOT NULL,
        based_on_mutation TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending', 'conflict', 'failed')),
        theirs_json TEXT,
        error TEXT,
        PRIMARY KEY (mutation_id, point_id)
      );
      CREATE INDEX outbox_points_point ON outbox_points(point_id);
      CREATE INDEX outbox_points_based_on ON outbox_points(based_on_mutation);
    `,
  },
  {
    version: 2,
    name: 'bulk undo memory',
    sql: `
      -- Every status change this console queued (bulk or undo), to restore what was there before it.
      CREATE TABLE bulk_changes (
        mutation_id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        edit_json TEXT NOT NULL,
        undo_of TEXT,
        undone_by TEXT
      );
      CREATE TABLE bulk_points (
        mutation_id TEXT NOT NULL REFERENCES bulk_changes(mutation_id) ON DELETE CASCADE,
        point_id TEXT NOT NULL,
        previous_json TEXT NOT NULL,
        result TEXT,
        after_version INTEGER,
        PRIMARY KEY (mutation_id, point_id)
      );
    `,
  },
  {
    version: 3,
    name: 'maintenance window requests queued offline',
    sql: `
      -- Plans, changes and cancels of maintenance windows, sent in order when the backend is reachable. Each is
      -- answered once: planning names the window's id (the backend answers the window as it is for an id it has).
      CREATE TABLE window_ops (
        ord INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('plan', 'change', 'cancel')),
        window_id TEXT NOT NULL,
        request_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'failed')),
        error TEXT
      );
    `,
  },
  {
    version: 4,
    name: 'the overlap a refused window request met',
    sql: `
      -- When the backend refused a window request for overlapping another window: the structured detail (the other
      -- window's id, reason, times, the points they share), as JSON, so it and its link survive a restart.
      ALTER TABLE window_ops ADD COLUMN overlap_json TEXT;
    `,
  },
  {
    version: 5,
    name: 'answers to window requests that took effect at once',
    sql: `
      -- A request kept here while offline that the backend answered later and that took effect at once (its time had
      -- passed on the way): what it was and what the backend said, until the person dismisses it.
      CREATE TABLE window_notices (
        op_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('plan', 'change', 'cancel')),
        window_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        point_count INTEGER NOT NULL,
        first_point_id TEXT,
        starts_at TEXT NOT NULL,
        ends_at TEXT,
        message TEXT NOT NULL,
        queued_at TEXT NOT NULL,
        answered_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'outbox counts read from small indexes',
    sql: `
      -- The connection state counts what is unanswered and in conflict after every edit. With thousands of edits
      -- queued offline, counting them in the tables took longer than saving the edit.
      CREATE INDEX outbox_unanswered ON outbox(state) WHERE state != 'answered';
      CREATE INDEX outbox_points_conflict ON outbox_points(state) WHERE state = 'conflict';
    `,
  },
];
