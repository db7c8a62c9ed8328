// core/ops/softmax.ts: softmax over the last axis, and the losses built on it.
//   p_i = e^(z_i − m) / Σ_j e^(z_j − m), m = max_j z_j     (subtract the max so exp cannot overflow)
//   softmaxBackward: dInput = p ⊙ (dOut − Σ_j dOut_j p_j)
//   crossEntropy(p, t) = −(1/N) Σ_n log p[n, t_n]
//   softmaxCrossEntropy(z, t) = (1/N) Σ_n (logsumexp(z_n) − z[n, t_n])  finite where p underflows
//   softmaxCrossEntropyBackward(z, t) = (softmax(z) − onehot(t)) / N
//     both from softmaxCrossEntropyKernel, the one fused rule the trainer, the playground and the explainer use:
//     per row lse = logsumexp(z), loss = lse − z[t], dz_c = (e^(z_c − lse) − [c = t]) / divisor             (1)
//   mse(ŷ, y) = mean over all elements of (ŷ − y)²; y a tensor of ŷ's shape or class indices (one-hot)
import ndarray from 'ndarray';
import { type Tensor, zeros, contiguousData } from '../tensor.js';
import { expectTensor, expectSameShape, readTargets, describe } from '../check.js';

/** Softmax over the last axis; any rank ≥ 1, same shape out. */
export function softmax(x: Tensor): Tensor {
  expectTensor('softmax', 'x', x);
  if (x.dimension === 0) throw new RangeError('softmax: x must have at least one axis, got a scalar');
  const out = zeros(x.shape);
  const classes = x.shape[x.dimension - 1];
  softmaxKernel(out.data, contiguousData(x), x.size / classes, classes);
  return out;
}

/** dInput = p ⊙ (dOut − Σ dOut·p), the gradient of Σ softmax(z)·dOut. */
export function softmaxBackward(z: Tensor, dOut: Tensor): Tensor {
  expectTensor('softmaxBackward', 'z', z);
  expectSameShape('softmaxBackward', 'dOut', dOut, 'z', z);
  const p = softmax(z);
  const classes = z.shape[z.dimension - 1];
  const dInput = zeros(z.shape);
  softmaxBackwardKernel(dInput.data, p.data, contiguousData(dOut), z.size / classes, classes);
  return dInput;
}

/** dInput = p ⊙ (dOut − Σ dOut·p) on `rows` contiguous rows of `classes` values, from the forward's output p. */
export function softmaxBackwardKernel(dInput: Float32Array, p: Float32Array, dOut: Float32Array, rows: number, classes: number): void {
  for (let r = 0; r < rows; r++) {
    const start = r * classes, end = start + classes;
    let dot = 0;
    for (let i = start; i < end; i++) dot += dOut[i] * p[i];
    for (let i = start; i < end; i++) dInput[i] = p[i] * (dOut[i] - dot);
  }
}

/** Row-wise stable softmax of `rows` contiguous rows of `classes` values. */
export function softmaxKernel(out: Float32Array, z: Float32Array, rows: number, classes: number): void {
  for (let r = 0; r < rows; r++) {
    const start = r * classes, end = start + classes;
    let max = -Infinity;
    for (let i = start; i < end; i++) if (z[i] > max || z[i] !== z[i]) max = z[i];
    if (max === -Infinity) max = 0; // all −∞: e^(−∞ − 0) = 0, 0/0 = NaN as IEEE says
    let sum = 0;
    for (let i = start; i < end; i++) { const e = Math.exp(z[i] - max); out[i] = e; sum += e; }
    for (let i = start; i < end; i++) out[i] /= sum;
  }
}

/** log Σ_j e^(z_j) of one row, stable. */
export function logSumExp(z: Float32Array, start: number, end: number): number {
  let max = -Infinity;
  for (let i = start; i < end; i++) if (z[i] > max || z[i] !== z[i]) max = z[i];
  if (max === Infinity || max === -Infinity) return max;
  let sum = 0;
  for (let i = start; i < end; i++) sum += Math.exp(z[i] - max);
  return max + Math.log(sum);
}

/** −log p[target], the mean over a batch. probs [C] with one target, or [N,C] with N targets. */
export function crossEntropy(probs: Tensor, target: number | ArrayLike<number>): number {
  const { rows, classes, targets } = lossShape('crossEntropy', 'probs', probs, target);
  const p = contiguousData(probs);
  let total = 0;
  for (let n = 0; n < rows; n++) total -= Math.log(p[n * classes + targets[n]]);
  return total / rows;
}

/** The gradient of crossEntropy with respect to probs: −1/(N·p[target]) at the target, 0 elsewhere. */
export function crossEntropyBackward(probs: Tensor, target: number | ArrayLike<number>): Tensor {
  const { rows, classes, targets } = lossShape('crossEntropyBackward', 'probs', probs, target);
  const p = contiguousData(probs), d = zeros(probs.shape);
  for (let n = 0; n < rows; n++) d.data[n * classes + targets[n]] = -1 / (rows * p[n * classes + targets[n]]);
  return d;
}

/** Cross-entropy straight from logits: logsumexp(z) − z[target], the mean over a batch. */
export function softmaxCrossEntropy(logits: Tensor, target: number | ArrayLike<number>): number {
  const { rows, classes, targets } = lossShape('softmaxCrossEntropy', 'logits', logits, target);
  return softmaxCrossEntropyKernel(null, contiguousData(logits), targets, rows, classes, rows).lossSum / rows;
}

/** (softmax(logits) − onehot(target)) / N. */
export function softmaxCrossEntropyBackward(logits: Tensor, target: number | ArrayLike<number>): Tensor {
  const { rows, classes, targets } = lossShape('softmaxCrossEntropyBackward', 'logits', logits, target);
  const d = zeros(logits.shape);
  softmaxCrossEntropyKernel(d.data, contiguousData(logits), targets, rows, classes, rows);
  return d;
}

/** The fused softmax-cross-entropy rule (1) on `rows` contiguous rows of `classes` logits with class-index targets (not
 *  checked: the callers did): with `dInput`, dInput = (softmax(z) − onehot(t)) / divisor (a shard of a batch passes the
 *  batch's size). Returns the loss summed over the rows, Σ (logsumexp(z) − z[t]), and how many rows' first largest
 *  logit is their target. */
export function softmaxCrossEntropyKernel(dInput: Float32Array | null, z: Float32Array, targets: ArrayLike<number>, rows: number,
  classes: number, divisor: number): { lossSum: number; right: number } {
  let lossSum = 0, right = 0;
  for (let n = 0; n < rows; n++) {
    const start = n * classes, target = targets[n];
    const lse = logSumExp(z, start, start + classes);
    lossSum += lse - z[start + target];
    let best = 0;
    for (let c = 0; c < classes; c++) {
      if (dInput) dInput[start + c] = Math.exp(z[start + c] - lse) / divisor;
      if (z[start + c] > z[start + best]) best = c;
    }
    if (dInput) dInput[start + target] -= 1 / divisor;
    if (best === target) right++;
  }
  return { lossSum, right };
}

/** Mean squared error over all elements; target a tensor of pred's shape, or class indices (one-hot). */
export function mse(pred: Tensor, target: Tensor | number | ArrayLike<number>): number {
  const { p, t } = mseOperands('mse', pred, target);
  let total = 0;
  for (let i = 0; i < p.length; i++) { const d = p[i] - t[i]; total += d * d; }
  return total / p.length;
}

/** 2(pred − target) / size, the gradient of mse. */
export function mseBackward(pred: Tensor, target: Tensor | number | ArrayLike<number>): Tensor {
  const { p, t } = mseOperands('mseBackward', pred, target);
  const d = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) d[i] = (2 * (p[i] - t[i])) / p.length;
  return ndarray(d, pred.shape.slice());
}

/** One-hot rows [N, classes] (or [classes] for a single index). */
export function oneHot(target: number | ArrayLike<number>, classes: number): Tensor {
  const batched = typeof target !== 'number';
  const samples = batched ? (target as ArrayLike<number>).length : 1;
  const targets = readTargets('oneHot', target, samples, classes, batched);
  const out = zeros(batched ? [samples, classes] : [classes]);
  for (let n = 0; n < samples; n++) out.data[n * classes + targets[n]] = 1;
  return out;
}

function lossShape(op: string, name: string, x: Tensor, target: unknown) {
  expectTensor(op, name, x, [1, 2]);
  const batched = x.dimension === 2;
  const rows = batched ? x.shape[0] : 1;
  const classes = x.shape[x.dimension - 1];
  if (!batched && typeof target !== 'number' && !(isArrayLike(target) && target.length === 1)) {
    throw new TypeError(`${op}: target for a single sample ${name} [${classes}] must be one class index, got ${describe(target)}`);
  }
  return { rows, classes, targets: readTargets(op, target, rows, classes, batched) };
}

function mseOperands(op: string, pred: Tensor, target: Tensor | number | ArrayLike<number>) {
  expectTensor(op, 'pred', pred);
  const p = contiguousData(pred);
  if (typeof target === 'object' && target !== null && 'shape' in target) {
    expectSameShape(op, 'target', target as Tensor, 'pred', pred);
    return { p, t: contiguousData(target as Tensor) };
  }
  if (pred.dimension !== 1 && pred.dimension !== 2) {
    throw new RangeError(`${op}: class-index targets need pred of rank 1 or 2, got rank ${pred.dimension}`);
  }
  const { rows, classes, targets } = lossShape(op, 'pred', pred, target);
  const t = new Float32Array(rows * classes);
  for (let n = 0; n < rows; n++) t[n * classes + targets[n]] = 1;
  return { p, t };
}

function isArrayLike(x: unknown): x is ArrayLike<number> {
  return Array.isArray(x) || ArrayBuffer.isView(x);
}
