// A record the backend sends that fails the shared schema cannot freeze the console: the point is skipped, its row is
// marked "invalid" and a notice names it, while every other point keeps updating.
import { expect, test } from './fixtures.js';

test('a point whose latest record is invalid is marked on its row and named in a notice; others keep updating', async ({
  network,
}) => {
  const { host } = await network.startConsole('operator');
  const page = await network.openTab(host);
  const { store } = network.backend;
  const [poisoned, other] = store.points.all();
  await page.getByTestId('filter-text').fill(poisoned.stationId);
  await expect(page.getByTestId(`row-${poisoned.id}`)).toBeVisible();
  // A bad row written straight into the backend's store, as the unchecked write path once could: it goes out with
  // the next batch.
  store.changes.write('poison', () => {
    store.db
      .prepare('test', 'UPDATE points SET evse_id = -1, seq = ? WHERE id = ?')
      .run(store.changes.next(), poisoned.id);
  });
  network.backend.flushChanges();
  await expect(page.getByTestId('invalid-data')).toContainText(poisoned.id);
  await expect(page.getByTestId(`row-${poisoned.id}`).getByTestId('invalid-mark')).toHaveAttribute('title', /evseId/);
  // The rest of the network still moves.
  await network.backend.demo!.control('fault', { pointId: other.id });
  await page.getByTestId('filter-text').fill(other.stationId);
  await expect(page.getByTestId(`row-${other.id}`)).toHaveAttribute('data-shown-status', 'Faulted');
});
