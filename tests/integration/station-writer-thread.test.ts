// The station writer thread (backend/ocpp/stationWriter.ts): station reports written on a thread of their own, taking
// turns with the event loop's writes (node/writerHandoff.ts). A real SQLite file, real OCPP-J stations, a real
// socket.io console. SQLite only: on PostgreSQL the backend runs no such thread.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Worker } from 'node:worker_threads';
import type { MutateReply } from '../../common/protocol.js';
import { StationWriteBatch } from '../../backend/ocpp/stationWriteBatch.js';
import { InvalidPointError, type Report, type StationReport } from '../../backend/store/points.js';
import {
  connectStation,
  consoleAs,
  setStatus,
  smallNetwork,
  startTestBackend,
  type TestBackend,
  type TestConsole,
} from '../support/backendHarness.js';
import { onPostgres } from '../support/testStore.js';
import { waitFor } from '../support/waitFor.js';

const BULK_STATIONS = 100;
const STATUSES: Report['status'][] = ['Occupied', 'Faulted', 'Available', 'Unavailable'];

const sqliteOnly = onPostgres ? { skip: 'on PostgreSQL the backend runs no writer thread' } : {};

describe('station reports on a writer thread', sqliteOnly, () => {
  let b: TestBackend;
  let op: TestConsole;
  let batch: StationWriteBatch;
  const report = (stationId: string, evseId: number, status: Report['status']): StationReport => ({
    stationId,
    evseId,
    report: {
      status,
      errorCode: status === 'Faulted' ? 'GroundFailure' : null,
      info: null,
      at: new Date().toISOString(),
    },
    actor: `station:${stationId}`,
  });

  before(async () => {
    b = await startTestBackend({ stationWriterThread: true, network: smallNetwork(BULK_STATIONS, 10) });
    op = await consoleAs(b.url, 'operator');
    assert.ok(b.stationWriter, 'the backend runs the thread');
    batch = new StationWriteBatch(b.store, () => undefined, b.stationWriter);
  });
  after(async () => {
    op.close();
    await b.dispose();
  });

  it('writes a station’s reports over OCPP: stored, audited, in the history, sent to consoles in order', async () => {
    const st = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
    try {
      await st.boot();
      const versionBefore = b.store.history.figuresVersion;
      await st.status(1, 'Charging');
      await st.status(2, 'Faulted', { errorCode: 'GroundFailure' });
      // The reply comes after the commit: the main thread's connection sees what the thread wrote.
      const faulted = b.store.points.get('ST16-2')!;
      assert.equal(b.store.points.get('ST16-1')!.reported.status, 'Occupied');
      assert.equal(faulted.reported.status, 'Faulted');
      const [entry] = b.store.audit.history('ST16-2', 1);
      assert.deepEqual([entry.fact, entry.to, entry.reason], ['reported', 'Faulted', 'GroundFailure']);
      const n = b.store.history.numberOf('ST16-2', Date.now());
      assert.equal(b.store.history.openOf([n]).get(n)?.status, 'Faulted', 'the history has the outage open');
      // Recorded on the thread, the outage still moves the main thread's uptime figures (its caches' version).
      assert.ok(b.store.history.changedSince(versionBefore)?.has(n), 'the main thread knows the figures moved');
      await waitFor('the console has the reports', () =>
        op.changes.some((c) => c.points.some((p) => p.id === 'ST16-2' && p.reported.status === 'Faulted')),
      );
      const carrying = op.changes.find((c) => c.points.some((p) => p.id === 'ST16-2' && p.seq === faulted.seq))!;
      assert.ok(carrying.fromSeq <= faulted.seq && faulted.seq <= carrying.toSeq, 'sent in the range of its seq');
    } finally {
      await st.close();
    }
  });

  it('does not keep a person’s edit waiting for the thread’s backlog', async () => {
    const reports: Promise<void>[] = [];
    for (let i = 0; i < 20_000; i++) {
      const station = `BULK${i % BULK_STATIONS}`;
      reports.push(batch.report(report(station, 1 + (Math.floor(i / BULK_STATIONS) % 10), STATUSES[i % 4])));
    }
    let allStored = false;
    const stored = Promise.all(reports).then(() => (allStored = true));
    // The backlog reaches the thread at the end of this turn; the edit comes in while it is being written.
    await new Promise((resolve) => setImmediate(resolve));
    const target = b.store.points.get('ST201-1')!;
    const reply = await op.request<MutateReply>('mutate', {
      mutations: [
        setStatus([{ pointId: target.id, baseVersion: target.operator.version }], {
          status: 'Maintenance',
          reason: 'planned',
        }),
      ],
    });
    assert.ok(reply.ok, JSON.stringify(reply));
    assert.equal(reply.data.outcomes[0].result, 'applied');
    assert.equal(allStored, false, 'the edit was answered while the reports were still being written');
    const editSeq = b.store.points.get(target.id)!.seq;
    await stored;
    const lastReportSeq = Math.max(...b.store.points.changedSince(editSeq).map((p) => p.seq));
    assert.ok(lastReportSeq > editSeq, 'reports written after the edit took later seqs');
    assert.equal(b.store.points.get('BULK0-1')!.reported.status !== undefined, true);
  });

  it('answers stored() for what was sent before it, while more keeps coming', async () => {
    let sending = true;
    let sent = 0;
    const keepSending = () => {
      if (!sending) return;
      void batch.report(report(`BULK${sent % BULK_STATIONS}`, 1 + (sent % 10), STATUSES[sent % 4]));
      sent++;
      setImmediate(keepSending);
    };
    keepSending();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = sent;
    await batch.stored();
    const whenStored = sent;
    sending = false;
    assert.ok(whenStored > before, 'reports were still being sent when stored() answered');
  });

  it('rolls up the outages of a point whose zone the main thread cut after the thread had read the zones', async () => {
    const DAY = 86_400_000;
    const outageOf = (n: number) =>
      b.store.history.rollups
        .rowsBetween(Date.now() - 2 * DAY, Date.now() + DAY)
        .filter((r) => r[0] === n)
        .reduce((sum, r) => sum + r[3], 0);
    const pause = () => new Promise((resolve) => setTimeout(resolve, 30));
    const outage = async (stationId: string, evseId: number) => {
      await batch.report(report(stationId, evseId, 'Faulted'));
      await pause();
      await batch.report(report(stationId, evseId, 'Available'));
    };
    // Connected: a report changes what the point shows (a station offline shows Offline whatever it reports).
    for (const id of ['BULK50', 'BULK51']) b.store.points.setConnection(id, true, new Date().toISOString(), 'system');
    const x = b.store.history.numberOf('BULK50-1', Date.now());
    // BULK50-1 is not rolled up (no zone), and the thread reads the zones, without it, when it closes an outage.
    b.store.db.prepare('test: drop a zone', 'DELETE FROM history_rollup_zones WHERE n = ?').run(x);
    b.store.history.rollups.forgetZones();
    await outage('BULK51', 1);
    // The main thread cuts BULK50-1's days (as its reconcile does for a new point); its outages count from now on.
    b.store.history.rollups.reconcile(new Map([[x, 'UTC']]));
    const before = outageOf(x);
    await outage('BULK50', 1);
    assert.ok(outageOf(x) > before, 'the outage closed on the thread is in BULK50-1’s roll-up');
  });

  it('refuses a report the store cannot take, alone, and tells why', async () => {
    const good = batch.report(report('ST16', 1, 'Available'));
    const outside = batch.report(report('ST16', 3, 'Available'));
    const alsoGood = batch.report(report('ST201', 2, 'Occupied'));
    await assert.rejects(outside, (err: Error) => err instanceof InvalidPointError && /no EVSE 3/.test(err.message));
    await Promise.all([good, alsoGood]);
    assert.equal(b.store.points.get('ST16-1')!.reported.status, 'Available');
    assert.equal(b.store.points.get('ST201-2')!.reported.status, 'Occupied');
    assert.ok(!b.store.points.get('ST16-3'), 'no point was made for it');
  });

  it('flush() returns once everything sent is written: a later write of the event loop comes after it', () => {
    b.store.points.setConnection('BULK7', true, new Date().toISOString(), 'system');
    const before = b.store.seq;
    for (let i = 0; i < 500; i++) void batch.report(report('BULK7', 1 + (i % 10), STATUSES[(i + 1) % 4]));
    batch.flush();
    const last = b.store.points.get('BULK7-10')!;
    assert.equal(last.reported.status, STATUSES[500 % 4], 'the last report to BULK7-10 is stored');
    const at = new Date().toISOString();
    b.store.points.setConnection('BULK7', false, at, 'system');
    const disconnected = b.store.points.get('BULK7-1')!;
    assert.ok(disconnected.seq > last.seq && last.seq > before, 'the disconnection is ordered after the reports');
  });

  it('writes on the event loop once the thread has stopped, and fails nothing that waits forever', async () => {
    const writer = b.stationWriter!;
    // A crash of the thread (it cannot be made to crash from outside): terminated as it writes a backlog.
    const backlog = Array.from({ length: 5_000 }, (_, i) =>
      batch.report(report(`BULK${i % BULK_STATIONS}`, 1 + (i % 10), STATUSES[(i + 2) % 4])).then(
        () => 'stored',
        (err: Error) => err.message,
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    await (writer as unknown as { worker: Worker }).worker.terminate();
    const outcomes = await Promise.all(backlog);
    assert.ok(writer.stopped, 'the writer says it stopped');
    assert.ok(
      outcomes.every((o) => o === 'stored' || /station writer thread stopped/.test(o)),
      'each report is stored or told that the thread stopped',
    );
    assert.match(b.logs.join('\n'), /station reports are written on the main thread from now on/);
    const st = await connectStation(b.ocppUrl, 'ST201', 'ocpp2.0.1');
    try {
      await st.boot();
      await st.status(1, 'Faulted');
      assert.equal(b.store.points.get('ST201-1')!.reported.status, 'Faulted');
    } finally {
      await st.close();
    }
  });
});

describe('a station writer thread that commits nothing', sqliteOnly, () => {
  // Without the watchdog the report would wait for ever: the timeout makes that a failure.
  it(
    'is given up once reports have waited silentWriterMs, with no write of the event loop waiting for it',
    { timeout: 20_000 },
    async () => {
      const silentWriterMs = 300;
      const b = await startTestBackend({
        stationWriterThread: {
          workerUrl: new URL('../support/silentStationWriter.mjs', import.meta.url),
          silentWriterMs,
        },
        network: smallNetwork(2, 2),
      });
      try {
        const batch = new StationWriteBatch(b.store, () => undefined, b.stationWriter);
        const sentAt = performance.now();
        const stuck = batch.report({
          stationId: 'BULK0',
          evseId: 1,
          report: { status: 'Faulted', errorCode: 'GroundFailure', info: null, at: new Date().toISOString() },
          actor: 'station:BULK0',
        });
        // Nothing but the watchdog's timer is running: no flush, no close, no other write waits for the thread.
        await assert.rejects(stuck, /station writer thread committed nothing for 0.3 s/);
        assert.ok(performance.now() - sentAt >= silentWriterMs, 'not given up before its time');
        assert.ok(b.stationWriter!.stopped, 'the writer says it stopped');
        assert.match(b.logs.join('\n'), /station reports are written on the main thread from now on/);
        await batch.report({
          stationId: 'BULK0',
          evseId: 1,
          report: { status: 'Occupied', errorCode: null, info: null, at: new Date().toISOString() },
          actor: 'station:BULK0',
        });
        assert.equal(b.store.points.get('BULK0-1')!.reported.status, 'Occupied', 'the next report is written inline');
      } finally {
        await b.dispose();
      }
    },
  );

  it('is not given up while it commits, however long its backlog takes', async () => {
    // Longer than one commit of the thread here (at most 10,000 reports), shorter than the whole backlog.
    const silentWriterMs = 1_500;
    const b = await startTestBackend({ stationWriterThread: { silentWriterMs }, network: smallNetwork(20, 10) });
    // A console watching (its connection keeps this process up while only the thread works).
    const watcher = await consoleAs(b.url, 'viewer');
    try {
      const batch = new StationWriteBatch(b.store, () => undefined, b.stationWriter);
      const sentAt = performance.now();
      const reports = Array.from({ length: 100_000 }, (_, i) =>
        batch.report({
          stationId: `BULK${i % 20}`,
          evseId: 1 + (i % 10),
          report: { status: STATUSES[i % 4], errorCode: null, info: null, at: new Date().toISOString() },
          actor: 'station:probe',
        }),
      );
      await Promise.all(reports);
      assert.ok(performance.now() - sentAt > silentWriterMs, 'the backlog took longer than the limit');
      assert.equal(b.stationWriter!.stopped, null, 'still writing on its thread');
    } finally {
      watcher.close();
      await b.dispose();
    }
  });
});
