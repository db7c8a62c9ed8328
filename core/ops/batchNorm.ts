// core/ops/batchNorm.ts: batch normalisation, per channel over the batch and every position of its map.
// x is [N,C,H,W] (maps: C channels of S = H·W positions) or [N,C] (features: S = 1); m = N·S values per channel.
//   training:  μ = mean(x), σ² = mean((x − μ)²) (biased, two passes), x̂ = (x − μ) / sqrt(σ² + ε)
//   inference: μ = runningMean, σ² = runningVar
//   y = γ · x̂ + β                                                                    (1)
//   training updates (PyTorch's convention: momentum is the weight of the new batch, default 0.1; the running
//   variance takes the unbiased σ² · m/(m−1), skipped when m = 1, which PyTorch refuses):
//   runningMean ← (1 − momentum) · runningMean + momentum · μ
//   runningVar  ← (1 − momentum) · runningVar  + momentum · σ² · m/(m−1)             (2)
//   dβ = Σ dOut,  dγ = Σ dOut · x̂                                                         (3)
//   dInput = γ/sqrt(σ² + ε) · (dOut − mean(dOut) − x̂ · mean(dOut · x̂))   training (μ, σ² depend on x)   (4)
//   dInput = γ/sqrt(σ² + ε) · dOut                                       inference (they do not)      (5)
// ONNX and Keras write momentum the other way round (the weight of the old average): theirs = 1 − ours.
// TypeScript only, on both kernel sets: like normalize and softmax it is two memory-bound passes per channel, not a
// product, so the WebAssembly seam (kernels/select.ts) has nothing to gain here.
import { type Tensor, zeros, contiguousData } from '../tensor.js';
import { expectTensor, expectSameShape, expectShape, readOptions, describe } from '../check.js';
import { DEFAULT_EPS } from './normalize.js';

/** The weight of the new batch in the running averages (PyTorch's default). */
export const DEFAULT_MOMENTUM = 0.1;

export interface BatchNormOptions {
  gamma: Tensor; beta: Tensor; runningMean: Tensor; runningVar: Tensor;
  /** Batch statistics and running-average updates (default false: the running statistics). */
  training?: boolean | null;
  momentum?: number | null;
  eps?: number | null;
}

/** Where the loops run: N samples of C channels of S positions, contiguous. */
export interface BatchNormGeometry { batch: number; channels: number; size: number }

/** (1) and (2): y of x's shape, the statistics used, and the running statistics after this call (new tensors). */
export function batchNorm(x: Tensor, options: BatchNormOptions): { y: Tensor; mean: Tensor; variance: Tensor; runningMean: Tensor; runningVar: Tensor } {
  const { g, training, momentum, eps, gamma, beta, runningMean, runningVar } = readBatchNorm('batchNorm', x, options);
  const data = contiguousData(x);
  const mean = new Float64Array(g.channels), variance = new Float64Array(g.channels);
  const newMean = Float32Array.from(runningMean), newVar = Float32Array.from(runningVar);
  if (training) {
    batchStatistics(mean, variance, data, g);
    updateRunningStatistics(newMean, newVar, mean, variance, momentum, g);
  } else { mean.set(runningMean); variance.set(runningVar); }
  const y = zeros(x.shape);
  batchNormForwardKernel(y.data, data, g, mean, inverseDeviations(variance, eps), gamma, beta);
  const c = [g.channels];
  return { y, mean: tensorOf(mean, c), variance: tensorOf(variance, c), runningMean: tensorOf(newMean, c), runningVar: tensorOf(newVar, c) };
}

/** batchNormBackward's gradients: the input's (in the shape of x), γ's and β's. */
export interface BatchNormGradients {
  dInput: Tensor; dGamma: Tensor; dBeta: Tensor;
  /** @deprecated the same tensor as dInput (its name before every op's input gradient was called dInput). */
  dx: Tensor;
}

/** (3)–(5): the exact gradients of Σ y·dOut in the same mode (training: the batch statistics of x). */
export function batchNormBackward(x: Tensor, dOut: Tensor, options: BatchNormOptions): BatchNormGradients {
  const { g, training, eps, gamma, runningMean, runningVar } = readBatchNorm('batchNormBackward', x, options);
  expectSameShape('batchNormBackward', 'dOut', dOut, 'x', x);
  const data = contiguousData(x);
  const mean = new Float64Array(g.channels), variance = new Float64Array(g.channels);
  if (training) batchStatistics(mean, variance, data, g); else { mean.set(runningMean); variance.set(runningVar); }
  const dInput = zeros(x.shape), dGamma = zeros([g.channels]), dBeta = zeros([g.channels]);
  batchNormBackwardKernel(dInput.data, dGamma.data, dBeta.data, data, contiguousData(dOut), g, mean, inverseDeviations(variance, eps), gamma, training);
  return { dInput, dGamma, dBeta, dx: dInput };
}

/** Per channel: the mean and the biased variance over the batch and the positions (float64 sums, two passes). */
export function batchStatistics(mean: Float64Array, variance: Float64Array, x: Float32Array, { batch, channels, size }: BatchNormGeometry): void {
  const m = batch * size;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) for (let p = (n * channels + c) * size, end = p + size; p < end; p++) sum += x[p];
    const mu = sum / m;
    let squares = 0;
    for (let n = 0; n < batch; n++) for (let p = (n * channels + c) * size, end = p + size; p < end; p++) { const d = x[p] - mu; squares += d * d; }
    mean[c] = mu; variance[c] = squares / m;
  }
}

/** (2), in place. */
export function updateRunningStatistics(runningMean: Float32Array, runningVar: Float32Array, mean: Float64Array, variance: Float64Array,
  momentum: number, { batch, size }: BatchNormGeometry): void {
  const m = batch * size, unbiased = m > 1 ? m / (m - 1) : 1;
  for (let c = 0; c < runningMean.length; c++) {
    runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean[c];
    runningVar[c] = (1 - momentum) * runningVar[c] + momentum * variance[c] * unbiased;
  }
}

/** 1 / sqrt(σ² + ε) per channel. */
export function inverseDeviations(variance: ArrayLike<number>, eps: number, into = new Float64Array(variance.length)): Float64Array {
  for (let c = 0; c < variance.length; c++) into[c] = 1 / Math.sqrt(variance[c] + eps);
  return into;
}

/** (1) with the given statistics. */
export function batchNormForwardKernel(out: Float32Array, x: Float32Array, { batch, channels, size }: BatchNormGeometry,
  mean: ArrayLike<number>, inverse: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>): void {
  for (let c = 0; c < channels; c++) {
    const scale = gamma[c] * inverse[c], shift = beta[c] - mean[c] * scale;
    for (let n = 0; n < batch; n++) for (let p = (n * channels + c) * size, end = p + size; p < end; p++) out[p] = x[p] * scale + shift;
  }
}

/** (3) accumulated into dGamma, dBeta; (4) or (5) written into dInput when given. */
export function batchNormBackwardKernel(dInput: Float32Array | null, dGamma: Float32Array, dBeta: Float32Array, x: Float32Array, dOut: Float32Array,
  { batch, channels, size }: BatchNormGeometry, mean: ArrayLike<number>, inverse: ArrayLike<number>, gamma: ArrayLike<number>, training: boolean): void {
  const m = batch * size;
  for (let c = 0; c < channels; c++) {
    const mu = mean[c], inv = inverse[c];
    let sumDy = 0, sumDyXhat = 0;
    for (let n = 0; n < batch; n++) {
      for (let p = (n * channels + c) * size, end = p + size; p < end; p++) { sumDy += dOut[p]; sumDyXhat += dOut[p] * (x[p] - mu) * inv; }
    }
    dBeta[c] += sumDy; dGamma[c] += sumDyXhat;
    if (!dInput) continue;
    const scale = gamma[c] * inv, meanDy = training ? sumDy / m : 0, meanDyXhat = training ? sumDyXhat / m : 0;
    for (let n = 0; n < batch; n++) {
      for (let p = (n * channels + c) * size, end = p + size; p < end; p++) dInput[p] = scale * (dOut[p] - meanDy - (x[p] - mu) * inv * meanDyXhat);
    }
  }
}

/** The geometry of a per-sample shape [C, ...]: C channels of the rest's size. */
export function batchNormGeometry(sampleShape: readonly number[], batch: number): BatchNormGeometry {
  return { batch, channels: sampleShape[0], size: sampleShape.slice(1).reduce((a, b) => a * b, 1) };
}

/** Check momentum (0 < momentum ≤ 1) and ε (finite, > 0) with messages naming `op`; returns the resolved values. */
export function readBatchNormSettings(op: string, momentum: unknown, eps: unknown): { momentum: number; eps: number } {
  const mo = momentum ?? DEFAULT_MOMENTUM, e = eps ?? DEFAULT_EPS;
  if (typeof mo !== 'number' || !(mo > 0 && mo <= 1)) throw new RangeError(`${op}: momentum must be a number in (0, 1] (the weight of the new batch, PyTorch's convention), got ${describe(mo)}`);
  if (typeof e !== 'number' || !(e > 0) || !Number.isFinite(e)) throw new RangeError(`${op}: eps must be a finite number > 0, got ${describe(e)}`);
  return { momentum: mo, eps: e };
}

/** Check running statistics: finite means, finite variances ≥ 0 (each names the channel). */
export function checkRunningStatistics(op: string, runningMean: ArrayLike<number>, runningVar: ArrayLike<number>): void {
  for (let c = 0; c < runningMean.length; c++) {
    if (!Number.isFinite(runningMean[c])) throw new RangeError(`${op}: runningMean of channel ${c} is ${runningMean[c]}, expected a finite number`);
    const v = runningVar[c];
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`${op}: runningVar of channel ${c} is ${v}, expected a finite number ≥ 0 (a variance)`);
  }
}

function readBatchNorm(op: string, x: Tensor, options: BatchNormOptions) {
  expectTensor(op, 'x', x, [2, 3, 4]);
  const o = readOptions(op, options) as Partial<BatchNormOptions>;
  const { momentum, eps } = readBatchNormSettings(op, o.momentum, o.eps);
  if (o.training !== undefined && o.training !== null && typeof o.training !== 'boolean') throw new TypeError(`${op}: training must be true or false, got ${describe(o.training)}`);
  const g = batchNormGeometry(x.shape.slice(1), x.shape[0]);
  const vector = (name: 'gamma' | 'beta' | 'runningMean' | 'runningVar') => {
    const t = o[name];
    expectShape(op, name, t as Tensor, [g.channels]);
    return contiguousData(t as Tensor);
  };
  const gamma = vector('gamma'), beta = vector('beta'), runningMean = vector('runningMean'), runningVar = vector('runningVar');
  checkRunningStatistics(op, runningMean, runningVar);
  return { g, training: o.training ?? false, momentum, eps, gamma, beta, runningMean, runningVar };
}

function tensorOf(values: ArrayLike<number>, shape: number[]): Tensor {
  const t = zeros(shape);
  t.data.set(values);
  return t;
}
