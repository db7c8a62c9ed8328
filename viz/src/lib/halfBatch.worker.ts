// The training worker's helper thread: computes the second half of every batch (core/parallel/halfBatch.ts).
// It blocks in Atomics.wait between batches, which workers may do; the page never does.
import { serveHalfBatches, residentArraysInWorker, type HelperInit } from '../../../core/index.js';

residentArraysInWorker(); // its copy of the model's parameters in shared WebAssembly memory, as the training worker's

self.onmessage = (event: MessageEvent<HelperInit>) => {
  try {
    serveHalfBatches(event.data, () => self.postMessage({ type: 'ready' }));
  } catch (error) {
    self.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
