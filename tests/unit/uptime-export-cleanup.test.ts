// The cleanup of <data>/exports (electron/core/uptimeExport.ts) against a real folder, on a manual clock: the sweep
// every EXPORT_SWEEP_MS removes what the per-export timers missed (a file no export of this console holds once it is
// untouched for the retention, a removal that failed), never an export being written or downloaded, never a file the
// exporter would not name; a crash's leftovers go at start, a desktop export's partial file beside the person's file
// too. The report comes from a small local HTTP server whose answers the test holds open or ends.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { UPTIME_REPORT_PATH, type UptimeExportProgress } from '../../common/uptime.js';
import { EXPORT_KEPT_MS, EXPORT_SWEEP_MS, UptimeExports } from '../../electron/core/uptimeExport.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const REQUEST = { kind: 'outages', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' } as const;
const ID_A = '0b7c1f7e-5d1e-4a53-9a3e-0c1d2e3f4a5b';
const ID_B = '1c8d2a8f-6e2f-4b64-8b4f-1d2e3f4a5b6c';
const ID_C = '2d9e3b90-7f30-4c75-9c50-2e3f4a5b6c7d';

describe('the cleanup of exports/', () => {
  let dir: { path: string; remove(): void };
  let exportsDir: string;
  // Starts at the real time: the files' own times (written by the exporter) are compared with this clock.
  let clock: ManualClock;
  let progress: UptimeExportProgress[];
  let logs: string[];
  let made: UptimeExports[];
  let server: Server;
  let url: string;
  /** Reports answered while true are held open (an export in progress) until release(). */
  let hold: boolean;
  let held: ServerResponse[];

  beforeEach(async () => {
    dir = tempDir('uptime-export-cleanup');
    exportsDir = path.join(dir.path, 'exports');
    mkdirSync(exportsDir);
    clock = new ManualClock(Date.now());
    progress = [];
    logs = [];
    made = [];
    hold = false;
    held = [];
    server = createServer((req, res) => {
      assert.ok(req.url!.startsWith(UPTIME_REPORT_PATH));
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('station_id,port_id\r\nS1,1\r\n');
      if (hold) held.push(res);
      else res.end('S1,2\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    for (const e of made) e.close();
    release();
    await waitFor('every export ends', () => progress.every((p) => endOf(p.exportId) !== 'running'));
    server.closeAllConnections(); // fetch's kept-alive sockets
    await new Promise((resolve) => server.close(resolve));
    dir.remove();
  });

  const open = () => {
    const e = new UptimeExports(exportsDir, (p) => progress.push(p), { clock, log: (l) => logs.push(l) });
    made.push(e);
    return e;
  };
  const release = () => {
    for (const res of held.splice(0)) res.end('S1,2\r\n');
  };
  const endOf = (id: string) => progress.filter((p) => p.exportId === id).at(-1)?.state ?? 'running';
  const files = () => readdirSync(exportsDir).sort();
  /** A file under exports/ last written `ageMs` ago on the clock. */
  const put = (name: string, ageMs: number) => {
    const file = path.join(exportsDir, name);
    writeFileSync(file, 'station_id,port_id\r\n');
    const at = new Date(clock.now() - ageMs);
    utimesSync(file, at, at);
    return file;
  };
  const finish = async (e: UptimeExports, saveTo?: string) => {
    const { exportId } = e.start(REQUEST, { url, token: 't' }, saveTo);
    await waitFor('the export ends', () => endOf(exportId) !== 'running');
    assert.equal(endOf(exportId), 'done');
    return exportId;
  };
  const writing = async (e: UptimeExports, saveTo?: string) => {
    const { exportId } = e.start(REQUEST, { url, token: 't' }, saveTo);
    const part = `${saveTo ?? path.join(exportsDir, `${exportId}.csv`)}.part`;
    await waitFor('the export is being written', () => existsSync(part) && statSync(part).size > 0);
    return { exportId, part };
  };

  it('an old finished export is removed by the sweep, also one this console does not hold', async () => {
    const e = open();
    const id = await finish(e);
    // Written after this console started (its removal failed and was forgotten, or another console's), untouched
    // for the retention.
    put(`${ID_A}.csv`, EXPORT_KEPT_MS + 1);
    clock.advance(EXPORT_SWEEP_MS);
    assert.deepEqual(files(), [`${id}.csv`], 'the one nobody holds, past the retention, is gone at the sweep');
    clock.advance(EXPORT_KEPT_MS - EXPORT_SWEEP_MS);
    assert.deepEqual(files(), [], 'its own, at its retention');
    assert.equal(e.fileOf(id), null);
  });

  it('a fresh finished export is kept until it is as old as the retention, and while it is downloaded', async () => {
    const e = open();
    const id = await finish(e);
    const reading = e.download(id)!;
    put(`${ID_A}.csv`, EXPORT_KEPT_MS + 1);
    put(`${ID_B}.csv`, 0);
    clock.advance(EXPORT_SWEEP_MS);
    assert.deepEqual(files(), [`${id}.csv`, `${ID_B}.csv`].sort(), 'the old one gone, the fresh ones kept');
    assert.notEqual(e.fileOf(id), null, 'still offered for download');
    clock.advance(3 * EXPORT_KEPT_MS);
    assert.deepEqual(files(), [`${id}.csv`], 'the fresh one nobody holds goes once as old as the retention');
    reading.end(true);
    assert.deepEqual(files(), [], 'its own goes once its download ends');
  });

  it('an export in progress is kept however long it runs, and then finishes', async () => {
    hold = true;
    const e = open();
    const web = await writing(e);
    const chosen = path.join(dir.path, 'chosen', 'report.csv');
    mkdirSync(path.dirname(chosen));
    const desktop = await writing(e, chosen);
    put(`${ID_A}.csv.part`, EXPORT_KEPT_MS + 1); // no export writes it any more
    put(`${ID_B}.csv.part`, 0); // another console's, being written
    const ours = [`${web.exportId}.csv.part`, `${desktop.exportId}.saving`];
    clock.advance(EXPORT_SWEEP_MS);
    assert.deepEqual(files(), [...ours, `${ID_B}.csv.part`].sort(), 'the stale partial file gone, fresh ones kept');
    clock.advance(3 * EXPORT_KEPT_MS);
    assert.deepEqual(files(), ours.sort(), 'its own kept while they are written; the other one, untouched, gone');
    assert.ok(existsSync(desktop.part));
    release();
    await waitFor('both exports end', () => endOf(web.exportId) !== 'running' && endOf(desktop.exportId) !== 'running');
    assert.equal(endOf(web.exportId), 'done');
    assert.equal(endOf(desktop.exportId), 'done');
    assert.deepEqual(files(), [`${web.exportId}.csv`]);
    assert.deepEqual(readdirSync(path.dirname(chosen)), ['report.csv']);
  });

  it('an export given relative paths, for the folder and for the chosen file, is held while written', async () => {
    hold = true;
    const cwd = process.cwd();
    process.chdir(dir.path);
    try {
      mkdirSync('chosen');
      const e = new UptimeExports('exports', (p) => progress.push(p), { clock, log: (l) => logs.push(l) });
      made.push(e);
      const { exportId } = e.start(REQUEST, { url, token: 't' });
      const webPart = path.join(exportsDir, `${exportId}.csv.part`);
      await waitFor('the export is being written', () => existsSync(webPart) && statSync(webPart).size > 0);
      const desktop = await writing(e, path.join('chosen', 'report.csv'));
      clock.advance(3 * EXPORT_KEPT_MS);
      assert.ok(existsSync(webPart), 'the partial file under exports/ kept');
      assert.ok(existsSync(desktop.part), 'the partial file beside the chosen one kept');
      release();
      await waitFor('both exports end', () => endOf(exportId) !== 'running' && endOf(desktop.exportId) !== 'running');
      assert.equal(endOf(desktop.exportId), 'done');
      assert.deepEqual(readdirSync(path.join(dir.path, 'chosen')), ['report.csv']);
    } finally {
      process.chdir(cwd);
    }
  });

  it('files the exporter would not name are left alone, at start and at each sweep', () => {
    const outside = path.join(dir.path, 'elsewhere.csv');
    writeFileSync(outside, 'x');
    const theirs = [
      'my-notes.csv',
      'uptime-monthly-2026-01-01-to-2026-02-01.csv',
      `${ID_A}.txt`,
      `${ID_A.toUpperCase()}.csv`,
      `x${ID_A}.csv`,
      `${ID_A}.csv.bak`,
      `${ID_A}.saving.txt`,
    ];
    const placeTheirs = () => {
      for (const name of theirs) put(name, 10 * EXPORT_KEPT_MS);
      mkdirSync(path.join(exportsDir, `${ID_B}.csv`));
      writeFileSync(path.join(exportsDir, `${ID_B}.csv`, 'inside.csv'), 'x');
      symlinkSync(outside, path.join(exportsDir, `${ID_C}.csv`));
    };
    placeTheirs();
    const expected = [...theirs, `${ID_B}.csv`, `${ID_C}.csv`].sort();
    open();
    assert.deepEqual(files(), expected, 'at start');
    put(`${ID_A}.csv`, 10 * EXPORT_KEPT_MS); // the exporter's own name, beside them: removed
    clock.advance(EXPORT_SWEEP_MS);
    assert.deepEqual(files(), expected, 'at the sweep');
    assert.ok(existsSync(path.join(exportsDir, `${ID_B}.csv`, 'inside.csv')));
    assert.ok(existsSync(outside));
    assert.deepEqual(logs, []);
  });

  it("a crash's leftovers are removed at start, with a desktop export's partial file beside the chosen one", async () => {
    hold = true;
    const chosenDir = path.join(dir.path, 'chosen');
    mkdirSync(chosenDir);
    writeFileSync(path.join(chosenDir, 'earlier.csv'), 'the person’s own');
    // The run that crashes: a download waiting, an export being written under exports/ and one beside the chosen file.
    const crashed = open();
    hold = false;
    await finish(crashed);
    hold = true;
    await writing(crashed);
    const desktop = await writing(crashed, path.join(chosenDir, 'report.csv'));
    put('my-notes.csv', 0);
    // The next start (the crashed run's process is gone: nothing of it runs on).
    const clockOfCrashed = clock;
    clock = new ManualClock(clockOfCrashed.now() + 60_000);
    open();
    assert.deepEqual(files(), ['my-notes.csv']);
    assert.equal(existsSync(desktop.part), false, 'the partial file beside the chosen one is gone');
    assert.deepEqual(readdirSync(chosenDir), ['earlier.csv']);
  });

  it('a removal that fails is logged once and tried again at each sweep, never thrown out of the clock', async () => {
    const e = open();
    const id = await finish(e);
    const file = path.join(exportsDir, `${id}.csv`);
    // Something holds the name so that it cannot be removed (here: a folder with a file in it).
    rmSync(file);
    mkdirSync(file);
    writeFileSync(path.join(file, 'inside'), 'x');
    clock.advance(EXPORT_KEPT_MS); // the retention: its removal fails
    clock.advance(2 * EXPORT_SWEEP_MS); // two sweeps: it fails again
    assert.equal(e.fileOf(id), null, 'no longer offered');
    assert.equal(logs.length, 1, logs.join('\n'));
    assert.match(logs[0], new RegExp(`could not remove .*${id}\\.csv`));
    rmSync(file, { recursive: true });
    writeFileSync(file, 'station_id,port_id\r\n');
    utimesSync(file, new Date(clock.now()), new Date(clock.now())); // fresh: only the retry removes it, not the age rule
    clock.advance(EXPORT_SWEEP_MS);
    assert.deepEqual(files(), []);
    assert.equal(logs.length, 1);
  });
});
