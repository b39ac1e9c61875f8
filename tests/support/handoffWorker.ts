// The other thread of tests/unit/writer-handoff.test.ts: takes its turns through a WriterHandoff and, in each, does a
// read-modify-write of a shared counter that two threads at once would lose updates of; or holds one turn forever.
import { parentPort, workerData } from 'node:worker_threads';
import { WriterHandoff } from '../../node/writerHandoff.js';

const {
  handoff: buffer,
  counter: counterBuffer,
  turns,
  hold,
} = workerData as {
  handoff: SharedArrayBuffer;
  counter: SharedArrayBuffer;
  turns: number;
  /** Takes one turn and never gives it back (a thread that stops inside a transaction). */
  hold?: boolean;
};
const handoff = new WriterHandoff(buffer, 'worker');
const counter = new Int32Array(counterBuffer);
if (hold) {
  handoff.turn(() => {
    parentPort!.postMessage({ holding: true });
    Atomics.wait(counter, 0, Atomics.load(counter, 0));
  });
}
let sawWanted = false;
for (let i = 0; i < turns; i++) {
  handoff.turn(() => {
    const value = Atomics.load(counter, 0);
    // The first turn is held, and said so, until the main thread asks for one (or 10 s pass); the others are short.
    if (i === 0) parentPort!.postMessage({ holding: true });
    const until = i === 0 ? Date.now() + 10_000 : 0;
    while (!sawWanted && Date.now() < until) sawWanted = handoff.wanted;
    for (let spin = 0; spin < 200; spin++) Atomics.load(counter, 0);
    Atomics.store(counter, 0, value + 1);
  });
}
parentPort!.postMessage({ sawWanted, done: true });
