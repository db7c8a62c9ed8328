// core/parallel/nodeWorker.ts: the worker_threads entry of the half-batch helper (see halfBatch.ts).
import { parentPort } from 'node:worker_threads';
import { serveHalfBatches, type HelperInit } from './halfBatch.js';

parentPort!.once('message', (init: HelperInit) => {
  try {
    serveHalfBatches(init, () => parentPort!.postMessage({ type: 'ready' }));
  } catch (error) {
    parentPort!.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
