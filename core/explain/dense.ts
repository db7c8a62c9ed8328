// core/explain/dense.ts: a fully-connected layer as plain data — each output's weight row, every product
// with the flattened input, their sum and the bias; the result is the op's own output.
//   y[o] = b[o] + Σ_i W[o,i] · x[i]   (dense (1))
// Backward: ∂L/∂W[o,i] = δ[o]·x[i],  ∂L/∂b = δ,  ∂L/∂x[i] = Σ_o W[o,i]·δ[o]   (2)
import { type Tensor, contiguousData, formatShape } from '../tensor.js';
import { dense, denseBackward } from '../ops/dense.js';
import { expectTensor, expectShape } from '../check.js';
import { stepList, type StepList } from './stepList.js';

export interface DenseStep { o: number; inputs: number[]; weights: number[]; products: number[]; sum: number; bias: number; result: number }
/** One step per output: the dot product of its weight row with the flattened sample, plus the bias. */
export function explainDense(x: Tensor, weights: Tensor, bias?: Tensor): { steps: DenseStep[]; output: Tensor } {
  const [outputs, n] = expectOneSample('explainDense', x, weights);
  const inputs = Array.from(contiguousData(x)), W = contiguousData(weights), b = bias ? contiguousData(bias) : null;
  const output = dense(x, weights, bias);
  const steps = Array.from({ length: outputs }, (_, o) => {
    const row = Array.from(W.subarray(o * n, (o + 1) * n));
    const products = row.map((w, i) => Math.fround(w * inputs[i]));
    const sum = products.reduce((s, p) => s + p, 0);
    return { o, inputs, weights: row, products, sum, bias: b ? b[o] : 0, result: output.data[o] };
  });
  return { steps, output };
}

/** One sample of any shape against weights [out,in]: x must hold `in` values; returns [out, in]. */
function expectOneSample(op: string, x: Tensor, weights: Tensor): [number, number] {
  expectTensor(op, 'weights', weights, [2]);
  expectTensor(op, 'x', x);
  const [outputs, inputs] = weights.shape;
  if (x.size !== inputs) throw new RangeError(`${op}: weights expect ${inputs} inputs but x has ${x.size} (weights ${formatShape(weights)}, x ${formatShape(x)})`);
  return [outputs, inputs];
}

/** Indices of the `count` products largest in size (the terms that decide y[o]), largest first. */
export function largestTerms(products: readonly number[], count: number): number[] {
  return products.map((p, i) => [Math.abs(p), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, count).map(([, i]) => i);
}

// ── backward (2) ─────────────────────────────────────────────────────────────────────────────────────────

export interface DenseWeightStep { o: number; i: number; delta: number; input: number; value: number }
export interface DenseBiasStep { o: number; delta: number; value: number }
export interface DenseTerm { o: number; weight: number; delta: number; product: number }
export interface DenseInputStep { i: number; terms: DenseTerm[]; sum: number; value: number }
export interface DenseBackward {
  /** The flattened sample and δ = ∂L/∂y. */
  x: Float32Array; delta: Float32Array;
  dInput: Tensor; dW: Tensor; db: Tensor;
  weightSteps: StepList<DenseWeightStep>; biasSteps: StepList<DenseBiasStep>; inputSteps: StepList<DenseInputStep>;
}

/** (2) for one sample (any shape of `in` values), weights [out,in] and dOut [out]. */
export function explainDenseBackward(x: Tensor, weights: Tensor, dOut: Tensor): DenseBackward {
  const op = 'explainDenseBackward';
  const [outputs, inputs] = expectOneSample(op, x, weights);
  expectShape(op, 'dOut', dOut, [outputs]);
  const { dInput, dW, db } = denseBackward(x, weights, dOut);
  const xs = contiguousData(x), W = contiguousData(weights), delta = contiguousData(dOut);
  const dWData = dW.data, dInputData = contiguousData(dInput);
  return {
    x: xs, delta, dInput, dW, db,
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
      return { i, terms, sum, value: dInputData[i] };
    }),
  };
}
