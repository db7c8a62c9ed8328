// core/explain/normalize.ts: per-map normalisation as plain data — each map's mean, variance, σ, and every
// value before and after, from the op (mapStatistics is the op's own two-pass statistics).
// Backward: ∂L/∂x = δ/σ − mean(δ)/σ − y·mean(δ·y)/σ   (5)
import { type Tensor, contiguousData } from '../tensor.js';
import { normalize, normalizeBackward, mapStatistics, DEFAULT_EPS } from '../ops/normalize.js';
import { expectTensor, expectSameShape } from '../check.js';
import { stepList, type StepList } from './stepList.js';

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

// ── backward (5) ─────────────────────────────────────────────────────────────────────────────────────

export interface NormalizeMapStatistics { c: number; mean: number; sigma: number; meanDelta: number; meanDeltaY: number }
export interface NormalizeBackwardStep {
  c: number; y: number; x: number; input: number; normalized: number; delta: number;
  /** The three terms of (5): δ/σ, −mean(δ)/σ, −y·mean(δ·y)/σ; their sum is `value` up to rounding. */
  direct: number; meanTerm: number; varianceTerm: number; value: number;
}
export interface NormalizeBackward { eps: number; dInput: Tensor; maps: NormalizeMapStatistics[]; steps: StepList<NormalizeBackwardStep> }

/** (5) for one sample x [C,H,W] and dOut of its shape. */
export function explainNormalizeBackward(x: Tensor, dOut: Tensor, { eps = DEFAULT_EPS } = {}): NormalizeBackward {
  const op = 'explainNormalizeBackward';
  expectTensor(op, 'x', x, [3]);
  expectSameShape(op, 'dOut', dOut, 'x', x);
  const dInput = normalizeBackward(x, dOut, { eps });
  const y = normalize(x, { eps }).data, data = contiguousData(x), delta = contiguousData(dOut);
  const [C, H, W] = x.shape, size = H * W;
  const maps = Array.from({ length: C }, (_, c) => {
    const { mean, sigma } = mapStatistics(data, c * size, size, eps);
    let meanDelta = 0, meanDeltaY = 0;
    for (let p = c * size; p < (c + 1) * size; p++) { meanDelta += delta[p]; meanDeltaY += delta[p] * y[p]; }
    return { c, mean, sigma, meanDelta: meanDelta / size, meanDeltaY: meanDeltaY / size };
  });
  return {
    eps, dInput, maps,
    steps: stepList(op, data.length, (p) => {
      const c = Math.floor(p / size), m = maps[c], s = m.sigma === 0 ? 0 : 1 / m.sigma; // σ = 0: gradient 0, as the op
      return {
        c, y: Math.floor(p / W) % H, x: p % W, input: data[p], normalized: y[p], delta: delta[p],
        direct: delta[p] * s, meanTerm: -m.meanDelta * s, varianceTerm: -y[p] * m.meanDeltaY * s, value: dInput.data[p],
      };
    }),
  };
}
