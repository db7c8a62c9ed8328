// core/explain/normalize.ts: per-map normalisation as plain data — each map's mean, variance, σ, and every
// value before and after, from the op (mapStatistics is the op's own two-pass statistics).
import { type Tensor, contiguousData } from '../tensor.js';
import { normalize, mapStatistics, DEFAULT_EPS } from '../ops/normalize.js';
import { expectTensor } from '../check.js';

export interface NormalizeStep { c: number; mean: number; variance: number; sigma: number; eps: number; before: number[]; after: number[] }
/** One step per map of [C,H,W]: its mean, variance, σ = sqrt(var + eps), and each value before and after. */
export function explainNormalize(x: Tensor, { eps = DEFAULT_EPS } = {}): { steps: NormalizeStep[]; output: Tensor } {
  expectTensor('explainNormalize', 'x', x, [3]);
  const output = normalize(x, { eps });
  const data = contiguousData(x), out = contiguousData(output), size = x.shape[1] * x.shape[2];
  const steps = Array.from({ length: x.shape[0] }, (_, c) => {
    const { mean, variance, sigma } = mapStatistics(data, c * size, size, eps);
    return { c, mean, variance, sigma, eps, before: Array.from(data.subarray(c * size, (c + 1) * size)), after: Array.from(out.subarray(c * size, (c + 1) * size)) };
  });
  return { steps, output };
}
