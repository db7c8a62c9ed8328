// core/explain/batchNorm.ts: batch normalisation of one sample as plain data, from the op (ops/batchNorm.ts) — per
// channel the statistics used, x̂ = (x − μ)/√(σ² + ε), then γ·x̂ + β, in both modes:
//   inference  μ, σ² are the running averages learned in training (what the network does when it is used)
//   training   μ, σ² come from the batch; with this one sample as the batch they are its map's own statistics,
//              which is exactly Exercise 4's per-map normalize (then γ, β): the difference students miss
import { type Tensor, contiguousData, fromData } from '../tensor.js';
import { expectTensor } from '../check.js';
import { batchNorm, readBatchNormSettings, type BatchNormOptions } from '../ops/batchNorm.js';

export interface BatchNormStep {
  /** The channel (a map of [C,H,W], or a feature of a vector). */
  c: number;
  mode: 'inference' | 'train';
  /** The statistics this mode normalises with, σ = √(σ² + ε), and the affine map y = scale·x + shift they make. */
  mean: number; variance: number; sigma: number; scale: number; shift: number;
  gamma: number; beta: number; eps: number; momentum: number;
  /** The running averages before, and (training) after this step's update: (1 − momentum)·old + momentum·new. */
  runningMean: number; runningVar: number; nextRunningMean: number; nextRunningVar: number;
  /** The channel's values: input, x̂, output (the op's own). */
  before: number[]; normalised: number[]; after: number[];
}

export interface BatchNormExplanation { inference: BatchNormStep[]; training: BatchNormStep[] }

/** Every channel of one sample x ([C,H,W] or [F]) in both modes. */
export function explainBatchNorm(x: Tensor, options: Omit<BatchNormOptions, 'training'>): BatchNormExplanation {
  expectTensor('explainBatchNorm', 'x', x, [1, 2, 3]);
  const { momentum, eps } = readBatchNormSettings('explainBatchNorm', options.momentum, options.eps);
  const batch = fromData(contiguousData(x), [1, ...x.shape]);
  const C = x.shape[0], size = x.size / C, data = contiguousData(x);
  const steps = (training: boolean): BatchNormStep[] => {
    const out = batchNorm(batch, { ...options, training });
    const y = contiguousData(out.y);
    return Array.from({ length: C }, (_, c) => {
      const mean = out.mean.data[c], variance = out.variance.data[c], sigma = Math.sqrt(variance + eps);
      const gamma = options.gamma.data[c], beta = options.beta.data[c];
      const before = Array.from(data.subarray(c * size, (c + 1) * size));
      return {
        c, mode: training ? 'train' : 'inference', mean, variance, sigma, scale: gamma / sigma, shift: beta - (mean * gamma) / sigma, gamma, beta, eps, momentum,
        runningMean: options.runningMean.data[c], runningVar: options.runningVar.data[c], nextRunningMean: out.runningMean.data[c], nextRunningVar: out.runningVar.data[c],
        before, normalised: before.map((v) => (v - mean) / sigma), after: Array.from(y.subarray(c * size, (c + 1) * size)),
      };
    });
  };
  return { inference: steps(false), training: steps(true) };
}
