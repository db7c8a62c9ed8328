// core/explain/maxPool.ts: max pooling as plain data — each window, its values, the arg-max and the max,
// taken from the op's kernel (its arg-max array), so the explainer shows exactly the cell the op picked
// (first maximum in row-major order on ties; a NaN wins, as in the op).
// Backward: ∂L/∂x[c,y,x] = Σ δ[c,i,j] over the windows whose arg-max is (y,x)   (3)
import { type Tensor, contiguousData, fromData } from '../tensor.js';
import { maxPoolBackward, maxPoolGeometry, maxPoolKernel, type MaxPoolOptions } from '../ops/maxPool.js';
import { expectTensor, expectShape } from '../check.js';
import { stepList, type StepList } from './stepList.js';

export interface PoolStep { c: number; i: number; j: number; y: number; x: number; values: number[][]; argmax: [number, number]; max: number }
export interface PoolExplanation { steps: PoolStep[]; output: Tensor; outShape: number[]; sizeH: number; sizeW: number; strideH: number; strideW: number }

/** Steps of maxPool on one sample [C,H,W] (only map `only` when given), in row-major output order. */
export function explainMaxPool(x: Tensor, options: MaxPoolOptions, only?: number): PoolExplanation {
  expectTensor('explainMaxPool', 'x', x, [3]);
  const g = maxPoolGeometry('explainMaxPool', x, options);
  const out = new Float32Array(g.maps * g.outHeight * g.outWidth), where = new Int32Array(out.length);
  const data = contiguousData(x);
  maxPoolKernel(out, where, data, g); // the op's own loop: its maxima and arg-maxes
  const output = fromData(out, g.outShape);
  if (only !== undefined && !(Number.isInteger(only) && only >= 0 && only < g.maps)) {
    throw new RangeError(`explainMaxPool: map ${only} is out of range (0..${g.maps - 1})`);
  }
  const maps = only === undefined ? Array.from({ length: g.maps }, (_, c) => c) : [only];
  const steps: PoolStep[] = [];
  for (const c of maps) for (let i = 0; i < g.outHeight; i++) for (let j = 0; j < g.outWidth; j++) {
    const y = i * g.strideH, xx = j * g.strideW, o = (c * g.outHeight + i) * g.outWidth + j;
    const values = Array.from({ length: g.sizeH }, (_, u) => Array.from({ length: g.sizeW }, (_, v) => data[(c * g.height + y + u) * g.width + xx + v]));
    const flat = where[o] - c * g.height * g.width;
    steps.push({ c, i, j, y, x: xx, values, argmax: [Math.floor(flat / g.width), flat % g.width], max: out[o] });
  }
  return { steps, output, outShape: g.outShape, sizeH: g.sizeH, sizeW: g.sizeW, strideH: g.strideH, strideW: g.strideW };
}

// ── backward (3) ──────────────────────────────────────────────────────────────────────────────────────

export interface PoolBackwardStep {
  /** Window: map c, output cell (i, j), top-left input position (y, x). */
  c: number; i: number; j: number; y: number; x: number;
  /** The window's arg-max as the op's kernel found it (first maximum in row-major order; NaN wins). */
  argmax: [number, number]; max: number; delta: number;
  /** What the arg-max pixel had collected before this window, and after. */
  before: number; after: number;
}
export interface MaxPoolBackward {
  dInput: Tensor; outShape: number[]; sizeH: number; sizeW: number; strideH: number; strideW: number;
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
  const dInput = maxPoolBackward(x, dOut, options);
  const { height: H, width: W, outHeight: Ho, outWidth: Wo } = g;
  const partial = (upTo: number) => {
    const sums = new Float32Array(data.length);
    for (let o = 0; o < Math.min(upTo, count); o++) sums[argmax[o]] += delta[o];
    return sums;
  };
  return {
    dInput, outShape: g.outShape, sizeH: g.sizeH, sizeW: g.sizeW, strideH: g.strideH, strideW: g.strideW, partial,
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
