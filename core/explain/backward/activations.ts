// core/explain/backward/activations.ts: activation functions and their slopes as curves (from the core ops),
// a layer's pre-activations as a histogram with the share that sits where the slope is nearly 0 (saturation),
// and why two linear layers are one: W2·(W1·x + b1) + b2 = (W2·W1)·x + (W2·b1 + b2).
import { tensor, contiguousData, formatShape, type Tensor } from '../../tensor.js';
import { expectTensor } from '../../check.js';
import { activation, activationBackward, DEFAULT_ALPHA, type ActivationType } from '../../ops/activations.js';
import { dense } from '../../ops/dense.js';

/** An activation of the table, or none ('linear': f(x) = x). */
export type CurveName = ActivationType | 'linear';
export const curveNames: readonly CurveName[] = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'];

export interface ActivationCurve { kind: CurveName; x: number[]; f: number[]; slope: number[]; maxSlope: number }

/** f and f′ at `points` evenly spaced x in [from, to], each from the op and its backward (f′ = backward with dOut = 1). */
export function activationCurve(kind: CurveName, { from = -6, to = 6, points = 241, alpha = DEFAULT_ALPHA } = {}): ActivationCurve {
  if (!curveNames.includes(kind)) throw new TypeError(`activationCurve: unknown activation '${kind}' (expected ${curveNames.join(', ')})`);
  if (!(Number.isInteger(points) && points >= 2) || !(to > from)) throw new RangeError(`activationCurve: need points ≥ 2 and from < to, got ${points} points on [${from}, ${to}]`);
  const x = tensor(Array.from({ length: points }, (_, i) => from + ((to - from) * i) / (points - 1)));
  const ones = tensor(new Array(points).fill(1));
  const [f, slope] = kind === 'linear' ? [x, ones] : [activation(kind, x, { alpha }), activationBackward(kind, x, ones, { alpha })];
  const slopes = Array.from(slope.data);
  return { kind, x: Array.from(x.data), f: Array.from(f.data), slope: slopes, maxSlope: Math.max(...slopes) };
}

export interface ActivationHistogram { from: number; to: number; counts: number[]; below: number; above: number; total: number }

/** Counts of `values` in `bins` equal bins over [from, to]; values outside are counted in below/above. */
export function activationHistogram(values: ArrayLike<number>, { from = -6, to = 6, bins = 48 } = {}): ActivationHistogram {
  const counts = new Array(bins).fill(0);
  let below = 0, above = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < from) below++;
    else if (v >= to) above++;
    else if (v === v) counts[Math.floor(((v - from) / (to - from)) * bins)]++;
  }
  return { from, to, counts, below, above, total: values.length };
}

/** The share of `values` where the activation's slope is below `fraction` of its largest slope (flat: little gradient passes). */
export function saturation(kind: CurveName, values: ArrayLike<number>, { fraction = 0.1, alpha = DEFAULT_ALPHA } = {}): number {
  if (values.length === 0) return 0;
  const x = tensor(Array.from(values)), ones = tensor(new Array(values.length).fill(1));
  const slope = kind === 'linear' ? ones : activationBackward(kind, x, ones, { alpha });
  const top = activationCurve(kind, { alpha }).maxSlope;
  let flat = 0;
  for (const s of slope.data) if (s < fraction * top) flat++;
  return flat / values.length;
}

export interface LinearCollapse {
  /** W = W2·W1 [out,in] and b = W2·b1 + b2 [out]: the one layer the two make. */
  W: number[][]; b: number[];
  /** For the sample x: the two layers in a row, and the one layer. */
  hidden: number[]; twoLayers: number[]; oneLayer: number[];
}

/** Two dense layers without an activation between them, and the single dense layer they equal, by the dense op. */
export function linearCollapse(W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor, x: Tensor): LinearCollapse {
  const op = 'linearCollapse';
  expectTensor(op, 'W1', W1, [2]); expectTensor(op, 'W2', W2, [2]);
  const [hidden, inputs] = W1.shape, [outputs, hidden2] = W2.shape;
  if (hidden !== hidden2) throw new RangeError(`${op}: W2 takes ${hidden2} inputs but W1 gives ${hidden} (W1 ${formatShape(W1)}, W2 ${formatShape(W2)})`);
  const w1 = contiguousData(W1);
  // column i of W2·W1 is W2 applied to column i of W1
  const columns = Array.from({ length: inputs }, (_, i) => Array.from(dense(tensor(Array.from({ length: hidden }, (_, j) => w1[j * inputs + i])), W2).data));
  const W = Array.from({ length: outputs }, (_, o) => columns.map((column) => column[o]));
  const b = Array.from(dense(b1, W2, b2).data);
  const h = dense(x, W1, b1);
  return {
    W, b, hidden: Array.from(h.data), twoLayers: Array.from(dense(h, W2, b2).data),
    oneLayer: Array.from(dense(x, tensor(W.flat(), [outputs, inputs]), tensor(b)).data),
  };
}
