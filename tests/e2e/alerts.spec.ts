// Issue 18 in Chromium, against a real backend and a real OCPP-J station: a point that faults past the hold-off
// raises an alert that appears in the Alerts panel, on its row, in the header's count and as a desktop notification
// (Web Notifications, permission granted by the test); clicking the notification selects the point and opens its
// drawer; the panel is worked from the keyboard (acknowledge with `a`); the alert resolves when the station reports
// the point available again.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { connectConsole, connectStation, login, setStatus, type TestStation } from '../support/backendHarness.js';
import { userOf } from '../support/consoles.js';
import { expect, test } from './fixtures.js';

// The docs' screenshot is refreshed with VB_UPDATE_SCREENSHOTS=1; otherwise it goes with the test results.
const SHOTS = path.resolve(process.env.VB_UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');

test.use({
  backendOptions: { acceptUnknownStations: true, alertRules: { faultedHoldOffMs: 1500, overdueHoldOffMs: 0 } },
});

const stations: TestStation[] = [];
test.afterEach(async () => {
  for (const s of stations.splice(0)) await s.close().catch(() => undefined);
});

/** Records every Notification the page makes (title, body) and keeps them, so the test can click one. */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  const made = (window.__notifications = []);
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      made.push(this);
    }
  }
  window.Notification = Recorded;
})()`;

const notifications = (page: Page) =>
  page.evaluate(() =>
    ((window as any).__notifications as Notification[]).map((n) => ({ title: n.title, body: n.body })),
  );

test('an alert: in the panel, on its row and as a notification; the click opens the point; acknowledged; resolved when the station recovers', async ({
  network,
}) => {
  const station = await connectStation(network.backend.ocppUrl, 'E2E-ALERT', 'ocpp1.6');
  stations.push(station);
  await station.boot();
  await station.status(1, 'Available');
  await station.status(2, 'Available');
  const pointId = 'E2E-ALERT-1';

  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  await page.context().grantPermissions(['notifications'], { origin: new URL(host.url).origin });
  await page.context().addInitScript(RECORD_NOTIFICATIONS);
  await page.reload();
  await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'live');
  await page.getByTestId('filter-text').fill('E2E-ALERT');
  const row = page.getByTestId(`row-${pointId}`);
  await expect(row).toHaveAttribute('data-shown-status', 'Available');
  await expect(page.getByTestId('open-alerts')).toHaveAttribute('data-open', '0');

  // Permission granted: the panel says notifications are on instead of asking. (Shift+A types in the filter, so
  // the grid takes the focus first: ↓ from the filter.)
  await page.getByTestId('filter-text').press('ArrowDown');
  await page.keyboard.press('Shift+A');
  await expect(page.getByTestId('alerts-panel')).toBeVisible();
  await expect(page.getByTestId('notifications-state')).toHaveAttribute('data-state', 'granted');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('alerts-panel')).toBeHidden();

  await station.status(1, 'Faulted', { errorCode: 'GroundFailure', vendorErrorCode: 'E42', info: '<b>not markup</b>' });
  await expect(page.getByTestId('open-alerts')).toHaveAttribute('data-open', '1', { timeout: 15_000 });
  await expect(row.getByTestId('alert-mark')).toHaveAttribute('data-alert-state', 'open');
  await expect(page.getByTestId(`row-E2E-ALERT-2`).getByTestId('alert-mark')).toHaveCount(0);
  await expect
    .poll(() => notifications(page))
    .toEqual([{ title: `Point faulted: ${pointId}`, body: expect.stringMatching(/GroundFailure.*E42/) }]);

  // The notification's click selects the point and opens its drawer.
  await page.evaluate(() => {
    const [n] = (window as any).__notifications as Notification[];
    n.onclick?.(new Event('click'));
  });
  await expect(page.getByTestId('drawer')).toBeVisible();
  await expect(page.getByTestId('drawer')).toContainText('station E2E-ALERT · EVSE 1');
  await expect(row).toHaveClass(/is-focused|focused/);

  // The panel, from the keyboard: the list has the focus, the alert is active with its evidence as text.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+A');
  const panel = page.getByTestId('alerts-panel');
  await expect(panel.getByTestId('alert-list')).toBeFocused();
  await expect(panel.getByTestId('alerts-open').getByTestId('alert-item')).toHaveCount(1);
  const evidence = panel.getByTestId('alert-evidence');
  await expect(evidence).toContainText('GroundFailure · <b>not markup</b> E42');
  await expect(evidence.locator('b')).toHaveCount(0);
  await expect(panel.getByTestId('alert-details')).toContainText('Recent history');
  await page.screenshot({ path: path.join(SHOTS, 'alerts-panel.png') });

  await page.keyboard.press('a');
  await expect(panel.getByTestId('alerts-acknowledged').getByTestId('alert-item')).toHaveCount(1);
  await expect(page.getByTestId('open-alerts')).toHaveAttribute('data-acknowledged', '1');
  await expect(row.getByTestId('alert-mark')).toHaveAttribute('data-alert-state', 'acknowledged');
  const [alert] = network.backend.store.alerts.current(new Date(0).toISOString());
  expect(alert.acknowledgedBy).toBe(userOf(network.backend, 'operator').username);
  expect(alert.state).toBe('acknowledged');

  // Enter jumps to the point from the panel.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('drawer')).toContainText('station E2E-ALERT · EVSE 1');

  // The station recovers: the alert resolves itself, the row's mark and the count go.
  await station.status(1, 'Available');
  await page.keyboard.press('Shift+A');
  await expect(panel.getByTestId('alerts-resolvedToday').getByTestId('alert-item')).toHaveCount(1, { timeout: 15_000 });
  await expect(panel.getByTestId('alerts-resolvedToday')).toContainText('resolved');
  await expect(row.getByTestId('alert-mark')).toHaveCount(0);
  await expect(page.getByTestId('open-alerts')).toHaveAttribute('data-open', '0');
  await expect(page.getByTestId('open-alerts')).toHaveAttribute('data-acknowledged', '0');
  expect(await notifications(page)).toHaveLength(1);
});

test('a viewer sees alerts and the rules but cannot act or change them; the browser is asked only from a click', async ({
  network,
}) => {
  const station = await connectStation(network.backend.ocppUrl, 'E2E-VIEW', 'ocpp1.6');
  stations.push(station);
  await station.boot();
  await station.status(1, 'Faulted', { errorCode: 'HighTemperature' });
  const { host } = await network.startConsole('viewer');
  const page = await network.openTab(host);
  await expect(page.getByTestId('open-alerts')).toHaveAttribute('data-open', '1', { timeout: 15_000 });
  await page.getByTestId('open-alerts').click();
  const panel = page.getByTestId('alerts-panel');
  await expect(panel.getByTestId('alert-item')).toHaveCount(1);
  await expect(panel.getByTestId('alert-acknowledge')).toHaveCount(0);
  await panel.getByTestId('alert-list').press('a');
  await expect(panel.getByTestId('alerts-open').getByTestId('alert-item')).toHaveCount(1);
  await panel.getByTestId('toggle-rules').click();
  await expect(panel.getByTestId('rule-faultedHoldOffMs')).toHaveText('2 s');
  await expect(panel.getByTestId('alert-rules')).toContainText('Only a supervisor can change them.');
  await expect(panel.getByTestId('edit-rules')).toHaveCount(0);
  // Not granted yet: the panel explains why before the browser asks, and asks only from the button.
  const state = await panel.getByTestId('notifications-state').getAttribute('data-state');
  expect(['default', 'denied']).toContain(state);
  if (state === 'default') await expect(panel.getByTestId('enable-notifications')).toBeVisible();
});

test('a supervisor changes the rules in the panel; the backend applies them', async ({ network }) => {
  const { host } = await network.startConsole('supervisor');
  const page = await network.openTab(host);
  await page.keyboard.press('Shift+A');
  const panel = page.getByTestId('alerts-panel');
  await panel.getByTestId('toggle-rules').click();
  await panel.getByTestId('edit-rules').click();
  await panel.getByLabel('A point faulted for longer than').fill('soon');
  await panel.getByTestId('save-rules').click();
  await expect(panel.getByTestId('alert-rules')).toContainText('a number, 0 or more');
  await panel.getByLabel('A point faulted for longer than').fill('5');
  await panel.getByLabel('A change scheduled (waiting for a session to end) for longer than').fill('90');
  await panel.getByLabel('Maintenance overdue (past its expected end or window) by more than').fill('15');
  await panel.getByTestId('save-rules').click();
  await expect(panel.getByTestId('rule-faultedHoldOffMs')).toHaveText('5 min');
  await expect(panel.getByTestId('alert-rules')).toContainText(/Last changed by \S+ at/);
  expect(network.backend.alerts.rules.faultedHoldOffMs).toBe(5 * 60_000);
  expect(network.backend.alerts.rules.scheduledHoldOffMs).toBe(90 * 60_000);
  expect(network.backend.alerts.rules.overdueHoldOffMs).toBe(15 * 60_000);
  await panel.getByTestId('alert-rules').screenshot({ path: path.join(SHOTS, 'alert-rules.png') });
});

test('maintenance past its expected end appears in the panel as overdue, with who set it and when it should have ended', async ({
  network,
}) => {
  const station = await connectStation(network.backend.ocppUrl, 'E2E-OVERDUE', 'ocpp1.6');
  stations.push(station);
  await station.boot();
  await station.status(1, 'Available');
  const pointId = 'E2E-OVERDUE-1';
  const operator = userOf(network.backend, 'operator');
  const api = await connectConsole(
    network.backend.url,
    (await login(network.backend.url, operator.username, operator.password)).body.token,
  );
  const point = network.backend.store.points.get(pointId)!;
  const r = await api.request('mutate', {
    mutations: [
      setStatus([{ pointId, baseVersion: point.operator.version }], {
        status: 'Maintenance',
        reason: 'Pump replaced',
        until: new Date(Date.now() + 1500).toISOString(),
        untilAction: 'remind',
      } as never),
    ],
  });
  api.close();
  expect(r.ok, JSON.stringify(r)).toBe(true);

  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  await page.keyboard.press('Shift+A');
  const panel = page.getByTestId('alerts-panel');
  await expect(panel).toContainText('Maintenance overdue', { timeout: 15_000 });
  await expect(panel).toContainText('Pump replaced');
  await page.screenshot({ path: path.join(SHOTS, 'alerts-overdue.png') });
});
