// Issue 17: "a manual change to a point inside a running window asks whether it ends the window for that point".
// The editor and the bulk dialog ask before changing points a running window holds; No sends nothing and the window
// keeps them; Yes sends the change and the backend lets the window go of them (not restored at its end). Chromium
// against the web host and a real demo backend (its scheduler starts the windows).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures.js';

const SHOTS = path.resolve(process.env.VB_UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');
const ROW = { position: { x: 220, y: 12 } };
const H = 3600_000;

test('a change to points in a running window asks first: in the editor and in the bulk dialog', async ({ network }) => {
  test.setTimeout(90_000);
  const { console, host } = await network.startConsole('supervisor');
  const net = console.core.getNetwork();
  const site = net.sites.find((s) => s.id === 'site-ctp')!;
  const pts = net.points.filter((p) => p.siteId === site.id && p.operator.status === 'Available').slice(0, 4);
  expect(pts).toHaveLength(4);
  const [a, b, c, d] = pts;
  const planNow = (pointIds: string[], reason: string) =>
    console.core.planWindow({
      pointIds,
      startsAt: new Date(Date.now() - 1000).toISOString(),
      endsAt: new Date(Date.now() + 2 * H).toISOString(),
      reason,
      note: null,
    });
  const one = await planNow([a.id], 'Pump swap');
  const two = await planNow([b.id, c.id], 'Cable heads');
  const pointState = async (windowId: string, pointId: string) =>
    (await console.core.getWindows()).windows.find((w) => w.id === windowId)?.points.find((p) => p.pointId === pointId)
      ?.state;
  await expect.poll(() => pointState(one.windowId, a.id), { timeout: 20_000 }).toBe('applied');
  await expect.poll(() => pointState(two.windowId, c.id), { timeout: 20_000 }).toBe('applied');

  const page = await network.openTab(host);
  await page.getByTestId('filter-text').fill(site.name);
  await expect(page.getByTestId(`row-${a.id}`)).toHaveAttribute('data-shown-status', 'Maintenance', {
    timeout: 20_000,
  });

  // The editor: Save asks; No sends nothing and the window keeps the point.
  await page.getByTestId(`row-${a.id}`).dblclick(ROW);
  const editor = page.getByTestId('editor');
  await editor.getByTestId('editor-status-OutOfService').click();
  await editor.getByTestId('editor-reason').fill('Cracked screen');
  await editor.getByTestId('editor-save').click();
  const ask = editor.getByTestId('editor-window-confirm');
  await expect(ask).toContainText(`${a.label} is in the running maintenance window “Pump swap” (until `);
  await expect(ask).toContainText('This change ends the window for it');
  mkdirSync(SHOTS, { recursive: true });
  await editor.screenshot({ path: path.join(SHOTS, 'planned-window-end-confirm.png') });
  await ask.getByTestId('editor-window-confirm-no').click();
  await expect(ask).toHaveCount(0);
  await expect(editor).toBeVisible();
  expect(console.core.listOutbox().items).toHaveLength(0);
  expect(await pointState(one.windowId, a.id)).toBe('applied');
  // Yes: saved, and the window lets go of the point.
  await editor.getByTestId('editor-save').click();
  await ask.getByTestId('editor-window-confirm-yes').click();
  await expect(editor).toHaveCount(0);
  await expect.poll(() => pointState(one.windowId, a.id)).toBe('released');
  await expect
    .poll(() => console.core.getNetwork().points.find((p) => p.id === a.id)?.operator.status)
    .toBe('OutOfService');

  // The bulk dialog: the preview counts them, Confirm asks, Yes sends.
  for (const p of [b, c, d]) await page.getByTestId(`row-${p.id}`).click({ ...ROW, modifiers: ['Control'] });
  await expect(page.getByTestId('bulk-selected-count')).toHaveAttribute('data-count', '3');
  await page.getByTestId('bulk-set-status').click();
  const dialog = page.getByTestId('bulk-dialog');
  await dialog.getByTestId('bulk-status-Available').click();
  await dialog.getByTestId('bulk-reason').fill('Cables checked');
  await expect(dialog.getByTestId('bulk-preview-in-window')).toHaveAttribute('data-count', '2');
  await dialog.getByTestId('bulk-confirm').click();
  const bulkAsk = dialog.getByTestId('bulk-window-confirm');
  await expect(bulkAsk).toContainText('2 of these 3 points are in the running maintenance window “Cable heads”');
  await bulkAsk.getByTestId('bulk-window-confirm-no').click();
  expect(console.core.listOutbox().items).toHaveLength(0);
  await dialog.getByTestId('bulk-confirm').click();
  await bulkAsk.getByTestId('bulk-window-confirm-yes').click();
  await expect(page.getByTestId('bulk-results')).toBeVisible();
  await expect.poll(() => pointState(two.windowId, b.id)).toBe('released');
  await expect.poll(() => pointState(two.windowId, c.id)).toBe('released');
});
