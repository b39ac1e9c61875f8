// Group commit of station messages (backend/ocpp/stationWriteBatch.ts) on a real store: reports that arrive in one
// turn of the event loop are one transaction; each report still succeeds or fails on its own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Auth } from '../../backend/auth.js';
import { MAX_REPORTS_PER_TURN, StationWriteBatch } from '../../backend/ocpp/stationWriteBatch.js';
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

  /** n reports, in turn on each of the small network's points, every one a change. */
  function backlog(batch: StationWriteBatch, n: number): Promise<void>[] {
    const targets = [
      ['ST16', 1],
      ['ST16', 2],
      ['ST201', 1],
      ['ST201', 2],
    ] as const;
    const statuses = ['Occupied', 'Available'] as const;
    return Array.from({ length: n }, (_, i) => {
      const [stationId, evseId] = targets[i % targets.length];
      const status = statuses[Math.floor(i / targets.length) % 2];
      return batch.report({ stationId, evseId, report: report(status), actor: `station:${stationId}` });
    });
  }

  it('writes a backlog a bounded turn at a time, and what joins the turn meanwhile (an edit) goes between', async () => {
    const batch = new StationWriteBatch(store, (l) => logs.push(l));
    const commits: number[] = [];
    let editCommittedAt = -1;
    const before = store.seq;
    const stop = store.changes.onChange((seq) => {
      commits.push(seq);
      if (commits.length !== 1) return;
      // Arrives while the backlog is being written: a person's edit joining the next turn's commit.
      store.turn.join({ name: 'an edit', work: () => undefined, done: () => (editCommittedAt = commits.length) });
    });
    const count = 2 * MAX_REPORTS_PER_TURN + 100;
    try {
      await Promise.all(backlog(batch, count));
    } finally {
      stop();
    }
    assert.deepEqual(
      commits.map((seq, i) => seq - (commits[i - 1] ?? before)),
      [MAX_REPORTS_PER_TURN, MAX_REPORTS_PER_TURN, 100],
      'three commits, none over the bound',
    );
    assert.equal(editCommittedAt, 2, "the edit was committed with the backlog's second turn, not after all of it");
  });

  it('stored() waits for everything queued before it, not for what keeps arriving after', async () => {
    const batch = new StationWriteBatch(store, (l) => logs.push(l));
    const first = backlog(batch, MAX_REPORTS_PER_TURN + 100);
    let firstSettled = 0;
    for (const p of first) void p.then(() => firstSettled++);
    const stored = batch.stored().then(() => firstSettled);
    // More arrives before the first turn's commit: queued behind what stored() waits for.
    const more = backlog(batch, 2 * MAX_REPORTS_PER_TURN);
    let moreSettled = 0;
    for (const p of more) void p.then(() => moreSettled++);
    assert.equal(await stored, first.length, 'not before every report queued before it is written');
    assert.ok(moreSettled < more.length, 'without waiting for the reports queued after it');
    await Promise.all(more);
  });

  it("flushStation() writes that station's waiting reports now, ahead of a backlog, in one bounded turn", async () => {
    const batch = new StationWriteBatch(store, (l) => logs.push(l));
    const others = Array.from({ length: 3 * MAX_REPORTS_PER_TURN }, (_, i) =>
      batch.report({
        stationId: 'ST16',
        evseId: 1 + (i % 2),
        report: report(i % 4 < 2 ? 'Occupied' : 'Available'),
        actor: 'station:ST16',
      }),
    );
    const own = batch.report({ stationId: 'ST201', evseId: 2, report: report('Faulted'), actor: 'station:ST201' });
    const before = store.seq;
    batch.flushStation('ST201');
    assert.equal(store.points.get('ST201-2')!.reported.status, 'Faulted', 'written before it is marked offline');
    assert.equal(store.seq - before, MAX_REPORTS_PER_TURN, 'one bounded turn, its report first');
    await own;
    await Promise.all(others);
  });

  it('flush() stops at a turn whose transaction failed; the rest is tried in later turns', async () => {
    const batch = new StationWriteBatch(store, (l) => logs.push(l));
    const replies = backlog(batch, 3 * MAX_REPORTS_PER_TURN).map((p) =>
      p.then(
        () => 'stored',
        () => 'failed',
      ),
    );
    // A store that fails every write as a whole (a full disk, a lock never released) cannot be made here on demand.
    const points = store.points;
    const setReportedMany = points.setReportedMany.bind(points);
    let attempts = 0;
    points.setReportedMany = () => {
      attempts++;
      throw new Error('disk I/O error');
    };
    try {
      batch.flush();
    } finally {
      points.setReportedMany = setReportedMany;
    }
    assert.equal(attempts, 1, 'one failing turn, not one a chunk of the backlog');
    const outcomes = await Promise.all(replies);
    assert.equal(outcomes.filter((o) => o === 'failed').length, MAX_REPORTS_PER_TURN);
    assert.equal(outcomes.filter((o) => o === 'stored').length, 2 * MAX_REPORTS_PER_TURN);
  });

  it('flush() writes the whole backlog at once (closing down)', async () => {
    const batch = new StationWriteBatch(store, (l) => logs.push(l));
    const before = store.seq;
    const replies = backlog(batch, 3 * MAX_REPORTS_PER_TURN);
    batch.flush();
    assert.equal(store.seq, before + 3 * MAX_REPORTS_PER_TURN);
    await Promise.all(replies);
  });
});
