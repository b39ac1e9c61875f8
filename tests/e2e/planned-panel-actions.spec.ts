// Issue 17 (console half): the Planned panel's actions on a real backend — Extend and Shorten (each asks first),
// Edit (only what changed is sent), a refused request shown with its error and dismissed; and a window planned while
// the line to the backend is cut is kept on this computer ("waiting to be sent"), then sent once when it is back.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures.js';

const SHOTS = path.resolve('test-results/screenshots');

const H = 3600_000;

test('Extend, Shorten and Edit a planned window, each confirmed; a refused request is shown with its error and dismissed', async ({
  network,
}) => {
  const { console, host } = await network.startConsole('supervisor');
  const pts = console.core.getNetwork().points.filter((p) => p.siteId === 'site-ctp');
  const start = Math.ceil(Date.now() / H) * H + 24 * H;
  const planned = await console.core.planWindow({
    pointIds: [pts[0].id, pts[1].id],
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + 2 * H).toISOString(),
    reason: 'Cable heads',
    note: null,
  });
  const id = planned.windowId;
  // Overlaps it on pts[0]: refused by the backend, kept as failed with its error.
  await expect(
    console.core.planWindow({
      pointIds: [pts[0].id],
      startsAt: new Date(start + H).toISOString(),
      endsAt: new Date(start + 3 * H).toISOString(),
      reason: 'Cleaning',
      note: null,
    }),
  ).rejects.toThrow(/already in the window "Cable heads"/);
  const endOf = () => console.core.getWindows().then((v) => v.windows.find((w) => w.id === id)?.endsAt);

  const page = await network.openTab(host);
  // The Planned button says a refusal waits before anyone opens the panel: the bad colour, its count, its words.
  const attention = page.getByTestId('open-planned').getByTestId('planned-attention');
  await expect(attention).toHaveAttribute('data-refused', '1');
  await expect(attention).toHaveAttribute('data-answered-later', '0');
  await expect(attention).toHaveClass(/wop-refused/);
  await expect(attention.getByTestId('planned-attention-count')).toHaveText('1');
  await expect(attention).toHaveAttribute('title', '1 planned request refused: open the Planned panel');
  await expect(page.getByTestId('open-planned')).toHaveAccessibleName(
    'Planned 1 (1 planned request refused: open the Planned panel)',
  );
  mkdirSync(SHOTS, { recursive: true });
  await page.getByTestId('connection-banner').screenshot({ path: path.join(SHOTS, 'planned-attention-refused.png') });
  await page.getByTestId('open-planned').click();
  const item = page.getByTestId(`window-${id}`);
  await expect(item).toHaveAttribute('data-state', 'planned');

  // The refused request: its error as text, then Dismiss.
  const refused = page.getByTestId('window-ops').locator('[data-state="failed"]');
  await expect(refused.getByTestId('window-op-overlap')).toContainText('Overlaps “Cable heads”');
  await refused.getByTestId('window-op-dismiss').click();
  await expect(page.getByTestId('window-ops')).toHaveCount(0);
  await expect(attention, 'dismissed: nothing waits').toHaveCount(0);

  // Extend: asks first; No keeps it; Yes moves the end an hour later.
  await item.getByTestId('window-extend').click();
  await item.getByTestId('window-confirm-no').click();
  await expect(item.getByTestId('window-confirm')).toHaveCount(0);
  expect(Date.parse((await endOf())!)).toBe(start + 2 * H);
  await item.getByTestId('window-extend').click();
  await item.getByTestId('window-confirm-yes').click();
  await expect(item.getByTestId('window-result')).toHaveAttribute('data-ok', 'true');
  await expect.poll(async () => Date.parse((await endOf())!)).toBe(start + 3 * H);

  // Shorten: an hour earlier.
  await item.getByTestId('window-shorten').click();
  await item.getByTestId('window-confirm-yes').click();
  await expect.poll(async () => Date.parse((await endOf())!)).toBe(start + 2 * H);

  // Edit: a new reason and a note; the end and start are left alone (only what changed is sent).
  await item.getByTestId('window-edit').click();
  const form = item.getByTestId('window-edit-form');
  await form.getByLabel('Reason').fill('Cable heads and inspection');
  await form.getByLabel('Note').fill('Bring the long ladder');
  await expect(form.getByTestId('window-edit-save')).toHaveText('Save changes: reason, note');
  await form.getByTestId('window-edit-save').click();
  await expect(item).toContainText('Cable heads and inspection');
  await expect(item).toContainText('Bring the long ladder');
  const after = (await console.core.getWindows()).windows.find((w) => w.id === id)!;
  expect([after.reason, after.note, Date.parse(after.startsAt), Date.parse(after.endsAt!)]).toEqual([
    'Cable heads and inspection',
    'Bring the long ladder',
    start,
    start + 2 * H,
  ]);
});

test('a window planned while offline waits on this computer, then is sent once when the line is back', async ({
  network,
}) => {
  const { console, host, line } = await network.startConsole('operator', { viaProxy: true });
  const point = console.core.getNetwork().points.find((p) => p.siteId === 'site-ctp')!;
  const page = await network.openTab(host);
  await page.getByTestId('filter-text').fill(point.stationId);
  await expect(page.getByTestId(`row-${point.id}`)).toBeVisible();

  await line!.cut();
  await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', /offline|reconnecting/);
  await page.getByTestId(`row-${point.id}`).click({ position: { x: 220, y: 12 } });
  await page.keyboard.press('i');
  await page.getByTestId('drawer-plan-window').click();
  const form = page.getByTestId('plan-window-dialog');
  await form.getByTestId('plan-reason').fill('Firmware update');
  await form.getByTestId('plan-submit').click();
  await expect(form.getByTestId('plan-result')).toHaveAttribute('data-result', 'queued');
  await expect(form.getByTestId('plan-result')).toHaveText('Kept on this computer: sent when the console is online.');
  await page.getByTestId('plan-close').click();

  await page.getByTestId('open-planned').click();
  const waiting = page.getByTestId('window-ops').locator('[data-state="queued"]');
  await expect(waiting).toContainText('Waiting to be sent');
  await expect(waiting).toContainText('Firmware update');

  await line!.restore();
  await expect(page.getByTestId('window-ops')).toHaveCount(0, { timeout: 20_000 });
  const upcoming = page.getByTestId('window-group-upcoming');
  await expect(upcoming).toHaveAttribute('data-count', '1');
  await expect(upcoming).toContainText('Firmware update');
  await expect(page.getByTestId(`row-${point.id}`).getByTestId('planned-mark')).toBeVisible();
  expect((await console.core.getWindows()).windows.filter((w) => w.reason === 'Firmware update')).toHaveLength(1);
});

test('a group of many windows lists the first 50, then more on asking', async ({ network }) => {
  const { console, host } = await network.startConsole('supervisor');
  const pts = console.core.getNetwork().points.slice(0, 55);
  const start = Math.ceil(Date.now() / H) * H + 48 * H;
  for (const p of pts) {
    await console.core.planWindow({
      pointIds: [p.id],
      startsAt: new Date(start).toISOString(),
      endsAt: null,
      reason: `Swap ${p.label}`,
      note: null,
    });
  }
  const page = await network.openTab(host);
  await expect(page.getByTestId('open-planned')).toHaveAttribute('data-count', '55');
  await page.getByTestId('open-planned').click();
  const upcoming = page.getByTestId('window-group-upcoming');
  await expect(upcoming).toHaveAttribute('data-count', '55');
  await expect(upcoming.locator('li.witem')).toHaveCount(50);
  await upcoming.getByTestId('window-group-more').click();
  await expect(upcoming.locator('li.witem')).toHaveCount(55);
  await expect(upcoming.getByTestId('window-group-more')).toHaveCount(0);
});
