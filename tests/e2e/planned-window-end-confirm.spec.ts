// Issue 17: "a manual change to a point inside a running window asks whether it ends the window for that point".
// Also Retry and Undo in the bulk results (the second test).
// The editor and the bulk dialog ask before changing points a running window holds; No sends nothing and the window
// keeps them; Yes sends the change and the backend lets the window go of them (not restored at its end). Chromium
// against the web host and a real demo backend (its scheduler starts the windows).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type NetworkFixture } from './fixtures.js';

const SHOTS = path.resolve(process.env.VB_UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');
const ROW = { position: { x: 220, y: 12 } };
const H = 3600_000;

/** A supervisor's console and four Available points of one demo site. */
async function fourAvailablePoints(network: NetworkFixture) {
  const { console, host } = await network.startConsole('supervisor');
  const net = console.core.getNetwork();
  const site = net.sites.find((s) => s.id === 'site-ctp')!;
  const pts = net.points.filter((p) => p.siteId === site.id && p.operator.status === 'Available').slice(0, 4);
  expect(pts).toHaveLength(4);
  return { console, host, site, pts };
}

test('a change to points in a running window asks first: in the editor and in the bulk dialog', async ({ network }) => {
  test.setTimeout(90_000);
  const { console, host, site, pts } = await fourAvailablePoints(network);
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

// Retry and Undo in the bulk results ask the same question. A retry of points a running window holds ends the window
// for them (Yes), or leaves them and retries the others, or sends nothing (No); an undo says it leaves them in their
// window (the backend answers Conflict for them) before it is sent.
test('retry and undo in the bulk results ask before touching points a running window holds', async ({ network }) => {
  test.setTimeout(120_000);
  const { console, host, site, pts } = await fourAvailablePoints(network);
  const [a, b, c, d] = pts;
  const status = (id: string) => network.backend.store.points.get(id)?.operator.status;
  const pointState = async (windowId: string, pointId: string) =>
    (await console.core.getWindows()).windows.find((w) => w.id === windowId)?.points.find((p) => p.pointId === pointId)
      ?.state;

  const page = await network.openTab(host);
  await page.getByTestId('filter-text').fill(site.name);
  for (const p of pts) await page.getByTestId(`row-${p.id}`).click({ ...ROW, modifiers: ['Control'] });
  await expect(page.getByTestId('bulk-selected-count')).toHaveAttribute('data-count', '4');
  await page.getByTestId('bulk-set-status').click();
  await page.getByTestId('bulk-status-OutOfService').click();
  await page.getByTestId('bulk-reason').fill('Cable check');
  await page.getByTestId('bulk-confirm').click();
  const results = page.getByTestId('bulk-results');
  await expect(results).toHaveAttribute('data-run-kind', 'change');
  for (const p of pts) await expect.poll(() => status(p.id)).toBe('OutOfService');

  // Since then a window started on b and c, and d was changed again.
  const win = await console.core.planWindow({
    pointIds: [b.id, c.id],
    startsAt: new Date(Date.now() - 1000).toISOString(),
    endsAt: new Date(Date.now() + 2 * H).toISOString(),
    reason: 'Cable heads',
    note: null,
  });
  await expect.poll(() => pointState(win.windowId, b.id), { timeout: 20_000 }).toBe('applied');
  await expect.poll(() => pointState(win.windowId, c.id), { timeout: 20_000 }).toBe('applied');
  await console.core.setStatus({
    pointIds: [d.id],
    edit: { status: 'Maintenance', reason: 'Fan', note: null, until: null },
  });
  await expect.poll(() => status(d.id)).toBe('Maintenance');
  await expect(page.getByTestId(`row-${c.id}`)).toHaveAttribute('data-shown-status', 'Maintenance');

  // Undo asks first, and says the window keeps its points.
  await results.getByTestId('bulk-undo').click();
  const undoAsk = results.getByTestId('bulk-undo-window-confirm');
  await expect(undoAsk).toContainText(
    '2 of these 4 points are in the running maintenance window “Cable heads” (until ',
  );
  await expect(undoAsk).toContainText('The undo leaves them in the window');
  await undoAsk.getByTestId('bulk-undo-window-confirm-no').click();
  await expect(undoAsk).toHaveCount(0);
  await expect(results).toHaveAttribute('data-run-kind', 'change');
  await results.getByTestId('bulk-undo').click();
  await undoAsk.getByTestId('bulk-undo-window-confirm-yes').click();
  await expect(results).toHaveAttribute('data-run-kind', 'undo');
  await expect(results.getByTestId(`bulk-result-${a.id}`)).toHaveAttribute('data-result', 'applied', {
    timeout: 20_000,
  });
  for (const p of [b, c, d])
    await expect(results.getByTestId(`bulk-result-${p.id}`)).toHaveAttribute('data-result', 'conflict');
  expect(status(a.id)).toBe('Available');
  expect(await pointState(win.windowId, b.id)).toBe('applied');
  expect(await pointState(win.windowId, c.id)).toBe('applied');

  // Retry of the three: asks; "leave them" retries d alone and the window keeps b and c.
  await expect(results.getByTestId('bulk-retry')).toHaveText('Retry 3 failed points');
  await results.getByTestId('bulk-retry').click();
  const retryAsk = results.getByTestId('bulk-retry-window-confirm');
  await expect(retryAsk).toContainText('2 of these 3 points are in the running maintenance window “Cable heads”');
  await expect(retryAsk).toContainText('Retrying them ends the window for them');
  mkdirSync(SHOTS, { recursive: true });
  await results.screenshot({ path: path.join(SHOTS, 'planned-bulk-retry-window.png') });
  await retryAsk.getByTestId('bulk-retry-window-confirm-leave').click();
  await expect(results.getByTestId(`bulk-result-${d.id}`)).toHaveAttribute('data-result', 'applied', {
    timeout: 20_000,
  });
  await expect.poll(() => status(d.id)).toBe('Available');
  expect(status(b.id)).toBe('Maintenance');
  expect(await pointState(win.windowId, b.id)).toBe('applied');
  expect(await pointState(win.windowId, c.id)).toBe('applied');

  // Again for the two left: no "leave" choice (nothing else to retry); No sends nothing; Yes ends the window for them.
  await expect(results.getByTestId('bulk-retry')).toHaveText('Retry 2 failed points');
  await results.getByTestId('bulk-retry').click();
  await expect(retryAsk).toContainText('Retrying them ends the window for them');
  await expect(retryAsk.getByTestId('bulk-retry-window-confirm-leave')).toHaveCount(0);
  const queuedBefore = console.core.connection().queued;
  await retryAsk.getByTestId('bulk-retry-window-confirm-no').click();
  await expect(retryAsk).toHaveCount(0);
  expect(console.core.connection().queued).toBe(queuedBefore);
  expect(await pointState(win.windowId, b.id)).toBe('applied');
  await results.getByTestId('bulk-retry').click();
  await retryAsk.getByTestId('bulk-retry-window-confirm-yes').click();
  await expect.poll(() => pointState(win.windowId, b.id), { timeout: 20_000 }).toBe('released');
  await expect.poll(() => pointState(win.windowId, c.id)).toBe('released');
  await expect.poll(() => status(b.id)).toBe('Available');
  await expect.poll(() => status(c.id)).toBe('Available');
});
