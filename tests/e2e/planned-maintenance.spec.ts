// Issue 17 (console half), in Chromium against the web host, a real demo backend (its scheduler on the real clock)
// and demo OCPP stations: a window planned for three points from a bulk selection shows in the Planned panel and
// on the rows, starts (rows in Maintenance) and ends (rows back) on its own; another window, planned from the
// editor, is cancelled behind a confirm step. A second test takes the screenshots of the panel and the form.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { isoToZonedInput } from '../../renderer/src/model/windows.js';
import { expect, test } from './fixtures.js';

const SHOTS = path.resolve(process.env.VB_UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');
/** The other theme's shots, for checking by eye; never in the docs. */
const CHECK_SHOTS = path.resolve('test-results/screenshots');
const ROW = { position: { x: 220, y: 12 } };

/** A datetime-local value (with seconds) for now + ms, on the zone's clock. */
const inZone = (ms: number, tz: string) => isoToZonedInput(new Date(Date.now() + ms).toISOString(), tz, true);

/** The window itself, not a request about it still queued on this computer (`.wop`, shown beside it until answered). */
function windowItem(page: Page, reason: string) {
  return page.getByTestId('planned-panel').locator('li.witem:not(.wop)', { hasText: reason });
}

test('plan a window for three points from a bulk selection; it starts and ends on its own; another is cancelled', async ({
  network,
}) => {
  test.setTimeout(90_000);
  const { console, host } = await network.startConsole('supervisor');
  const net = console.core.getNetwork();
  const siteId = 'site-ctp';
  const tz = net.sites.find((s) => s.id === siteId)?.timeZone ?? 'UTC';
  const candidates = net.points.filter(
    (p) =>
      p.siteId === siteId &&
      p.stationConnected &&
      p.reported.status === 'Available' &&
      p.operator.status === 'Available',
  );
  const three = candidates.slice(0, 3);
  const other = candidates[3];
  expect(three.length).toBe(3);
  expect(other).toBeTruthy();

  const page = await network.openTab(host);
  await expect(page.getByTestId('open-planned')).toHaveAttribute('data-count', '0');
  // Only this site's rows, all on screen (rows are virtualised: one scrolled into view may be reused for another point).
  await page.getByTestId('filter-text').fill(net.sites.find((s) => s.id === siteId)!.name);
  await expect(page.getByTestId(`row-${other.id}`)).toBeVisible();

  // A window for one point, from the editor ("Planned…" beside the status buttons): defaults to the next full hour.
  await page.getByTestId(`row-${other.id}`).dblclick(ROW);
  await page.getByTestId('editor-plan-window').click();
  const form = page.getByTestId('plan-window-dialog');
  await expect(form).toBeVisible();
  await expect(form.locator('#plan-title')).toHaveText(`Plan maintenance: ${other.label}`);
  await expect(form).toContainText('London time');
  const start = await form.getByTestId('plan-start').inputValue();
  expect(start).toMatch(/T\d\d:00$/);
  // No reason: nothing is sent.
  await form.getByTestId('plan-submit').click();
  await expect(form).toContainText('A reason is required.');
  await form.getByTestId('plan-reason').fill('Firmware update (to cancel)');
  await form.getByTestId('plan-submit').click();
  await expect(form.getByTestId('plan-result')).toHaveAttribute('data-result', 'planned');
  await expect(form.getByTestId('plan-result')).toHaveText(/^Planned/);
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();
  await expect(page.getByTestId('open-planned')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId(`row-${other.id}`).getByTestId('planned-mark')).toHaveAttribute(
    'data-window-state',
    'planned',
  );

  // Three points selected (Ctrl+click), "Planned…" in the selection bar; a window starting in a few seconds.
  for (const p of three) await page.getByTestId(`row-${p.id}`).click({ ...ROW, modifiers: ['Control'] });
  await expect(page.getByTestId('bulk-selected-count')).toHaveAttribute('data-count', '3');
  await page.getByTestId('bulk-plan-window').click();
  await expect(form).toBeVisible();
  await expect(form.locator('#plan-title')).toHaveText('Plan maintenance for 3 points');
  await form.getByTestId('plan-reason').fill('Annual inspection');
  await form.getByTestId('plan-note').fill('Contractor on site');
  await form.getByTestId('plan-start').fill(inZone(4_000, tz));
  await form.getByTestId('plan-end').fill(inZone(11_000, tz));
  await form.getByTestId('plan-submit').click();
  await expect(form.getByTestId('plan-result')).toHaveAttribute('data-result', 'planned');
  await page.getByTestId('plan-close').click();
  await expect(page.getByTestId('open-planned')).toHaveAttribute('data-count', '2');

  // The Planned panel: both upcoming, with the three points listed; the rows carry the planned mark.
  await page.getByTestId('open-planned').click();
  const panel = page.getByTestId('planned-panel');
  await expect(panel.getByTestId('window-group-upcoming')).toHaveAttribute('data-count', '2');
  const inspection = windowItem(page, 'Annual inspection');
  await expect(inspection).toContainText('Contractor on site');
  await expect(inspection.getByTestId('window-points-toggle')).toHaveAttribute('data-count', '3');
  await inspection.getByTestId('window-points-toggle').click();
  for (const p of three) await expect(inspection.getByTestId(`window-point-${p.id}`)).toContainText(p.label);
  for (const p of three) await expect(page.getByTestId(`row-${p.id}`).getByTestId('planned-mark')).toBeVisible();

  // It starts on its own: the rows show Maintenance, the panel moves it to Running.
  for (const p of three)
    await expect(page.getByTestId(`row-${p.id}`)).toHaveAttribute('data-shown-status', 'Maintenance', {
      timeout: 20_000,
    });
  await expect(inspection).toHaveAttribute('data-state', 'running');
  await expect(panel.getByTestId('window-group-running')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId(`row-${three[0].id}`).getByTestId('planned-mark')).toHaveAttribute(
    'data-window-state',
    'running',
  );
  for (const p of three)
    await expect(inspection.getByTestId(`window-point-${p.id}`)).toHaveAttribute('data-state', 'applied');

  // …and ends on its own: the rows go back to Available, the window to Past.
  for (const p of three)
    await expect(page.getByTestId(`row-${p.id}`)).toHaveAttribute('data-shown-status', 'Available', {
      timeout: 20_000,
    });
  await expect(inspection).toHaveAttribute('data-state', 'ended');
  await expect(panel.getByTestId('window-group-past')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId(`row-${three[0].id}`).getByTestId('planned-mark')).toHaveCount(0);
  expect(
    console.core
      .getNetwork()
      .points.filter((p) => three.some((t) => t.id === p.id))
      .map((p) => p.operator.status),
  ).toEqual(['Available', 'Available', 'Available']);

  // Cancel the other: a confirm step first (Esc keeps it), then it is cancelled and its mark goes.
  const firmware = windowItem(page, 'Firmware update (to cancel)');
  await firmware.getByTestId('window-cancel').click();
  await expect(firmware.getByTestId('window-confirm')).toContainText('Cancel “Firmware update (to cancel)”?');
  await page.keyboard.press('Escape');
  await expect(firmware.getByTestId('window-confirm')).toBeHidden();
  await expect(firmware).toHaveAttribute('data-state', 'planned');
  await expect(panel).toBeVisible();
  await firmware.getByTestId('window-cancel').click();
  await firmware.getByTestId('window-confirm-yes').click();
  await expect(firmware).toHaveAttribute('data-state', 'cancelled');
  await expect(page.getByTestId('open-planned')).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId(`row-${other.id}`).getByTestId('planned-mark')).toHaveCount(0);
  await expect(page.getByTestId(`row-${other.id}`)).toHaveAttribute('data-shown-status', 'Available');
});

test('screenshots: the Planned panel (running, upcoming, refused) and the planning form, light and dark', async ({
  network,
}) => {
  test.setTimeout(90_000);
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(CHECK_SHOTS, { recursive: true });
  const { console, host } = await network.startConsole('supervisor');
  const net = console.core.getNetwork();
  const pts = net.points.filter(
    (p) => p.siteId === 'site-ctp' && p.stationConnected && p.reported.status === 'Available',
  );
  const page = await network.openTab(host);
  await page.setViewportSize({ width: 1700, height: 940 });

  // Running now (its start had passed), open-ended on three points; one upcoming tomorrow; one refused (overlap).
  await console.core.planWindow({
    pointIds: pts.slice(0, 3).map((p) => p.id),
    startsAt: new Date(Date.now() - 1000).toISOString(),
    endsAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
    reason: 'Annual inspection',
    note: 'Contractor on site, bays 1–3 coned off',
  });
  const tomorrow = new Date(Date.now() + 24 * 3600_000);
  tomorrow.setUTCMinutes(0, 0, 0);
  await console.core.planWindow({
    pointIds: pts.slice(3, 5).map((p) => p.id),
    startsAt: tomorrow.toISOString(),
    endsAt: null,
    reason: 'Firmware update',
    note: null,
  });
  await console.core
    .planWindow({
      pointIds: [pts[0].id],
      startsAt: new Date(Date.now() + 3600_000).toISOString(),
      endsAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
      reason: 'Cleaning',
      note: null,
    })
    .catch(() => undefined);

  await page.getByTestId('filter-text').fill(net.sites.find((s) => s.id === 'site-ctp')!.name);
  await page.getByTestId('open-planned').click();
  const panel = page.getByTestId('planned-panel');
  await expect(panel.getByTestId('window-group-running')).toHaveAttribute('data-count', '1');
  await expect(panel.getByTestId('window-group-upcoming')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId(`row-${pts[0].id}`)).toHaveAttribute('data-shown-status', 'Maintenance', {
    timeout: 20_000,
  });
  const running = windowItem(page, 'Annual inspection');
  await running.getByTestId('window-points-toggle').click();
  await expect(running.getByTestId('window-points').locator('li')).toHaveCount(3);
  await running.getByTestId('window-extend').click();
  await expect(running.getByTestId('window-confirm')).toBeVisible();

  for (const theme of ['dark', 'light'] as const) {
    const now = await page.evaluate(() => document.documentElement.dataset.theme);
    if (now !== theme) await page.getByTestId('theme-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await page.screenshot({
      path:
        theme === 'dark' ? path.join(SHOTS, 'planned-panel.png') : path.join(CHECK_SHOTS, 'planned-panel-light.png'),
    });
  }

  // The planning form for a selection, filled in.
  await page.keyboard.press('Escape');
  for (const p of pts.slice(5, 9)) await page.getByTestId(`row-${p.id}`).click({ ...ROW, modifiers: ['Control'] });
  await page.getByTestId('bulk-plan-window').click();
  const form = page.getByTestId('plan-window-dialog');
  await form.getByTestId('plan-reason').fill('Scheduled maintenance');
  await form.getByTestId('plan-note').fill('New cable heads; the contractor calls the control room when done');
  await expect(form.getByTestId('plan-summary')).toBeVisible();
  for (const theme of ['light', 'dark'] as const) {
    const now = await page.evaluate(() => document.documentElement.dataset.theme);
    if (now !== theme) {
      await page.keyboard.press('Escape');
      await page.getByTestId('theme-toggle').click();
      await page.getByTestId('bulk-plan-window').click();
      await form.getByTestId('plan-reason').fill('Scheduled maintenance');
      await form.getByTestId('plan-note').fill('New cable heads; the contractor calls the control room when done');
    }
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await form.screenshot({
      path: theme === 'dark' ? path.join(SHOTS, 'plan-window.png') : path.join(CHECK_SHOTS, 'plan-window-light.png'),
    });
  }

  // For checking by eye (not in the docs): the drawer's windows of a point in the running window, and the until
  // field's choice in the editor.
  await page.keyboard.press('Escape');
  await page.getByTestId('bulk-clear').click();
  await page.getByTestId(`row-${pts[0].id}`).click(ROW);
  await page.keyboard.press('i');
  await expect(page.getByTestId('drawer-windows')).toContainText('Annual inspection');
  await expect(page.getByTestId('drawer-windows').locator('[data-state="running"]')).toHaveCount(1);
  await page.screenshot({ path: path.join(CHECK_SHOTS, 'drawer-windows.png') });
  await page.keyboard.press('Escape');
  await page.getByTestId(`row-${pts[9].id}`).dblclick(ROW);
  await page.getByTestId('editor-status-OutOfService').click();
  await page.getByTestId('editor').getByRole('button', { name: '+4 h' }).click();
  await page.getByTestId('editor').screenshot({ path: path.join(CHECK_SHOTS, 'editor-until-action.png') });
});

test('expected ends: the editor asks whether it reverts or only reminds; an overdue point is marked, counted and filterable', async ({
  network,
}) => {
  test.setTimeout(60_000);
  const { console, host } = await network.startConsole('operator');
  const net = console.core.getNetwork();
  const site = net.sites.find((s) => s.id === 'site-ctp')!;
  const [a, b] = net.points.filter(
    (p) => p.siteId === site.id && p.stationConnected && p.operator.status === 'Available',
  );
  const page = await network.openTab(host);
  await page.getByTestId('filter-text').fill(site.name);
  await expect(page.getByTestId(`row-${a.id}`)).toBeVisible();

  // Out of Service until +1 h, going back to Available on its own.
  await page.getByTestId(`row-${a.id}`).dblclick(ROW);
  const editor = page.getByTestId('editor');
  await editor.getByTestId('editor-status-OutOfService').click();
  await editor.getByTestId('editor-reason').fill('Bay blocked');
  await expect(editor.getByTestId('editor-until-action')).toHaveCount(0);
  await editor.getByRole('button', { name: '+1 h' }).click();
  await expect(editor.getByTestId('editor-until-remind')).toBeChecked();
  await editor.getByTestId('editor-until-revert').check();
  await editor.getByTestId('editor-save').click();
  await expect(editor).toBeHidden();
  await expect(page.getByTestId(`row-${a.id}`).getByTestId('reverts-mark')).toContainText('back to Available at');
  await expect
    .poll(() => console.core.getNetwork().points.find((p) => p.id === a.id)?.operator.untilAction)
    .toBe('revert');

  // Maintenance until a few seconds from now, only a reminder: when it passes the row says overdue, the toolbar counts it.
  await expect(page.getByTestId('overdue-count')).toHaveCount(0);
  await console.core.setStatus({
    pointIds: [b.id],
    edit: {
      status: 'Maintenance',
      reason: 'Inspection',
      note: null,
      until: new Date(Date.now() + 2_000).toISOString(),
      untilAction: 'remind',
    },
  });
  await expect(page.getByTestId(`row-${b.id}`).getByTestId('overdue-mark')).toContainText('overdue since', {
    timeout: 15_000,
  });
  await expect(page.getByTestId(`row-${a.id}`).getByTestId('overdue-mark')).toHaveCount(0);
  const count = page.getByTestId('overdue-count');
  await expect(count).toHaveAttribute('data-count', '1');
  await count.click();
  await expect(count).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId(`row-${b.id}`)).toBeVisible();
  await expect(page.getByTestId(`row-${a.id}`)).toHaveCount(0);
  await count.click();
  await expect(page.getByTestId(`row-${a.id}`)).toBeVisible();
});
