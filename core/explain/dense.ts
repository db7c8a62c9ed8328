// core/explain/dense.ts: a fully-connected layer as plain data — each output's weight row, every product
// with the flattened input, their sum and the bias; the result is the op's own output.
//   y[o] = b[o] + Σ_i W[o,i] · x[i]   (dense (1))
import { type Tensor, contiguousData, formatShape } from '../tensor.js';
import { dense } from '../ops/dense.js';
import { expectTensor } from '../check.js';

export interface DenseStep { o: number; inputs: number[]; weights: number[]; products: number[]; sum: number; bias: number; result: number }
/** One step per output: the dot product of its weight row with the flattened sample, plus the bias. */
export function explainDense(x: Tensor, weights: Tensor, bias?: Tensor): { steps: DenseStep[]; output: Tensor } {
  expectTensor('explainDense', 'weights', weights, [2]);
  const inputs = Array.from(contiguousData(x)), W = contiguousData(weights), b = bias ? contiguousData(bias) : null;
  const [outputs, n] = weights.shape;
  if (inputs.length !== n) throw new RangeError(`explainDense: weights expect ${n} inputs but x has ${inputs.length} (weights ${formatShape(weights)}, x ${formatShape(x)})`);
  const output = dense(x, weights, bias);
  const steps = Array.from({ length: outputs }, (_, o) => {
    const row = Array.from(W.subarray(o * n, (o + 1) * n));
    const products = row.map((w, i) => Math.fround(w * inputs[i]));
    const sum = products.reduce((s, p) => s + p, 0);
    return { o, inputs, weights: row, products, sum, bias: b ? b[o] : 0, result: output.data[o] };
  });
  return { steps, output };
}

/** Indices of the `count` products largest in size (the terms that decide y[o]), largest first. */
export function largestTerms(products: readonly number[], count: number): number[] {
  return products.map((p, i) => [Math.abs(p), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, count).map(([, i]) => i);
}
