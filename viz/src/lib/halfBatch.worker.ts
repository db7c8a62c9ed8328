// The training worker's helper thread: computes the second half of every batch (core/parallel/halfBatch.ts).
// It blocks in Atomics.wait between batches, which workers may do; the page never does. Its parameter and gradient
// arrays live in shared WebAssembly memory: its 'ready' hands views of them to the training worker (which made this
// worker; the page's thread never sees them), which then writes the weights into them and reads the gradients there,
// as Node's helper does (core/parallel/node.ts), so this thread copies neither.
import { serveHalfBatches, residentArraysInWorker, type HelperInit } from '../../../core/index.js';

residentArraysInWorker(); // its copy of the model's parameters in shared WebAssembly memory, as the training worker's

self.onmessage = (event: MessageEvent<HelperInit>) => {
  try {
    serveHalfBatches(event.data, (arrays) => self.postMessage({ type: 'ready', arrays }));
  } catch (error) {
    self.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
