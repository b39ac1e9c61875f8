// Issue 19 in Chromium: an admin registers two roaming partners (real eMSPs on loopback, tests/support/ocpiPeer.ts)
// from the Partners view, sees one deliver and the other fail once it is down, sees "Shown to drivers in 1 of 2
// partner apps" in a point's drawer with each partner's state, and removes a partner after confirming. An operator
// has no Partners view.
import { publishSite } from '../../backend/ocpi/admin.js';
import { saveParty } from '../../backend/ocpi/settings.js';
import { OcpiPeer } from '../support/ocpiPeer.js';
import { expect, pickPoint, test } from './fixtures.js';

test.use({ backendOptions: { ocpi: { allowPrivatePartnerUrls: true } } });

test('an admin registers partners, sees their delivery and a point in partner apps, removes one', async ({
  network,
}) => {
  const fine = new OcpiPeer();
  const down = new OcpiPeer();
  await fine.start();
  await down.start();
  try {
    const { console, host } = await network.startConsole('admin');
    const point = pickPoint(
      console,
      (p) => p.stationConnected && p.operator.status === 'Available' && p.connectors.every((c) => c.type !== null),
    );
    const { repo } = network.backend.ocpi;
    saveParty(repo, { countryCode: 'GB', partyId: 'VBD', name: 'Voltboard Demo', publicUrl: null });
    const location = { country: 'GBR', latitude: '51.53070', longitude: '-0.12390', postalCode: 'N1C 4QP' };
    publishSite(network.backend.store, repo, point.siteId, location, new Date().toISOString());

    const page = await network.openTab(host);
    await page.getByTestId('open-partners').click();
    const panel = page.getByTestId('partners-panel');
    await expect(panel).toContainText('No partners yet.');
    const form = panel.getByTestId('partner-register');
    for (const [name, peer] of [
      ['ChargeFinder', fine],
      ['RoamHub', down],
    ] as const) {
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Versions URL').fill(peer.versionsUrl);
      await form.getByLabel('Token A').fill(peer.issueTokenA());
      await form.getByRole('button', { name: 'Register' }).click();
      await expect(panel.locator('.partner-card', { hasText: name })).toBeVisible();
      await expect(form.getByLabel('Token A')).toHaveValue('');
    }
    const card = (name: string) => panel.locator('.partner-card', { hasText: name });
    await expect(card('ChargeFinder')).toHaveAttribute('data-health', 'delivering', { timeout: 15_000 });
    await expect(card('RoamHub')).toHaveAttribute('data-health', 'delivering', { timeout: 15_000 });
    await expect(panel).not.toContainText(fine.incomingToken!);

    // RoamHub goes down; a change is then delivered to ChargeFinder only.
    await down.stop();
    await page.getByTestId(`row-${point.id}`).click();
    await page.keyboard.press('Enter');
    await page.getByTestId('editor-status-OutOfService').click();
    await page.getByTestId('editor-reason').fill('Screen cracked');
    await page.getByTestId('editor-save').click();
    await expect(page.getByTestId('editor')).toBeHidden();
    if (!(await panel.isVisible())) await page.getByTestId('open-partners').click();
    await expect(card('RoamHub')).toHaveAttribute('data-health', 'failing', { timeout: 15_000 });
    await expect(card('RoamHub').getByTestId('partner-health')).toContainText('Failing since');
    await expect(card('RoamHub').getByTestId('partner-queue')).toContainText('waiting');
    await expect(card('ChargeFinder')).toHaveAttribute('data-health', 'delivering');
    await expect.poll(() => fine.statusOf(point.siteId, point.id)).toBe('INOPERATIVE');
    for (const dismiss of await page.locator('.toast').getByRole('button', { name: 'Dismiss' }).all())
      await dismiss.click();
    await page.setViewportSize({ width: 1440, height: 1100 });
    await panel.screenshot({ path: 'docs/screenshots/ocpi-partners.png' });
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.getByTestId(`row-${point.id}`).click();
    await page.keyboard.press('i');
    const drawer = page.getByTestId('drawer');
    const line = drawer.getByTestId('drawer-partners-line');
    await expect(line).toHaveText('Shown to drivers in 1 of 2 partner apps', { timeout: 15_000 });
    await line.click();
    await expect(drawer.getByTestId('drawer-partners')).toContainText('ChargeFinder: shown (accepted)');
    await expect(drawer.getByTestId('drawer-partners')).toContainText('RoamHub: not reached: partner failing');
    await drawer.getByTestId('drawer-partners').scrollIntoViewIfNeeded();
    await drawer.screenshot({ path: 'docs/screenshots/drawer-partners.png' });

    await page.getByTestId('open-partners').click();
    await card('RoamHub').getByRole('button', { name: 'Remove…' }).click();
    await expect(card('RoamHub')).toContainText('Its tokens stop working');
    await card('RoamHub').getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(card('RoamHub')).toHaveCount(0);
    expect(repo.partners().filter((p) => p.state !== 'removed')).toHaveLength(1);

    const operator = await network.startConsole('operator');
    const opPage = await network.openTab(operator.host);
    await expect(opPage.getByTestId('open-availability')).toBeVisible();
    await expect(opPage.getByTestId('open-partners')).toHaveCount(0);
  } finally {
    await fine.stop();
    await down.stop();
  }
});
