// A helper thread entry that says it is ready, waits for the first request, then exits with code 7 (as a crash would).
import { parentPort } from 'node:worker_threads';
import type { HelperInit } from '../../core/index.js';

parentPort!.once('message', (init: HelperInit) => {
  parentPort!.postMessage({ type: 'ready' });
  const control = new Int32Array(init.control);
  Atomics.wait(control, 0, 0); // REQUEST: the first half batch
  process.exit(7);
});
