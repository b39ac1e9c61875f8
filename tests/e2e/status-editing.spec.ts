// Issue 4's promises, in Chromium against the web host, a real backend and demo OCPP stations.
import type { Page } from '@playwright/test';
import { expect, pickPoint, test } from './fixtures.js';

async function showOnly(page: Page, text: string) {
  await page.getByTestId('filter-text').fill(text);
}

async function openEditorFor(page: Page, pointId: string) {
  const row = page.getByTestId(`row-${pointId}`);
  await row.click();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('editor')).toBeVisible();
}

test('set a point Out of Service with a reason: both tabs show it, then the station confirms; then Available again', async ({
  network,
}) => {
  const { console, host } = await network.startConsole('operator');
  const point = pickPoint(
    console,
    (p) => p.stationConnected && p.reported.status === 'Available' && p.operator.status === 'Available',
  );
  const first = await network.openTab(host);
  const second = await network.openTab(host);
  await showOnly(first, point.stationId);
  await showOnly(second, point.stationId);

  await openEditorFor(first, point.id);
  await first.getByTestId('editor-status-OutOfService').click();
  await first.getByTestId('editor-reason').fill('Screen smashed');
  await first.getByTestId('editor-save').click();
  await expect(first.getByTestId('editor')).toBeHidden();

  for (const page of [first, second]) {
    const row = page.getByTestId(`row-${point.id}`);
    await expect(row).toHaveAttribute('data-shown-status', 'OutOfService');
    await expect(row).toContainText('Out of Service');
    await expect(row).toHaveAttribute('data-delivery', 'confirmed');
    await expect(row).toContainText(/Confirmed by the station/i);
  }

  await openEditorFor(first, point.id);
  await first.getByTestId('editor-status-Available').click();
  await first.getByTestId('editor-save').click();
  for (const page of [first, second]) {
    const row = page.getByTestId(`row-${point.id}`);
    await expect(row).toHaveAttribute('data-shown-status', 'Available');
    await expect(row).toHaveAttribute('data-delivery', 'confirmed');
  }
});

test('an occupied point answers Scheduled, then applies when its session ends', async ({ network }) => {
  const { console, host } = await network.startConsole('operator');
  const point = pickPoint(
    console,
    (p) => p.stationConnected && p.reported.status === 'Available' && p.operator.status === 'Available',
  );
  await network.backend.demo!.network.startSession(point.id);
  const page = await network.openTab(host);
  await showOnly(page, point.stationId);
  const row = page.getByTestId(`row-${point.id}`);
  await expect(row).toHaveAttribute('data-shown-status', 'Occupied');

  await openEditorFor(page, point.id);
  await page.getByTestId('editor-status-Maintenance').click();
  await page.getByTestId('editor-reason').fill('Replace cable after this session');
  await page.getByTestId('editor-save').click();
  await expect(row).toHaveAttribute('data-delivery', 'scheduled');
  // The grid says how long it has waited (the drawer and the tooltip say it applies when the session ends).
  await expect(row).toContainText(/Scheduled · waiting \d+ s/);

  await network.backend.demo!.network.endSession(point.id);
  await expect(row).toHaveAttribute('data-delivery', 'confirmed');
  await expect(row).toHaveAttribute('data-shown-status', 'Maintenance');
});

test('a change in one tab appears in the other while it is scrolled with a row selected, losing neither', async ({
  network,
}) => {
  const { console, host } = await network.startConsole('operator');
  const editor = await network.openTab(host);
  const watcher = await network.openTab(host);
  const grid = watcher.getByTestId('grid');
  await grid.hover();
  await watcher.mouse.wheel(0, 1200);
  await expect.poll(() => grid.evaluate((el) => el.scrollTop)).toBeGreaterThan(1000);
  const selectedId = await grid.evaluate((el) => {
    const top = el.getBoundingClientRect().top + 150;
    const rows = [...el.querySelectorAll<HTMLElement>('[data-testid^="row-"]')];
    return rows.find((row) => row.getBoundingClientRect().top > top)!.dataset.pointId!;
  });
  const visibleRow = watcher.getByTestId(`row-${selectedId}`);
  await visibleRow.getByRole('checkbox').check();
  await visibleRow.click({ position: { x: 200, y: 10 } });
  await expect(visibleRow).toHaveAttribute('aria-selected', 'true');
  await expect(visibleRow).toHaveClass(/is-focused/);
  const scrollBefore = await grid.evaluate((el) => el.scrollTop);
  expect(scrollBefore).toBeGreaterThan(1000);

  const target = pickPoint(
    console,
    (p) => p.id !== selectedId && p.stationConnected && p.operator.status === 'Available',
  );
  await showOnly(editor, target.stationId);
  await openEditorFor(editor, target.id);
  await editor.getByTestId('editor-status-Faulted').click();
  await editor.getByTestId('editor-reason').fill('Tripped breaker');
  await editor.getByTestId('editor-save').click();

  await expect.poll(async () => (await console.core.cache.point(target.id))?.operator.status).toBe('Faulted');
  // The watcher's row for the target may be off-screen: its count of Faulted points must include it.
  await expect(watcher.getByTestId('status-count-Faulted')).toContainText(/[1-9]/);
  await expect(watcher.getByTestId(`row-${selectedId}`)).toHaveAttribute('aria-selected', 'true');
  await expect(watcher.getByTestId(`row-${selectedId}`)).toHaveClass(/is-focused/);
  expect(await grid.evaluate((el) => el.scrollTop)).toBe(scrollBefore);
});

test('keyboard only: arrows to a point, Enter, a key for the status, type the reason, Ctrl+S, Esc', async ({
  network,
}) => {
  const { console, host } = await network.startConsole('operator');
  const point = pickPoint(console, (p) => p.stationConnected && p.operator.status === 'Available');
  const page = await network.openTab(host);
  await page.getByTestId('filter-text').fill(point.id);
  // The filter applies in a deferred render: only then is the point the grid's one row.
  await expect(page.locator('[data-testid^="row-"]')).toHaveCount(1);
  await page.getByTestId('filter-text').press('ArrowDown');
  // Move to the point row (past its site's group header, if any).
  for (let i = 0; i < 3; i++) {
    const focusedIsRow = await page.evaluate(
      (id) =>
        document.activeElement?.closest(`[data-testid="row-${id}"]`) !== null ||
        document.activeElement?.querySelector?.(`[aria-selected="true"][data-testid="row-${id}"]`) !== null,
      point.id,
    );
    if (focusedIsRow) break;
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('editor')).toBeVisible();
  await page.keyboard.press('m');
  await expect(page.getByTestId('editor-reason')).toBeVisible();
  await page.getByTestId('editor-reason').focus();
  await page.keyboard.type('Quarterly inspection');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('editor')).toBeHidden();
  await expect(page.getByTestId(`row-${point.id}`)).toHaveAttribute('data-shown-status', 'Maintenance');

  await page.keyboard.press('Enter');
  await expect(page.getByTestId('editor')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('editor')).toBeHidden();
});

test('network text renders as text: a site named like markup shows literally and runs nothing', async ({ network }) => {
  const evil = '<img src=x onerror=alert(1)>';
  const [site] = network.backend.store.stations.allSites();
  network.backend.store.stations.upsertSite({ ...site, name: evil });
  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  await expect(page.getByTestId(`site-group-${site.id}`)).toContainText(evil);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
});

test('Clear filters empties the filter box and shows every point again, also right after typing', async ({
  network,
}) => {
  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  const all = await page.getByTestId('status-count-all').textContent();
  const box = page.getByTestId('filter-text');
  await box.fill('VB-');
  await page.getByTestId('status-count-Available').click();
  await box.fill('VB-C');
  await page.getByTestId('clear-filters').click();
  await expect(box).toHaveValue('');
  await expect(page.getByTestId('clear-filters')).toHaveCount(0);
  await expect(page.getByTestId('status-count-all')).toHaveText(all!);
  // Typing again filters from the empty box, not from the text before the clear.
  await box.pressSequentially('Bay 1');
  await expect(box).toHaveValue('Bay 1');
});

test('a checkbox that kept focus does not act on another point when a live change moves the rows under it', async ({
  network,
}) => {
  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  await page.getByTestId('group-toggle').uncheck();
  await page.getByTestId('sort-shown').click();
  // Most severe first.
  await expect(page.getByRole('columnheader', { name: /Shown status/ })).toHaveAttribute('aria-sort', 'ascending');
  const available = page.locator('[data-point-id][data-shown-status="Available"]');
  const clicked = (await available.nth(0).getAttribute('data-point-id'))!;
  const mover = (await available.nth(3).getAttribute('data-point-id'))!;
  const row = page.getByTestId(`row-${clicked}`);
  const indexBefore = Number(await row.getAttribute('aria-rowindex'));
  await row.getByRole('checkbox').check();
  await expect(row.getByRole('checkbox')).toBeFocused();

  // A point below goes Faulted and moves to the top: the clicked row moves down one, its element shows another point.
  const p = network.backend.store.points.get(mover)!;
  network.backend.store.points.setReported(
    p.stationId,
    p.evseId,
    { status: 'Faulted', errorCode: 'GroundFailure', info: null, at: new Date().toISOString() },
    `station:${p.stationId}`,
  );
  network.backend.flushChanges();
  await expect(row).toHaveAttribute('aria-rowindex', String(indexBefore + 1));

  // Focus went back to the grid instead of staying on a checkbox that now belongs to another point.
  await expect(page.getByTestId('grid')).toBeFocused();
  await expect(row.getByRole('checkbox')).toBeChecked();
});

test('a change from the network highlights its row, strong then lighter, and the highlight goes by itself without animating', async ({
  network,
}) => {
  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  const pointId = (await page
    .locator('[data-point-id][data-shown-status="Available"]')
    .first()
    .getAttribute('data-point-id'))!;
  const row = page.getByTestId(`row-${pointId}`);
  await expect(row.locator('.row-flash')).toHaveCount(0);
  // Every state the row's highlight goes through, as it happens.
  await row.evaluate((el) => {
    const seen: string[] = [];
    (window as unknown as { highlightSeen: string[] }).highlightSeen = seen;
    const note = () => {
      const level = el.querySelector('.row-flash')?.className.match(/flash-\d/)?.[0] ?? 'none';
      if (seen[seen.length - 1] !== level) seen.push(level);
    };
    new MutationObserver(note).observe(el, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['class'],
    });
  });

  const p = network.backend.store.points.get(pointId)!;
  network.backend.store.points.setReported(
    p.stationId,
    p.evseId,
    { status: 'Occupied', errorCode: null, info: null, at: new Date().toISOString() },
    `station:${p.stationId}`,
  );
  network.backend.flushChanges();
  await expect(row).toHaveAttribute('data-shown-status', 'Occupied');
  await expect(row.locator('.row-flash')).toHaveClass(/flash-1/);
  // Stepped by class on one clock, not a CSS animation (a running animation keeps the browser drawing frames).
  expect(await row.evaluate((el) => el.getAnimations({ subtree: true }).length)).toBe(0);
  // Nothing else changes on this quiet network: the highlight still steps down and goes, within its 1.8 s.
  await expect(row.locator('.row-flash')).toHaveCount(0, { timeout: 2_500 });
  // Strong first, only ever lighter, then none (a loaded machine may run a step late and skip a level).
  const seen = (await page.evaluate(() => (window as unknown as { highlightSeen: string[] }).highlightSeen)).filter(
    (level, i, all) => level !== 'none' || all.slice(0, i).some((l) => l !== 'none'),
  );
  expect(seen[0]).toBe('flash-1');
  expect(seen[seen.length - 1]).toBe('none');
  const levels = seen.slice(0, -1).map((level) => Number(level.slice('flash-'.length)));
  expect(levels).toEqual([...levels].sort());
  expect(levels.length, `steps seen: ${seen.join(' → ')}`).toBeGreaterThanOrEqual(2);
});

test('PageDown moves the focus a screen of rows down and PageUp back, and a render of the grid never reads its height', async ({
  network,
}) => {
  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  const grid = page.getByTestId('grid');
  await expect(page.locator('[data-testid^="row-"]').first()).toBeVisible();
  // Count reads of the grid's height: one read in a render made the browser lay the page out at once in every render.
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="grid"]')!;
    const own = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight')!;
    (window as unknown as { heightReads: number }).heightReads = 0;
    Object.defineProperty(el, 'clientHeight', {
      get() {
        (window as unknown as { heightReads: number }).heightReads++;
        return own.get!.call(this);
      },
    });
  });
  const heightReads = () => page.evaluate(() => (window as unknown as { heightReads: number }).heightReads);
  const focusedRowIndex = () =>
    page.evaluate(() => {
      const id = document.querySelector('[data-testid="grid"]')!.getAttribute('aria-activedescendant');
      return Number(document.getElementById(id ?? '')?.getAttribute('aria-rowindex') ?? -1);
    });
  await grid.focus();
  await expect.poll(focusedRowIndex).toBeGreaterThan(0);
  const top = await focusedRowIndex();
  // Each arrow re-renders the grid (the focused row moves); none of those renders reads the height.
  const readsBefore = await heightReads();
  for (let i = 1; i <= 3; i++) {
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedRowIndex).toBe(top + i);
  }
  expect(await heightReads()).toBe(readsBefore);
  await page.keyboard.press('PageDown');
  await expect.poll(focusedRowIndex).toBeGreaterThan(top + 8);
  expect(await heightReads()).toBeGreaterThan(readsBefore);
  await page.keyboard.press('PageUp');
  await expect.poll(focusedRowIndex).toBe(top + 3);
});
