// A console whose cache file was emptied by a crash (issue 15, item 10), in Chromium against the web host: the edits
// that were queued only in the write-ahead log come back, the person is told (how many came back, where the damaged
// file is kept), and the notice goes when dismissed.
import { copyFileSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { openConsoleCache } from '../../electron/core/cache/cacheRecovery.js';
import { Outbox } from '../../electron/core/cache/outbox.js';
import { CACHE_FILE } from '../../electron/core/consoleCore.js';
import { rendererDir } from '../../electron/host/rendererBuild.js';
import { startWebHost } from '../../electron/host/webHost.js';
import { openConsole, userOf, waitLive } from '../support/consoles.js';
import { tempDir } from '../support/tempDir.js';
import { expect, test } from './fixtures.js';

test('a cache emptied by a crash: queued edits recovered, the person told, the notice dismissed', async ({
  network,
  browser,
}) => {
  const dataDir = tempDir('e2e-damaged').path;
  const file = path.join(dataDir, CACHE_FILE);
  // Two edits queued while offline, then the power goes (the files as they were, the edits in the log only), and
  // the cache file comes back empty.
  const work = path.join(tempDir('e2e-work').path, CACHE_FILE);
  openConsoleCache(work).db.close();
  const { db } = openConsoleCache(work);
  const outbox = new Outbox(db);
  const edit = { status: 'Maintenance' as const, reason: 'Recovered after a crash', note: null, until: null };
  outbox.enqueue(edit, [{ pointId: 'no-such-point-1', serverVersion: 0 }], new Date().toISOString());
  outbox.enqueue(edit, [{ pointId: 'no-such-point-2', serverVersion: 0 }], new Date().toISOString());
  copyFileSync(work, file);
  copyFileSync(work + '-wal', file + '-wal');
  db.close();
  truncateSync(file, 0);

  const console = openConsole(network.backend.url, userOf(network.backend, 'operator'), dataDir);
  await waitLive(console);
  const host = await startWebHost({ core: console.core, rendererDir, port: 0 });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(host.url);
    const notice = page.getByTestId('cache-recovery');
    await expect(notice).toContainText('cache was damaged');
    await expect(notice).toContainText('empty');
    await expect(notice).toContainText('2 edits queued in it were recovered');
    await expect(notice).toContainText(`${CACHE_FILE}.damaged-`);
    await page.getByTestId('cache-recovery-dismiss').click();
    await expect(notice).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'live');
    await expect(page.getByTestId('cache-recovery')).toHaveCount(0);
  } finally {
    await context.close();
    await host.stop();
    await console.close();
  }
});
