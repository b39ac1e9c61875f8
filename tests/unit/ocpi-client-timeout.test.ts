// The OCPI client's timeout counts the partner's silence, not this process's busy turns: a partner whose answer came
// while a long synchronous turn (a large transaction) held the event loop is not given up on; a silent one still is.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ocpiRequest, OcpiUnreachable } from '../../backend/ocpi/client.js';

/** What a turn of a big transaction does to the event loop: holds it, synchronously. */
function holdEventLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a transaction's statements, one after another
  }
}

describe('OCPI client timeout', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/silent') return; // never answers
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status_code: 1000, timestamp: new Date().toISOString() }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('takes an answer that came while this process was busy for longer than the timeout', async () => {
    const answer = ocpiRequest({ method: 'GET', url: `${base}/answers`, token: 't', timeoutMs: 300 });
    holdEventLoop(700);
    const got = await answer;
    assert.equal(got.httpStatus, 200);
    assert.equal(got.envelope?.status_code, 1000);
  });

  it('gives up on a partner that stays silent, after about the timeout', async () => {
    const t0 = performance.now();
    await assert.rejects(
      ocpiRequest({ method: 'GET', url: `${base}/silent`, token: 't', timeoutMs: 300 }),
      (e: unknown) => e instanceof OcpiUnreachable && e.message === 'no answer in time',
    );
    const ms = performance.now() - t0;
    assert.ok(ms >= 300, `gave up after ${ms.toFixed(0)} ms`);
  });
});
