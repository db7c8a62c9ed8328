// core/parallel/nodeWorker.ts: the worker_threads entry of the half-batch helper (see halfBatch.ts).
import { parentPort } from 'node:worker_threads';
import { serveHalfBatches, type HelperInit } from './halfBatch.js';

parentPort!.once('message', (init: HelperInit) => {
  try {
    // the helper's parameter and gradient arrays are views of shared memory: posting them shares them, copies nothing
    serveHalfBatches(init, (arrays) => parentPort!.postMessage({ type: 'ready', arrays }));
  } catch (error) {
    parentPort!.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
