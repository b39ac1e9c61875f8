// The backend store's numbered schema migrations; node/migrations.ts (SQLite) and store/pg/pgMigrate.ts (PostgreSQL)
// run them on every start, each in its own transaction. Never edit a shipped migration: add the next one. Where the
// engines' DDL differs (STRICT, AUTOINCREMENT, triggers), an entry has one form for each: on PostgreSQL every
// INTEGER column is a BIGINT (SQLite's integers are 64-bit) and an AUTOINCREMENT key an identity column.
import type { Migration } from '../../node/migrations.js';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: {
      sqlite: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

      CREATE TABLE sites (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        city TEXT NOT NULL,
        address TEXT NOT NULL,
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sites_seq ON sites(seq);

      CREATE TABLE stations (
        id TEXT PRIMARY KEY,
        site_id TEXT NOT NULL REFERENCES sites(id),
        protocol TEXT NOT NULL,
        vendor TEXT,
        model TEXT,
        connected INTEGER NOT NULL DEFAULT 0,
        last_seen TEXT,
        booted_at TEXT,
        -- what the station reported for itself as a whole (OCPP 1.6 connector 0 / 2.0.1 evse 0)
        status TEXT,
        error_code TEXT,
        status_info TEXT,
        status_at TEXT,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE points (
        id TEXT PRIMARY KEY,
        station_id TEXT NOT NULL REFERENCES stations(id),
        evse_id INTEGER NOT NULL,
        label TEXT NOT NULL,
        connectors TEXT NOT NULL,
        reported_status TEXT NOT NULL DEFAULT 'Unknown',
        reported_error_code TEXT,
        reported_info TEXT,
        reported_at TEXT,
        -- per-connector reports of an OCPP 2.0.1 EVSE (JSON object connectorId -> status)
        reported_connectors TEXT NOT NULL DEFAULT '{}',
        op_status TEXT NOT NULL DEFAULT 'Available',
        op_reason TEXT,
        op_note TEXT,
        op_until TEXT,
        op_by TEXT,
        op_at TEXT,
        op_version INTEGER NOT NULL DEFAULT 0,
        op_mutation_id TEXT,
        delivery_state TEXT NOT NULL DEFAULT 'confirmed',
        delivery_detail TEXT,
        delivery_at TEXT,
        version INTEGER NOT NULL DEFAULT 0,
        seq INTEGER NOT NULL,
        UNIQUE (station_id, evse_id)
      ) STRICT;
      CREATE INDEX points_seq ON points(seq);

      CREATE TABLE users (
        username TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        password_salt TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE auth_sessions (
        token_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL REFERENCES users(username),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
      ) STRICT;

      CREATE TABLE processed_mutations (
        id TEXT PRIMARY KEY,
        username TEXT,
        result TEXT NOT NULL,
        outcome TEXT NOT NULL,
        processed_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        seq INTEGER NOT NULL,
        point_id TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        fact TEXT NOT NULL,
        from_value TEXT,
        to_value TEXT,
        reason TEXT,
        note TEXT,
        mutation_id TEXT
      ) STRICT;
      CREATE INDEX audit_point ON audit(point_id, id);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    `,
      postgres: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE TABLE sites (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        city TEXT NOT NULL,
        address TEXT NOT NULL,
        seq BIGINT NOT NULL
      );
      CREATE INDEX sites_seq ON sites(seq);

      CREATE TABLE stations (
        id TEXT PRIMARY KEY,
        site_id TEXT NOT NULL REFERENCES sites(id),
        protocol TEXT NOT NULL,
        vendor TEXT,
        model TEXT,
        connected BIGINT NOT NULL DEFAULT 0,
        last_seen TEXT,
        booted_at TEXT,
        status TEXT,
        error_code TEXT,
        status_info TEXT,
        status_at TEXT,
        created_at TEXT NOT NULL
      );

      CREATE TABLE points (
        id TEXT PRIMARY KEY,
        station_id TEXT NOT NULL REFERENCES stations(id),
        evse_id BIGINT NOT NULL,
        label TEXT NOT NULL,
        connectors TEXT NOT NULL,
        reported_status TEXT NOT NULL DEFAULT 'Unknown',
        reported_error_code TEXT,
        reported_info TEXT,
        reported_at TEXT,
        reported_connectors TEXT NOT NULL DEFAULT '{}',
        op_status TEXT NOT NULL DEFAULT 'Available',
        op_reason TEXT,
        op_note TEXT,
        op_until TEXT,
        op_by TEXT,
        op_at TEXT,
        op_version BIGINT NOT NULL DEFAULT 0,
        op_mutation_id TEXT,
        delivery_state TEXT NOT NULL DEFAULT 'confirmed',
        delivery_detail TEXT,
        delivery_at TEXT,
        version BIGINT NOT NULL DEFAULT 0,
        seq BIGINT NOT NULL,
        UNIQUE (station_id, evse_id)
      );
      CREATE INDEX points_seq ON points(seq);

      CREATE TABLE users (
        username TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        password_salt TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE auth_sessions (
        token_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL REFERENCES users(username),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
      );

      CREATE TABLE processed_mutations (
        id TEXT PRIMARY KEY,
        username TEXT,
        result TEXT NOT NULL,
        outcome TEXT NOT NULL,
        processed_at TEXT NOT NULL
      );

      CREATE TABLE audit (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        seq BIGINT NOT NULL,
        point_id TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        fact TEXT NOT NULL,
        from_value TEXT,
        to_value TEXT,
        reason TEXT,
        note TEXT,
        mutation_id TEXT
      );
      CREATE INDEX audit_point ON audit(point_id, id);
      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql
        AS $$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
    `,
    },
  },
  {
    version: 2,
    name: 'users can be disabled',
    sql: `
      ALTER TABLE users ADD COLUMN disabled_at TEXT;
      CREATE INDEX auth_sessions_user ON auth_sessions(username);
    `,
  },
  {
    version: 3,
    name: 'mutation ids scoped to their user',
    // Processed mutations were keyed by id alone, and ids are predictable: someone who sent another console's future
    // ids first made that console's real edits come back as duplicates. Keyed by (username, id) now; the index on id
    // alone serves look-ups by id (tests, benchmarks, support).
    sql: {
      sqlite: `
      CREATE TABLE processed_mutations_v3 (
        username TEXT NOT NULL,
        id TEXT NOT NULL,
        result TEXT NOT NULL,
        outcome TEXT NOT NULL,
        processed_at TEXT NOT NULL,
        PRIMARY KEY (username, id)
      ) STRICT;
      INSERT INTO processed_mutations_v3 (username, id, result, outcome, processed_at)
        SELECT COALESCE(username, ''), id, result, outcome, processed_at FROM processed_mutations;
      DROP TABLE processed_mutations;
      ALTER TABLE processed_mutations_v3 RENAME TO processed_mutations;
      CREATE INDEX processed_mutations_id ON processed_mutations(id);
    `,
      postgres: `
      CREATE TABLE processed_mutations_v3 (
        username TEXT NOT NULL,
        id TEXT NOT NULL,
        result TEXT NOT NULL,
        outcome TEXT NOT NULL,
        processed_at TEXT NOT NULL,
        PRIMARY KEY (username, id)
      );
      INSERT INTO processed_mutations_v3 (username, id, result, outcome, processed_at)
        SELECT COALESCE(username, ''), id, result, outcome, processed_at FROM processed_mutations;
      DROP TABLE processed_mutations;
      ALTER TABLE processed_mutations_v3 RENAME TO processed_mutations;
      CREATE INDEX processed_mutations_id ON processed_mutations(id);
    `,
    },
  },
  {
    version: 4,
    name: 'station credentials and layouts',
    // OCPP security profile 1: a per-station password, stored as a salted scrypt hash with its cost (never the
    // password). layout: 'registered' = the station's points are the only EVSEs it may report on (set by the seed or
    // an admin); 'learned' = points are created from its reports, within the limits in backend/ocpp/layout.ts
    // (stations registered without points, or by --accept-unknown-stations).
    sql: `
      ALTER TABLE stations ADD COLUMN password_hash TEXT;
      ALTER TABLE stations ADD COLUMN password_salt TEXT;
      ALTER TABLE stations ADD COLUMN password_cost INTEGER;
      ALTER TABLE stations ADD COLUMN password_set_at TEXT;
      ALTER TABLE stations ADD COLUMN layout TEXT NOT NULL DEFAULT 'learned';
      UPDATE stations SET layout = 'registered'
        WHERE site_id <> 'unassigned' AND id IN (SELECT station_id FROM points);
    `,
  },
  {
    version: 5,
    name: 'planned maintenance windows',
    // A window's points remember the operator state they had before it started, to go back to it at the end, and the
    // operator version the window produced, to tell whether a person changed the point in between.
    sql: {
      sqlite: `
      CREATE TABLE maintenance_windows (
        id TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        note TEXT,
        starts_at TEXT NOT NULL,
        ends_at TEXT,
        state TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        started_at TEXT,
        ended_at TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX maintenance_windows_state ON maintenance_windows(state, starts_at);
      CREATE INDEX maintenance_windows_ends ON maintenance_windows(state, ends_at);
      CREATE INDEX maintenance_windows_seq ON maintenance_windows(seq);
      CREATE TABLE maintenance_window_points (
        window_id TEXT NOT NULL REFERENCES maintenance_windows(id),
        point_id TEXT NOT NULL REFERENCES points(id),
        state TEXT NOT NULL,
        prev_status TEXT,
        prev_reason TEXT,
        prev_note TEXT,
        prev_until TEXT,
        applied_op_version INTEGER,
        PRIMARY KEY (window_id, point_id)
      ) STRICT;
      CREATE INDEX maintenance_window_points_point ON maintenance_window_points(point_id);
    `,
      postgres: `
      CREATE TABLE maintenance_windows (
        id TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        note TEXT,
        starts_at TEXT NOT NULL,
        ends_at TEXT,
        state TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        started_at TEXT,
        ended_at TEXT,
        version BIGINT NOT NULL DEFAULT 1,
        seq BIGINT NOT NULL
      );
      CREATE INDEX maintenance_windows_state ON maintenance_windows(state, starts_at);
      CREATE INDEX maintenance_windows_ends ON maintenance_windows(state, ends_at);
      CREATE INDEX maintenance_windows_seq ON maintenance_windows(seq);
      CREATE TABLE maintenance_window_points (
        window_id TEXT NOT NULL REFERENCES maintenance_windows(id),
        point_id TEXT NOT NULL REFERENCES points(id),
        state TEXT NOT NULL,
        prev_status TEXT,
        prev_reason TEXT,
        prev_note TEXT,
        prev_until TEXT,
        applied_op_version BIGINT,
        PRIMARY KEY (window_id, point_id)
      );
      CREATE INDEX maintenance_window_points_point ON maintenance_window_points(point_id);
    `,
    },
  },
  {
    version: 6,
    name: 'what happens when an expected end passes',
    // revert: the point goes back to Available on its own; remind (or null with an until): it is shown overdue.
    sql: `
      ALTER TABLE points ADD COLUMN op_until_action TEXT;
      CREATE INDEX points_until_revert ON points(op_until) WHERE op_until_action = 'revert';
      ALTER TABLE maintenance_window_points ADD COLUMN prev_until_action TEXT;
    `,
  },
  {
    version: 7,
    name: 'sites have a time zone',
    sql: `ALTER TABLE sites ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';`,
  },
  {
    version: 8,
    name: 'alerts',
    sql: {
      sqlite: `
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        point_id TEXT,
        station_id TEXT NOT NULL,
        site_id TEXT NOT NULL,
        state TEXT NOT NULL,
        since TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        evidence TEXT NOT NULL,
        raises INTEGER NOT NULL DEFAULT 1,
        acknowledged_by TEXT,
        acknowledged_at TEXT,
        assigned_to TEXT,
        resolved_by TEXT,
        resolved_at TEXT,
        resolution TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX alerts_open ON alerts(subject) WHERE state <> 'resolved';
      CREATE INDEX alerts_seq ON alerts(seq);
      CREATE INDEX alerts_resolved ON alerts(resolved_at);
    `,
      postgres: `
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        point_id TEXT,
        station_id TEXT NOT NULL,
        site_id TEXT NOT NULL,
        state TEXT NOT NULL,
        since TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        evidence TEXT NOT NULL,
        raises BIGINT NOT NULL DEFAULT 1,
        acknowledged_by TEXT,
        acknowledged_at TEXT,
        assigned_to TEXT,
        resolved_by TEXT,
        resolved_at TEXT,
        resolution TEXT,
        version BIGINT NOT NULL DEFAULT 1,
        seq BIGINT NOT NULL
      );
      CREATE INDEX alerts_open ON alerts(subject) WHERE state <> 'resolved';
      CREATE INDEX alerts_seq ON alerts(seq);
      CREATE INDEX alerts_resolved ON alerts(resolved_at);
    `,
    },
  },
  {
    version: 9,
    name: 'webhooks and their durable delivery queue',
    // A delivery is queued in the same transaction as the alert change it tells about, so none is lost; it is sent
    // until the receiver answers 2xx (event_id is stable: a receiver that dedupes by it sees each event once).
    sql: {
      sqlite: `
      CREATE TABLE webhooks (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        created_at TEXT NOT NULL,
        disabled_at TEXT
      ) STRICT;
      CREATE TABLE webhook_deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        webhook_id TEXT NOT NULL REFERENCES webhooks(id),
        event_id TEXT NOT NULL,
        body TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at TEXT NOT NULL,
        last_error TEXT,
        created_at TEXT NOT NULL,
        delivered_at TEXT,
        UNIQUE (webhook_id, event_id)
      ) STRICT;
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_at) WHERE state = 'pending';
    `,
      postgres: `
      CREATE TABLE webhooks (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        created_at TEXT NOT NULL,
        disabled_at TEXT
      );
      CREATE TABLE webhook_deliveries (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        webhook_id TEXT NOT NULL REFERENCES webhooks(id),
        event_id TEXT NOT NULL,
        body TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts BIGINT NOT NULL DEFAULT 0,
        next_at TEXT NOT NULL,
        last_error TEXT,
        created_at TEXT NOT NULL,
        delivered_at TEXT,
        UNIQUE (webhook_id, event_id)
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_at) WHERE state = 'pending';
    `,
    },
  },
  {
    version: 10,
    name: 'alert rules set by supervisors, and every change of them',
    // One row: the rules in force (none: the defaults). Every change is kept with who, when, old and new.
    sql: {
      sqlite: `
      CREATE TABLE alert_rules (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        rules TEXT NOT NULL,
        version INTEGER NOT NULL,
        changed_by TEXT NOT NULL,
        changed_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE alert_rule_changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        version INTEGER NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        old_rules TEXT NOT NULL,
        new_rules TEXT NOT NULL
      ) STRICT;
    `,
      postgres: `
      CREATE TABLE alert_rules (
        id BIGINT PRIMARY KEY CHECK (id = 1),
        rules TEXT NOT NULL,
        version BIGINT NOT NULL,
        changed_by TEXT NOT NULL,
        changed_at TEXT NOT NULL
      );
      CREATE TABLE alert_rule_changes (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        version BIGINT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        old_rules TEXT NOT NULL,
        new_rules TEXT NOT NULL
      );
    `,
    },
  },
  {
    version: 11,
    name: 'OCPI partners, published locations and the push queue',
    // Tokens partners call us with are kept as SHA-256 hashes (they are random, 256 bits); the token we call a partner
    // with must be sent, so it is kept as given. One push row per partner and object: a newer change raises its
    // generation, so only the newest state is sent (docs/ocpi.md, "The push queue").
    sql: {
      sqlite: `
      CREATE TABLE ocpi_partners (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        token_a_hash TEXT,
        incoming_token_hash TEXT,
        outgoing_token TEXT,
        versions_url TEXT,
        version TEXT,
        endpoints TEXT NOT NULL DEFAULT '[]',
        roles TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        registered_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        failing_since TEXT,
        last_error TEXT
      ) STRICT;
      CREATE UNIQUE INDEX ocpi_partners_token_a ON ocpi_partners(token_a_hash) WHERE token_a_hash IS NOT NULL;
      CREATE UNIQUE INDEX ocpi_partners_token ON ocpi_partners(incoming_token_hash) WHERE incoming_token_hash IS NOT NULL;
      CREATE TABLE ocpi_locations (
        site_id TEXT PRIMARY KEY REFERENCES sites(id),
        location_id TEXT NOT NULL UNIQUE,
        country TEXT NOT NULL,
        latitude TEXT NOT NULL,
        longitude TEXT NOT NULL,
        postal_code TEXT,
        created_at TEXT NOT NULL,
        last_updated TEXT NOT NULL
      ) STRICT;
      CREATE INDEX ocpi_locations_order ON ocpi_locations(created_at, site_id);
      CREATE INDEX ocpi_locations_updated ON ocpi_locations(last_updated);
      CREATE TABLE ocpi_evses (
        point_id TEXT PRIMARY KEY REFERENCES points(id),
        uid TEXT NOT NULL UNIQUE,
        site_id TEXT NOT NULL,
        status TEXT NOT NULL,
        layout TEXT NOT NULL,
        last_updated TEXT NOT NULL
      ) STRICT;
      CREATE INDEX ocpi_evses_site ON ocpi_evses(site_id);
      CREATE TABLE ocpi_pushes (
        partner_id TEXT NOT NULL REFERENCES ocpi_partners(id),
        kind TEXT NOT NULL,
        object_id TEXT NOT NULL,
        generation INTEGER NOT NULL,
        state TEXT NOT NULL,
        status_code INTEGER,
        message TEXT,
        queued_at TEXT NOT NULL,
        sent_at TEXT,
        answered_at TEXT,
        PRIMARY KEY (partner_id, kind, object_id)
      ) STRICT;
      CREATE INDEX ocpi_pushes_pending ON ocpi_pushes(partner_id, queued_at) WHERE state = 'pending';
    `,
      postgres: `
      CREATE TABLE ocpi_partners (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        token_a_hash TEXT,
        incoming_token_hash TEXT,
        outgoing_token TEXT,
        versions_url TEXT,
        version TEXT,
        endpoints TEXT NOT NULL DEFAULT '[]',
        roles TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        registered_at TEXT,
        attempts BIGINT NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        failing_since TEXT,
        last_error TEXT
      );
      CREATE UNIQUE INDEX ocpi_partners_token_a ON ocpi_partners(token_a_hash) WHERE token_a_hash IS NOT NULL;
      CREATE UNIQUE INDEX ocpi_partners_token ON ocpi_partners(incoming_token_hash) WHERE incoming_token_hash IS NOT NULL;
      CREATE TABLE ocpi_locations (
        site_id TEXT PRIMARY KEY REFERENCES sites(id),
        location_id TEXT NOT NULL UNIQUE,
        country TEXT NOT NULL,
        latitude TEXT NOT NULL,
        longitude TEXT NOT NULL,
        postal_code TEXT,
        created_at TEXT NOT NULL,
        last_updated TEXT NOT NULL
      );
      CREATE INDEX ocpi_locations_order ON ocpi_locations(created_at, site_id);
      CREATE INDEX ocpi_locations_updated ON ocpi_locations(last_updated);
      CREATE TABLE ocpi_evses (
        point_id TEXT PRIMARY KEY REFERENCES points(id),
        uid TEXT NOT NULL UNIQUE,
        site_id TEXT NOT NULL,
        status TEXT NOT NULL,
        layout TEXT NOT NULL,
        last_updated TEXT NOT NULL
      );
      CREATE INDEX ocpi_evses_site ON ocpi_evses(site_id);
      CREATE TABLE ocpi_pushes (
        partner_id TEXT NOT NULL REFERENCES ocpi_partners(id),
        kind TEXT NOT NULL,
        object_id TEXT NOT NULL,
        generation BIGINT NOT NULL,
        state TEXT NOT NULL,
        status_code BIGINT,
        message TEXT,
        queued_at TEXT NOT NULL,
        sent_at TEXT,
        answered_at TEXT,
        PRIMARY KEY (partner_id, kind, object_id)
      );
      CREATE INDEX ocpi_pushes_pending ON ocpi_pushes(partner_id, queued_at) WHERE state = 'pending';
    `,
    },
  },
  {
    version: 13,
    name: 'point status history and uptime exclusions',
    // Each point's shown status as intervals (backend/history/recorder.ts): points numbered once so a row is a few
    // integers; times in ms; status and source as the fixed codes of backend/store/history.ts; end NULL while
    // going; up intervals older than 35 days are merged (backend/history/recorder.ts). Exclusions are a supervisor's statement about outage minutes, append-only: the table is their audit.
    sql: {
      sqlite: `
      CREATE TABLE history_points (
        n INTEGER PRIMARY KEY,
        point_id TEXT NOT NULL UNIQUE,
        since_ms INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE point_history (
        n INTEGER NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER,
        status INTEGER NOT NULL,
        source INTEGER NOT NULL,
        cause TEXT,
        window_id TEXT,
        PRIMARY KEY (n, start_ms)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX point_history_open ON point_history(n) WHERE end_ms IS NULL;
      CREATE INDEX point_history_outages ON point_history(end_ms) WHERE status >= 3 AND status <= 7;
      CREATE TABLE uptime_exclusions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        point_id TEXT NOT NULL,
        from_ms INTEGER NOT NULL,
        to_ms INTEGER NOT NULL,
        reason TEXT NOT NULL,
        note TEXT NOT NULL,
        by TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX uptime_exclusions_point ON uptime_exclusions(point_id, from_ms);
      CREATE TRIGGER uptime_exclusions_no_update BEFORE UPDATE ON uptime_exclusions
        BEGIN SELECT RAISE(ABORT, 'exclusions are append-only'); END;
    `,
      postgres: `
      CREATE TABLE history_points (
        n BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        point_id TEXT NOT NULL UNIQUE,
        since_ms BIGINT NOT NULL
      );
      CREATE TABLE point_history (
        n BIGINT NOT NULL,
        start_ms BIGINT NOT NULL,
        end_ms BIGINT,
        status BIGINT NOT NULL,
        source BIGINT NOT NULL,
        cause TEXT,
        window_id TEXT,
        PRIMARY KEY (n, start_ms)
      );
      CREATE INDEX point_history_open ON point_history(n) WHERE end_ms IS NULL;
      CREATE INDEX point_history_outages ON point_history(end_ms) WHERE status >= 3 AND status <= 7;
      CREATE TABLE uptime_exclusions (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        point_id TEXT NOT NULL,
        from_ms BIGINT NOT NULL,
        to_ms BIGINT NOT NULL,
        reason TEXT NOT NULL,
        note TEXT NOT NULL,
        by TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX uptime_exclusions_point ON uptime_exclusions(point_id, from_ms);
      CREATE FUNCTION uptime_exclusions_append_only() RETURNS trigger LANGUAGE plpgsql
        AS $$ BEGIN RAISE EXCEPTION 'exclusions are append-only'; END $$;
      CREATE TRIGGER uptime_exclusions_no_update BEFORE UPDATE ON uptime_exclusions
        FOR EACH ROW EXECUTE FUNCTION uptime_exclusions_append_only();
    `,
    },
  },
  {
    version: 14,
    name: 'uptime roll-ups per point and local day',
    // Each point's closed outage milliseconds per calendar day of its site's zone (backend/store/historyRollups.ts),
    // only days with an outage; and the zone each point's days were cut in. One text for both engines: BIGINT (ms do
    // not fit PostgreSQL's INTEGER; SQLite reads it as INTEGER), no STRICT.
    sql: `
      CREATE TABLE history_rollup_days (
        day_ms BIGINT NOT NULL,
        n BIGINT NOT NULL,
        day_end_ms BIGINT NOT NULL,
        outage_ms BIGINT NOT NULL,
        window_ms BIGINT NOT NULL,
        PRIMARY KEY (day_ms, n)
      );
      CREATE TABLE history_rollup_zones (
        n BIGINT PRIMARY KEY,
        time_zone TEXT NOT NULL
      );
    `,
  },
  {
    version: 15,
    name: 'which backend instance holds each station',
    // On PostgreSQL with several instances (docs/cluster.md): the instance whose connection the station is on, so a
    // dead instance's stations can be marked offline by the others. NULL on SQLite (one instance) and when offline.
    sql: {
      sqlite: 'ALTER TABLE stations ADD COLUMN held_by INTEGER',
      postgres: 'ALTER TABLE stations ADD COLUMN held_by BIGINT',
    },
  },
  {
    version: 16,
    name: 'failed sign-ins counted in the store',
    // With several instances (docs/cluster.md) the sign-in limiter's counts per username and per address are kept
    // here, so guesses spread over the instances are counted together (backend/store/loginFailures.ts). One instance
    // on SQLite counts in memory and leaves the table empty. Times in ms (BIGINT: they do not fit PostgreSQL's INTEGER).
    sql: `
      CREATE TABLE login_failures (
        key TEXT PRIMARY KEY,
        failures BIGINT NOT NULL,
        last_failure_ms BIGINT NOT NULL,
        locked_until_ms BIGINT NOT NULL
      );
      CREATE INDEX login_failures_last ON login_failures(last_failure_ms);
    `,
  },
  {
    version: 17,
    name: "a point's open interval found by the primary key",
    // A point's open interval is its latest (backend/store/history.ts reads it by (n, start_ms)); the index of open
    // intervals made every station report that changed a status write one more page at a random place, ~8 % of the
    // report's cost at 100,000 points (docs/performance.md, 2026-12-07, late).
    sql: 'DROP INDEX point_history_open',
  },
];
