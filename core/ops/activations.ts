// core/ops/activations.ts: element-wise non-linearities and their gradients, any shape.
//   relu(x) = max(x, 0)                 relu'(x) = 1 if x > 0 else 0 (relu'(0) is taken as 0)
//   leakyRelu(x) = x if x > 0 else αx   leakyRelu'(x) = 1 if x > 0 else α
//   sigmoid(x) = 1 / (1 + e^−x)         sigmoid'(x) = σ(x)(1 − σ(x))
//   tanh(x)                             tanh'(x) = 1 − tanh²(x)
// Each backward takes the forward's input x and dOut, and returns dOut · f'(x).
import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { type Tensor, zeros, contiguousData } from '../tensor.js';
import { expectTensor, expectSameShape, readOptions, describe } from '../check.js';

/** max(x, 0) element-wise; NaN stays NaN. */
export function relu(x: Tensor): Tensor {
  expectTensor('relu', 'x', x);
  const out = zeros(x.shape);
  ops.maxs(out, x, 0);
  return out;
}

/** dOut where x > 0, else 0 (NaN in x gives NaN). */
export function reluBackward(x: Tensor, dOut: Tensor): Tensor {
  return mapBackward('reluBackward', x, dOut, (v, d) => (v > 0 ? d : v !== v ? NaN : 0));
}

/** x where x > 0, else alpha·x (alpha 0.01 by default). */
export function leakyRelu(x: Tensor, options: { alpha?: number | null } | null = {}): Tensor {
  const alpha = readAlpha('leakyRelu', options);
  return map('leakyRelu', x, (v) => (v > 0 ? v : alpha * v));
}

/** dOut where x > 0, else alpha·dOut. */
export function leakyReluBackward(x: Tensor, dOut: Tensor, options: { alpha?: number | null } | null = {}): Tensor {
  const alpha = readAlpha('leakyReluBackward', options);
  return mapBackward('leakyReluBackward', x, dOut, (v, d) => (v > 0 ? d : v !== v ? NaN : alpha * d));
}

/** 1 / (1 + e^−x) element-wise, stable for large |x|. */
export function sigmoid(x: Tensor): Tensor {
  return map('sigmoid', x, sigmoidScalar);
}

/** dOut · σ(x)(1 − σ(x)). */
export function sigmoidBackward(x: Tensor, dOut: Tensor): Tensor {
  return mapBackward('sigmoidBackward', x, dOut, (v, d) => { const s = sigmoidScalar(v); return d * s * (1 - s); });
}

/** tanh element-wise. */
export function tanh(x: Tensor): Tensor {
  return map('tanh', x, Math.tanh);
}

/** dOut · (1 − tanh²(x)). */
export function tanhBackward(x: Tensor, dOut: Tensor): Tensor {
  return mapBackward('tanhBackward', x, dOut, (v, d) => { const t = Math.tanh(v); return d * (1 - t * t); });
}

export function sigmoidScalar(v: number): number {
  // e^−v overflows for v ≪ 0: use e^v / (1 + e^v) there
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

function readAlpha(op: string, options: { alpha?: number | null } | null): number {
  const alpha = readOptions(op, options).alpha ?? 0.01;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new RangeError(`${op}: alpha must be a finite number, got ${describe(alpha)}`);
  return alpha;
}

function map(op: string, x: Tensor, f: (v: number) => number): Tensor {
  expectTensor(op, 'x', x);
  const values = contiguousData(x);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = f(values[i]);
  return ndarray(out, x.shape.slice());
}

function mapBackward(op: string, x: Tensor, dOut: Tensor, f: (v: number, d: number) => number): Tensor {
  expectTensor(op, 'x', x);
  expectSameShape(op, 'dOut', dOut, 'x', x);
  const values = contiguousData(x), grads = contiguousData(dOut);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = f(values[i], grads[i]);
  return ndarray(out, x.shape.slice());
}
