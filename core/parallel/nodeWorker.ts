// core/parallel/nodeWorker.ts: the worker_threads entry of the gradient helper (see gradients.ts).
import { parentPort } from 'node:worker_threads';
import { serveGradients, type HelperInit } from './gradients.js';

parentPort!.once('message', (init: HelperInit) => {
  try {
    serveGradients(init, () => parentPort!.postMessage({ type: 'ready' }));
  } catch (error) {
    parentPort!.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
