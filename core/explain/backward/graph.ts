// core/explain/backward/graph.ts: the Week-3 lab's MLP (dense → σ → dense → σ, MSE) as a computational graph
// for one sample, in the lab's notation, every node's value from the core ops:
//   z1 = W1·x + b1    h = σ(z1)    z2 = W2·h + b2    ŷ = σ(z2)    L = (1/C) Σ_k (ŷ_k − y_k)²          (1)
//   ∂L/∂ŷ = 2(ŷ − y)/C                        ∂L/∂z2 = ∂L/∂ŷ ⊙ ŷ(1 − ŷ)                               (2)
//   ∂L/∂W2 = ∂L/∂z2 · hᵀ   ∂L/∂b2 = ∂L/∂z2    ∂L/∂h = W2ᵀ · ∂L/∂z2                                     (3)
//   ∂L/∂z1 = ∂L/∂h ⊙ h(1 − h)                 ∂L/∂W1 = ∂L/∂z1 · xᵀ   ∂L/∂b1 = ∂L/∂z1                    (4)
//   one SGD step: θ ← θ − lr · ∂L/∂θ                                                                      (5)
// The seed lab writes ∂L/∂ŷ = 2(ŷ − y), the gradient of the sum Σ_k (ŷ_k − y_k)² instead of the mean: every
// gradient is C times larger, the direction is the same, and lr/C with the lab's form gives exactly this step.
import { type Tensor, tensor, contiguousData, formatShape } from '../../tensor.js';
import { expectTensor } from '../../check.js';
import type { Sequential } from '../../nn/model.js';
import { DenseLayer } from '../../nn/layers.js';
import { dense, denseBackward } from '../../ops/dense.js';
import { sigmoid, sigmoidBackward } from '../../ops/activations.js';
import { mse, mseBackward, oneHot } from '../../ops/softmax.js';

export interface GraphLayerWeights { W: number[][]; b: number[] }
export interface MlpGraph {
  x: number[]; label: number; y: number[]; classes: number; learningRate: number;
  /** Forward nodes (1). */
  z1: number[]; h: number[]; z2: number[]; yHat: number[]; loss: number;
  /** Backward nodes (2)–(4). */
  dYHat: number[]; sigma2: number[]; dZ2: number[]; dW2: number[][]; db2: number[]; dH: number[];
  sigma1: number[]; dZ1: number[]; dW1: number[][]; db1: number[];
  /** The seed lab's ∂L/∂ŷ = 2(ŷ − y), C times the mean's. */
  dYHatLab: number[];
  /** The weights before and after one SGD step (5). */
  before: { layer1: GraphLayerWeights; layer2: GraphLayerWeights };
  after: { layer1: GraphLayerWeights; layer2: GraphLayerWeights };
}

const rows = (t: Tensor): number[][] => { const [r, c] = t.shape, d = contiguousData(t); return Array.from({ length: r }, (_, i) => Array.from(d.subarray(i * c, (i + 1) * c))); };
const list = (t: Tensor): number[] => Array.from(contiguousData(t));

/** (1)–(5) for a dense–sigmoid–dense–sigmoid model, one sample x [in] with class `label`, SGD with `learningRate`. */
export function explainMlpGraph(model: Sequential, x: Tensor, label: number, { learningRate = 0.1 } = {}): MlpGraph {
  const op = 'explainMlpGraph';
  const types = model.configs.map((c) => c.type).join(', ');
  const [first, , second] = model.layers;
  if (types !== 'dense, sigmoid, dense, sigmoid' || !(first instanceof DenseLayer) || !(second instanceof DenseLayer)) {
    throw new RangeError(`${op}: the graph needs the lab's network dense, sigmoid, dense, sigmoid, got ${types}`);
  }
  expectTensor(op, 'x', x, [1]);
  if (x.size !== model.inputShape[0]) throw new RangeError(`${op}: the model takes ${model.inputShape[0]} features, got x ${formatShape(x)}`);
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new RangeError(`${op}: learningRate must be a positive number, got ${learningRate}`);
  const W1 = first.weights, b1 = first.bias, W2 = second.weights, b2 = second.bias, C = W2.shape[0];
  if (!(Number.isInteger(label) && label >= 0 && label < C)) throw new RangeError(`${op}: label ${label} is out of range (0..${C - 1})`);
  const y = oneHot(label, C);
  const z1 = dense(x, W1, b1), h = sigmoid(z1), z2 = dense(h, W2, b2), yHat = sigmoid(z2);
  const dYHat = mseBackward(yHat, y);
  const dZ2 = sigmoidBackward(z2, dYHat);
  const second_ = denseBackward(h, W2, dZ2);
  const dZ1 = sigmoidBackward(z1, second_.dInput);
  const first_ = denseBackward(x, W1, dZ1);
  const step = (w: Tensor, g: Tensor) => { const v = contiguousData(w), d = contiguousData(g); return tensor(Array.from(v, (value, i) => Math.fround(value - learningRate * d[i])), w.shape); };
  const hs = list(h), ys = list(yHat);
  return {
    x: list(x), label, y: list(y), classes: C, learningRate,
    z1: list(z1), h: hs, z2: list(z2), yHat: ys, loss: mse(yHat, y),
    dYHat: list(dYHat), sigma2: ys.map((v) => v * (1 - v)), dZ2: list(dZ2), dW2: rows(second_.dW), db2: list(second_.db), dH: list(second_.dInput),
    sigma1: hs.map((v) => v * (1 - v)), dZ1: list(dZ1), dW1: rows(first_.dW), db1: list(first_.db),
    dYHatLab: ys.map((v, k) => 2 * (v - list(y)[k])),
    before: { layer1: { W: rows(W1), b: list(b1) }, layer2: { W: rows(W2), b: list(b2) } },
    after: {
      layer1: { W: rows(step(W1, first_.dW)), b: list(step(b1, first_.db)) },
      layer2: { W: rows(step(W2, second_.dW)), b: list(step(b2, second_.db)) },
    },
  };
}
