// core/parallel/kernelWorker.ts: the worker_threads entry of the kernel helper (see kernelThreads.ts).
import { parentPort } from 'node:worker_threads';
import { serveKernels, type KernelHelperInit } from './kernelThreads.js';

parentPort!.once('message', (init: KernelHelperInit) => {
  try {
    serveKernels(init, () => parentPort!.postMessage({ type: 'ready' }));
  } catch (error) {
    parentPort!.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
