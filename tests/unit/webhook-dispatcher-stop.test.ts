// The webhook dispatcher (backend/alerts/webhookDispatcher.ts) records answers in batches; stopping it (a clean
// shutdown, an upgrade) must first record the answers already in, or a restarted backend sends those events again.
// A real store, a real HTTP receiver on loopback that answers only when the test says.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { WebhookDispatcher } from '../../backend/alerts/webhookDispatcher.js';
import type { Store } from '../../backend/store/index.js';
import { tempDir } from '../support/tempDir.js';
import { disposeStoreOf, testStore } from '../support/testStore.js';
import { waitFor } from '../support/waitFor.js';

describe('webhook dispatcher: stop', () => {
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => held.push(res));
  });
  const data = tempDir('webhooks');
  let store: Store;

  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    store = testStore(data.path);
  });
  after(async () => {
    store.close();
    disposeStoreOf(data.path);
    data.remove();
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  });

  it('records the answers already in before it stops; nothing answered is sent again', async () => {
    const clock = new ManualClock();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    store.webhooks.add(url, 'signing-secret', new Date(clock.now()).toISOString());
    const at = new Date(clock.now()).toISOString();
    store.db.tx('queue', () => {
      for (let i = 0; i < 20; i++) store.webhooks.enqueue(`event-${i}`, JSON.stringify({ id: `event-${i}` }), at);
    });
    const dispatcher = new WebhookDispatcher(store, clock, () => undefined);
    dispatcher.kick();
    // 16 in flight, 4 read and waiting for a slot.
    await waitFor('16 requests at the receiver', () => held.length === 16);
    for (const res of held.splice(0, 4)) res.writeHead(204).end();
    // The four freed slots take the four waiting deliveries: 16 in flight again, four answers not yet recorded.
    await waitFor('the four waiting deliveries sent', () => held.length === 16);

    dispatcher.stop();
    const [counts] = store.webhooks.counts();
    assert.equal(counts!.delivered, 4, 'the four answered deliveries are recorded delivered');
    assert.equal(counts!.pending, 16);
    for (const res of held.splice(0)) res.writeHead(204).end();
  });
});
