// core/parallel/node.ts: data-parallel training in Node, with a worker_threads helper (see gradients.ts).
import { Worker } from 'node:worker_threads';
import { GradientHelper, sharedMemoryAvailable } from './gradients.js';
import { fit, type FitOptions, type FitResult } from '../nn/trainer.js';
import type { Sequential } from '../nn/model.js';
import type { Dataset } from '../data/dataset.js';

/** A helper thread for `model`'s half batches (batches of up to `batchSize`); resolves once it is ready. */
export async function startGradientHelper(model: Sequential, batchSize: number): Promise<GradientHelper> {
  if (!Number.isInteger(batchSize) || batchSize < 2) throw new RangeError(`startGradientHelper: batchSize must be an integer ≥ 2, got ${batchSize}`);
  // from the TypeScript sources (tests, tsx) the worker is a .ts file that needs the tsx loader
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './nodeWorker.ts' : './nodeWorker.js', import.meta.url);
  const worker = fromSource
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true })
    : new Worker(entry);
  const helper = new GradientHelper(worker, model, Math.floor(batchSize / 2));
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (message: { type: string; message?: string }) => {
      if (message.type === 'ready') resolve();
      else reject(new Error(`startGradientHelper: the helper thread failed: ${message.message}`));
    });
    worker.once('error', (error) => reject(new Error(`startGradientHelper: the helper thread failed: ${error.message}`)));
    worker.once('exit', (code) => reject(new Error(`startGradientHelper: the helper thread exited (code ${code}) before it was ready`)));
  }).catch((error) => { helper.close(); throw error; });
  worker.unref();
  return helper;
}

/** fit() on `threads` threads (1 or 2; default 2 where memory can be shared). The weights, history and
 *  every other result are the same for 1 and 2; only the time differs. */
export async function fitParallel(model: Sequential, train: Dataset, options: FitOptions & { threads?: number }): Promise<FitResult> {
  const { threads = 2, ...rest } = options;
  if (threads !== 1 && threads !== 2) throw new RangeError(`fitParallel: threads must be 1 or 2, got ${threads}`);
  const batchSize = rest.batchSize ?? 32;
  if (threads === 1 || batchSize < 2 || !sharedMemoryAvailable()) return fit(model, train, rest);
  const helper = await startGradientHelper(model, batchSize);
  try {
    return fit(model, train, { ...rest, helper });
  } finally {
    helper.close();
  }
}
