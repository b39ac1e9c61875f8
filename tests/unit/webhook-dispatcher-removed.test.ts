// A removed receiver's queued deliveries stay queued ("kept, not sent"); they must not keep the webhook dispatcher
// (backend/alerts/webhookDispatcher.ts) waking at once for work it will never send: that was a busy loop, one query
// per turn, until the backend stopped. A real store and a real receiver; the clock records what the dispatcher arms.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { WebhookDispatcher } from '../../backend/alerts/webhookDispatcher.js';
import type { Store } from '../../backend/store/index.js';
import { tempDir } from '../support/tempDir.js';
import { disposeStoreOf, testStore } from '../support/testStore.js';
import { waitFor } from '../support/waitFor.js';

class RecordingClock extends ManualClock {
  readonly armed: number[] = [];
  override after(ms: number, fn: () => void) {
    this.armed.push(ms);
    return super.after(ms, fn);
  }
}

describe('webhook dispatcher: a removed receiver', () => {
  let posts = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => (posts++, res.writeHead(204).end()));
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
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('its queued deliveries stay queued and do not wake the dispatcher again and again', async () => {
    const clock = new RecordingClock();
    const at = () => new Date(clock.now()).toISOString();
    const removed = store.webhooks.add('http://127.0.0.1:9/gone', 'secret-one', at());
    store.webhooks.enqueue('event-1', '{"id":"event-1"}', at());
    store.webhooks.disable(removed.id, at());
    clock.advance(60_000); // its delivery is long due
    store.webhooks.add(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, 'secret-two', at());
    store.webhooks.enqueue('event-2', '{"id":"event-2"}', at());

    const dispatcher = new WebhookDispatcher(store, clock, () => undefined);
    dispatcher.kick();
    await waitFor(
      'the active receiver served and recorded',
      () => posts === 1 && store.webhooks.counts()[0]?.delivered === 1,
    );
    // Let the run end and arm its next wake-up.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(clock.armed, [], 'nothing to send, so nothing armed (was: at once, for ever)');
    dispatcher.stop();
    assert.equal(posts, 1);
  });
});
