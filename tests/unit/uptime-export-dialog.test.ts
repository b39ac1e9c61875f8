// The desktop's save dialog for CSV exports (electron/shell/exportSaveDialog.ts): the export starts only with the file
// the person chose (never a path from the renderer), a closed dialog starts nothing, bad params are the dispatcher's
// to refuse, and other calls pass through. Electron's dialog itself is not available here: a recorded stand-in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConsoleApiError } from '../../common/consoleApi.js';
import type { UptimeExportProgress, UptimeExportRequest } from '../../common/uptime.js';
import {
  askExportPath,
  callWithSaveDialog,
  EXPORT_NOT_SAVED,
  type SaveDialog,
  type SaveDialogOptions,
} from '../../electron/shell/exportSaveDialog.js';

const request = { kind: 'outages', from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', siteId: 'S/1 x' };

function recorder(answer: string | null) {
  const calls = { dispatched: [] as unknown[], asked: [] as string[], started: [] as [UptimeExportRequest, string][] };
  const deps = {
    dispatch: async (method: string, params: unknown) => (calls.dispatched.push([method, params]), 'dispatched'),
    ask: async (fileName: string) => (calls.asked.push(fileName), answer),
    start: async (p: UptimeExportRequest, saveTo: string) => (
      calls.started.push([p, saveTo]),
      { exportId: 'x' } as UptimeExportProgress
    ),
  };
  return { calls, deps };
}

test('an export starts with the chosen file; its suggested name says kind, site and dates', async () => {
  const { calls, deps } = recorder('/home/ann/march.csv');
  await callWithSaveDialog('startUptimeExport', { ...request, saveTo: '/etc/passwd' }, deps).catch(() => undefined);
  assert.deepEqual(calls.started, [], 'a path from the renderer is refused (strict params), nothing started');
  assert.equal(calls.dispatched.length, 1, 'the dispatcher gives the clear error');

  assert.deepEqual(await callWithSaveDialog('startUptimeExport', request, deps), { exportId: 'x' });
  assert.deepEqual(calls.asked, ['uptime-outages-S_1_x-2026-03-01-to-2026-04-01.csv']);
  assert.deepEqual(calls.started, [[request, '/home/ann/march.csv']]);
});

test('a closed dialog starts nothing; other calls pass through', async () => {
  const { calls, deps } = recorder(null);
  await assert.rejects(
    callWithSaveDialog('startUptimeExport', request, deps),
    (e: unknown) => e instanceof ConsoleApiError && e.message === EXPORT_NOT_SAVED,
  );
  assert.deepEqual(calls.started, []);
  assert.equal(await callWithSaveDialog('getUptime', { scope: 'network' }, deps), 'dispatched');
  assert.deepEqual(calls.dispatched, [['getUptime', { scope: 'network' }]]);
});

test('the dialog: CSV filter, the suggested name in the folder given, .csv added, cancel is null', async () => {
  const seen: SaveDialogOptions[] = [];
  const dialog = (answer: { canceled: boolean; filePath?: string }): SaveDialog<object> => ({
    showSaveDialog: async (_w, options) => (seen.push(options), answer),
  });
  const win = {};
  assert.equal(
    await askExportPath(dialog({ canceled: false, filePath: '/d/report' }), win, 'a.csv', '/d'),
    '/d/report.csv',
  );
  assert.equal(await askExportPath(dialog({ canceled: false, filePath: '/d/r.CSV' }), win, 'a.csv', '/d'), '/d/r.CSV');
  assert.equal(await askExportPath(dialog({ canceled: true, filePath: '' }), win, 'a.csv', '/d'), null);
  assert.equal(seen[0].defaultPath, '/d/a.csv');
  assert.deepEqual(seen[0].filters, [{ name: 'CSV', extensions: ['csv'] }]);
});
