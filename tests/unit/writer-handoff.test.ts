// Two threads writing one SQLite file take turns (node/writerHandoff.ts): a real worker thread and this one each do
// thousands of read-modify-writes of a shared counter inside their turns; none is lost, and the worker sees when the
// main thread waits for it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { WriterHandoff } from '../../node/writerHandoff.js';

const TURNS = 3_000;

/** The test's worker from its TypeScript source (tsx registers itself again in a new thread). */
function startWorker(workerData: object): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const source = new URL('../support/handoffWorker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

describe('writer handoff between two threads', () => {
  it('lets one thread at a time into a turn, and the worker sees the main thread waiting', async () => {
    const buffer = WriterHandoff.buffer();
    const counterBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const counter = new Int32Array(counterBuffer);
    const main = new WriterHandoff(buffer, 'main');
    const worker = startWorker({ handoff: buffer, counter: counterBuffer, turns: TURNS });
    const done = new Promise<{ sawWanted: boolean }>((resolve, reject) => {
      worker.on('message', (m: { done?: boolean; sawWanted: boolean }) => m.done && resolve(m));
      worker.once('error', reject);
    });
    // The worker holds its first turn: the main thread's first turn waits for it.
    await new Promise((resolve) => worker.once('message', resolve));
    for (let i = 0; i < TURNS; i++) {
      main.turn(() => {
        const value = Atomics.load(counter, 0);
        for (let spin = 0; spin < 200; spin++) Atomics.load(counter, 0);
        Atomics.store(counter, 0, value + 1);
      });
      if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const { sawWanted } = await done;
    await worker.terminate();
    assert.equal(counter[0], 2 * TURNS, 'no update was lost: never both threads in a turn');
    assert.ok(sawWanted, 'the worker saw the main thread waiting for its turn');
    assert.equal(main.wanted, false, 'only the worker is asked to step aside');
  });

  it('ends the main thread’s wait for a thread that holds its turn and is never heard from again', async () => {
    const buffer = WriterHandoff.buffer();
    const counterBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const main = new WriterHandoff(buffer, 'main', 300);
    const worker = startWorker({ handoff: buffer, counter: counterBuffer, turns: 0, hold: true });
    try {
      await new Promise((resolve) => worker.once('message', resolve));
      const t0 = performance.now();
      assert.equal(
        main.turn(() => 'written'),
        'written',
      );
      const waited = performance.now() - t0;
      assert.ok(waited >= 290 && waited < 5_000, `waited ${waited.toFixed(0)} ms: its limit, not for ever`);
    } finally {
      await worker.terminate();
    }
  });

  it('gives the main thread its turn once the other thread has gone, even from inside its turn', async () => {
    const buffer = WriterHandoff.buffer();
    const counterBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const main = new WriterHandoff(buffer, 'main');
    const worker = startWorker({ handoff: buffer, counter: counterBuffer, turns: 0, hold: true });
    await new Promise((resolve) => worker.once('message', resolve));
    await worker.terminate();
    // What StationWriter does when its thread exits; without it the main thread would wait for ever.
    main.workerGone();
    assert.equal(
      main.turn(() => main.turn(() => 'nested turns are one')),
      'nested turns are one',
    );
  });
});
