// CSV exports from the console (electron/core/uptimeExport.ts) against a real backend: a whole export arrives with
// its rows counted against the backend's announced total and is renamed complete only at its end; a large export
// cancelled midway stops the backend's work (its log says so) and leaves no file behind, partial or complete. A
// finished export's file is removed once downloaded whole from the web host's route, when discarded, or after its
// retention on the (manual) clock, never while a download of it runs; files an earlier run left are removed at start.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { UPTIME_EXPORT_DOWNLOAD_PATH, type UptimeExportProgress } from '../../common/uptime.js';
import { dispatch } from '../../electron/core/api/dispatch.js';
import { UptimeExports } from '../../electron/core/uptimeExport.js';
import { serveExport } from '../../electron/host/exportDownload.js';
import { MONTHLY_FIELDS } from '../../backend/history/csvReport.js';
import { smallNetwork, startTestBackend, TEST_USERS, tokenFor, type TestBackend } from '../support/backendHarness.js';
import { openConsole, waitLive, type TestConsole } from '../support/consoles.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const operator = TEST_USERS.find((u) => u.role === 'operator')!;

describe("the console's last figures at quit", () => {
  it('figures asked for just before close() are on disk when it resolves', async () => {
    const b = await startTestBackend({ network: smallNetwork(2, 2) });
    const profile = tempDir('uptime-quit');
    const c = openConsole(b.url, { username: operator.username, password: operator.password }, profile.path);
    try {
      await waitLive(c);
      const to = new Date(Math.ceil(Date.now() / 86_400_000) * 86_400_000);
      const asked = {
        scope: 'network' as const,
        from: new Date(to.getTime() - 7 * 86_400_000).toISOString(),
        to: to.toISOString(),
        daily: true,
      };
      const reply = await c.core.getUptime(asked);
      await c.close();
      const file = path.join(profile.path, 'uptime-figures.json');
      assert.ok(existsSync(file), 'written before close() resolved');
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { entries: { reply: unknown }[] };
      assert.deepEqual(saved.entries[0].reply, reply);
    } finally {
      await c.close();
      await b.dispose();
      profile.remove();
    }
  });
});

describe('uptime CSV exports from the console', () => {
  let b: TestBackend;
  let profile: { path: string; remove(): void };
  let c: TestConsole;

  before(async () => {
    // 3,004 points: a 14-month monthly report is some 42,000 rows, long enough to cancel in the middle.
    b = await startTestBackend({ network: smallNetwork(300, 10) });
    profile = tempDir('uptime-export');
    c = openConsole(b.url, { username: operator.username, password: operator.password }, profile.path);
    await waitLive(c);
  });
  after(async () => {
    await c.close();
    await b.dispose();
    profile.remove();
  });

  const progressOf = (id: string) =>
    c.events
      .filter((e) => e.name === 'uptimeExport')
      .map((e) => e.payload as UptimeExportProgress)
      .filter((p) => p.exportId === id);
  const lastOf = (id: string) => progressOf(id).at(-1);
  const ended = (id: string) => ['done', 'cancelled', 'failed'].includes(lastOf(id)?.state ?? 'running');
  const exportsDir = () => path.join(profile.path, 'exports');

  it('a whole export: every row the backend announced, the file complete only at the end', async () => {
    const started = await c.core.startUptimeExport({
      kind: 'monthly',
      from: '2026-01-01T00:00:00Z',
      to: '2026-04-01T00:00:00Z',
    });
    assert.equal(started.state, 'running');
    assert.equal(started.fileName, 'uptime-monthly-2026-01-01-to-2026-04-01.csv');
    await waitFor('the export ends', () => ended(started.exportId), 60_000);
    const done = lastOf(started.exportId)!;
    assert.equal(done.state, 'done', JSON.stringify(done));
    assert.equal(done.rowsTotal, 3_004 * 3);
    assert.equal(done.rowsDone, done.rowsTotal);
    const file = c.core.exports.fileOf(started.exportId)!;
    const lines = readFileSync(file.file, 'utf8').trimEnd().split('\r\n');
    assert.equal(lines[0], MONTHLY_FIELDS.join(','));
    assert.equal(lines.length - 1, done.rowsTotal);
    assert.deepEqual(readdirSync(exportsDir()), [`${started.exportId}.csv`]);
  });

  it('cancelled midway: the backend stops, nothing of the export is left', async () => {
    const started = await c.core.startUptimeExport({
      kind: 'monthly',
      from: '2025-11-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
    });
    await waitFor('rows arrive', () => (lastOf(started.exportId)?.rowsDone ?? 0) > 0, 60_000);
    const midway = lastOf(started.exportId)!;
    assert.equal(midway.state, 'running');
    assert.ok(midway.rowsDone < midway.rowsTotal!, `${midway.rowsDone} of ${midway.rowsTotal}`);
    assert.deepEqual(await c.core.cancelUptimeExport({ exportId: started.exportId }), { cancelled: true });
    await waitFor('the export ends', () => ended(started.exportId), 30_000);
    assert.equal(lastOf(started.exportId)!.state, 'cancelled');
    await waitFor('the backend stops computing', () =>
      b.logs.some((l) => /reports: .*monthly report cancelled after \d+ lines/.test(l)),
    );
    assert.equal(c.core.exports.fileOf(started.exportId), null);
    const left = readdirSync(exportsDir()).filter((f) => f.startsWith(started.exportId));
    assert.deepEqual(left, [], 'no partial file and no complete-looking one');
    assert.equal(existsSync(path.join(exportsDir(), `${started.exportId}.csv`)), false);
    assert.deepEqual(await c.core.cancelUptimeExport({ exportId: started.exportId }), { cancelled: false });
  });

  it('bad input is refused before anything starts', async () => {
    const before = readdirSync(exportsDir()).length;
    await assert.rejects(
      dispatch(c.core, 'startUptimeExport', {
        kind: 'everything',
        from: '2026-01-01T00:00:00Z',
        to: '2026-02-01T00:00:00Z',
      }),
      /startUptimeExport: kind/,
    );
    await assert.rejects(
      dispatch(c.core, 'startUptimeExport', {
        kind: 'outages',
        from: '2025-01-01T00:00:00Z',
        to: '2026-03-01T00:00:00Z',
      }),
      /at most 400 days/,
    );
    await assert.rejects(
      dispatch(c.core, 'startUptimeExport', { kind: 'outages', from: 'yesterday', to: '2026-03-01T00:00:00Z' }),
      /startUptimeExport: from/,
    );
    assert.equal(readdirSync(exportsDir()).length, before);
  });
});

describe('finished exports are not kept on disk', () => {
  const KEPT_MS = 60 * 60 * 1000;
  let b: TestBackend;
  let token: string;
  let dir: { path: string; remove(): void };
  let clock: ManualClock;
  let exports: UptimeExports;
  let progress: UptimeExportProgress[];
  let host: Server;
  let hostUrl: string;

  before(async () => {
    b = await startTestBackend({ network: smallNetwork(20, 10) });
    token = await tokenFor(b.url, operator.username);
    dir = tempDir('uptime-export-files');
    // What an earlier run left: exports (finished and partial) that nobody can download any more, and a file of the
    // person's own that is not an export.
    mkdirSync(path.join(dir.path, 'exports'));
    for (const name of [
      '0b7c1f7e-5d1e-4a53-9a3e-0c1d2e3f4a5b.csv',
      '1c8d2a8f-6e2f-4b64-8b4f-1d2e3f4a5b6c.csv.part',
      'my-notes.csv',
    ]) {
      writeFileSync(path.join(dir.path, 'exports', name), 'x');
    }
    clock = new ManualClock(Date.parse('2026-12-05T09:00:00Z'));
    progress = [];
    exports = new UptimeExports(path.join(dir.path, 'exports'), (p) => progress.push(p), { clock, keptMs: KEPT_MS });
    // The web host's download route over a real HTTP server (its session checks are the host's, tested there).
    host = createServer((req, res) => serveExport({ exports }, new URL(req.url!, 'http://x').pathname, res, 0));
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  });
  after(async () => {
    exports.close();
    await new Promise((resolve) => host.close(resolve));
    await b.dispose();
    dir.remove();
  });

  const files = () => readdirSync(path.join(dir.path, 'exports')).sort();
  const finish = async () => {
    const started = exports.start(
      { kind: 'outages', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' },
      { url: b.url, token },
    );
    await waitFor('the export ends', () =>
      progress.some((p) => p.exportId === started.exportId && p.state !== 'running'),
    );
    assert.equal(progress.at(-1)!.state, 'done', JSON.stringify(progress.at(-1)));
    return started.exportId;
  };
  const fileName = (id: string) => `${id}.csv`;

  it("an earlier run's exports are removed at start, nothing else", () => {
    assert.deepEqual(files(), ['my-notes.csv']);
  });

  it('downloaded whole from the web host: removed at once, and not offered again', async () => {
    const id = await finish();
    assert.ok(files().includes(fileName(id)));
    const res = await fetch(`${hostUrl}${UPTIME_EXPORT_DOWNLOAD_PATH}${id}`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /^station_id,/);
    await waitFor('the downloaded file is removed', () => !files().includes(fileName(id)));
    assert.equal((await fetch(`${hostUrl}${UPTIME_EXPORT_DOWNLOAD_PATH}${id}`)).status, 404);
  });

  it('never downloaded: kept for its retention on the clock, then removed', async () => {
    const id = await finish();
    clock.advance(KEPT_MS - 1);
    assert.ok(files().includes(fileName(id)), 'kept until its retention ends');
    assert.notEqual(exports.fileOf(id), null);
    clock.advance(1);
    assert.ok(!files().includes(fileName(id)), 'removed at its retention');
    assert.equal(exports.fileOf(id), null);
    assert.equal((await fetch(`${hostUrl}${UPTIME_EXPORT_DOWNLOAD_PATH}${id}`)).status, 404);
  });

  it('a download running past the retention keeps the file until it ends', async () => {
    const id = await finish();
    const reading = exports.download(id)!;
    clock.advance(KEPT_MS + 1);
    assert.ok(files().includes(fileName(id)), 'never removed while it is read');
    assert.equal(exports.download(id), null, 'but not offered to a new download');
    // Cut short (the page went away): past its retention, so removed now.
    reading.end(false);
    assert.ok(!files().includes(fileName(id)));
  });

  it('a download cut short keeps the file for another try within the retention', async () => {
    const id = await finish();
    exports.download(id)!.end(false);
    assert.ok(files().includes(fileName(id)));
    const again = exports.download(id)!;
    assert.equal(readFileSync(again.file, 'utf8').split('\r\n')[0].split(',')[0], 'station_id');
    again.end(true);
    assert.ok(!files().includes(fileName(id)));
  });

  it('discarded (cancel after it finished): removed, after the download that is running', async () => {
    const id = await finish();
    const reading = exports.download(id)!;
    assert.equal(exports.cancel(id), true);
    assert.ok(files().includes(fileName(id)), 'the running download goes on');
    reading.end(true);
    assert.ok(!files().includes(fileName(id)));
    assert.equal(exports.cancel(id), false, 'nothing left to discard');
    const other = await finish();
    assert.equal(exports.cancel(other), true);
    assert.ok(!files().includes(fileName(other)));
    assert.equal(exports.cancel('not-an-export'), false);
  });

  it('a file saved where the person chose is theirs: never removed', async () => {
    const chosen = path.join(dir.path, 'chosen.csv');
    const started = exports.start(
      { kind: 'outages', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' },
      { url: b.url, token },
      chosen,
    );
    await waitFor('the export ends', () => progress.some((p) => p.exportId === started.exportId && p.state === 'done'));
    clock.advance(10 * KEPT_MS);
    assert.equal(exports.cancel(started.exportId), false);
    exports.close();
    assert.ok(existsSync(chosen));
    assert.deepEqual(files(), ['my-notes.csv']);
  });
});
