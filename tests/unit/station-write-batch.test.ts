// Group commit of station messages (backend/ocpp/stationWriteBatch.ts) on a real store: reports that arrive in one
// turn of the event loop are one transaction; each report still succeeds or fails on its own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Auth } from '../../backend/auth.js';
import { StationWriteBatch } from '../../backend/ocpp/stationWriteBatch.js';
import { seedNetwork } from '../../backend/seed.js';
import { Store } from '../../backend/store/index.js';
import { testStore } from '../support/testStore.js';
import type { Report } from '../../backend/store/points.js';
import { smallNetwork } from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';

describe('station messages are written in groups', () => {
  const tmp = tempDir('backend');
  let store: Store;
  const logs: string[] = [];
  before(async () => {
    store = testStore(tmp.path);
    await seedNetwork(store, new Auth(store.users), smallNetwork());
  });
  after(() => {
    store.close();
    tmp.remove();
  });
  const report = (status: Report['status'], over: Partial<Report> = {}): Report => ({
    status,
    errorCode: null,
    info: null,
    at: new Date().toISOString(),
    ...over,
  });

  it('reports and last-seen times of one turn are one commit, and each is stored when its promise resolves', async () => {
    const batch = new StationWriteBatch(store, (l) => logs.push(l));
    const commits: number[] = [];
    const stop = store.changes.onChange((seq) => commits.push(seq));
    const before = store.seq;
    const at = '2026-11-30T02:00:00.000Z';
    batch.heard('ST16', at);
    const replies = [
      batch.report({ stationId: 'ST16', evseId: 1, report: report('Occupied'), actor: 'station:ST16' }),
      batch.report({
        stationId: 'ST16',
        evseId: 2,
        report: report('Faulted', { errorCode: 'GroundFailure' }),
        actor: 'station:ST16',
      }),
      batch.report({ stationId: 'ST201', evseId: 1, report: report('Reserved'), actor: 'station:ST201' }),
    ];
    assert.equal(store.seq, before, 'nothing written before the turn ends');
    await Promise.all(replies);
    stop();
    assert.deepEqual(commits, [before + 3], 'one commit for three reports');
    assert.equal(store.points.get('ST16-1')!.reported.status, 'Occupied');
    assert.equal(store.points.get('ST16-2')!.reported.errorCode, 'GroundFailure');
    assert.equal(store.points.get('ST201-1')!.reported.status, 'Reserved');
    assert.equal(store.stations.get('ST16')!.last_seen, at);
  });

  it('a report that cannot be stored fails alone: its point is as it was, the others in its group are stored', async () => {
    const batch = new StationWriteBatch(store, (l) => logs.push(l));
    await batch.report({ stationId: 'ST16', evseId: 2, report: report('Faulted'), actor: 'station:ST16' });
    const was = store.points.get('ST16-2')!;
    // Fails after the point's row was updated (at its audit entry), so only a savepoint per report undoes it alone.
    store.db.exec(
      store.db.dialect === 'sqlite'
        ? `CREATE TEMP TRIGGER fail_st16_2 BEFORE INSERT ON audit WHEN NEW.point_id = 'ST16-2' BEGIN SELECT RAISE(ABORT, 'audit refused'); END`
        : `CREATE FUNCTION fail_st16_2() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
             IF NEW.point_id = 'ST16-2' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$;
           CREATE TRIGGER fail_st16_2 BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION fail_st16_2()`,
    );
    try {
      const before = store.seq;
      const good = batch.report({ stationId: 'ST16', evseId: 1, report: report('Available'), actor: 'station:ST16' });
      const bad = batch.report({ stationId: 'ST16', evseId: 2, report: report('Available'), actor: 'station:ST16' });
      const alsoGood = batch.report({
        stationId: 'ST201',
        evseId: 1,
        report: report('Available'),
        actor: 'station:ST201',
      });
      await assert.rejects(bad, /audit refused/);
      await Promise.all([good, alsoGood]);
      assert.equal(store.seq, before + 2);
      assert.equal(store.points.get('ST16-1')!.reported.status, 'Available');
      assert.equal(store.points.get('ST201-1')!.reported.status, 'Available');
      const now = store.points.get('ST16-2')!;
      assert.deepEqual(
        [now.reported.status, now.version, now.seq],
        [was.reported.status, was.version, was.seq],
        'the failed report left its point as it was',
      );
      assert.deepEqual(
        store.points.changedSince(before).map((p) => [p.id, p.seq]),
        [
          ['ST16-1', before + 1],
          ['ST201-1', before + 2],
        ],
      );
    } finally {
      store.db.exec(
        store.db.dialect === 'sqlite'
          ? 'DROP TRIGGER fail_st16_2'
          : 'DROP TRIGGER fail_st16_2 ON audit; DROP FUNCTION fail_st16_2()',
      );
    }
  });

  it('an error after the commit (a change listener) still answers the stations as stored', async () => {
    const batch = new StationWriteBatch(store, (l) => logs.push(l));
    const stop = store.changes.onChange(() => {
      throw new Error('listener broke');
    });
    try {
      await batch.report({ stationId: 'ST16', evseId: 1, report: report('Occupied'), actor: 'station:ST16' });
    } finally {
      stop();
    }
    assert.equal(store.points.get('ST16-1')!.reported.status, 'Occupied');
    assert.match(logs.at(-1)!, /after storing 1 station report\(s\): listener broke/);
  });

  it('a report for a point the store does not know is answered, and stores nothing', async () => {
    const batch = new StationWriteBatch(store, (l) => logs.push(l));
    const before = store.seq;
    await batch.report({ stationId: 'NOPE', evseId: 1, report: report('Available'), actor: 'station:NOPE' });
    assert.equal(store.seq, before);
  });

  describe('with a commit window', () => {
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    const sequence: Report['status'][] = ['Occupied', 'Available'];

    it('reports of several turns within the window share one commit, written when it ends', async () => {
      const batch = new StationWriteBatch(store, (l) => logs.push(l), null, 300);
      const commits: number[] = [];
      const stop = store.changes.onChange((seq) => commits.push(seq));
      const before = store.seq;
      const sentAt = performance.now();
      try {
        const replies = [
          batch.report({ stationId: 'ST16', evseId: 1, report: report('Reserved'), actor: 'station:ST16' }),
        ];
        await nextTurn();
        replies.push(batch.report({ stationId: 'ST16', evseId: 2, report: report('Reserved'), actor: 'station:ST16' }));
        batch.heard('ST16', '2026-12-08T03:00:00.000Z');
        await nextTurn();
        assert.equal(store.seq, before, 'nothing written before the window ends');
        await Promise.all(replies);
        assert.ok(performance.now() - sentAt >= 295, 'answered once the window ended');
      } finally {
        stop();
      }
      assert.deepEqual(commits, [before + 2], 'one commit for the reports of two turns');
      assert.equal(store.points.get('ST16-2')!.reported.status, 'Reserved');
      assert.equal(store.stations.get('ST16')!.last_seen, '2026-12-08T03:00:00.000Z');
    });

    it('flush() ends the window at once: what waits is written before the next write (a station marked offline)', () => {
      const batch = new StationWriteBatch(store, (l) => logs.push(l), null, 60_000);
      const before = store.seq;
      void batch.report({ stationId: 'ST201', evseId: 1, report: report('Faulted', { errorCode: 'X' }), actor: 'a' });
      batch.flush();
      assert.equal(store.seq, before + 1);
      assert.equal(store.points.get('ST201-1')!.reported.status, 'Faulted');
    });

    it(
      'commits a thousand reports waiting without waiting for the rest of the window',
      { timeout: 20_000 },
      async () => {
        // A window longer than the test's own timeout: only the count can end it.
        const batch = new StationWriteBatch(store, (l) => logs.push(l), null, 60_000);
        const before = store.seq;
        const replies = Array.from({ length: 1_000 }, (_, i) =>
          batch.report({ stationId: 'ST16', evseId: 1, report: report(sequence[i % 2]), actor: 'station:ST16' }),
        );
        await Promise.all(replies);
        assert.equal(store.seq, before + 1_000);
      },
    );
  });
});
