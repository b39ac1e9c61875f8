// A newcomer's first start: `npm run web -- --port P --data DIR` exactly as documented, with no backend configured:
// the console runs the demo network itself, signs in as the demo operator, and the live grid loads in Chromium.
import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { freePort } from '../support/freePort.js';
import { printedUrl } from '../support/printedUrl.js';
import { tempDir } from '../support/tempDir.js';

test('npm run web shows the demo network live on first start', async ({ page }) => {
  // A random port could be one in use (the test then waited for ever for a URL that never came): ask the system.
  const port = await freePort();
  const data = tempDir('first-start').path;
  const child = spawn('npm', ['run', 'web', '--', '--port', String(port), '--data', data], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  try {
    const url = await printedUrl(child, () => output, new RegExp(`(http://127\\.0\\.0\\.1:${port}/\\S+)`), 60_000);
    await page.goto(url);
    const banner = page.getByTestId('connection-banner');
    await expect(banner).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
    await expect(banner).toContainText(/demo/i);
    await expect(page.getByTestId('status-count-all')).toContainText(/1[0-9]{2}/);
    await expect(page.locator('[data-testid^="site-group-"]').first()).toBeVisible();
    expect(await page.locator('[data-testid^="row-"]').count()).toBeGreaterThan(10);
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }
});
