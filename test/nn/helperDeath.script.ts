// A child process for parallel.test.ts: a half-batch helper whose thread exits (code 7) during its first half batch.
// Prints how long the trainer waited before it failed, and the error.
import { startHalfBatchHelper } from '../../core/node.js';
import { createPreset, fit, seeded } from '../../core/index.js';

const model = createPreset('mlp', { seed: 1 });
const helper = await startHalfBatchHelper(model, 16, { entry: new URL('./dyingHelper.script.ts', import.meta.url) });
const random = seeded(1);
const data = { inputs: Float32Array.from({ length: 4096 * 784 }, () => random.next()), labels: Int32Array.from({ length: 4096 }, () => random.int(10)), sampleShape: [1, 28, 28], classes: 10 };
// fit sends the first half batch at once; the trainer takes back the halves the dead thread never began (computing them
// itself) and fails at the next batch once the thread's watcher has marked it dead: the time until it fails is how long
// the trainer went on without it (an epoch of 4,096 samples, far longer than that, so the death is always noticed)
const started = performance.now();
try {
  fit(model, data, { epochs: 1, batchSize: 16, helper, optimizer: { type: 'sgd', learningRate: 0.01 } });
  console.log('trained: the death went unnoticed');
} catch (error) {
  console.log(`${(error as Error).message}; waited ${Math.round(performance.now() - started)} ms`);
}
helper.close();
