// core/ops/dense.ts: a fully-connected layer over the flattened sample (row-major [C,H,W]).
//   y[n,o] = b[o] + Σ_i W[o,i] · x[n,i]          (1)
//   dInput[n,i] = Σ_o dOut[n,o] · W[o,i]              (2)
//   dW[o,i] = Σ_n dOut[n,o] · x[n,i]              (3)
//   db[o] = Σ_n dOut[n,o]                         (4)
import { type Tensor, zeros, formatShape, contiguousData } from '../tensor.js';
import { expectTensor, expectShape, readOptionalTensor } from '../check.js';
import { gemmNN, gemmNT, gemmTN } from '../kernels/gemm.js';
import type { DenseGeometry } from '../kernels/types.js';
import { fast } from '../kernels/select.js';

export type { DenseGeometry } from '../kernels/types.js';

/** x by rank: one sample [in] or [C,H,W] → [out]; a batch [N,in] or [N,C,H,W] → [N,out]. weights [out,in], bias [out]. */
export function dense(x: Tensor, weights: Tensor, bias?: Tensor | null): Tensor {
  const g = denseGeometry('dense', x, weights, bias);
  const out = zeros(g.outShape);
  denseForwardKernel(out.data, contiguousData(x), contiguousData(weights), bias ? contiguousData(bias) : null, g);
  return out;
}

/** denseBackward's gradients: the input's (in the shape of x), the weights' and the bias's. */
export interface DenseGradients {
  dInput: Tensor; dW: Tensor; db: Tensor;
  /** @deprecated the same tensor as dInput (its name before every op's input gradient was called dInput). */
  dX: Tensor;
}

/** (2)–(4): dInput in the shape of x; dW [out,in] and db [out] summed over the batch. */
export function denseBackward(x: Tensor, weights: Tensor, dOut: Tensor): DenseGradients {
  const g = denseGeometry('denseBackward', x, weights);
  expectShape('denseBackward', 'dOut', dOut, g.outShape);
  const dInput = zeros(x.shape), dW = zeros(weights.shape), db = zeros([g.outputs]);
  denseBackwardKernel(dInput.data, dW.data, db.data, contiguousData(x), contiguousData(weights), contiguousData(dOut), g);
  return { dInput, dW, db, dX: dInput };
}

/** Sample or batch by rank, as every op: rank 1 [in] and 3 [C,H,W] are one sample, rank 2 [N,in] and 4 [N,C,H,W] a batch. */
export function denseGeometry(op: string, x: Tensor, weights: Tensor, rawBias?: Tensor | null): DenseGeometry {
  expectTensor(op, 'x', x, [1, 2, 3, 4]);
  expectTensor(op, 'weights', weights, [2]);
  const [outputs, inputs] = weights.shape;
  const bias = readOptionalTensor(op, 'bias', rawBias, [1]);
  if (bias && bias.shape[0] !== outputs) {
    throw new RangeError(`${op}: bias must have one value per output, [${outputs}], got ${formatShape(bias)} (weights ${formatShape(weights)})`);
  }
  const batched = x.dimension === 2 || x.dimension === 4;
  const batch = batched ? x.shape[0] : 1;
  const perSample = x.size / batch;
  if (perSample !== inputs) {
    throw new RangeError(`${op}: weights expect ${inputs} inputs but ${batched ? 'each sample of x' : 'x (one sample)'} has ${perSample} ` +
      `(weights ${formatShape(weights)}, x ${formatShape(x)})`);
  }
  return { batch, inputs, outputs, batched, outShape: batched ? [batch, outputs] : [outputs] };
}

/** (1) on contiguous data: y[N,out] = x[N,in] · Wᵀ + b. */
export function denseForwardKernel(y: Float32Array, x: Float32Array, W: Float32Array, b: Float32Array | null, g: DenseGeometry): void {
  if (fast()?.denseForward(y, x, W, b, g)) return;
  gemmNT(g.batch, g.outputs, g.inputs, x, 0, W, 0, y, 0, false);
  if (b) for (let n = 0; n < g.batch; n++) for (let o = 0; o < g.outputs; o++) y[n * g.outputs + o] += b[o];
}

/** (2)–(4) on contiguous data; dW and db accumulate. dInput may be null (no input gradient needed).
 *  With split < N, (3) and (4) sum the samples as two halves, [0, split) and [split, N), each from zero, added in that
 *  order: dW ← (dW + Σ_{n<split}) + Σ_{n≥split}. That is what a batch split into two shards gives (nn/shards.ts: the
 *  second half's gradients computed into zeroed buffers and added), so one thread can run the whole batch in one pass
 *  and keep the bits of two. */
export function denseBackwardKernel(dInput: Float32Array | null, dW: Float32Array, db: Float32Array,
  x: Float32Array, W: Float32Array, dOut: Float32Array, g: DenseGeometry, split = g.batch): void {
  const { batch: N, inputs, outputs } = g;
  if (!(Number.isInteger(split) && split >= 0)) throw new RangeError(`denseBackwardKernel: split must be an integer ≥ 0, got ${split}`);
  if (fast()?.denseBackward(dInput, dW, db, x, W, dOut, g, split)) return;
  if (dInput) gemmNN(N, inputs, outputs, dOut, 0, W, 0, dInput, 0, false); // (2)
  if (split >= N) {
    gemmTN(outputs, inputs, N, dOut, 0, x, 0, dW, 0, true); // (3)
    for (let n = 0; n < N; n++) for (let o = 0; o < outputs; o++) db[o] += dOut[n * outputs + o]; // (4)
    return;
  }
  // the second half's sums rounded to float32 apart (gemm.ts sums in float64 and rounds once as it stores), then added
  gemmTN(outputs, inputs, split, dOut, 0, x, 0, dW, 0, true);
  const second = spareFor(outputs * inputs + outputs);
  gemmTN(outputs, inputs, N - split, dOut, split * outputs, x, split * inputs, second, 0, false);
  for (let k = 0; k < outputs * inputs; k++) dW[k] += second[k];
  for (let o = 0; o < outputs; o++) {
    let first = db[o], rest = 0; // float32 sums, rounded at every step as a Float32Array element is
    for (let n = 0; n < split; n++) first = Math.fround(first + dOut[n * outputs + o]);
    for (let n = split; n < N; n++) rest = Math.fround(rest + dOut[n * outputs + o]);
    db[o] = first + rest;
  }
}

/** Scratch for the second half's weight gradient in the TypeScript path (kept between calls: one per training step). */
let spare = new Float32Array(0);
function spareFor(n: number): Float32Array {
  if (spare.length < n) spare = new Float32Array(n);
  return spare;
}
