// Issue 17: a window that overlaps another is refused with a sentence naming the other window, on the site's clock
// with the viewer's beside it (this tab runs in New York, the site is in London), and a link that opens the other
// window in the Planned panel. Chromium against the web host and a real demo backend.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { isoToZonedInput, zonedInputToIso } from '../../renderer/src/model/windows.js';
import { expect, test } from './fixtures.js';

const SHOTS = path.resolve(process.env.VB_UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');
const ROW = { position: { x: 220, y: 12 } };

test('planning over another window is refused in words, and the other window opens in the Planned panel', async ({
  network,
  browser,
}) => {
  const { console, host } = await network.startConsole('supervisor');
  const net = console.core.getNetwork();
  const site = net.sites.find((s) => s.id === 'site-ctp')!;
  const tz = site.timeZone ?? 'UTC';
  expect(tz).toBe('Europe/London');
  const point = net.points.find((p) => p.siteId === site.id && p.operator.status === 'Available')!;
  // Tomorrow 14:00–16:00 on the site's clock.
  const day = isoToZonedInput(new Date(Date.now() + 24 * 3600_000).toISOString(), tz).slice(0, 10);
  const siteIso = (hm: string) => zonedInputToIso(`${day}T${hm}`, tz)!;
  const other = await console.core.planWindow({
    pointIds: [point.id],
    startsAt: siteIso('14:00'),
    endsAt: siteIso('16:00'),
    reason: 'Pump swap',
    note: null,
  });

  const context = await browser.newContext({ timezoneId: 'America/New_York' });
  const page = await context.newPage();
  await page.goto(host.url);
  await page.setViewportSize({ width: 1500, height: 900 });
  await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'live');
  await page.getByTestId('filter-text').fill(site.name);
  await page.getByTestId(`row-${point.id}`).dblclick(ROW);
  await page.getByTestId('editor-plan-window').click();
  const form = page.getByTestId('plan-window-dialog');
  await form.getByTestId('plan-start').fill(`${day}T15:00`);
  await form.getByTestId('plan-end').fill(`${day}T17:00`);
  await form.getByTestId('plan-reason').fill('Cleaning');
  await form.getByTestId('plan-submit').click();

  const refusal = form.getByTestId('plan-overlap');
  await expect(refusal).toContainText(`Overlaps “Pump swap” on ${point.label} (${site.name}), `);
  // London in winter is UTC, New York five hours behind: the same span on both clocks, the site's first.
  await expect(refusal).toContainText(/\w{3} \d{1,2} \w{3} 14:00–16:00 London time \(09:00–11:00 your time\)\./);
  await expect(form.getByTestId('plan-submit')).toBeVisible(); // not planned: it can be changed and sent again
  mkdirSync(SHOTS, { recursive: true });
  await form.screenshot({ path: path.join(SHOTS, 'planned-overlap.png') });

  await refusal.getByTestId('plan-overlap-show').click();
  await expect(form).toHaveCount(0);
  const panel = page.getByTestId('planned-panel');
  const item = panel.getByTestId(`window-${other.windowId}`);
  await expect(item).toHaveAttribute('data-focused', 'true');
  await expect(item).toBeInViewport();
  await expect(item.getByTestId(`window-point-${point.id}`)).toBeVisible();
  // The refused request waits beside it with the same sentence until dismissed.
  const op = panel.getByTestId('window-ops').locator('[data-state="failed"]');
  await expect(op.getByTestId('window-op-overlap')).toContainText('Overlaps “Pump swap”');
  await context.close();
});
