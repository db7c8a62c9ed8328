// core/explain/conv.ts: conv3d as plain data — each output value, its window on every channel,
// the kernel slices, every product, the per-channel sums, the bias — read from the op itself.
//   out[k,i,j] = b[k] + Σ_c Σ_u Σ_v in[c, i·sh+u−pt, j·sw+v−pl] · W[k,c,u,v]   (conv3d (1))
// Backward: ∂L/∂W[k,c,u,v] = Σ_ij δ[k,i,j] · x[c, i·sh+u−pt, j·sw+v−pl]   (6)
//           ∂L/∂b[k] = Σ_ij δ[k,i,j]   (7)
//           ∂L/∂x[c,y,x] = Σ δ[k,i,j]·W[k,c,u,v] over the windows that read (y,x)   (8)
// (8) is also a full correlation of δ (zero-stuffed by the stride) with the kernels turned 180°.
import { type Tensor, contiguousData, tensor } from '../tensor.js';
import { conv3d, conv3dBackward, conv3dGeometry, type Conv3dOptions } from '../ops/conv3d.js';
import { expectTensor, expectShape, readPadding } from '../check.js';
import { stepList, type StepList } from './stepList.js';

export interface ConvStep {
  /** Output position: kernel k, row i, column j. */
  k: number; i: number; j: number;
  /** Top-left input position of the window (negative inside the padding). */
  y: number; x: number;
  /** Per channel: the window values [C][kh][kw] (0 in the padding), the kernel slice, the products, their sum. */
  window: number[][][]; kernel: number[][][]; products: number[][][]; channelSums: number[];
  /** Per channel: which window cells lie in the zero padding (true there). */
  padded: boolean[][];
  bias: number; result: number;
}

export interface ConvExplanation {
  steps: ConvStep[]; output: Tensor; outShape: number[];
  kernelHeight: number; kernelWidth: number; strideH: number; strideW: number;
  padTop: number; padLeft: number; padBottom: number; padRight: number;
  /** The input's own size (without padding). */
  height: number; width: number; channels: number;
}

/** Steps of conv3d on one sample [C,H,W], for kernel `only` (or every kernel), in row-major output order. */
export function explainConv(input: Tensor, kernels: Tensor, options: Conv3dOptions = {}, only?: number): ConvExplanation {
  expectTensor('explainConv', 'input', input, [3]);
  const g = conv3dGeometry('explainConv', input, kernels, options);
  const [, padBottom, , padRight] = readPadding('explainConv', options.padding, g.height, g.width, g.kernelHeight, g.kernelWidth, g.strideH, g.strideW);
  const output = conv3d(input, kernels, options);
  const kernelList = only === undefined ? Array.from({ length: g.kernelCount }, (_, k) => k) : [only];
  const steps: ConvStep[] = [];
  const x = contiguousData(input), W = contiguousData(kernels), b = options.bias ? contiguousData(options.bias) : null;
  for (const k of kernelList) {
    if (!(Number.isInteger(k) && k >= 0 && k < g.kernelCount)) throw new RangeError(`explainConv: kernel ${k} is out of range (0..${g.kernelCount - 1})`);
    for (let i = 0; i < g.outHeight; i++) for (let j = 0; j < g.outWidth; j++) steps.push(convStep(x, W, b, g, output, k, i, j));
  }
  return {
    steps, output, outShape: g.outShape, kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth, strideH: g.strideH, strideW: g.strideW,
    padTop: g.padTop, padLeft: g.padLeft, padBottom, padRight, height: g.height, width: g.width, channels: g.channels,
  };
}

/** One output value of conv3d, (1) term by term; `result` is the op's own output there. */
export function explainConvCell(input: Tensor, kernels: Tensor, options: Conv3dOptions, k: number, i: number, j: number): ConvStep {
  expectTensor('explainConvCell', 'input', input, [3]);
  const g = conv3dGeometry('explainConvCell', input, kernels, options);
  if (!(k >= 0 && k < g.kernelCount && i >= 0 && i < g.outHeight && j >= 0 && j < g.outWidth)) {
    throw new RangeError(`explainConvCell: output (${k},${i},${j}) is outside [${g.outShape.join(',')}]`);
  }
  const output = conv3d(input, kernels, options);
  return convStep(contiguousData(input), contiguousData(kernels), options.bias ? contiguousData(options.bias) : null, g, output, k, i, j);
}

function convStep(x: Float32Array, W: Float32Array, b: Float32Array | null, g: ReturnType<typeof conv3dGeometry>, output: Tensor, k: number, i: number, j: number): ConvStep {
  const { channels: C, height: H, width: Wd, kernelHeight: kh, kernelWidth: kw } = g;
  const y = i * g.strideH - g.padTop, xx = j * g.strideW - g.padLeft;
  const inside = (py: number, px: number) => py >= 0 && py < H && px >= 0 && px < Wd;
  const kernel = Array.from({ length: C }, (_, c) => Array.from({ length: kh }, (_, u) => Array.from({ length: kw }, (_, v) => W[((k * C + c) * kh + u) * kw + v])));
  const window = Array.from({ length: C }, (_, c) => Array.from({ length: kh }, (_, u) => Array.from({ length: kw }, (_, v) =>
    inside(y + u, xx + v) ? x[(c * H + y + u) * Wd + xx + v] : 0)));
  const padded = Array.from({ length: kh }, (_, u) => Array.from({ length: kw }, (_, v) => !inside(y + u, xx + v)));
  const products = window.map((rows, c) => rows.map((row, u) => row.map((value, v) => Math.fround(value * kernel[c][u][v]))));
  const channelSums = products.map((rows) => rows.flat().reduce((s, p) => s + p, 0));
  return { k, i, j, y, x: xx, window, kernel, products, channelSums, padded, bias: b ? b[k] : 0, result: output.get(k, i, j) };
}

/** The trained kernels [K,C,kh,kw] cropped or zero-padded (centred) to size×size, to try another kernel size. */
export function resizeKernels(kernels: Tensor, size: number): Tensor {
  expectTensor('resizeKernels', 'kernels', kernels, [4]);
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`resizeKernels: size must be a positive integer, got ${size}`);
  const [K, C, kh, kw] = kernels.shape;
  if (size === kh && size === kw) return kernels;
  const data = contiguousData(kernels), out = new Float32Array(K * C * size * size);
  const top = Math.floor((kh - size) / 2), left = Math.floor((kw - size) / 2);
  for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) for (let u = 0; u < size; u++) for (let v = 0; v < size; v++) {
    const su = u + top, sv = v + left;
    if (su >= 0 && su < kh && sv >= 0 && sv < kw) out[((k * C + c) * size + u) * size + v] = data[((k * C + c) * kh + su) * kw + sv];
  }
  return tensor(out, [K, C, size, size]);
}

// ── (6)–(8) conv ──────────────────────────────────────────────────────────────────────────────────────

export interface ConvWeightTerm { i: number; j: number; y: number; x: number; delta: number; input: number; product: number }
export interface ConvWeightStep {
  k: number; c: number; u: number; v: number;
  /** Top-left input position read by the first window for this kernel cell (negative inside the padding). */
  y: number; x: number;
  terms: ConvWeightTerm[]; sum: number; value: number;
}
export interface ConvBiasStep { k: number; deltas: number[]; sum: number; value: number }
export interface ConvInputTerm { k: number; i: number; j: number; u: number; v: number; delta: number; weight: number; product: number }
export interface ConvInputStep { c: number; y: number; x: number; terms: ConvInputTerm[]; sum: number; value: number }
export interface ConvBackward {
  dInput: Tensor; dKernels: Tensor; dBias: Tensor; outShape: number[];
  kernelHeight: number; kernelWidth: number; strideH: number; strideW: number; padTop: number; padLeft: number;
  weightSteps: StepList<ConvWeightStep>; biasSteps: StepList<ConvBiasStep>; inputSteps: StepList<ConvInputStep>;
}

/** (6)–(8) for one sample input [C,H,W], kernels [K,C,kh,kw] and dOut [K,Ho,Wo]. */
export function explainConvBackward(input: Tensor, kernels: Tensor, dOut: Tensor, options: Conv3dOptions = {}): ConvBackward {
  const op = 'explainConvBackward';
  expectTensor(op, 'input', input, [3]);
  const g = conv3dGeometry(op, input, kernels, options);
  expectShape(op, 'dOut', dOut, g.outShape);
  const { dInput, dKernels, dBias } = conv3dBackward(input, kernels, dOut, options);
  const x = contiguousData(input), Wt = contiguousData(kernels), delta = contiguousData(dOut);
  const { channels: C, height: H, width: Wd, kernelCount: K, kernelHeight: kh, kernelWidth: kw,
    strideH: sh, strideW: sw, padTop: pt, padLeft: pl, outHeight: Ho, outWidth: Wo } = g;
  return {
    dInput, dKernels, dBias, outShape: g.outShape, kernelHeight: kh, kernelWidth: kw, strideH: sh, strideW: sw, padTop: pt, padLeft: pl,
    weightSteps: stepList(op, K * C * kh * kw, (n) => {
      const k = Math.floor(n / (C * kh * kw)), c = Math.floor(n / (kh * kw)) % C, u = Math.floor(n / kw) % kh, v = n % kw;
      const terms: ConvWeightTerm[] = [];
      let sum = 0;
      for (let i = 0; i < Ho; i++) for (let j = 0; j < Wo; j++) { // (6): the input window for cell (u,v), δ as the kernel
        const y = i * sh + u - pt, xx = j * sw + v - pl;
        const value = y >= 0 && y < H && xx >= 0 && xx < Wd ? x[(c * H + y) * Wd + xx] : 0;
        const d = delta[(k * Ho + i) * Wo + j], product = d * value;
        terms.push({ i, j, y, x: xx, delta: d, input: value, product });
        sum += product;
      }
      return { k, c, u, v, y: u - pt, x: v - pl, terms, sum, value: dKernels.data[n] };
    }),
    biasSteps: stepList(op, K, (k) => {
      const deltas = Array.from(delta.subarray(k * Ho * Wo, (k + 1) * Ho * Wo));
      return { k, deltas, sum: deltas.reduce((s, d) => s + d, 0), value: dBias.data[k] };
    }),
    inputSteps: stepList(op, C * H * Wd, (n) => {
      const c = Math.floor(n / (H * Wd)), y = Math.floor(n / Wd) % H, xx = n % Wd;
      const terms: ConvInputTerm[] = [];
      let sum = 0;
      // (8): the windows that read (y, x): i·sh + u − pt = y and j·sw + v − pl = x
      for (let k = 0; k < K; k++) for (let u = 0; u < kh; u++) {
        const ti = y + pt - u;
        if (ti < 0 || ti % sh !== 0 || ti / sh >= Ho) continue;
        const i = ti / sh;
        for (let v = 0; v < kw; v++) {
          const tj = xx + pl - v;
          if (tj < 0 || tj % sw !== 0 || tj / sw >= Wo) continue;
          const j = tj / sw, d = delta[(k * Ho + i) * Wo + j], w = Wt[((k * C + c) * kh + u) * kw + v];
          terms.push({ k, i, j, u, v, delta: d, weight: w, product: d * w });
          sum += d * w;
        }
      }
      return { c, y, x: xx, terms, sum, value: dInput.data[n] };
    }),
  };
}
