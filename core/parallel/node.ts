// core/parallel/node.ts: data-parallel training in Node, with a worker_threads helper (see halfBatch.ts).
import type { Worker } from 'node:worker_threads';
import { HalfBatchHelper, sharedMemoryAvailable, type HelperArrays } from './halfBatch.js';
import { spawnWorker, sibling } from './spawn.js';
import { kernelHelperInit, beginKernelThreads, type KernelThreads } from './kernelThreads.js';
import { kernelThreadsRunning } from '../kernels/wasm.js';
import { fit, type FitOptions, type FitResult } from '../nn/trainer.js';
import type { Sequential } from '../nn/model.js';
import { usesBatchStatistics, computesSamplesApart } from '../nn/layers.js';
import { type Dataset, count } from '../data/dataset.js';

/** A helper thread for `model`'s half batches (batches of up to `batchSize`); resolves once it is ready. The helper
 *  runs under a watcher thread (host.ts), so if it exits or crashes the trainer fails at once with the reason.
 *  `entry`: the helper thread's module (default convlab's nodeWorker; it must call serveHalfBatches). `shareArrays`
 *  (default true): write the weights into the helper's own parameters and read its gradients there where they live in
 *  shared memory; false copies both through the helper's buffers, as a browser page does (the same bits). */
export async function startHalfBatchHelper(model: Sequential, batchSize: number, options: { entry?: URL; shareArrays?: boolean } = {}): Promise<HalfBatchHelper> {
  if (!Number.isInteger(batchSize) || batchSize < 2) throw new RangeError(`startHalfBatchHelper: batchSize must be an integer ≥ 2, got ${batchSize}`);
  const entry = options.entry ?? sibling('nodeWorker', import.meta.url);
  const worker = spawnWorker(sibling('host', import.meta.url), { workerData: { entry: entry.href } });
  const helper = new HalfBatchHelper(worker, model, batchSize);
  const ready = await helperReady(worker, 'startHalfBatchHelper').catch((error) => { helper.close(); throw error; });
  worker.unref();
  // write the weights into the helper's own parameters and read its gradients there (it saves the helper two copies)
  if (ready.arrays && options.shareArrays !== false) helper.useHelperArrays(ready.arrays);
  return helper;
}

/** A helper thread's first word: 'ready', or why it failed (an error message, an exception, an early exit), named by `who`. */
function helperReady(worker: Worker, who: string): Promise<{ arrays?: HelperArrays | null }> {
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { type: string; message?: string; arrays?: HelperArrays | null }) => {
      if (message.type === 'ready') resolve(message);
      else reject(new Error(`${who}: the helper thread failed: ${message.message}`));
    });
    worker.once('error', (error) => reject(new Error(`${who}: the helper thread failed: ${error.message}`)));
    worker.once('exit', (code) => reject(new Error(`${who}: the helper thread exited (code ${code}) before it was ready`)));
  });
}

/** A second thread inside single operations: from now on large WebAssembly kernel calls (matrix products, batch
 *  convolutions, dense layers over a batch, so predict() and the bench's products) split their rows or samples with a
 *  helper thread over shared memory, with the same results as one thread. close() goes back to one thread. Not for use
 *  together with a half-batch helper (both would want the second core). */
export async function startKernelThreads(): Promise<KernelThreads> {
  const init = kernelHelperInit();
  const worker = spawnWorker(sibling('kernelWorker', import.meta.url));
  const ready = helperReady(worker, 'startKernelThreads');
  worker.postMessage(init);
  await ready.catch(async (error) => { await worker.terminate(); throw error; });
  worker.unref();
  return beginKernelThreads(worker, init);
}

/** The second thread for training `model` on two threads, started: for a model whose layers compute each sample apart
 *  (dense layers and activations, nn/layers.ts computesSamplesApart) kernel threads, so the trainer keeps running whole
 *  batches on this thread (nn/trainer.ts) with its matrix products and its update split inside each call — three
 *  hand-overs a step and no second pass over the gradients, where half batches on a helper cost a whole second forward
 *  and backward pass's overhead for a few hundred microseconds of work; nothing is started when kernel threads already
 *  run. Any other model gets a half-batch helper (`helper`, for fit's options) for batches of up to `batchSize`. Both
 *  give the weights of one thread, bit for bit. close() ends what was started. */
export async function startTrainingThread(model: Sequential, batchSize: number): Promise<{ helper?: HalfBatchHelper; close(): void }> {
  if (computesSamplesApart(model.configs)) {
    const kernels = kernelThreadsRunning() ? null : await startKernelThreads();
    return { close: () => kernels?.close() };
  }
  const helper = await startHalfBatchHelper(model, batchSize);
  return { helper, close: () => helper.close() };
}

/** fit() on `threads` threads (1 or 2; default 2 where memory can be shared). The weights, history and
 *  every other result are the same for 1 and 2; only the time differs. */
export async function fitParallel(model: Sequential, train: Dataset, options: FitOptions & { threads?: number }): Promise<FitResult> {
  const { threads = 2, ...rest } = options;
  if (threads !== 1 && threads !== 2) throw new RangeError(`fitParallel: threads must be 1 or 2, got ${threads}`);
  const batchSize = rest.batchSize ?? 32;
  if (threads === 1 || batchSize < 2 || !sharedMemoryAvailable() || usesBatchStatistics(model.configs)) return fit(model, train, rest);
  // size the helper by the real batch: a batch larger than the data is one batch of all of it
  const second = await startTrainingThread(model, Math.max(2, Math.min(batchSize, count(train))));
  try {
    return fit(model, train, { ...rest, helper: second.helper });
  } finally {
    second.close();
  }
}
