// core/nn/shards.ts: the per-chunk step and the contract for running a batch's chunks elsewhere.
// A batch's gradient is the sum of its chunks' gradients (a few samples each), each computed from zero and summed in
// chunk order, (((g₀ + g₁) + g₂) + …), whichever thread computed which chunk: LocalShardRunner runs them all on this
// thread; a helper thread (core/parallel implements the interface; nn never imports it) claims chunks alongside the
// trainer. So the weights are bit-identical on one thread or two.
import { seeded, type Random } from '../random.js';
import { sizeOf } from '../tensor.js';
import { SoftmaxLayer, usesBatchStatistics, computesSamplesApart } from './layers.js';
import { softmaxCrossEntropyKernel } from '../ops/softmax.js';
import { warpSamples } from '../data/augment.js';
import { fast, residentArray } from '../kernels/select.js';
import { type Sequential, modelFingerprint } from './model.js';

export type LossName = 'crossEntropy' | 'mse';

/** A batch handed to a ShardRunner: `count` samples whose loss is a share of a batch of `divisor` (the whole batch:
 *  divisor = count). The runner splits it into chunks (chunkBounds) and sums their gradients in a fixed order. */
export interface Shard {
  inputs: Float32Array; labels: Int32Array; count: number; divisor: number; loss: LossName;
  /** Seeds of the chunks' generators (dropout masks; chunk k draws from seeded(seeds[k]), at least chunkCount of them);
   *  null when the model draws nothing. */
  seeds: readonly number[] | null;
  /** 4 numbers per sample from drawDistortion: the runner distorts `inputs` first; null for none. */
  warp: Float64Array | null;
}

/** Runs a batch's forward and backward pass in chunks (on this thread, or shared with a helper thread). */
export interface ShardRunner {
  /** The architecture it was set up for (modelFingerprint): the trainer refuses a runner for another. */
  readonly fingerprint: string;
  /** The most samples one batch may hold. */
  readonly maxCount: number;
  /** Optional: a buffer of at least `count` samples' inputs that start() reads a batch's inputs from without a copy when
   *  `shard.inputs` is a view of it from its start (a helper thread's shared inputs): the trainer gathers the batch
   *  there. Its contents may change only between finish() and the next start(). */
  inputBuffer?(count: number): Float32Array | null;
  /** Begin the batch with the model's current weights (a helper thread may start on it at once). */
  start(shard: Shard): void;
  /** Compute the batch's chunks (with whatever helps), add their gradients into the model's (zero before) in chunk
   *  order, and return the batch's loss sum and right answers. */
  finish(): { lossSum: number; right: number };
  close(): void;
}

/** How many chunks a batch splits into. Every chunk's gradient is a full copy of the parameters on the thread that
 *  computes it, summed afterwards in chunk order, and smaller chunks mean more, smaller kernel calls. Measured on one
 *  thread, interleaved: the lab CNN at batch 32 in 4 chunks of 8 ran at 0.86–0.96× of 2 halves (435/352/348 against
 *  507/396/363 samples/s); the cnn in 4 chunks of 8 about as fast as in halves, but its sum order changes the shipped
 *  cnn's weights, and the CLI's recipe (10 epochs, seed 1) then reached 97.90 % test, under the 98.0 % bar (a recipe may be
 *  re-chosen only on the validation split). So batches keep two chunks, the halves of before, with the same bits as
 *  before; the claiming below (either thread takes a chunk, a late one is taken back) works for any count. */
export const CHUNKS = 2;

/** How many chunks a batch of `count` samples splits into: CHUNKS, or 1 for a single sample or a model with batch
 *  statistics (never split). A dense-only model's two chunks are the halves one thread's splitBatchStep sums. */
export function chunkCount(model: Sequential, count: number): number {
  if (count <= 1 || usesBatchStatistics(model.configs)) return 1;
  return Math.min(CHUNKS, count);
}

/** The first sample of chunk k of `chunks` over `count` samples (k = chunks gives count); every chunk holds at least
 *  one sample, and with 2 chunks the first holds ceil(count / 2), the trainer's halves. */
export function chunkStart(count: number, chunks: number, k: number): number {
  return Math.ceil((k * count) / chunks);
}

/** Chunk k's own generator (dropout masks), the same whichever thread computes it. */
export function chunkRandom(seeds: readonly number[] | null, k: number): Random | null {
  return seeds === null ? null : seeded(seeds[k] >>> 0);
}

/** A thread's scratch for computing chunks: the warped samples and the loss gradient at the output. */
export class ChunkWork {
  private readonly warped: Float32Array;
  private readonly dOut: Float32Array;
  constructor(private readonly model: Sequential, maxCount: number) {
    this.warped = new Float32Array(maxCount * sizeOf(model.inputShape));
    this.dOut = new Float32Array(Math.max(maxCount, 1) * model.classes);
  }
  /** Chunk k of `chunks` of the batch: its parameter gradients accumulate into `grads` (one array per parameter, zero
   *  before; the model's own arrays or spares), its loss sum and right answers are returned. */
  run(shard: Shard, chunks: number, k: number, grads: Float32Array[]): { lossSum: number; right: number } {
    const { model } = this, params = model.params(), size = sizeOf(model.inputShape);
    const from = chunkStart(shard.count, chunks, k), to = chunkStart(shard.count, chunks, k + 1), m = to - from;
    let inputs = shard.inputs.subarray(from * size, to * size);
    if (shard.warp) {
      warpSamples(this.warped, inputs, shard.warp.subarray(4 * from, 4 * to), m, model.inputShape);
      inputs = this.warped.subarray(0, m * size);
    }
    const own = params.map((p, i) => { const g = p.grad.data; p.grad.data = grads[i]; return g; });
    try {
      return shardStep(model, inputs, shard.labels.subarray(from, to), m, shard.divisor, shard.loss, this.dOut, chunkRandom(shard.seeds, k));
    } finally {
      params.forEach((p, i) => { p.grad.data = own[i]; });
    }
  }
}

/** target += chunk (then chunk = 0 when `clear`), one parameter's arrays. */
export function addChunk(target: Float32Array, chunk: Float32Array, clear: boolean): void {
  const kernels = fast(), n = target.length;
  if (kernels?.addInto(target, chunk, n, clear)) return;
  for (let i = 0; i < n; i++) target[i] += chunk[i];
  if (clear) chunk.fill(0);
}

/** A batch's chunks on this thread, in order: chunk 0 into the model's gradients (zero before), every other into one
 *  zeroed spare that is then added and cleared. The sum (((g₀ + g₁) + g₂) + …) is the one a helper thread's claimed
 *  chunks are summed in (parallel/halfBatch.ts), so the weights are the same bits on one thread or two. */
export class LocalShardRunner implements ShardRunner {
  readonly fingerprint: string;
  private shard: Shard | null = null;
  private readonly spare: Float32Array[];
  private readonly work: ChunkWork;
  constructor(private readonly model: Sequential, readonly maxCount: number) {
    this.fingerprint = modelFingerprint(model);
    this.spare = model.params().map((p) => residentArray(p.grad.data.length));
    this.work = new ChunkWork(model, maxCount);
  }
  start(shard: Shard): void {
    if (shard.count > this.maxCount) throw new RangeError(`LocalShardRunner: ${shard.count} samples, more than the ${this.maxCount} it was set up for`);
    this.shard = shard;
  }
  finish(): { lossSum: number; right: number } {
    const shard = this.shard;
    if (!shard) throw new Error('LocalShardRunner: finish without start');
    this.shard = null;
    const params = this.model.params(), grads = params.map((p) => p.grad.data), chunks = chunkCount(this.model, shard.count);
    let { lossSum, right } = this.work.run(shard, chunks, 0, grads);
    for (let k = 1; k < chunks; k++) {
      const result = this.work.run(shard, chunks, k, this.spare);
      params.forEach((p, i) => addChunk(p.grad.data, this.spare[i], true));
      lossSum += result.lossSum; right += result.right;
    }
    return { lossSum, right };
  }
  close(): void { this.shard = null; }
}

/** The forward and backward pass of `count` samples whose loss is a share of a batch of `divisor`: parameter
 *  gradients accumulate the share's part of the batch mean. Returns the share's loss sum and right answers. */
export function shardStep(model: Sequential, inputs: Float32Array, labels: Int32Array, count: number, divisor: number,
  loss: LossName, dOut: Float32Array, random: Random | null): { lossSum: number; right: number } {
  const output = model.forwardBatch(inputs, count, true, random);
  const step = lossAndGradient(model, output, labels, count, loss, dOut, divisor);
  if (Number.isFinite(step.loss)) model.backwardBatch(dOut.subarray(0, count * model.classes), count, step.from);
  return { lossSum: step.loss * count, right: step.right };
}

/** shardStep for a whole batch of `count` samples split at `half` on one thread, for a model whose layers
 *  computesSamplesApart (nn/layers.ts): one forward and one backward pass over all of it, the loss and its gradient taken
 *  per half and the parameter gradients summed as the two halves (Layer.backward's split). The gradients, losses and
 *  right answers are the same bits as shardStep on [0, half) followed by a LocalShardRunner's [half, count) or a helper
 *  thread's, with about half the kernel calls and no second pass over the gradients. */
export function splitBatchStep(model: Sequential, inputs: Float32Array, labels: Int32Array, count: number, half: number,
  loss: LossName, dOut: Float32Array): [{ lossSum: number; right: number }, { lossSum: number; right: number }] {
  const output = model.forwardBatch(inputs, count, true, null), rest = count - half;
  const first = lossAndGradient(model, output, labels.subarray(0, half), half, loss, dOut, count);
  const second = rest > 0 ? lossAndGradient(model, output, labels.subarray(half, count), rest, loss, dOut, count, half) : null;
  if (Number.isFinite(first.loss) && (!second || Number.isFinite(second.loss))) {
    model.backwardBatch(dOut.subarray(0, count * model.classes), count, first.from, half);
  }
  return [{ lossSum: first.loss * half, right: first.right }, second ? { lossSum: second.loss * rest, right: second.right } : { lossSum: 0, right: 0 }];
}

/** Mean loss over the m samples and its gradient at the output, scaled for a batch of `divisor` (default m). The samples
 *  are the rows [at, at + m) of the output (and of dOut, where the gradient goes); labels holds their m labels. */
export function lossAndGradient(model: Sequential, output: Float32Array, labels: Int32Array, m: number, loss: LossName, dOut: Float32Array,
  divisor = m, at = 0) {
  const classes = model.classes, last = model.layers.length - 1;
  if (at > 0) { output = output.subarray(at * classes); dOut = dOut.subarray(at * classes); }
  let total = 0, right = 0;
  if (loss === 'crossEntropy') {
    const softmaxLast = model.layers[last] instanceof SoftmaxLayer;
    let logits = softmaxLast ? (model.layers[last] as SoftmaxLayer).logits : output;
    if (softmaxLast && at > 0) logits = logits.subarray(at * classes);
    ({ lossSum: total, right } = softmaxCrossEntropyKernel(dOut, logits, labels, m, classes, divisor));
    return { loss: total / m, right, from: softmaxLast ? last - 1 : last };
  }
  const scale = 2 / (divisor * classes);
  for (let i = 0; i < m; i++) {
    const start = i * classes;
    let best = 0;
    for (let c = 0; c < classes; c++) {
      const diff = output[start + c] - (c === labels[i] ? 1 : 0);
      total += diff * diff;
      dOut[start + c] = scale * diff;
      if (output[start + c] > output[start + best]) best = c;
    }
    if (best === labels[i]) right++;
  }
  return { loss: total / (m * classes), right, from: last };
}
