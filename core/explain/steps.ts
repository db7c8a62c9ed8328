// core/explain/steps.ts: an op call as plain data, one step per output value — what the explainer draws.
// Each step holds the actual numbers (window, products, sums, max, statistics); the viz computes nothing.
import { type Tensor, contiguousData, toArray, formatShape, fromData } from '../tensor.js';
import { relu, sigmoid, tanh, leakyRelu } from '../ops/activations.js';
import { conv3d, conv3dGeometry, type Conv3dOptions } from '../ops/conv3d.js';
import { maxPool, maxPoolGeometry, type MaxPoolOptions } from '../ops/maxPool.js';
import { normalize, mapStatistics } from '../ops/normalize.js';
import { softmax } from '../ops/softmax.js';
import { expectTensor } from '../check.js';

export interface ConvStep {
  /** Output position: kernel k, row i, column j. */
  k: number; i: number; j: number;
  /** Top-left input position of the window (negative inside the padding). */
  y: number; x: number;
  /** Per channel: the window values [C][kh][kw] (0 in the padding), the kernel slice, the products, their sum. */
  window: number[][][]; kernel: number[][][]; products: number[][][]; channelSums: number[];
  bias: number; result: number;
}

export interface ConvExplanation {
  steps: ConvStep[]; output: Tensor; outShape: number[];
  kernelHeight: number; kernelWidth: number; strideH: number; strideW: number; padTop: number; padLeft: number;
}

/** Steps of conv3d on one sample [C,H,W], for kernel `only` (or every kernel), in row-major output order. */
export function explainConv(input: Tensor, kernels: Tensor, options: Conv3dOptions = {}, only?: number): ConvExplanation {
  expectTensor('explainConv', 'input', input, [3]);
  const g = conv3dGeometry('explainConv', input, kernels, options);
  const output = conv3d(input, kernels, options);
  const x = contiguousData(input), W = contiguousData(kernels), b = options.bias ? contiguousData(options.bias) : null;
  const { channels: C, height: H, width: Wd, kernelHeight: kh, kernelWidth: kw } = g;
  const steps: ConvStep[] = [];
  const kernelList = only === undefined ? Array.from({ length: g.kernelCount }, (_, k) => k) : [only];
  for (const k of kernelList) {
    if (!(k >= 0 && k < g.kernelCount)) throw new RangeError(`explainConv: kernel ${k} is out of range (0..${g.kernelCount - 1})`);
    const kernel = Array.from({ length: C }, (_, c) => Array.from({ length: kh }, (_, u) => Array.from({ length: kw }, (_, v) => W[((k * C + c) * kh + u) * kw + v])));
    for (let i = 0; i < g.outHeight; i++) for (let j = 0; j < g.outWidth; j++) {
      const y = i * g.strideH - g.padTop, xx = j * g.strideW - g.padLeft;
      const window = Array.from({ length: C }, (_, c) => Array.from({ length: kh }, (_, u) => Array.from({ length: kw }, (_, v) => {
        const py = y + u, px = xx + v;
        return py >= 0 && py < H && px >= 0 && px < Wd ? x[(c * H + py) * Wd + px] : 0;
      })));
      const products = window.map((rows, c) => rows.map((row, u) => row.map((value, v) => Math.fround(value * kernel[c][u][v]))));
      const channelSums = products.map((rows) => rows.flat().reduce((s, p) => s + p, 0));
      const bias = b ? b[k] : 0;
      steps.push({ k, i, j, y, x: xx, window, kernel, products, channelSums, bias, result: output.get(k, i, j) });
    }
  }
  return { steps, output, outShape: g.outShape, kernelHeight: kh, kernelWidth: kw, strideH: g.strideH, strideW: g.strideW, padTop: g.padTop, padLeft: g.padLeft };
}

export interface PoolStep { c: number; i: number; j: number; y: number; x: number; values: number[][]; argmax: [number, number]; max: number }

/** Steps of maxPool on one sample [C,H,W]: each window, its values, the arg-max (first on ties) and the max. */
export function explainMaxPool(x: Tensor, options: MaxPoolOptions): { steps: PoolStep[]; output: Tensor; outShape: number[] } {
  expectTensor('explainMaxPool', 'x', x, [3]);
  const g = maxPoolGeometry('explainMaxPool', x, options);
  const output = maxPool(x, options);
  const data = contiguousData(x), steps: PoolStep[] = [];
  for (let c = 0; c < x.shape[0]; c++) for (let i = 0; i < g.outHeight; i++) for (let j = 0; j < g.outWidth; j++) {
    const y = i * g.strideH, xx = j * g.strideW;
    const values = Array.from({ length: g.sizeH }, (_, u) => Array.from({ length: g.sizeW }, (_, v) => data[(c * g.height + y + u) * g.width + xx + v]));
    let argmax: [number, number] = [y, xx], max = values[0][0];
    values.forEach((row, u) => row.forEach((value, v) => { if (value > max) { max = value; argmax = [y + u, xx + v]; } }));
    steps.push({ c, i, j, y, x: xx, values, argmax, max: output.get(c, i, j) });
  }
  return { steps, output, outShape: g.outShape };
}

export interface ReluStep { c: number; y: number; x: number; before: number; after: number }
export type ActivationKind = 'relu' | 'sigmoid' | 'tanh' | 'leakyRelu';

/** Steps of relu on [C,H,W]: each value before and after. */
export function explainRelu(x: Tensor): { steps: ReluStep[] } {
  return explainActivation(x, 'relu');
}

/** Steps of an element-wise activation on [C,H,W] (or a vector, as [1,1,n]), each value before and after, from the op itself. */
export function explainActivation(x: Tensor, kind: ActivationKind, { alpha = 0.01 } = {}): { steps: ReluStep[] } {
  expectTensor('explainActivation', 'x', x, [1, 3]);
  const maps = x.dimension === 1 ? fromData(contiguousData(x), [1, 1, x.size]) : x;
  const out = kind === 'relu' ? relu(maps) : kind === 'sigmoid' ? sigmoid(maps) : kind === 'tanh' ? tanh(maps) : leakyRelu(maps, { alpha });
  const before = contiguousData(maps), after = out.data, [, H, W] = maps.shape;
  return { steps: Array.from(before, (value, p) => ({ c: Math.floor(p / (H * W)), y: Math.floor(p / W) % H, x: p % W, before: value, after: after[p] })) };
}

export interface NormalizeStep { c: number; mean: number; variance: number; sigma: number; eps: number; before: number[]; after: number[] }
/** One step per map of [C,H,W]: its mean, variance, σ = sqrt(var + eps), and each value before and after. */
export function explainNormalize(x: Tensor, { eps = 1e-5 } = {}): { steps: NormalizeStep[]; output: Tensor } {
  expectTensor('explainNormalize', 'x', x, [3]);
  const output = normalize(x, { eps });
  const data = contiguousData(x), out = contiguousData(output), size = x.shape[1] * x.shape[2];
  const steps = Array.from({ length: x.shape[0] }, (_, c) => {
    const { mean, variance, sigma } = mapStatistics(data, c * size, size, eps);
    return { c, mean, variance, sigma, eps, before: Array.from(data.subarray(c * size, (c + 1) * size)), after: Array.from(out.subarray(c * size, (c + 1) * size)) };
  });
  return { steps, output };
}

export interface DenseStep { o: number; inputs: number[]; weights: number[]; products: number[]; sum: number; bias: number; result: number }
/** One step per output: the dot product of its weight row with the flattened sample, plus the bias. */
export function explainDense(x: Tensor, weights: Tensor, bias?: Tensor): { steps: DenseStep[] } {
  expectTensor('explainDense', 'weights', weights, [2]);
  const inputs = Array.from(contiguousData(x)), W = contiguousData(weights), b = bias ? contiguousData(bias) : null;
  const [outputs, n] = weights.shape;
  if (inputs.length !== n) throw new RangeError(`explainDense: weights expect ${n} inputs but x has ${inputs.length} (weights ${formatShape(weights)}, x ${formatShape(x)})`);
  const steps = Array.from({ length: outputs }, (_, o) => {
    const row = Array.from(W.subarray(o * n, (o + 1) * n));
    const products = row.map((w, i) => Math.fround(w * inputs[i]));
    const sum = products.reduce((s, p) => s + p, 0);
    const biasValue = b ? b[o] : 0;
    return { o, inputs, weights: row, products, sum, bias: biasValue, result: Math.fround(sum + biasValue) };
  });
  return { steps };
}

export interface SoftmaxExplanation { logits: number[]; max: number; shifted: number[]; exponentials: number[]; sum: number; probabilities: number[] }
/** Softmax of one vector in its stages: logits → minus the max → exponentials → sum → probabilities. */
export function explainSoftmax(logits: Tensor): SoftmaxExplanation {
  expectTensor('explainSoftmax', 'logits', logits, [1]);
  const z = Array.from(contiguousData(logits));
  const max = Math.max(...z);
  const shifted = z.map((v) => v - max);
  const exponentials = shifted.map(Math.exp);
  const sum = exponentials.reduce((s, e) => s + e, 0);
  return { logits: z, max, shifted, exponentials, sum, probabilities: toArray(softmax(logits)) as number[] };
}

/** Index of the step for an output cell (k or c, i, j) in a row-major step list. */
export function stepIndexAt(outShape: number[], map: number, i: number, j: number, onlyOneMap = false): number {
  const [, Ho, Wo] = outShape.length === 3 ? outShape : [1, ...outShape];
  return (onlyOneMap ? 0 : map * Ho * Wo) + i * Wo + j;
}
