// Alert webhooks against a real HTTP receiver written from the documented contract: signed, retried with backoff
// after failures, delivered once per event to a receiver that dedupes by id, and sent after a restart.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../common/clock.js';
import { connectStation, startTestBackend, type TestBackend, type TestStation } from '../support/backendHarness.js';
import { tempDir } from '../support/tempDir.js';
import { storeArgsFor } from '../support/testStore.js';
import { waitFor } from '../support/waitFor.js';

const SECRET = 'receiver-secret-0123456789';

/** A receiver as a team would write one: checks the signature, dedupes by event id, fails on demand. */
class Receiver {
  readonly events = new Map<string, { what: string; alert: { kind: string; pointId: string | null } }>();
  posts = 0;
  badSignatures = 0;
  failNext = 0;
  private server!: Server;
  url = '';

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        this.posts++;
        const sig = String(req.headers['x-voltboard-signature'] ?? '');
        const t = /t=(\d+)/.exec(sig)?.[1];
        const v1 = /v1=([0-9a-f]{64})/.exec(sig)?.[1];
        const expected = createHmac('sha256', SECRET).update(`${t}.${body}`).digest();
        if (!t || !v1 || !timingSafeEqual(Buffer.from(v1, 'hex'), expected)) {
          this.badSignatures++;
          res.writeHead(401).end();
          return;
        }
        if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(500).end();
          return;
        }
        const event = JSON.parse(body) as { id: string; what: string; alert: { kind: string; pointId: string | null } };
        assert.equal(event.id, req.headers['x-voltboard-event-id']);
        this.events.set(event.id, event); // dedupe by id
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/voltboard`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }
}

describe('alert webhooks', () => {
  let clock: ManualClock;
  let data: ReturnType<typeof tempDir>;
  let b: TestBackend;
  let receiver: Receiver;
  let station: TestStation | null = null;

  beforeEach(async () => {
    clock = new ManualClock();
    data = tempDir('backend');
    receiver = new Receiver();
    await receiver.start();
    b = await startTestBackend({
      clock,
      dataDir: data.path,
      liveness: { pingIntervalMs: 24 * 3600_000 },
      alertRules: { faultedHoldOffMs: 10_000 },
    });
    b.store.webhooks.add(receiver.url, SECRET, new Date(clock.now()).toISOString());
  });
  afterEach(async () => {
    await station?.close();
    station = null;
    await b.stop();
    await receiver.stop();
    data.remove();
  });

  async function raiseOne(): Promise<void> {
    station = await connectStation(b.ocppUrl, 'ST16', 'ocpp1.6');
    await station.boot();
    await station.status(1, 'Faulted', { errorCode: 'GroundFailure' });
    for (let i = 0; i < 12; i++) clock.advance(1000);
    await waitFor('the alert', () => b.store.alerts.current(new Date(0).toISOString()).length === 1);
  }

  it('signed, retried after a receiver that fails twice, delivered once per event', async () => {
    receiver.failNext = 2;
    await raiseOne();
    await waitFor('the first attempt', () => receiver.posts === 1);
    // Its failure written down and the retry planned before the clock moves (else the retry counts from after it).
    const second = await waitFor('the second attempt planned', () => {
      const next = b.store.webhooks.nextDue();
      return next !== null && Date.parse(next) > clock.now() ? Date.parse(next) : null;
    });
    assert.equal(second - clock.now(), 1000, 'the second waits 1 s');
    clock.advance(1000);
    await waitFor('the second attempt, 1 s later', () => receiver.posts === 2);
    const third = await waitFor('the third attempt planned', () => {
      const next = b.store.webhooks.nextDue();
      return next !== null && Date.parse(next) > clock.now() ? Date.parse(next) : null;
    });
    assert.equal(third - clock.now(), 2000, 'the third waits 2 s');
    clock.advance(1999);
    assert.equal(receiver.posts, 2);
    clock.advance(1);
    await waitFor('delivered', () => receiver.events.size === 1);
    assert.equal(receiver.badSignatures, 0);
    const [event] = receiver.events.values();
    assert.equal(event.what, 'raised');
    assert.equal(event.alert.pointId, 'ST16-1');
    // The receiver has it before the dispatcher has written down its 2xx.
    const counts = await waitFor('marked delivered', () => b.store.webhooks.counts().find((c) => c.delivered === 1));
    assert.deepEqual([counts.pending, counts.delivered, counts.failed], [0, 1, 0]);
    // The next event of the same alert is a new id; nothing is sent twice.
    await station!.status(1, 'Available');
    clock.advance(1000);
    await waitFor('the resolved event', () => receiver.events.size === 2);
    await waitFor('both marked delivered, nothing left to send', () =>
      b.store.webhooks.counts().find((c) => c.delivered === 2 && c.pending === 0),
    );
    assert.equal(receiver.posts, 4, 'two failures, then one post per event');
  });

  it('a burst of 300 events: each reaches the receiver exactly once and is recorded delivered', async () => {
    const at = new Date(clock.now()).toISOString();
    b.store.db.tx('queue a burst', () => {
      for (let i = 0; i < 300; i++) {
        const id = `burst-${i}:1`;
        b.store.webhooks.enqueue(id, JSON.stringify({ id, type: 'alert', what: 'raised', alert: { kind: 'x' } }), at);
      }
    });
    await raiseOne(); // the alert's event kicks the dispatcher
    await waitFor('all delivered', () => receiver.events.size === 301, 30_000);
    const counts = await waitFor('all recorded', () =>
      b.store.webhooks.counts().find((c) => c.delivered === 301 && c.pending === 0),
    );
    assert.equal(counts.failed, 0);
    assert.equal(receiver.posts, 301, 'none sent twice');
  });

  it('a backend restarted with undelivered webhooks delivers them', async () => {
    await receiver.stop();
    await raiseOne();
    await waitFor('an attempt failed', () => b.store.webhooks.counts()[0]?.lastError !== null);
    assert.equal(b.store.webhooks.counts()[0].pending, 1);
    await station!.close();
    station = null;
    await b.stop();
    const port = Number(new URL(receiver.url).port);
    receiver = new Receiver();
    await receiver.start(port);
    clock = new ManualClock(clock.now() + 60_000);
    b = await startTestBackend({
      clock,
      dataDir: data.path,
      network: null,
      liveness: { pingIntervalMs: 24 * 3600_000 },
    });
    await waitFor('delivered after the restart', () => receiver.events.size >= 1);
    assert.equal([...receiver.events.values()][0].what, 'raised');
  });
});

describe('webhook command', () => {
  it('adds (secret printed once), lists with delivery counts, refuses plain http to another machine, removes', async () => {
    const { execFileSync } = await import('node:child_process');
    const data = tempDir('backend');
    const b = await startTestBackend({ dataDir: data.path });
    await b.stop();
    const run = (...args: string[]) =>
      execFileSync('node_modules/.bin/tsx', ['backend/cli.ts', 'webhook', ...args, ...storeArgsFor(data.path)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    try {
      const added = run('add', 'https://hooks.example.com/voltboard');
      assert.match(added, /added webhook [0-9a-f-]{36} → https:\/\/hooks\.example\.com\/voltboard/);
      assert.match(added, /signing secret[^\n]*\n[A-Za-z0-9_-]{43}/);
      assert.match(run('list'), /https:\/\/hooks\.example\.com\/voltboard {2}pending 0 {2}delivered 0 {2}failed 0/);
      assert.throws(() => run('add', 'http://hooks.example.com/x'), /must be https/);
      const id = /added webhook ([0-9a-f-]{36})/.exec(added)![1];
      assert.match(run('remove', id), /removed webhook/);
      assert.match(run('list'), /no webhooks/);
    } finally {
      data.remove();
    }
  });
});
