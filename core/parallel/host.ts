// core/parallel/host.ts: the thread that watches the half-batch helper (Node). The trainer blocks in Atomics.wait
// while the helper computes, so it cannot hear the helper's 'exit' event; this small thread starts the helper,
// forwards its messages, and when the helper exits or crashes marks it dead in shared memory and wakes the trainer
// at once (markHelperDead), with the reason for its error message. It idles otherwise.
import { parentPort, workerData } from 'node:worker_threads';
import { markHelperDead, type HelperInit } from './halfBatch.js';
import { spawnWorker } from './spawn.js';

parentPort!.once('message', (init: HelperInit) => {
  const helper = spawnWorker(new URL((workerData as { entry: string }).entry));
  helper.on('message', (message) => parentPort!.postMessage(message));
  helper.on('error', (error) => markHelperDead(init, `failed: ${error.message}`));
  helper.on('exit', (code) => {
    markHelperDead(init, `exited (code ${code})`);
    parentPort!.postMessage({ type: 'exit', message: `the helper thread exited (code ${code})` });
  });
  helper.postMessage(init);
});
