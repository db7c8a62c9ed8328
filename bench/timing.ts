// bench/timing.ts: how the bench times a call and a training run, and the random samples it trains on: one home for
// every workload and every library it compares.
import { fit, seeded, type Dataset, type HalfBatchHelper, type Sequential } from '../core/index.js';

/** Seconds of the fastest of `calls` calls after `warmup` untimed ones. Inference figures use it for every library
 *  (bench/torch_peer.py times PyTorch's the same way): one call over the test digits is short enough for a neighbour's
 *  burst on a shared machine to slow a single timing, and a mean of a few calls would let one such burst decide. */
export function fastestSeconds(run: () => void, calls: number, warmup = 1): number {
  for (let i = 0; i < warmup; i++) run();
  let best = Infinity;
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best / 1000;
}

/** Training samples/s: one epoch of `model` on `data` with BENCH.md's recipe (SGD, learning rate 0.01, momentum 0.9,
 *  seed 1; batch 32 unless `batchSize`), timed from the end of batch `warmup` to the end of the epoch, so the first
 *  batches (compiling, memory touched for the first time, the helper's start) are left out. With `helper` it takes its
 *  share of every batch (two threads). */
export function trainRate(model: Sequential, data: Dataset, options: { warmup: number; batchSize?: number; helper?: HalfBatchHelper }): number {
  const { warmup, batchSize = 32, helper } = options;
  let from = 0;
  fit(model, data, { epochs: 1, batchSize, optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 }, seed: 1, helper,
    onBatch: (info) => { if (info.batch === warmup) from = performance.now(); } });
  const timed = data.labels.length - warmup * batchSize;
  return timed / ((performance.now() - from) / 1000);
}

/** `count` samples of `shape`, each value uniform in [0, 1), with labels uniform over 10 classes (seeded: every
 *  workload and run trains on the same ones). Speed does not depend on the values except through blank inputs, which
 *  these do not have. */
export function randomSamples(shape: readonly number[], count: number, seed = 11): Dataset {
  const size = shape.reduce((a, b) => a * b, 1), random = seeded(seed);
  return { inputs: Float32Array.from({ length: count * size }, () => random.next()), labels: Int32Array.from({ length: count }, () => random.int(10)),
    sampleShape: [...shape], classes: 10 };
}
