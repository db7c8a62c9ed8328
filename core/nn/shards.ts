// core/nn/shards.ts: the per-shard step and the contract for running a shard elsewhere.
// A batch's gradient is the sum of its shards' gradients, each computed from zero: the trainer runs the first
// shard itself and hands the second to a ShardRunner — LocalShardRunner (the same thread, afterwards) or a
// helper thread (core/parallel implements the interface; nn never imports it). Float addition is commutative,
// so g₀ + g₁ is the same number either way and the weights are bit-identical on one thread or two.
import { seeded, type Random } from '../random.js';
import { sizeOf } from '../tensor.js';
import { SoftmaxLayer } from './layers.js';
import { softmaxCrossEntropyKernel } from '../ops/softmax.js';
import { warpSamples } from '../data/augment.js';
import { fast, residentArray } from '../kernels/select.js';
import { type Sequential, modelFingerprint } from './model.js';

export type LossName = 'crossEntropy' | 'mse';

/** The second part of a batch: `count` samples whose loss is a share of a batch of `divisor`. */
export interface Shard {
  inputs: Float32Array; labels: Int32Array; count: number; divisor: number; loss: LossName;
  /** Seed of the shard's own generator (dropout masks); null when the model draws nothing. */
  seed: number | null;
  /** 4 numbers per sample from drawDistortion: the runner distorts `inputs` first; null for none. */
  warp: Float64Array | null;
}

/** Runs a shard's forward and backward pass while the trainer runs its own. */
export interface ShardRunner {
  /** The architecture it was set up for (modelFingerprint): the trainer refuses a runner for another. */
  readonly fingerprint: string;
  /** The most samples one shard may hold. */
  readonly maxCount: number;
  /** Optional: a buffer of at least `count` samples' inputs that start() reads a shard's inputs from without a copy when
   *  `shard.inputs` is a view of it from its start (a helper thread's shared inputs): the trainer gathers the shard
   *  there. Its contents may change only between finish() and the next start(). */
  inputBuffer?(count: number): Float32Array | null;
  /** Begin the shard with the model's current weights; returns at once. */
  start(shard: Shard): void;
  /** Wait for it, add its gradients into the model's, and return its loss sum and right answers. */
  finish(): { lossSum: number; right: number };
  close(): void;
}

/** The shard on the same thread, in finish(): computes the shard's gradient from zero into spare buffers (each
 *  parameter's grad storage is swapped for a zeroed spare while the shard runs: the layers read `grad.data` when they
 *  accumulate), then adds it to the trainer's. Two passes over the gradients instead of keeping a copy, zeroing and
 *  adding back; the sum g₀ + g₁ is the same as a helper thread's. */
export class LocalShardRunner implements ShardRunner {
  readonly fingerprint: string;
  private shard: Shard | null = null;
  private readonly spare: Float32Array[];
  private readonly warped: Float32Array;
  private readonly dOut: Float32Array;
  constructor(private readonly model: Sequential, readonly maxCount: number) {
    this.fingerprint = modelFingerprint(model);
    this.spare = model.params().map((p) => residentArray(p.grad.data.length));
    this.warped = new Float32Array(maxCount * sizeOf(model.inputShape));
    this.dOut = new Float32Array(maxCount * model.classes);
  }
  start(shard: Shard): void {
    if (shard.count > this.maxCount) throw new RangeError(`LocalShardRunner: ${shard.count} samples, more than the ${this.maxCount} it was set up for`);
    this.shard = shard;
  }
  finish(): { lossSum: number; right: number } {
    const shard = this.shard;
    if (!shard) throw new Error('LocalShardRunner: finish without start');
    this.shard = null;
    const { model } = this, params = model.params(), size = sizeOf(model.inputShape);
    let inputs = shard.inputs.subarray(0, shard.count * size);
    if (shard.warp) {
      warpSamples(this.warped, inputs, shard.warp, shard.count, model.inputShape);
      inputs = this.warped.subarray(0, shard.count * size);
    }
    const own = params.map((p, i) => { const g = p.grad.data; p.grad.data = this.spare[i]; return g; });
    let result: { lossSum: number; right: number };
    try {
      result = shardStep(model, inputs, shard.labels.subarray(0, shard.count), shard.count, shard.divisor, shard.loss, this.dOut,
        shard.seed === null ? null : seeded(shard.seed));
    } finally {
      params.forEach((p, i) => { p.grad.data = own[i]; });
    }
    const kernels = fast();
    params.forEach((p, i) => {
      const g = own[i], h = this.spare[i];
      if (kernels?.addInto(g, h, g.length, true)) return; // h zeroed in the same pass
      for (let k = 0; k < g.length; k++) g[k] += h[k];
      h.fill(0);
    });
    return result;
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
