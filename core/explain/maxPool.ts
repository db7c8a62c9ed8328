// core/explain/maxPool.ts: max pooling as plain data — each window, its values, the arg-max and the max,
// taken from the op's kernel (its arg-max array), so the explainer shows exactly the cell the op picked
// (first maximum in row-major order on ties; a NaN wins, as in the op).
import { type Tensor, contiguousData, fromData } from '../tensor.js';
import { maxPoolGeometry, maxPoolKernel, type MaxPoolOptions } from '../ops/maxPool.js';
import { expectTensor } from '../check.js';

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
