// core/explain/activation.ts: an element-wise activation as plain data — each value before and after, from the op.
// Backward: ∂L/∂x = δ · f′(x)   (4)
import { type Tensor, contiguousData, fromData } from '../tensor.js';
import { activation, activationBackward, activationDerivative, DEFAULT_ALPHA, type ActivationType } from '../ops/activations.js';
import { expectTensor, expectSameShape } from '../check.js';
import { stepList, type StepList } from './stepList.js';

export interface ReluStep { c: number; y: number; x: number; before: number; after: number }
export interface ActivationOptions { alpha?: number; /** Only this map (its steps start at its first value). */ map?: number }

/** Steps of relu on [C,H,W]: each value before and after. */
export function explainRelu(x: Tensor, options: ActivationOptions = {}): { steps: ReluStep[] } {
  return explainActivation(x, 'relu', options);
}

/** Steps of an element-wise activation on [C,H,W] (or a vector, as [1,1,n]), each value before and after, from the op itself. */
export function explainActivation(x: Tensor, kind: ActivationType, { alpha = DEFAULT_ALPHA, map }: ActivationOptions = {}): { steps: ReluStep[] } {
  expectTensor('explainActivation', 'x', x, [1, 3]);
  const maps = x.dimension === 1 ? fromData(contiguousData(x), [1, 1, x.size]) : x;
  const [C, H, W] = maps.shape;
  if (map !== undefined && !(Number.isInteger(map) && map >= 0 && map < C)) throw new RangeError(`explainActivation: map ${map} is out of range (0..${C - 1})`);
  const out = activation(kind, maps, { alpha });
  const before = contiguousData(maps), after = out.data;
  const start = map === undefined ? 0 : map * H * W, end = map === undefined ? C * H * W : (map + 1) * H * W;
  const steps: ReluStep[] = [];
  for (let p = start; p < end; p++) steps.push({ c: Math.floor(p / (H * W)), y: Math.floor(p / W) % H, x: p % W, before: before[p], after: after[p] });
  return { steps };
}

// ── backward (4) ───────────────────────────────────────────────────────────────────────────────────

export interface ActivationBackwardStep { c: number; y: number; x: number; input: number; derivative: number; delta: number; value: number }
export interface ActivationBackward { kind: ActivationType; alpha: number; dInput: Tensor; steps: StepList<ActivationBackwardStep> }

/** (4) for x of any shape (steps address it as [C,H,W]; a vector is [1,1,n]) and dOut of its shape: dInput from the op's
 *  backward, each step's f′ from the op's table (activationDerivative). */
export function explainActivationBackward(x: Tensor, dOut: Tensor, kind: ActivationType, { alpha = DEFAULT_ALPHA } = {}): ActivationBackward {
  const op = 'explainActivationBackward';
  expectTensor(op, 'x', x);
  expectSameShape(op, 'dOut', dOut, 'x', x);
  const dInput = activationBackward(kind, x, dOut, { alpha });
  const values = contiguousData(x), delta = contiguousData(dOut), result = dInput.data;
  const [H, W] = x.dimension >= 2 ? x.shape.slice(-2) : [1, x.size];
  return {
    kind, alpha, dInput,
    steps: stepList(op, values.length, (p) => ({
      c: Math.floor(p / (H * W)), y: Math.floor(p / W) % H, x: p % W,
      input: values[p], derivative: activationDerivative(kind, values[p], alpha), delta: delta[p], value: result[p],
    })),
  };
}
