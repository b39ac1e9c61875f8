// Why an export stopped, in words (fetch's own message is only "terminated"), and the report's wait for a slow
// reader that leaves no listener behind (one 'close' listener was left per wait: Node warned past ten).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { drainedOrClosed } from '../../backend/history/reportHttp.js';
import { reasonOf } from '../../electron/core/uptimeExport.js';

test('a report body cut short by the other side says so, not only "terminated"', async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/csv' });
    res.write('station_id,port_id\r\n');
    setImmediate(() => res.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const error = await res.text().then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof Error);
    assert.equal(error.message, 'terminated');
    assert.match(reasonOf(error), /^terminated \(other side closed/);
  } finally {
    server.close();
  }
  assert.equal(reasonOf(new Error('the backend answered 500')), 'the backend answered 500');
});

test('waiting for a slow reader many times leaves no drain or close listener behind', async () => {
  const res = new EventEmitter();
  for (let i = 0; i < 50; i++) {
    const waited = drainedOrClosed(res as unknown as ServerResponse);
    res.emit('drain');
    await waited;
  }
  assert.equal(res.listenerCount('close'), 0);
  assert.equal(res.listenerCount('drain'), 0);
  const closed = drainedOrClosed(res as unknown as ServerResponse);
  res.emit('close');
  await closed;
  assert.equal(res.listenerCount('drain'), 0);
});
