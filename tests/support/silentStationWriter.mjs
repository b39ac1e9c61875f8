// A station writer thread that says it is ready, takes every batch and never commits one (a thread stuck in the native
// code of a statement, or in a loop): the main thread's watchdog must give it up (backend/ocpp/stationWriter.ts).
// Plain JavaScript, so the thread needs no TypeScript loader.
import { workerData } from 'node:worker_threads';

workerData.port.on('message', () => undefined);
workerData.port.postMessage({ type: 'ready' });
