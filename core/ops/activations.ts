// core/ops/activations.ts: element-wise non-linearities and their gradients, any shape. The one home of
// these rules: the layers (nn/layers.ts), softmax's neighbours, the explainer and the views all call the
// table and the two kernels below; nothing else states f or f′.
//   relu(x) = max(x, 0)                 relu'(x) = 1 if x > 0 else 0 (relu'(0) is taken as 0)        (1)
//   leakyRelu(x) = x if x > 0 else αx   leakyRelu'(x) = 1 if x > 0 else α (α = DEFAULT_ALPHA)        (2)
//   sigmoid(x) = 1 / (1 + e^−x)         sigmoid'(x) = σ(x)(1 − σ(x)) = y(1 − y)                       (3)
//   tanh(x)                             tanh'(x) = 1 − tanh²(x) = 1 − y²                              (4)
// Each backward takes the forward's input x (and its float32 output y, which the layer kept) and dOut, and
// returns dInput = dOut · f′(x). Where f′ is a choice between branches (1, 2) dInput picks the branch's value: a flat
// relu passes 0 whatever dOut is (an infinite dOut gives 0, not ∞·0).
// NaN spoils only what it touches: f(NaN) = NaN and f′(NaN) = NaN, so dInput = NaN exactly where x (or dOut) is
// NaN, for every kind, on both kernel sets (the WebAssembly relu kernels follow the same rule).
import ndarray from 'ndarray';
import { type Tensor, contiguousData } from '../tensor.js';
import { expectTensor, expectSameShape, readOptions, describe } from '../check.js';
import { fast } from '../kernels/select.js';

/** The element-wise activations convlab has, as layer types. */
export type ActivationType = 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh';

/** leakyRelu's slope α for x ≤ 0 when none is given. */
export const DEFAULT_ALPHA = 0.01;

/** One activation's rule. */
export interface ActivationRule {
  /** y = f(x). */
  f(x: number, alpha: number): number;
  /** dInput = dOut · f′(x), from the input x, the forward's output y (= f(x) as float32) and dOut. */
  df(x: number, y: number, dOut: number, alpha: number): number;
}

/** The table: every activation's f and f′ (equations (1)–(4)). */
export const ACTIVATIONS: { readonly [K in ActivationType]: ActivationRule } = {
  relu: { // (1)
    f: (x) => (x > 0 ? x : x !== x ? x : 0),
    df: (x, _y, d) => (x > 0 ? d : x !== x ? NaN : 0),
  },
  leakyRelu: { // (2)
    f: (x, alpha) => (x > 0 ? x : alpha * x),
    df: (x, _y, d, alpha) => (x > 0 ? d : x !== x ? NaN : alpha * d),
  },
  sigmoid: { // (3)
    f: (x) => sigmoidScalar(x),
    df: (_x, y, d) => d * y * (1 - y),
  },
  tanh: { // (4)
    f: (x) => Math.tanh(x),
    df: (_x, y, d) => d * (1 - y * y),
  },
};

/** The activation types, in the table's order. */
export const ACTIVATION_TYPES = Object.keys(ACTIVATIONS) as readonly ActivationType[];

/** True for a layer type that is an element-wise activation. */
export function isActivationType(type: unknown): type is ActivationType {
  return typeof type === 'string' && Object.hasOwn(ACTIVATIONS, type);
}

/** f′(x) alone (dOut = 1), as the backward kernel uses it: relu′(0) = 0, leaky′(x ≤ 0) = α, f′(NaN) = NaN. */
export function activationDerivative(kind: ActivationType, x: number, alpha = DEFAULT_ALPHA): number {
  const rule = ruleOf('activationDerivative', kind);
  return rule.df(x, Math.fround(rule.f(x, alpha)), 1, alpha);
}

/** The forward kernel on contiguous data: y[i] = f(x[i]) for i < y.length (WebAssembly where it has the kind). */
export function activationKernel(kind: ActivationType, y: Float32Array, x: Float32Array, alpha: number): void {
  if (kind === 'relu' && fast()?.relu(y, x, y.length)) return;
  const f = ACTIVATIONS[kind].f;
  for (let i = 0; i < y.length; i++) y[i] = f(x[i], alpha);
}

/** The backward kernel on contiguous data: dInput[i] = dOut[i] · f′(x[i]) for i < dInput.length, with y the forward's output. */
export function activationBackwardKernel(kind: ActivationType, dInput: Float32Array, x: Float32Array, y: Float32Array,
  dOut: Float32Array, alpha: number): void {
  if (kind === 'relu' && fast()?.reluBackward(dInput, x, dOut, dInput.length)) return;
  const df = ACTIVATIONS[kind].df;
  for (let i = 0; i < dInput.length; i++) dInput[i] = df(x[i], y[i], dOut[i], alpha);
}

/** f element-wise (alpha: leakyRelu's slope, DEFAULT_ALPHA by default; the others ignore it). */
export function activation(kind: ActivationType, x: Tensor, options: { alpha?: number | null } | null = {}): Tensor {
  const op = kind;
  ruleOf(op, kind);
  const alpha = readAlpha(op, options);
  expectTensor(op, 'x', x);
  const y = new Float32Array(x.size);
  activationKernel(kind, y, contiguousData(x), alpha);
  return ndarray(y, x.shape.slice());
}

/** dOut · f′(x) element-wise. */
export function activationBackward(kind: ActivationType, x: Tensor, dOut: Tensor, options: { alpha?: number | null } | null = {}): Tensor {
  const op = `${kind}Backward`;
  ruleOf(op, kind);
  const alpha = readAlpha(op, options);
  expectTensor(op, 'x', x);
  expectSameShape(op, 'dOut', dOut, 'x', x);
  const values = contiguousData(x), y = new Float32Array(x.size), dInput = new Float32Array(x.size);
  activationKernel(kind, y, values, alpha);
  activationBackwardKernel(kind, dInput, values, y, contiguousData(dOut), alpha);
  return ndarray(dInput, x.shape.slice());
}

/** max(x, 0) element-wise; NaN stays NaN. */
export function relu(x: Tensor): Tensor { return activation('relu', x); }

/** dOut where x > 0, else 0 (NaN in x gives NaN). */
export function reluBackward(x: Tensor, dOut: Tensor): Tensor { return activationBackward('relu', x, dOut); }

/** x where x > 0, else alpha·x (alpha DEFAULT_ALPHA by default). */
export function leakyRelu(x: Tensor, options: { alpha?: number | null } | null = {}): Tensor { return activation('leakyRelu', x, options); }

/** dOut where x > 0, else alpha·dOut (NaN in x gives NaN). */
export function leakyReluBackward(x: Tensor, dOut: Tensor, options: { alpha?: number | null } | null = {}): Tensor {
  return activationBackward('leakyRelu', x, dOut, options);
}

/** 1 / (1 + e^−x) element-wise, stable for large |x|. */
export function sigmoid(x: Tensor): Tensor { return activation('sigmoid', x); }

/** dOut · σ(x)(1 − σ(x)). */
export function sigmoidBackward(x: Tensor, dOut: Tensor): Tensor { return activationBackward('sigmoid', x, dOut); }

/** tanh element-wise. */
export function tanh(x: Tensor): Tensor { return activation('tanh', x); }

/** dOut · (1 − tanh²(x)). */
export function tanhBackward(x: Tensor, dOut: Tensor): Tensor { return activationBackward('tanh', x, dOut); }

export function sigmoidScalar(v: number): number {
  // e^−v overflows for v ≪ 0: use e^v / (1 + e^v) there
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** The slope option, checked: a finite number, DEFAULT_ALPHA when absent. */
export function readAlpha(op: string, options: { alpha?: number | null } | null): number {
  const alpha = readOptions(op, options).alpha ?? DEFAULT_ALPHA;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new RangeError(`${op}: alpha must be a finite number, got ${describe(alpha)}`);
  return alpha;
}

function ruleOf(op: string, kind: ActivationType): ActivationRule {
  if (!isActivationType(kind)) {
    throw new TypeError(`${op}: unknown activation ${describe(kind)} (expected ${ACTIVATION_TYPES.join(', ')})`);
  }
  return ACTIVATIONS[kind];
}
