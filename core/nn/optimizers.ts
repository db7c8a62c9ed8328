// core/nn/optimizers.ts: parameter updates from summed-over-batch gradients already divided by N (the loss is a mean).
//   L2 weight decay (weights and kernels only): g ← g + λ·w
//   sgd:       w ← w − lr·g                       momentum: v ← μ·v − lr·g;  w ← w + v
//   adam:      m ← β1·m + (1−β1)·g;  s ← β2·s + (1−β2)·g²;  w ← w − lr·m̂ / (sqrt(ŝ) + ε)
import type { Parameter } from './layers.js';
import { fast, residentArray } from '../kernels/select.js';
import type { OptimizerRule } from '../kernels/types.js';

export type OptimizerName = OptimizerRule;
export interface OptimizerOptions {
  type: OptimizerName;
  learningRate: number;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

/** An optimizer's running state: the step count (Adam's bias correction) and each parameter's moments. */
export interface OptimizerState { steps: number; slots: Float32Array[][] }

export class Optimizer {
  private state: Float32Array[][] = [];
  private steps = 0;
  learningRate: number;
  constructor(readonly options: OptimizerOptions, private readonly parameters: Parameter[]) {
    const { type, learningRate } = options;
    if (!['sgd', 'momentum', 'adam'].includes(type)) throw new TypeError(`optimizer: unknown type '${type}' (expected sgd, momentum, adam)`);
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new RangeError(`optimizer: learningRate must be a positive number, got ${learningRate}`);
    const { momentum = 0.9, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0 } = options;
    const check = (name: string, value: unknown, ok: (v: number) => boolean, expected: string) => {
      if (typeof value !== 'number' || !ok(value)) throw new RangeError(`optimizer: ${name} must be ${expected}, got ${value}`);
    };
    check('momentum', momentum, (v) => v >= 0 && v < 1, 'in [0, 1)');
    check('beta1', beta1, (v) => v >= 0 && v < 1, 'in [0, 1)');
    check('beta2', beta2, (v) => v >= 0 && v < 1, 'in [0, 1)');
    check('epsilon', epsilon, (v) => v > 0 && Number.isFinite(v), 'a positive number');
    check('weightDecay', weightDecay, (v) => v >= 0 && Number.isFinite(v), 'a finite number ≥ 0');
    this.learningRate = learningRate;
    const slots = type === 'adam' ? 2 : type === 'momentum' ? 1 : 0;
    this.state = parameters.map((p) => Array.from({ length: slots }, () => residentArray(p.value.size)));
  }

  /** Apply one update with the current gradients, then zero them. */
  step(): void {
    this.steps++;
    const { type, momentum = 0.9, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0 } = this.options;
    const lr = this.learningRate;
    const correction1 = 1 - beta1 ** this.steps, correction2 = 1 - beta2 ** this.steps;
    // one loop per rule, the branch outside it (a per-value test of `type` cost more than the update); the
    // arithmetic is the same expression in every loop, so the weights are the same bits as before
    const kernels = fast();
    this.parameters.forEach((p, index) => {
      const w = p.value.data, g = p.grad.data, decay = p.decay ? weightDecay : 0, n = w.length;
      const [a, b] = this.state[index];
      if (kernels?.optimizerStep(type, w, g, a ?? null, b ?? null,
        { learningRate: lr, decay, momentum, beta1, beta2, correction1, correction2, epsilon }, true, p.value.shape[0])) {
        return; // done in WebAssembly, the same arithmetic, g zeroed in the same pass
      }
      // without weight decay g' = g: no 0·w term (the WebAssembly update skips it too; it only mattered for an infinite w)
      const grad = (i: number) => (decay === 0 ? g[i] : g[i] + decay * w[i]);
      if (type === 'sgd') {
        for (let i = 0; i < n; i++) w[i] -= lr * grad(i);
      } else if (type === 'momentum') {
        for (let i = 0; i < n; i++) { a[i] = momentum * a[i] - lr * grad(i); w[i] += a[i]; }
      } else {
        for (let i = 0; i < n; i++) {
          const gi = grad(i);
          a[i] = beta1 * a[i] + (1 - beta1) * gi;
          b[i] = beta2 * b[i] + (1 - beta2) * gi * gi;
          w[i] -= (lr * (a[i] / correction1)) / (Math.sqrt(b[i] / correction2) + epsilon);
        }
      }
      g.fill(0);
    });
  }

  zeroGrad(): void { for (const p of this.parameters) p.grad.data.fill(0); }

  /** The moments and step count (copies), to resume training where it stopped. */
  exportState(): OptimizerState { return { steps: this.steps, slots: this.state.map((slots) => slots.map((slot) => slot.slice())) }; }

  /** Continue from an exported state of an optimizer of the same type over the same parameters. */
  importState(state: OptimizerState): void {
    const ok = Number.isInteger(state.steps) && state.steps >= 0 && state.slots.length === this.state.length &&
      state.slots.every((slots, i) => slots.length === this.state[i].length && slots.every((slot, j) => slot.length === this.state[i][j].length));
    if (!ok) throw new RangeError(`optimizer: the saved state does not fit this ${this.options.type} optimizer and its ${this.parameters.length} parameters`);
    this.steps = state.steps;
    state.slots.forEach((slots, i) => slots.forEach((slot, j) => this.state[i][j].set(slot)));
  }
}
