// CSV exports from the console (electron/core/uptimeExport.ts) against a real backend: a whole export arrives with
// its rows counted against the backend's announced total and is renamed complete only at its end; a large export
// cancelled midway stops the backend's work (its log says so) and leaves no file behind, partial or complete.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { UptimeExportProgress } from '../../common/uptime.js';
import { dispatch } from '../../electron/core/api/dispatch.js';
import { MONTHLY_FIELDS } from '../../backend/history/csvReport.js';
import { smallNetwork, startTestBackend, TEST_USERS, type TestBackend } from '../support/backendHarness.js';
import { openConsole, waitLive, type TestConsole } from '../support/consoles.js';
import { tempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';
import { skipOnPostgres } from '../support/postgresSkips.js';

const operator = TEST_USERS.find((u) => u.role === 'operator')!;

describe('uptime CSV exports from the console', skipOnPostgres('uptime export'), () => {
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
