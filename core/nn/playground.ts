// core/nn/playground.ts: the 2-D playground's network and training, on convlab's own Sequential and Optimizer.
// The network is   features [F] → (dense h₁ → activation → dropout) … → dense → output
// and the output and its loss depend on the problem:
//   classification (two classes, as TF Playground): one tanh output ŷ, target t = +1 (class 1) or −1 (class 0),
//     loss = mean ½(ŷ − t)²,  ∂loss/∂ŷ = (ŷ − t)/N;  predicted class 1 where ŷ ≥ 0                      (1)
//   multiclass: K outputs through softmax, loss = mean −log p[target], ∂loss/∂z = (p − onehot)/N            (2)
//   regression: one linear output ŷ, target t = the point's value, loss = mean ½(ŷ − t)²                    (3)
// Regularisation on the weights (never the biases), added to the gradient before the optimizer's update:
//   L1: λ·Σ|w| → g += λ·sign(w)        L2: ½λ·Σw² → g += λ·w                                              (4)
// A step is one mini-batch: forward, loss gradient (1)–(3), model.backwardBatch, (4), optimizer.step().
// An epoch visits every training point once in an order shuffled by the run's seeded generator; dropout
// masks come from the same generator, so the same seed and settings give the same run, step for step.
import { seeded, type Random } from '../random.js';
import { fromData } from '../tensor.js';
import type { PlanarPoint } from '../data/planar.js';
import { type FeatureName, featureRows, orderFeatures } from './features.js';
import { type LayerConfig, DenseLayer, SoftmaxLayer } from './layers.js';
import { Sequential } from './model.js';
import { Optimizer, type OptimizerName } from './optimizers.js';
import { runSteps } from './trainer.js';
import { type Initializer, initializers } from './init.js';
import { softmaxCrossEntropyKernel } from '../ops/softmax.js';
import type { ActivationType } from '../ops/activations.js';

export type Problem = 'classification' | 'multiclass' | 'regression';
/** The playground's hidden activations (TF Playground's set): three of the ops' table, or none. */
export type PlaygroundActivation = Exclude<ActivationType, 'leakyRelu'> | 'linear';
export const PLAYGROUND_ACTIVATIONS: readonly PlaygroundActivation[] = ['relu', 'tanh', 'sigmoid', 'linear'];
export type Regularization = 'none' | 'L1' | 'L2';
export const MAX_HIDDEN_LAYERS = 6;
export const MAX_NEURONS = 8;

/** What fixes the network's shape and first weights. */
export interface NetworkSpec {
  features: FeatureName[];
  /** Neurons per hidden layer: 0…6 layers of 1…8. */
  hidden: number[];
  activation: PlaygroundActivation;
  problem: Problem;
  /** Classes of a multiclass problem (2…4); ignored otherwise. */
  classes: number;
  /** Dropout rate after each hidden layer, [0, 1). */
  dropout: number;
  init: Initializer;
  seed: number;
}

/** What may change while a run goes on. */
export interface StepSettings {
  learningRate: number;
  batchSize: number;
  regularization: Regularization;
  regularizationRate: number;
}

/** Where each part of the network sits in the model's layer list. */
export interface NetworkMap {
  /** Model layer index of each hidden layer's dense layer, then the output's dense layer. */
  dense: number[];
  /** Model layer index whose output is each hidden layer's neurons (after the activation, before dropout). */
  neurons: number[];
  /** Outputs of the network: 1, or K for multiclass. */
  outputs: number;
}

/** The layer configs of a network (checked). */
export function playgroundLayers(spec: NetworkSpec): LayerConfig[] {
  checkSpec(spec);
  const layers: LayerConfig[] = [];
  for (const units of spec.hidden) {
    layers.push({ type: 'dense', units });
    if (spec.activation !== 'linear') layers.push({ type: spec.activation });
    if (spec.dropout > 0) layers.push({ type: 'dropout', rate: spec.dropout });
  }
  if (spec.problem === 'multiclass') layers.push({ type: 'dense', units: spec.classes }, { type: 'softmax' });
  else layers.push({ type: 'dense', units: 1 }, ...(spec.problem === 'classification' ? [{ type: 'tanh' } as const] : []));
  return layers;
}

/** The network as a convlab Sequential, its weights drawn from spec.seed. */
export function buildPlaygroundModel(spec: NetworkSpec): Sequential {
  return new Sequential({ inputShape: [orderFeatures(spec.features).length], layers: playgroundLayers(spec), init: spec.init, seed: spec.seed });
}

/** Where the hidden layers and the output sit among the model's layers. */
export function networkMap(model: Sequential): NetworkMap {
  const dense: number[] = [], neurons: number[] = [];
  model.configs.forEach((config, index) => {
    if (config.type === 'dense') { dense.push(index); neurons.push(index); }
    else if (config.type !== 'dropout' && config.type !== 'softmax' && dense.length) neurons[neurons.length - 1] = index;
  });
  neurons.pop(); // the last dense layer is the output
  return { dense, neurons, outputs: model.classes };
}

function checkSpec(spec: NetworkSpec): void {
  orderFeatures(spec.features);
  if (!Array.isArray(spec.hidden) || spec.hidden.length > MAX_HIDDEN_LAYERS || !spec.hidden.every((h) => Number.isInteger(h) && h >= 1 && h <= MAX_NEURONS)) {
    throw new RangeError(`playground: hidden must be 0…${MAX_HIDDEN_LAYERS} layers of 1…${MAX_NEURONS} neurons, got ${JSON.stringify(spec.hidden)}`);
  }
  if (!PLAYGROUND_ACTIVATIONS.includes(spec.activation)) throw new TypeError(`playground: unknown activation '${spec.activation}' (expected ${PLAYGROUND_ACTIVATIONS.join(', ')})`);
  if (!['classification', 'multiclass', 'regression'].includes(spec.problem)) throw new TypeError(`playground: unknown problem '${spec.problem}' (expected classification, multiclass, regression)`);
  if (spec.problem === 'multiclass' && !(Number.isInteger(spec.classes) && spec.classes >= 2 && spec.classes <= 4)) throw new RangeError(`playground: classes must be 2…4, got ${spec.classes}`);
  if (!(spec.dropout >= 0 && spec.dropout < 1)) throw new RangeError(`playground: dropout must be in [0, 1), got ${spec.dropout}`);
  if (!initializers.includes(spec.init)) throw new TypeError(`playground: unknown init '${spec.init}' (expected ${initializers.join(', ')})`);
}

/** Loss (1)–(3) of `m` outputs against the points' labels; with `dOut`, its gradient at the output, divided by `divisor`
 *  (multiclass: at the logits, so the backward pass starts below the softmax). `right`: correctly classified points. */
export function playgroundLoss(model: Sequential, problem: Problem, output: Float32Array, labels: ArrayLike<number>, m: number,
  dOut: Float32Array | null = null, divisor = m): { loss: number; right: number; from: number } {
  const last = model.layers.length - 1;
  let total = 0, right = 0;
  if (problem === 'multiclass') {
    const logits = (model.layers[last] as SoftmaxLayer).logits; // (2): logsumexp(z) − z[target], finite for any logits
    ({ lossSum: total, right } = softmaxCrossEntropyKernel(dOut, logits, labels, m, model.classes, divisor));
    return { loss: total / m, right, from: last - 1 };
  }
  for (let i = 0; i < m; i++) {
    const target = problem === 'classification' ? (labels[i] === 1 ? 1 : -1) : labels[i];
    const diff = output[i] - target;
    total += 0.5 * diff * diff;
    if (dOut) dOut[i] = diff / divisor;
    if (problem === 'classification' && (output[i] >= 0 ? 1 : 0) === (labels[i] === 1 ? 1 : 0)) right++;
  }
  return { loss: total / m, right, from: last };
}

/** Add the regularisation gradient (4) to every weight's gradient (biases are not regularised). */
export function addRegularization(model: Sequential, kind: Regularization, rate: number): void {
  if (kind === 'none' || rate === 0) return;
  for (const p of model.params()) {
    if (!p.decay) continue;
    const w = p.value.data, g = p.grad.data;
    if (kind === 'L1') for (let i = 0; i < w.length; i++) g[i] += rate * Math.sign(w[i]);
    else for (let i = 0; i < w.length; i++) g[i] += rate * w[i];
  }
}

/** The regularisation penalty λ·Σ|w| or ½λ·Σw² over the weights. */
export function regularizationPenalty(model: Sequential, kind: Regularization, rate: number): number {
  if (kind === 'none' || rate === 0) return 0;
  let sum = 0;
  for (const p of model.params()) if (p.decay) for (const w of p.value.data) sum += kind === 'L1' ? Math.abs(w) : 0.5 * w * w;
  return rate * sum;
}

/** The points as model inputs [N, F] and labels. */
export function pointsAsData(points: readonly PlanarPoint[], features: readonly FeatureName[]) {
  return { inputs: featureRows(points, features), labels: Float32Array.from(points, (p) => p.label), count: points.length };
}

/** The model's outputs for points: [N] (one output) or [N, K] probabilities (multiclass), row-major. */
export function predictPoints(model: Sequential, features: readonly FeatureName[], points: readonly { x: number; y: number }[]): Float32Array {
  if (points.length === 0) return new Float32Array(0);
  return model.predict(fromData(featureRows(points, features), [points.length, orderFeatures(features).length])).data;
}

export interface LossReport { loss: number; accuracy: number | null }

/** A training run: the model, its optimizer, the seeded generator, the data, and where in the epoch it is. */
export class PlaygroundRun {
  readonly model: Sequential;
  readonly map: NetworkMap;
  optimizer: Optimizer;
  readonly random: Random;
  readonly train: ReturnType<typeof pointsAsData>;
  readonly test: ReturnType<typeof pointsAsData>;
  /** Completed epochs and mini-batch steps. */
  epoch = 0;
  steps = 0;
  private order: number[];
  private position = 0;
  private batchInputs = new Float32Array(0);
  private batchLabels = new Float32Array(0);
  private dOut = new Float32Array(0);

  constructor(readonly spec: NetworkSpec, public settings: StepSettings, readonly optimizerName: OptimizerName,
    trainPoints: readonly PlanarPoint[], testPoints: readonly PlanarPoint[]) {
    checkSettings(settings);
    this.model = buildPlaygroundModel(spec);
    this.map = networkMap(this.model);
    this.optimizer = new Optimizer({ type: optimizerName, learningRate: settings.learningRate }, this.model.params());
    // the run's own generator (shuffles, dropout), apart from the one that drew the weights
    this.random = seeded(spec.seed + 0x5eed);
    this.train = pointsAsData(trainPoints, spec.features);
    this.test = pointsAsData(testPoints, spec.features);
    this.order = Array.from({ length: this.train.count }, (_, i) => i);
    this.random.shuffle(this.order);
  }

  /** Change the step settings; the learning rate goes to the optimizer at once. */
  update(settings: StepSettings): void {
    checkSettings(settings);
    this.settings = settings;
    this.optimizer.learningRate = settings.learningRate;
  }

  /** One mini-batch step; returns the batch's mean loss (without the penalty). */
  step(): number {
    const n = this.train.count;
    if (n === 0) return NaN;
    const F = this.model.inputShape[0], outputs = this.map.outputs;
    const m = Math.min(this.settings.batchSize, n - this.position);
    if (this.batchInputs.length < m * F) { this.batchInputs = new Float32Array(m * F); this.batchLabels = new Float32Array(m); this.dOut = new Float32Array(m * outputs); }
    if (this.dOut.length < m * outputs) this.dOut = new Float32Array(m * outputs);
    for (let i = 0; i < m; i++) {
      const sample = this.order[this.position + i];
      this.batchInputs.set(this.train.inputs.subarray(sample * F, (sample + 1) * F), i * F);
      this.batchLabels[i] = this.train.labels[sample];
    }
    this.optimizer.zeroGrad();
    const output = this.model.forwardBatch(this.batchInputs.subarray(0, m * F), m, true, this.random);
    const result = playgroundLoss(this.model, this.spec.problem, output, this.batchLabels, m, this.dOut);
    this.model.backwardBatch(this.dOut.subarray(0, m * outputs), m, result.from);
    addRegularization(this.model, this.settings.regularization, this.settings.regularizationRate);
    this.optimizer.step();
    this.steps++;
    this.position += m;
    if (this.position >= n) { this.position = 0; this.epoch++; this.random.shuffle(this.order); }
    return result.loss;
  }

  /** The rest of the current epoch, one mini-batch step per yield (its loss). */
  *epochSteps(): Generator<number, void, boolean | undefined> {
    const epoch = this.epoch;
    while (this.epoch === epoch && this.train.count > 0) yield this.step();
  }

  /** Steps until the current epoch is complete (TF Playground's "one step"), driven by core's one runSteps as fit, the
   *  CLI and the worker are; the page calls it once per animation frame (one epoch, then one redraw). */
  runEpoch(): void {
    runSteps(this.epochSteps());
  }

  /** Mean loss (without the penalty) and accuracy (classification problems) on the training or test points. */
  evaluate(which: 'train' | 'test'): LossReport {
    const data = this[which];
    if (data.count === 0) return { loss: NaN, accuracy: null };
    const output = this.model.forwardBatch(data.inputs, data.count, false, null);
    const { loss, right } = playgroundLoss(this.model, this.spec.problem, output, data.labels, data.count);
    return { loss, accuracy: this.spec.problem === 'regression' ? null : right / data.count };
  }

  /** ∂(training loss + penalty)/∂(every parameter) over all training points at the current weights, in model.params()
   *  order, without changing the weights or the run (the gradient a full-batch step would use). */
  gradients(): Float32Array[] {
    const params = this.model.params();
    for (const p of params) p.grad.data.fill(0);
    const data = this.train;
    if (data.count > 0) {
      const dOut = new Float32Array(data.count * this.map.outputs);
      const output = this.model.forwardBatch(data.inputs, data.count, false, null);
      const { from } = playgroundLoss(this.model, this.spec.problem, output, data.labels, data.count, dOut);
      this.model.backwardBatch(dOut, data.count, from);
    }
    addRegularization(this.model, this.settings.regularization, this.settings.regularizationRate);
    const copies = params.map((p) => p.grad.data.slice());
    for (const p of params) p.grad.data.fill(0);
    return copies;
  }

  /** The dense layer of hidden layer `layer` (or the output when layer = hidden.length). */
  denseLayer(layer: number): DenseLayer { return this.model.layers[this.map.dense[layer]] as DenseLayer; }
}

function checkSettings(s: StepSettings): void {
  if (!(s.learningRate > 0 && Number.isFinite(s.learningRate))) throw new RangeError(`playground: learningRate must be a positive number, got ${s.learningRate}`);
  if (!(Number.isInteger(s.batchSize) && s.batchSize >= 1)) throw new RangeError(`playground: batchSize must be a positive integer, got ${s.batchSize}`);
  if (!['none', 'L1', 'L2'].includes(s.regularization)) throw new TypeError(`playground: unknown regularization '${s.regularization}' (expected none, L1, L2)`);
  if (!(s.regularizationRate >= 0 && Number.isFinite(s.regularizationRate))) throw new RangeError(`playground: regularizationRate must be ≥ 0, got ${s.regularizationRate}`);
}

/** Every hidden neuron's and the output's values over a grid of points, from one batched forward pass.
 *  inputs: [G, F] feature rows of the grid. Returns neurons[layer][neuron] (G values each) and output [G, outputs]. */
export function evaluateGrid(model: Sequential, map: NetworkMap, inputs: Float32Array, count: number): { neurons: Float32Array[][]; output: Float32Array } {
  const activations = model.activations(fromData(inputs, [count, model.inputShape[0]]));
  const neurons = map.neurons.map((index) => {
    const values = activations[index].data, width = model.layers[index].outputShape[0];
    return Array.from({ length: width }, (_, k) => {
      const column = new Float32Array(count);
      for (let g = 0; g < count; g++) column[g] = values[g * width + k];
      return column;
    });
  });
  return { neurons, output: activations[activations.length - 1].data };
}
