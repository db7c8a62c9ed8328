// core/ops/normalize.ts: each feature map (per sample) to mean 0, variance 1.
//   μ = mean(x), var = mean((x − μ)²) (population, two passes), σ = sqrt(var + eps)
//   y = (x − μ) / σ                                                   (1)
//   dInput = (dOut − mean(dOut) − y · mean(dOut · y)) / σ                 (2)
// With eps = 0 a constant map has σ = 0: its output and gradient are taken as 0.
import { type Tensor, zeros, contiguousData } from '../tensor.js';
import { expectTensor, expectSameShape, readOptions, describe } from '../check.js';

/** ε added to the variance when none is given. */
export const DEFAULT_EPS = 1e-5;

export interface NormalizeOptions { eps?: number | null }

/** x [C,H,W] or [N,C,H,W] → the same shape, each H×W map normalised. */
export function normalize(x: Tensor, options: NormalizeOptions | null = {}): Tensor {
  const eps = readEps('normalize', x, options);
  const out = zeros(x.shape);
  const [H, W] = x.shape.slice(-2);
  normalizeKernel(out.data, contiguousData(x), x.size / (H * W), H * W, eps);
  return out;
}

/** (2): the exact gradient of normalize with the same eps. */
export function normalizeBackward(x: Tensor, dOut: Tensor, options: NormalizeOptions | null = {}): Tensor {
  const eps = readEps('normalizeBackward', x, options);
  expectSameShape('normalizeBackward', 'dOut', dOut, 'x', x);
  const dInput = zeros(x.shape);
  const [H, W] = x.shape.slice(-2);
  normalizeBackwardKernel(dInput.data, contiguousData(x), contiguousData(dOut), x.size / (H * W), H * W, eps);
  return dInput;
}

export function mapStatistics(x: Float32Array, start: number, size: number, eps: number): { mean: number; variance: number; sigma: number } {
  let sum = 0;
  for (let p = start; p < start + size; p++) sum += x[p];
  const mean = sum / size;
  let squares = 0;
  for (let p = start; p < start + size; p++) { const d = x[p] - mean; squares += d * d; }
  const variance = squares / size;
  return { mean, variance, sigma: Math.sqrt(variance + eps) };
}

/** (1) over `maps` contiguous maps of `size` values. */
export function normalizeKernel(out: Float32Array, x: Float32Array, maps: number, size: number, eps: number): void {
  for (let m = 0; m < maps; m++) {
    const start = m * size;
    const { mean, sigma } = mapStatistics(x, start, size, eps);
    const scale = sigma === 0 ? 0 : 1 / sigma;
    for (let p = start; p < start + size; p++) out[p] = (x[p] - mean) * scale;
  }
}

/** (2) over `maps` contiguous maps of `size` values. */
export function normalizeBackwardKernel(dInput: Float32Array, x: Float32Array, dOut: Float32Array, maps: number, size: number, eps: number): void {
  for (let m = 0; m < maps; m++) {
    const start = m * size;
    const { mean, sigma } = mapStatistics(x, start, size, eps);
    if (sigma === 0) continue;
    let dMean = 0, dyMean = 0;
    for (let p = start; p < start + size; p++) {
      const y = (x[p] - mean) / sigma;
      dMean += dOut[p];
      dyMean += dOut[p] * y;
    }
    dMean /= size; dyMean /= size;
    for (let p = start; p < start + size; p++) {
      const y = (x[p] - mean) / sigma;
      dInput[p] = (dOut[p] - dMean - y * dyMean) / sigma;
    }
  }
}

function readEps(op: string, x: Tensor, options: NormalizeOptions | null): number {
  expectTensor(op, 'x', x, [2, 3, 4]);
  const eps = readOptions(op, options).eps ?? DEFAULT_EPS;
  if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps)) {
    throw new RangeError(`${op}: eps must be a finite number ≥ 0, got ${describe(eps)}`);
  }
  return eps;
}
