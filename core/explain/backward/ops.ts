// core/explain/backward/ops.ts: each op's backward pass as plain data, one step per gradient value.
// Every step model takes its result from the op's own backward (conv3dBackward, denseBackward, …) and its
// routing from the op's own kernel (max pool's arg-max array), and lists the terms that make up each value,
// so a reader can check the sum by hand and a test can check that the terms add up to the op's result.
//   softmax + cross-entropy   ∂L/∂z = p − onehot(y),  L = logsumexp(z) − z[y]                  (1)
//   dense                     ∂L/∂W[o,i] = δ[o]·x[i],  ∂L/∂b = δ,  ∂L/∂x[i] = Σ_o W[o,i]·δ[o]   (2)
//   max pool                  ∂L/∂x[c,y,x] = Σ δ[c,i,j] over the windows whose arg-max is (y,x)   (3)
//   activation                ∂L/∂x = δ · f′(x)                                                 (4)
//   normalize                 ∂L/∂x = δ/σ − mean(δ)/σ − y·mean(δ·y)/σ                           (5)
//   conv                      ∂L/∂W[k,c,u,v] = Σ_ij δ[k,i,j] · x[c, i·sh+u−pt, j·sw+v−pl]          (6)
//                             ∂L/∂b[k] = Σ_ij δ[k,i,j]                                           (7)
//                             ∂L/∂x[c,y,x] = Σ δ[k,i,j]·W[k,c,u,v] over the windows that read (y,x) (8)
// (8) is also a full correlation of δ (zero-stuffed by the stride) with the kernels turned 180°.
// Steps are produced on demand (`at(index)`): a dense layer of 784×100 weights has 78,400 of them.
import { type Tensor, contiguousData, formatShape } from '../../tensor.js';
import { expectTensor, expectShape, expectSameShape } from '../../check.js';
import { softmax, softmaxCrossEntropy, softmaxCrossEntropyBackward } from '../../ops/softmax.js';
import { denseBackward } from '../../ops/dense.js';
import { maxPoolBackward, maxPoolGeometry, maxPoolKernel, type MaxPoolOptions } from '../../ops/maxPool.js';
import { activationBackward, activationDerivative, DEFAULT_ALPHA, type ActivationType } from '../../ops/activations.js';
import { normalizeBackward, normalize, mapStatistics, DEFAULT_EPS } from '../../ops/normalize.js';
import { conv3dBackward, conv3dGeometry, type Conv3dOptions } from '../../ops/conv3d.js';

/** A list of steps made on demand. */
export interface StepList<S> { count: number; at(index: number): S }

function stepList<S>(op: string, count: number, make: (index: number) => S): StepList<S> {
  return {
    count,
    at(index: number) {
      if (!(Number.isInteger(index) && index >= 0 && index < count)) throw new RangeError(`${op}: step ${index} is out of range (0..${count - 1})`);
      return make(index);
    },
  };
}

// ── (1) softmax + cross-entropy ───────────────────────────────────────────────────────────────────────

export interface SoftmaxCrossEntropyStep { c: number; logit: number; p: number; onehot: number; gradient: number }
export interface SoftmaxCrossEntropyBackward {
  logits: number[]; probabilities: number[]; target: number; loss: number;
  /** ∂L/∂z from softmaxCrossEntropyBackward. */
  dLogits: Tensor; steps: StepList<SoftmaxCrossEntropyStep>;
}

/** (1) for one logit vector [C] and its target class. */
export function explainSoftmaxCrossEntropyBackward(logits: Tensor, target: number): SoftmaxCrossEntropyBackward {
  expectTensor('explainSoftmaxCrossEntropyBackward', 'logits', logits, [1]);
  const dLogits = softmaxCrossEntropyBackward(logits, target);
  const z = Array.from(contiguousData(logits)), p = Array.from(softmax(logits).data), d = dLogits.data;
  return {
    logits: z, probabilities: p, target, loss: softmaxCrossEntropy(logits, target), dLogits,
    steps: stepList('explainSoftmaxCrossEntropyBackward', z.length, (c) => ({ c, logit: z[c], p: p[c], onehot: c === target ? 1 : 0, gradient: d[c] })),
  };
}

// ── (2) dense ─────────────────────────────────────────────────────────────────────────────────────────

export interface DenseWeightStep { o: number; i: number; delta: number; input: number; value: number }
export interface DenseBiasStep { o: number; delta: number; value: number }
export interface DenseTerm { o: number; weight: number; delta: number; product: number }
export interface DenseInputStep { i: number; terms: DenseTerm[]; sum: number; value: number }
export interface DenseBackward {
  /** The flattened sample and δ = ∂L/∂y. */
  x: Float32Array; delta: Float32Array;
  dX: Tensor; dW: Tensor; db: Tensor;
  weightSteps: StepList<DenseWeightStep>; biasSteps: StepList<DenseBiasStep>; inputSteps: StepList<DenseInputStep>;
}

/** (2) for one sample (any shape of `in` values), weights [out,in] and dOut [out]. */
export function explainDenseBackward(x: Tensor, weights: Tensor, dOut: Tensor): DenseBackward {
  const op = 'explainDenseBackward';
  expectTensor(op, 'weights', weights, [2]);
  const [outputs, inputs] = weights.shape;
  expectTensor(op, 'x', x);
  if (x.size !== inputs) throw new RangeError(`${op}: weights expect ${inputs} inputs but x has ${x.size} (weights ${formatShape(weights)}, x ${formatShape(x)})`);
  expectShape(op, 'dOut', dOut, [outputs]);
  const { dX, dW, db } = denseBackward(x, weights, dOut);
  const xs = contiguousData(x), W = contiguousData(weights), delta = contiguousData(dOut);
  const dWData = dW.data, dXData = contiguousData(dX);
  return {
    x: xs, delta, dX, dW, db,
    weightSteps: stepList(op, outputs * inputs, (n) => {
      const o = Math.floor(n / inputs), i = n % inputs;
      return { o, i, delta: delta[o], input: xs[i], value: dWData[n] };
    }),
    biasSteps: stepList(op, outputs, (o) => ({ o, delta: delta[o], value: db.data[o] })),
    inputSteps: stepList(op, inputs, (i) => {
      const terms: DenseTerm[] = [];
      let sum = 0;
      for (let o = 0; o < outputs; o++) {
        const product = W[o * inputs + i] * delta[o];
        terms.push({ o, weight: W[o * inputs + i], delta: delta[o], product });
        sum += product;
      }
      return { i, terms, sum, value: dXData[i] };
    }),
  };
}

// ── (3) max pool ──────────────────────────────────────────────────────────────────────────────────────

export interface PoolBackwardStep {
  /** Window: map c, output cell (i, j), top-left input position (y, x). */
  c: number; i: number; j: number; y: number; x: number;
  /** The window's arg-max as the op's kernel found it (first maximum in row-major order; NaN wins). */
  argmax: [number, number]; max: number; delta: number;
  /** What the arg-max pixel had collected before this window, and after. */
  before: number; after: number;
}
export interface MaxPoolBackward {
  dx: Tensor; outShape: number[]; sizeH: number; sizeW: number; strideH: number; strideW: number;
  steps: StepList<PoolBackwardStep>;
  /** ∂L/∂x after the first `count` windows have sent their gradient ([C,H,W] values). */
  partial(count: number): Float32Array;
  /** The windows (step indices) that send their gradient to input (c, y, x). */
  sources(c: number, y: number, x: number): number[];
}

/** (3) for one sample x [C,H,W] and dOut [C,Ho,Wo]: windows in row-major order, each routed to its arg-max. */
export function explainMaxPoolBackward(x: Tensor, dOut: Tensor, options: MaxPoolOptions): MaxPoolBackward {
  const op = 'explainMaxPoolBackward';
  expectTensor(op, 'x', x, [3]);
  const g = maxPoolGeometry(op, x, options);
  expectShape(op, 'dOut', dOut, g.outShape);
  const data = contiguousData(x), delta = contiguousData(dOut);
  const count = delta.length, out = new Float32Array(count), argmax = new Int32Array(count);
  maxPoolKernel(out, argmax, data, g); // the op's own kernel decides every arg-max
  const dx = maxPoolBackward(x, dOut, options);
  const { height: H, width: W, outHeight: Ho, outWidth: Wo } = g;
  const partial = (upTo: number) => {
    const sums = new Float32Array(data.length);
    for (let o = 0; o < Math.min(upTo, count); o++) sums[argmax[o]] += delta[o];
    return sums;
  };
  return {
    dx, outShape: g.outShape, sizeH: g.sizeH, sizeW: g.sizeW, strideH: g.strideH, strideW: g.strideW, partial,
    sources(c, y, xx) { const p = (c * H + y) * W + xx, list: number[] = []; argmax.forEach((a, o) => { if (a === p) list.push(o); }); return list; },
    steps: stepList(op, count, (o) => {
      const c = Math.floor(o / (Ho * Wo)), i = Math.floor(o / Wo) % Ho, j = o % Wo, a = argmax[o];
      let before = 0;
      for (let q = 0; q < o; q++) if (argmax[q] === a) before = Math.fround(before + delta[q]); // float32, as the op adds
      return {
        c, i, j, y: i * g.strideH, x: j * g.strideW, argmax: [Math.floor(a / W) % H, a % W], max: out[o], delta: delta[o],
        before, after: Math.fround(before + delta[o]),
      };
    }),
  };
}

// ── (4) activations ───────────────────────────────────────────────────────────────────────────────────

export interface ActivationBackwardStep { c: number; y: number; x: number; input: number; derivative: number; delta: number; value: number }
export interface ActivationBackward { kind: ActivationType; alpha: number; dx: Tensor; steps: StepList<ActivationBackwardStep> }

/** (4) for x of any shape (steps address it as [C,H,W]; a vector is [1,1,n]) and dOut of its shape: dx from the op's
 *  backward, each step's f′ from the op's table (activationDerivative). */
export function explainActivationBackward(x: Tensor, dOut: Tensor, kind: ActivationType, { alpha = DEFAULT_ALPHA } = {}): ActivationBackward {
  const op = 'explainActivationBackward';
  expectTensor(op, 'x', x);
  expectSameShape(op, 'dOut', dOut, 'x', x);
  const dx = activationBackward(kind, x, dOut, { alpha });
  const values = contiguousData(x), delta = contiguousData(dOut), result = dx.data;
  const [H, W] = x.dimension >= 2 ? x.shape.slice(-2) : [1, x.size];
  return {
    kind, alpha, dx,
    steps: stepList(op, values.length, (p) => ({
      c: Math.floor(p / (H * W)), y: Math.floor(p / W) % H, x: p % W,
      input: values[p], derivative: activationDerivative(kind, values[p], alpha), delta: delta[p], value: result[p],
    })),
  };
}

// ── (5) normalize ─────────────────────────────────────────────────────────────────────────────────────

export interface NormalizeMapStatistics { c: number; mean: number; sigma: number; meanDelta: number; meanDeltaY: number }
export interface NormalizeBackwardStep {
  c: number; y: number; x: number; input: number; normalized: number; delta: number;
  /** The three terms of (5): δ/σ, −mean(δ)/σ, −y·mean(δ·y)/σ; their sum is `value` up to rounding. */
  direct: number; meanTerm: number; varianceTerm: number; value: number;
}
export interface NormalizeBackward { eps: number; dx: Tensor; maps: NormalizeMapStatistics[]; steps: StepList<NormalizeBackwardStep> }

/** (5) for one sample x [C,H,W] and dOut of its shape. */
export function explainNormalizeBackward(x: Tensor, dOut: Tensor, { eps = DEFAULT_EPS } = {}): NormalizeBackward {
  const op = 'explainNormalizeBackward';
  expectTensor(op, 'x', x, [3]);
  expectSameShape(op, 'dOut', dOut, 'x', x);
  const dx = normalizeBackward(x, dOut, { eps });
  const y = normalize(x, { eps }).data, data = contiguousData(x), delta = contiguousData(dOut);
  const [C, H, W] = x.shape, size = H * W;
  const maps = Array.from({ length: C }, (_, c) => {
    const { mean, sigma } = mapStatistics(data, c * size, size, eps);
    let meanDelta = 0, meanDeltaY = 0;
    for (let p = c * size; p < (c + 1) * size; p++) { meanDelta += delta[p]; meanDeltaY += delta[p] * y[p]; }
    return { c, mean, sigma, meanDelta: meanDelta / size, meanDeltaY: meanDeltaY / size };
  });
  return {
    eps, dx, maps,
    steps: stepList(op, data.length, (p) => {
      const c = Math.floor(p / size), m = maps[c], s = m.sigma === 0 ? 0 : 1 / m.sigma; // σ = 0: gradient 0, as the op
      return {
        c, y: Math.floor(p / W) % H, x: p % W, input: data[p], normalized: y[p], delta: delta[p],
        direct: delta[p] * s, meanTerm: -m.meanDelta * s, varianceTerm: -y[p] * m.meanDeltaY * s, value: dx.data[p],
      };
    }),
  };
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
