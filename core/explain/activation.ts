// core/explain/activation.ts: an element-wise activation as plain data — each value before and after, from the op.
import { type Tensor, contiguousData, fromData } from '../tensor.js';
import { relu, sigmoid, tanh, leakyRelu } from '../ops/activations.js';
import { expectTensor } from '../check.js';

export interface ReluStep { c: number; y: number; x: number; before: number; after: number }
export type ActivationKind = 'relu' | 'sigmoid' | 'tanh' | 'leakyRelu';
export interface ActivationOptions { alpha?: number; /** Only this map (its steps start at its first value). */ map?: number }

/** Steps of relu on [C,H,W]: each value before and after. */
export function explainRelu(x: Tensor, options: ActivationOptions = {}): { steps: ReluStep[] } {
  return explainActivation(x, 'relu', options);
}

/** Steps of an element-wise activation on [C,H,W] (or a vector, as [1,1,n]), each value before and after, from the op itself. */
export function explainActivation(x: Tensor, kind: ActivationKind, { alpha = 0.01, map }: ActivationOptions = {}): { steps: ReluStep[] } {
  expectTensor('explainActivation', 'x', x, [1, 3]);
  const maps = x.dimension === 1 ? fromData(contiguousData(x), [1, 1, x.size]) : x;
  const [C, H, W] = maps.shape;
  if (map !== undefined && !(Number.isInteger(map) && map >= 0 && map < C)) throw new RangeError(`explainActivation: map ${map} is out of range (0..${C - 1})`);
  const out = applyActivation(maps, kind, alpha);
  const before = contiguousData(maps), after = out.data;
  const start = map === undefined ? 0 : map * H * W, end = map === undefined ? C * H * W : (map + 1) * H * W;
  const steps: ReluStep[] = [];
  for (let p = start; p < end; p++) steps.push({ c: Math.floor(p / (H * W)), y: Math.floor(p / W) % H, x: p % W, before: before[p], after: after[p] });
  return { steps };
}

export function applyActivation(x: Tensor, kind: ActivationKind, alpha = 0.01): Tensor {
  switch (kind) {
    case 'relu': return relu(x);
    case 'sigmoid': return sigmoid(x);
    case 'tanh': return tanh(x);
    case 'leakyRelu': return leakyRelu(x, { alpha });
    default: throw new TypeError(`explainActivation: unknown activation '${kind as string}' (expected relu, sigmoid, tanh, leakyRelu)`);
  }
}
