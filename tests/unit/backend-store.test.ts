// The backend's store and pure helpers, without a server.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Auth, hashPassword, verifyPassword } from '../../backend/auth.js';
import { changeAvailabilityParams } from '../../backend/ocpp/delivery.js';
import { parseStatus } from '../../backend/ocpp/handlers.js';
import { seedNetwork } from '../../backend/seed.js';
import { Db } from '../../node/db.js';
import { migrate } from '../../node/migrations.js';
import { Store } from '../../backend/store/index.js';
import { WAL_CHECKPOINT_PAGES_UNDER_LOAD } from '../../node/sqlite.js';
import { MIGRATIONS } from '../../backend/store/migrations.js';
import { overallResult } from '../../backend/store/mutations.js';
import { smallNetwork } from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { sqliteOf, testStore } from '../support/testStore.js';
import { PgDb } from '../../backend/store/pg/pgDb.js';
import { migratePg } from '../../backend/store/pg/pgMigrate.js';

describe('backend store', () => {
  const tmp = tempDir('backend');
  let store: Store;
  const logs: string[] = [];
  before(async () => {
    store = testStore(tmp.path, { log: (l) => logs.push(l) });
    await seedNetwork(store, new Auth(store.users), smallNetwork());
  });
  after(() => {
    store.close();
    tmp.remove();
  });

  it('runs numbered migrations once, and again on reopen nothing', () => {
    const versions = store.db.prepare('test', 'SELECT version FROM schema_migrations ORDER BY version').all() as {
      version: number;
    }[];
    assert.deepEqual(
      versions.map((v) => v.version),
      MIGRATIONS.map((m) => m.version),
    );
    if (store.db instanceof PgDb) {
      assert.deepEqual(migratePg(store.db, MIGRATIONS), []);
      return;
    }
    assert.deepEqual(migrate(sqliteOf(store.db), MIGRATIONS), []);
    assert.equal(
      sqliteOf(store.db).pragma('synchronous', { simple: true }),
      2,
      'every commit of the backend is durable (FULL)',
    );
    assert.equal(sqliteOf(store.db).pragma('journal_mode', { simple: true }), 'wal');
  });

  it('lets the write-ahead log grow to WAL_CHECKPOINT_PAGES_UNDER_LOAD before a commit copies it into the database', (t) => {
    if (store.db instanceof PgDb) return t.skip('SQLite only');
    const raw = sqliteOf(store.db);
    assert.equal(raw.pragma('wal_autocheckpoint', { simple: true }), WAL_CHECKPOINT_PAGES_UNDER_LOAD);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.exec('CREATE TABLE wal_probe (v BLOB)');
    const insert = raw.prepare('INSERT INTO wal_probe (v) VALUES (?)');
    const page = raw.pragma('page_size', { simple: true }) as number;
    // ~3,000 pages in 30 commits: past SQLite's default of 1,000, where the log would have been copied and reused.
    for (let c = 0; c < 30; c++)
      store.db.tx('wal probe', () => {
        for (let r = 0; r < 100; r++) insert.run(Buffer.alloc(page - 100));
      });
    const framesInLog = statSync(`${raw.name}-wal`).size / (page + 24);
    raw.exec('DROP TABLE wal_probe');
    assert.ok(framesInLog > 2_500, `the log held ${Math.round(framesInLog)} pages`);
  });

  it('keeps the network id across opens', () => {
    const again = testStore(tmp.path);
    try {
      assert.equal(again.networkId, store.networkId);
      assert.equal(again.seq, store.seq);
    } finally {
      again.close();
    }
  });

  it('gives every change a new seq and rolls the seq back with a failed transaction', () => {
    const before = store.seq;
    const p = store.points.get('ST16-1')!;
    store.points.setReported(
      'ST16',
      1,
      { status: 'Occupied', errorCode: null, info: null, at: new Date().toISOString() },
      'station:ST16',
    );
    assert.equal(store.seq, before + 1);
    const after = store.points.get('ST16-1')!;
    assert.equal(after.seq, before + 1);
    assert.equal(after.version, p.version + 1);
    assert.throws(() =>
      store.changes.write('failing', () => {
        store.changes.next();
        throw new Error('boom');
      }),
    );
    assert.equal(store.seq, before + 1);
    assert.equal(Number(store.meta('seq')), before + 1);
  });

  it('reads every point the same alone, in bulk, by station and as the answer of a report', () => {
    const reported = store.points.setReported(
      'ST16',
      2,
      { status: 'Faulted', errorCode: 'GroundFailure', info: 'x', at: '2026-01-01T00:00:00.000Z' },
      'test',
    );
    assert.ok(reported);
    assert.deepEqual(store.points.get(reported.id), reported);
    assert.equal(reported.reported.status, 'Faulted');
    const bulk = store.points.all();
    assert.ok(bulk.length > 0);
    for (const point of bulk) {
      assert.deepEqual(store.points.get(point.id), point);
      assert.deepEqual(store.points.byStationEvse(point.stationId, point.evseId), point);
      assert.deepEqual(
        store.points.byStation(point.stationId).find((p) => p.id === point.id),
        point,
      );
    }
    assert.deepEqual(
      store.points.changedSince(0).sort((a, b) => a.id.localeCompare(b.id)),
      [...bulk].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('refuses a report that would make its point invalid, alone in its batch, and stores nothing of it', () => {
    const at = new Date().toISOString();
    const before = store.points.get('ST16-1')!;
    const auditBefore = store.audit.count('ST16-1');
    const seqBefore = store.seq;
    const results = store.points.setReportedMany([
      {
        stationId: 'ST16',
        evseId: 1,
        report: { status: 'Faulted', errorCode: 'E'.repeat(101), info: null, at },
        actor: 'station:ST16',
      },
      {
        stationId: 'ST16',
        evseId: 1,
        report: { status: 'Faulted', errorCode: null, info: null, at: 'yesterday' },
        actor: 'x',
      },
      { stationId: 'ST16', evseId: 2, report: { status: 'Reserved', errorCode: null, info: null, at }, actor: 'x' },
    ]);
    assert.ok(
      results[0] instanceof Error && /point ST16-1 would be invalid: reported\.errorCode/.test(results[0].message),
    );
    assert.ok(results[1] instanceof Error && /reported\.at/.test(results[1].message), String(results[1]));
    assert.equal(results[2], 'ST16-2', 'the valid report of the batch is stored');
    assert.deepEqual(store.points.get('ST16-1'), before, 'nothing of the refused reports is stored');
    assert.equal(store.audit.count('ST16-1'), auditBefore);
    assert.equal(store.seq, seqBefore + 1);
    assert.equal(store.points.get('ST16-2')!.reported.status, 'Reserved');
  });

  it("refuses a connector's report that would give its point more than 16 connectors", () => {
    const at = new Date().toISOString();
    for (let c = 2; c <= 16; c++)
      store.points.setReported(
        'ST201',
        1,
        { status: 'Available', errorCode: null, info: null, at, connectorId: c },
        'x',
      );
    assert.equal(store.points.get('ST201-1')!.connectors.length, 16);
    assert.throws(
      () =>
        store.points.setReported(
          'ST201',
          1,
          { status: 'Faulted', errorCode: null, info: null, at, connectorId: 17 },
          'x',
        ),
      /point ST201-1 would be invalid: connectors/,
    );
    const after = store.points.get('ST201-1')!;
    assert.equal(after.connectors.length, 16);
    assert.equal(after.reported.status, 'Available');
  });

  it("reads each changed point's history facts as the whole point has them", () => {
    const at = new Date().toISOString();
    store.points.setConnection('ST16', true, at, 'test');
    const facts = store.points.historyFactsSince(0).sort((a, b) => a.id.localeCompare(b.id));
    const points = store.points.changedSince(0).sort((a, b) => a.id.localeCompare(b.id));
    assert.deepEqual(
      facts,
      points.map((p) => ({
        id: p.id,
        operator: { status: p.operator.status, reason: p.operator.reason },
        reported: { status: p.reported.status, errorCode: p.reported.errorCode, info: p.reported.info },
        stationConnected: p.stationConnected,
        delivery: { state: p.delivery.state },
      })),
    );
    assert.ok(facts.some((f) => f.reported.status !== 'Unknown'));
    assert.ok(facts.some((f) => f.stationConnected) && facts.some((f) => !f.stationConnected));
    store.points.setConnection('ST16', false, at, 'test');
  });

  it('keeps the audit log append-only', () => {
    assert.throws(() => store.db.prepare('test', 'UPDATE audit SET actor = ?').run('x'), /append-only/);
    assert.throws(() => store.db.prepare('test', 'DELETE FROM audit').run(), /append-only/);
  });

  it('stores password hashes only, salted', async () => {
    const row = store.users.get('admin')!;
    assert.notEqual(row.password_hash, 'admin-pass-1');
    const a = await hashPassword('same');
    const b = await hashPassword('same');
    assert.notEqual(a.hash, b.hash, 'salted');
    assert.ok(await verifyPassword('same', a.hash, a.salt));
    assert.ok(!(await verifyPassword('other', a.hash, a.salt)));
    const tokens = store.db.prepare('test', 'SELECT token_hash FROM auth_sessions').all() as { token_hash: string }[];
    const auth = new Auth(store.users);
    const s = await auth.login('admin', 'admin-pass-1');
    assert.ok(s);
    const after = store.db.prepare('test', 'SELECT token_hash FROM auth_sessions').all() as { token_hash: string }[];
    assert.equal(after.length, tokens.length + 1);
    assert.ok(!after.some((t) => t.token_hash === s.token), 'only a hash of the token is stored');
    assert.equal(auth.session(s.token)?.username, 'admin');
    auth.revoke(s.token);
    assert.equal(auth.session(s.token), null);
  });

  it('logs slow statements by name, never with their parameters', () => {
    const lines: string[] = [];
    const db = Db.open(':memory:', { log: (l) => lines.push(l), slowMs: 0 });
    try {
      db.exec('CREATE TABLE t (x TEXT)');
      db.prepare('insert t', 'INSERT INTO t VALUES (?)').run('secret-value');
      assert.ok(lines.some((l) => /slow query: insert t took/.test(l)));
      assert.ok(!lines.some((l) => l.includes('secret-value')));
    } finally {
      db.close();
    }
  });
});

describe('backend helpers', () => {
  it('sums point outcomes into a mutation result', () => {
    const p = (result: 'applied' | 'unchanged' | 'conflict' | 'rejected' | 'notAllowed') => ({
      pointId: 'x',
      result,
      reason: null,
      current: null,
      operatorVersion: null,
    });
    assert.equal(overallResult([p('applied'), p('unchanged')]), 'applied');
    assert.equal(overallResult([p('applied'), p('conflict')]), 'partial');
    assert.equal(overallResult([p('conflict'), p('rejected')]), 'conflict');
    assert.equal(overallResult([p('rejected')]), 'rejected');
    assert.equal(overallResult([p('notAllowed')]), 'rejected');
  });

  it('addresses ChangeAvailability per protocol', () => {
    assert.deepEqual(changeAvailabilityParams('ocpp1.6', 2, 'Inoperative'), { connectorId: 2, type: 'Inoperative' });
    assert.deepEqual(changeAvailabilityParams('ocpp2.0.1', 3, 'Operative'), {
      operationalStatus: 'Operative',
      evse: { id: 3 },
    });
  });

  it('normalises StatusNotification for both protocols', () => {
    const r16 = parseStatus('ocpp1.6', {
      connectorId: 1,
      status: 'SuspendedEV',
      errorCode: 'NoError',
      timestamp: '2024-05-01T10:00:00+02:00',
    });
    assert.equal(r16.status, 'Occupied');
    assert.equal(r16.errorCode, 'NoError');
    assert.equal(r16.at, '2024-05-01T08:00:00.000Z');
    const r201 = parseStatus('ocpp2.0.1', {
      evseId: 2,
      connectorId: 1,
      connectorStatus: 'Faulted',
      timestamp: 'garbage',
    });
    assert.equal(r201.status, 'Faulted');
    assert.equal(r201.evseId, 2);
    assert.ok(Math.abs(Date.parse(r201.at) - Date.now()) < 5000, 'an unreadable time becomes now');
  });
});
