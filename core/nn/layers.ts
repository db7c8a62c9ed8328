// core/nn/layers.ts: layers over the core ops' kernels, working on whole batches of contiguous data.
// A layer keeps what its backward needs from the last forward (input, arg-max, mask) and reuses
// its output buffers while the batch size stays the same, so a training step allocates nothing.
import { type Tensor, formatShape, sizeOf } from '../tensor.js';
import type { Random } from '../random.js';
import type { Padding, Pair } from '../tensor.js';
import { type Conv3dGeometry, conv3dShapeGeometry, conv3dForwardKernel, conv3dForwardFusedKernel, conv3dBackwardKernel, conv3dKeepsColumns } from '../ops/conv3d.js';
import { type MaxPoolGeometry, maxPoolShapeGeometry, maxPoolKernel, scatterArgmax } from '../ops/maxPool.js';
import { readPair, readPadding, describe } from '../check.js';
import { normalizeKernel, normalizeBackwardKernel, DEFAULT_EPS } from '../ops/normalize.js';
import { batchNormGeometry, batchStatistics, updateRunningStatistics, inverseDeviations, batchNormForwardKernel, batchNormBackwardKernel,
  readBatchNormSettings } from '../ops/batchNorm.js';
import { type DenseGeometry, denseForwardKernel, denseBackwardKernel } from '../ops/dense.js';
import { softmaxKernel, softmaxBackwardKernel } from '../ops/softmax.js';
import { type ActivationType, activationKernel, activationBackwardKernel, DEFAULT_ALPHA } from '../ops/activations.js';
import { type Initializer, initialize, initializers } from './init.js';
import { zeros, fromData } from '../tensor.js';
import { residentArray } from '../kernels/select.js';
import { checkUnrolled } from '../limits.js';

/** A trainable tensor and its gradient (summed over the batch). */
export interface Parameter { name: string; value: Tensor; grad: Tensor; decay: boolean }

/** A tensor a layer keeps and updates without a gradient (batchNorm's running statistics); saved with the weights. */
export interface StateTensor { name: string; value: Tensor }

export type LayerConfig =
  | { type: 'conv'; filters: number; kernelSize: Pair; stride?: Pair | null; padding?: Padding | null; init?: Initializer }
  | { type: 'dense'; units: number; init?: Initializer }
  | { type: 'relu' } | { type: 'sigmoid' } | { type: 'tanh' } | { type: 'leakyRelu'; alpha?: number | null }
  | { type: 'maxPool'; size: Pair; stride?: Pair | null }
  | { type: 'normalize'; eps?: number | null }
  /** Per-channel batch normalisation (ops/batchNorm.ts): momentum is the new batch's weight (PyTorch's convention). */
  | { type: 'batchNorm'; momentum?: number | null; eps?: number | null }
  | { type: 'flatten' } | { type: 'dropout'; rate: number } | { type: 'softmax' };

export type LayerType = LayerConfig['type'];

export interface Layer {
  readonly config: LayerConfig;
  /** Per-sample input and output shapes, fixed by build(). */
  inputShape: number[];
  outputShape: number[];
  /** Fix the shapes (and create parameters) for a per-sample input shape. */
  build(inputShape: number[]): void;
  /** Fill the parameters from the seeded generator. */
  initialize(random: Random, fallback: Initializer): void;
  params(): Parameter[];
  /** The layer's non-trainable state (running statistics), in a fixed order; [] for most layers. */
  state(): StateTensor[];
  /** x: [N, ...inputShape] contiguous → [N, ...outputShape]. */
  forward(x: Float32Array, batch: number, training: boolean, random: Random | null): Float32Array;
  /** dOut → dInput (null when the input gradient is not needed); parameter gradients accumulate. With split < batch
   *  (only for layers that computeSamplesApart), the parameter gradients sum the samples [0, split) and [split, batch)
   *  as two halves, each from zero, added in that order: the bits of the batch run as two shards (nn/shards.ts). */
  backward(dOut: Float32Array, batch: number, needInput: boolean, split?: number): Float32Array | null;
}

/** Limits a network must stay within, checked from its configuration before anything is allocated. */
export { MODEL_LIMITS } from '../limits.js';

const layerOptions: Record<LayerType, readonly string[]> = {
  conv: ['filters', 'kernelSize', 'stride', 'padding', 'init'], dense: ['units', 'init'],
  relu: [], sigmoid: [], tanh: [], leakyRelu: ['alpha'], maxPool: ['size', 'stride'], normalize: ['eps'], batchNorm: ['momentum', 'eps'],
  flatten: [], dropout: ['rate'], softmax: [],
};

/** What a layer will be for a per-sample input shape: its output shape, parameter and state shapes (nothing allocated). */
export interface LayerPlan { outputShape: number[]; params: { name: string; shape: number[] }[]; state?: { name: string; shape: number[] }[] }

/** True when a layer's training output for one sample depends on the other samples of the batch (batchNorm's batch
 *  statistics): such a model trains on whole batches, never split into halves or across threads. */
export function usesBatchStatistics(layers: readonly LayerConfig[]): boolean {
  return layers.some((layer) => layer.type === 'batchNorm');
}

/** Layer types whose forward computes each sample's output from that sample alone and draws nothing, and whose backward
 *  can sum a batch's parameter gradients as two halves (the `split` of Layer.backward; only dense has parameters). */
const SAMPLES_APART: ReadonlySet<LayerType> = new Set(['dense', 'relu', 'sigmoid', 'tanh', 'leakyRelu', 'flatten', 'softmax']);

/** True when every layer is one of SAMPLES_APART: one thread may then run a whole batch through one forward and backward
 *  pass, split only where the gradients are summed, and get the bits of the batch's two shards (nn/trainer.ts). */
export function computesSamplesApart(layers: readonly LayerConfig[]): boolean {
  return layers.every((layer) => SAMPLES_APART.has(layer.type));
}

/** Check a layer config (types, ranges, no unknown options) with the ops' messages; throws TypeError/RangeError. */
export function checkLayerConfig(config: unknown): asserts config is LayerConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new TypeError(`createLayer: a layer config must be an object, got ${describe(config)}`);
  const type = (config as { type: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(layerOptions, type)) {
    throw new TypeError(`createLayer: unknown layer type ${describe(type)} (expected ${Object.keys(layerOptions).join(', ')})`);
  }
  const op = `${type} layer`, c = config as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (key !== 'type' && !layerOptions[type as LayerType].includes(key)) {
      throw new TypeError(`${op}: unknown option '${key}' (expected ${layerOptions[type as LayerType].join(', ') || 'none'})`);
    }
  }
  const positiveInteger = (name: string) => {
    const v = c[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new RangeError(`${op}: ${name} must be a positive integer, got ${describe(v)}`);
  };
  if (c.init !== undefined && !initializers.includes(c.init as Initializer)) {
    throw new TypeError(`${op}: init must be one of ${initializers.join(', ')}, got ${describe(c.init)}`);
  }
  switch (type as LayerType) {
    case 'conv':
      positiveInteger('filters');
      if (c.kernelSize === undefined || c.kernelSize === null) throw new TypeError(`${op}: kernelSize is required (an integer or a pair), got ${describe(c.kernelSize)}`);
      readPair(op, 'kernelSize', c.kernelSize as Pair, [1, 1]);
      readPair(op, 'stride', c.stride as Pair | undefined, [1, 1]);
      readPadding(op, c.padding as Padding | undefined, 1, 1, 1, 1, 1, 1);
      break;
    case 'dense': positiveInteger('units'); break;
    case 'maxPool':
      if (c.size === undefined || c.size === null) throw new TypeError(`${op}: size is required (an integer or a pair), got ${describe(c.size)}`);
      readPair(op, 'size', c.size as Pair, [1, 1]);
      readPair(op, 'stride', c.stride as Pair | undefined, [1, 1]);
      break;
    case 'leakyRelu':
      if (c.alpha !== undefined && c.alpha !== null && (typeof c.alpha !== 'number' || !Number.isFinite(c.alpha))) {
        throw new RangeError(`${op}: alpha must be a finite number, got ${describe(c.alpha)}`);
      }
      break;
    case 'normalize':
      if (c.eps !== undefined && c.eps !== null && (typeof c.eps !== 'number' || !Number.isFinite(c.eps) || c.eps < 0)) {
        throw new RangeError(`${op}: eps must be a finite number ≥ 0, got ${describe(c.eps)}`);
      }
      break;
    case 'batchNorm': readBatchNormSettings(op, c.momentum, c.eps); break;
    case 'dropout':
      if (typeof c.rate !== 'number' || !(c.rate >= 0 && c.rate < 1)) throw new RangeError(`${op}: rate must be a number in [0, 1), got ${describe(c.rate)}`);
      break;
  }
}

/** The layer's output and parameter shapes for a per-sample input shape; checks the config first. */
export function planLayer(config: LayerConfig, inputShape: readonly number[]): LayerPlan {
  checkLayerConfig(config);
  const op = `${config.type} layer`;
  const maps = (hint = '') => {
    if (inputShape.length !== 3) throw new RangeError(`${op}: input must be [C,H,W] maps, got ${formatShape(inputShape)}${hint}`);
  };
  switch (config.type) {
    case 'conv': {
      maps(' (add no flatten before a conv)');
      const [kh, kw] = readPair(op, 'kernelSize', config.kernelSize, [1, 1]);
      const kernels = [config.filters, inputShape[0], kh, kw];
      const g = conv3dShapeGeometry(op, inputShape, kernels, config.stride, config.padding);
      checkUnrolled(op, g.channels, kh, kw, g.outHeight, g.outWidth);
      return { outputShape: g.outShape, params: [{ name: 'kernels', shape: kernels }, { name: 'bias', shape: [config.filters] }] };
    }
    case 'dense': {
      const inputs = sizeOf(inputShape);
      return { outputShape: [config.units], params: [{ name: 'weights', shape: [config.units, inputs] }, { name: 'bias', shape: [config.units] }] };
    }
    case 'maxPool': maps(); return { outputShape: maxPoolShapeGeometry(op, inputShape, config.size, config.stride).outShape, params: [] };
    case 'normalize': maps(); return { outputShape: inputShape.slice(), params: [] };
    case 'flatten': return { outputShape: [sizeOf(inputShape)], params: [] };
    case 'batchNorm': {
      const channel = [inputShape[0]]; // maps [C,H,W]: per channel; vectors [F]: per feature
      return { outputShape: inputShape.slice(), params: [{ name: 'gamma', shape: channel }, { name: 'beta', shape: channel }],
        state: [{ name: 'runningMean', shape: channel }, { name: 'runningVar', shape: channel }] };
    }
    case 'softmax':
      if (inputShape.length !== 1) throw new RangeError(`softmax layer: input must be a vector of logits, got ${formatShape(inputShape)} (add a flatten/dense first)`);
      return { outputShape: inputShape.slice(), params: [] };
    default: return { outputShape: inputShape.slice(), params: [] };
  }
}

/** Grow-on-demand buffers, one per name: a call gets the first `size` values of the largest buffer asked for so far
 *  (a view), so alternating batch sizes (a last, smaller chunk of every predict) allocate nothing after the first. */
class Buffers {
  private store = new Map<string, Float32Array>();
  /** resident: a buffer the WebAssembly kernels read and write in place (residentArray), for the layers whose kernels
   *  take them (dense, relu, conv, maxPool): a call at the buffer's full size then copies nothing in or out. */
  get(name: string, size: number, clear = false, resident = false): Float32Array {
    const buffer = this.store.get(name);
    if (!buffer || buffer.length < size) {
      const fresh = resident ? residentArray(size) : new Float32Array(size);
      this.store.set(name, fresh);
      return fresh;
    }
    const view = buffer.length === size ? buffer : buffer.subarray(0, size);
    if (clear) view.fill(0);
    return view;
  }
}

/** A parameter or gradient tensor of zeros the kernels read and write in place (kernels/wasm.ts's resident arrays): a
 *  training step then copies none of them in or out. */
function residentZeros(shape: number[]): Tensor {
  return fromData(residentArray(sizeOf(shape)), shape);
}

abstract class BaseLayer implements Layer {
  inputShape: number[] = [];
  outputShape: number[] = [];
  protected buffers = new Buffers();
  protected input: Float32Array = new Float32Array(0);
  constructor(readonly config: LayerConfig) {}
  build(inputShape: number[]): void {
    const plan = planLayer(this.config, inputShape);
    this.inputShape = inputShape.slice();
    this.outputShape = plan.outputShape;
    this.allocate(plan);
  }
  /** Create the parameters and fix the geometry from the (checked) plan. */
  protected allocate(_plan: LayerPlan): void {}
  initialize(_random: Random, _fallback: Initializer): void {}
  params(): Parameter[] { return []; }
  state(): StateTensor[] { return []; }
  abstract forward(x: Float32Array, batch: number, training: boolean, random: Random | null): Float32Array;
  abstract backward(dOut: Float32Array, batch: number, needInput: boolean, split?: number): Float32Array | null;
  protected get inSize() { return sizeOf(this.inputShape); }
  protected get outSize() { return sizeOf(this.outputShape); }
}

export class ConvLayer extends BaseLayer {
  declare readonly config: Extract<LayerConfig, { type: 'conv' }>;
  kernels = zeros([1, 1, 1, 1]);
  bias = zeros([1]);
  private dKernels = zeros([1, 1, 1, 1]);
  private dBias = zeros([1]);
  private geometry!: Conv3dGeometry;
  protected override allocate(plan: LayerPlan): void {
    const [kernelShape] = plan.params.map((p) => p.shape);
    this.kernels = residentZeros(kernelShape);
    this.dKernels = residentZeros(kernelShape);
    this.bias = residentZeros([kernelShape[0]]);
    this.dBias = residentZeros([kernelShape[0]]);
    this.geometry = conv3dShapeGeometry('conv layer', this.inputShape, kernelShape, this.config.stride, this.config.padding);
  }
  override initialize(random: Random, fallback: Initializer): void {
    const [K, C, kh, kw] = this.kernels.shape;
    initialize(this.kernels.data, this.config.init ?? fallback, C * kh * kw, K * kh * kw, random);
    this.bias.data.fill(0);
  }
  override params(): Parameter[] {
    return [{ name: 'kernels', value: this.kernels, grad: this.dKernels, decay: true },
      { name: 'bias', value: this.bias, grad: this.dBias, decay: false }];
  }
  private cols: Float32Array | undefined;
  forward(x: Float32Array, batch: number, training: boolean): Float32Array {
    this.input = x;
    const out = this.buffers.get('out', batch * this.outSize, false, true);
    const g = this.geometry, unrolled = g.channels * g.kernelHeight * g.kernelWidth * g.outHeight * g.outWidth;
    // at training, keep the unrolled input (im2col) for the backward pass instead of unrolling twice
    this.cols = training && conv3dKeepsColumns() ? this.buffers.get('cols', batch * unrolled) : undefined;
    conv3dForwardKernel(out, x, this.kernels.data, this.bias.data, { ...g, batch }, this.cols);
    return out;
  }
  /** Inference only (Sequential.inferBatch): the convolution, its ReLU and (pool) the 2×2 max pool after it in one pass,
   *  into a resident buffer of batch × `outSize` values (the last fused layer's output size); null where the fast kernels
   *  cannot, having written nothing. Keeps nothing for a backward pass. */
  forwardFused(x: Float32Array, batch: number, pool: boolean, outSize: number): Float32Array | null {
    const out = this.buffers.get(pool ? 'pooled' : 'fused', batch * outSize, false, true);
    return conv3dForwardFusedKernel(out, x, this.kernels.data, this.bias.data, { ...this.geometry, batch }, { relu: true, pool }) ? out : null;
  }
  backward(dOut: Float32Array, batch: number, needInput: boolean): Float32Array | null {
    const dInput = needInput ? this.buffers.get('dInput', batch * this.inSize, true, true) : null;
    conv3dBackwardKernel(dInput, this.dKernels.data, this.dBias.data, this.input, this.kernels.data, dOut, { ...this.geometry, batch }, this.cols);
    return dInput;
  }
}

export class DenseLayer extends BaseLayer {
  declare readonly config: Extract<LayerConfig, { type: 'dense' }>;
  weights = zeros([1, 1]);
  bias = zeros([1]);
  private dW = zeros([1, 1]);
  private db = zeros([1]);
  protected override allocate(plan: LayerPlan): void {
    const [units, inputs] = plan.params[0].shape;
    this.weights = residentZeros([units, inputs]); this.dW = residentZeros([units, inputs]);
    this.bias = residentZeros([units]); this.db = residentZeros([units]);
  }
  override initialize(random: Random, fallback: Initializer): void {
    const [out, inputs] = this.weights.shape;
    initialize(this.weights.data, this.config.init ?? fallback, inputs, out, random);
    this.bias.data.fill(0);
  }
  override params(): Parameter[] {
    return [{ name: 'weights', value: this.weights, grad: this.dW, decay: true },
      { name: 'bias', value: this.bias, grad: this.db, decay: false }];
  }
  private geometry(batch: number): DenseGeometry {
    const [outputs, inputs] = this.weights.shape;
    return { batch, inputs, outputs, batched: true, outShape: [batch, outputs] };
  }
  forward(x: Float32Array, batch: number): Float32Array {
    this.input = x;
    const out = this.buffers.get('out', batch * this.outSize, false, true);
    denseForwardKernel(out, x, this.weights.data, this.bias.data, this.geometry(batch));
    return out;
  }
  backward(dOut: Float32Array, batch: number, needInput: boolean, split = batch): Float32Array | null {
    const dInput = needInput ? this.buffers.get('dInput', batch * this.inSize, false, true) : null;
    denseBackwardKernel(dInput, this.dW.data, this.db.data, this.input, this.weights.data, dOut, this.geometry(batch), split);
    return dInput;
  }
}

/** Element-wise activation: the op's forward kernel, and its backward kernel from the kept input and output. */
export class ActivationLayer extends BaseLayer {
  declare readonly config: Extract<LayerConfig, { type: ActivationType }>;
  private output: Float32Array = new Float32Array(0);
  /** leakyRelu's slope (the others ignore it). */
  get alpha(): number { return this.config.type === 'leakyRelu' ? this.config.alpha ?? DEFAULT_ALPHA : DEFAULT_ALPHA; }
  forward(x: Float32Array, batch: number): Float32Array {
    this.input = x;
    const out = this.buffers.get('out', batch * this.outSize, false, this.config.type === 'relu');
    activationKernel(this.config.type, out, x, this.alpha);
    this.output = out;
    return out;
  }
  backward(dOut: Float32Array, batch: number, needInput: boolean): Float32Array | null {
    if (!needInput) return null;
    const dInput = this.buffers.get('dInput', batch * this.inSize, false, this.config.type === 'relu');
    activationBackwardKernel(this.config.type, dInput, this.input, this.output, dOut, this.alpha);
    return dInput;
  }
}

export class MaxPoolLayer extends BaseLayer {
  declare readonly config: Extract<LayerConfig, { type: 'maxPool' }>;
  private geometry!: MaxPoolGeometry;
  private argmax = new Int32Array(0);
  private argmaxStore = new Int32Array(0);
  protected override allocate(): void {
    this.geometry = maxPoolShapeGeometry('maxPool layer', this.inputShape, this.config.size, this.config.stride);
  }
  forward(x: Float32Array, batch: number): Float32Array {
    const out = this.buffers.get('out', batch * this.outSize, false, true);
    if (this.argmaxStore.length < out.length) this.argmaxStore = new Int32Array(out.length);
    this.argmax = this.argmaxStore.length === out.length ? this.argmaxStore : this.argmaxStore.subarray(0, out.length);
    maxPoolKernel(out, this.argmax, x, { ...this.geometry, maps: batch * this.inputShape[0] });
    return out;
  }
  backward(dOut: Float32Array, batch: number, needInput: boolean): Float32Array | null {
    if (!needInput) return null;
    const d = this.buffers.get('dInput', batch * this.inSize, true, true);
    scatterArgmax(d, this.argmax, dOut);
    return d;
  }
}

export class NormalizeLayer extends BaseLayer {
  declare readonly config: Extract<LayerConfig, { type: 'normalize' }>;
  private get mapSize() { return this.inputShape[1] * this.inputShape[2]; }
  forward(x: Float32Array, batch: number): Float32Array {
    this.input = x;
    const out = this.buffers.get('out', batch * this.outSize);
    normalizeKernel(out, x, batch * this.inputShape[0], this.mapSize, this.config.eps ?? DEFAULT_EPS);
    return out;
  }
  backward(dOut: Float32Array, batch: number, needInput: boolean): Float32Array | null {
    if (!needInput) return null;
    const d = this.buffers.get('dInput', batch * this.inSize, true);
    normalizeBackwardKernel(d, this.input, dOut, batch * this.inputShape[0], this.mapSize, this.config.eps ?? DEFAULT_EPS);
    return d;
  }
}

/** Batch normalisation: training uses the batch's statistics and updates the running ones (ops/batchNorm.ts (2));
 *  inference (training = false: evaluation, prediction, the explainer) uses the running statistics. */
export class BatchNormLayer extends BaseLayer {
  declare readonly config: Extract<LayerConfig, { type: 'batchNorm' }>;
  gamma = zeros([1]); beta = zeros([1]);
  runningMean = zeros([1]); runningVar = zeros([1]);
  private dGamma = zeros([1]); private dBeta = zeros([1]);
  /** The statistics of the last forward (batch or running) and its mode, for the backward pass. */
  private mean = new Float64Array(1); private variance = new Float64Array(1); private inverse = new Float64Array(1);
  private training = false;
  protected override allocate(plan: LayerPlan): void {
    const C = plan.params[0].shape[0];
    for (const name of ['gamma', 'beta', 'runningMean', 'runningVar', 'dGamma', 'dBeta'] as const) this[name] = zeros([C]);
    this.mean = new Float64Array(C); this.variance = new Float64Array(C); this.inverse = new Float64Array(C);
    this.initialize();
  }
  /** γ = 1, β = 0, running mean 0 and variance 1 (PyTorch's and Keras's start). */
  override initialize(): void {
    this.gamma.data.fill(1); this.beta.data.fill(0); this.runningMean.data.fill(0); this.runningVar.data.fill(1);
  }
  override params(): Parameter[] {
    return [{ name: 'gamma', value: this.gamma, grad: this.dGamma, decay: false }, { name: 'beta', value: this.beta, grad: this.dBeta, decay: false }];
  }
  override state(): StateTensor[] { return [{ name: 'runningMean', value: this.runningMean }, { name: 'runningVar', value: this.runningVar }]; }
  private get settings() { return readBatchNormSettings('batchNorm layer', this.config.momentum, this.config.eps); }
  forward(x: Float32Array, batch: number, training: boolean): Float32Array {
    this.input = x;
    this.training = training;
    const g = batchNormGeometry(this.inputShape, batch), { momentum, eps } = this.settings;
    if (training) {
      batchStatistics(this.mean, this.variance, x, g);
      updateRunningStatistics(this.runningMean.data, this.runningVar.data, this.mean, this.variance, momentum, g);
    } else { this.mean.set(this.runningMean.data); this.variance.set(this.runningVar.data); }
    inverseDeviations(this.variance, eps, this.inverse);
    const out = this.buffers.get('out', batch * this.outSize);
    batchNormForwardKernel(out, x, g, this.mean, this.inverse, this.gamma.data, this.beta.data);
    return out;
  }
  backward(dOut: Float32Array, batch: number, needInput: boolean): Float32Array | null {
    const dInput = needInput ? this.buffers.get('dInput', batch * this.inSize) : null;
    batchNormBackwardKernel(dInput, this.dGamma.data, this.dBeta.data, this.input, dOut, batchNormGeometry(this.inputShape, batch),
      this.mean, this.inverse, this.gamma.data, this.training);
    return dInput;
  }
}

/** Flatten is a change of shape only: the row-major data is already flat. */
export class FlattenLayer extends BaseLayer {
  forward(x: Float32Array): Float32Array { return x; }
  backward(dOut: Float32Array, _batch: number, needInput: boolean): Float32Array | null { return needInput ? dOut : null; }
}

/** Inverted dropout at training, the rule's one home (DropoutLayer, explain/dropout.ts): mask[i] = 1/(1−rate) with
 *  probability 1−rate, else 0 (float32, drawn in order from `random`: Random.keepMask), and out[i] = x[i]·mask[i], so the
 *  gradient dOut·mask multiplies by the very values the forward did. */
export function dropoutForward(out: Float32Array, x: ArrayLike<number>, mask: Float32Array, rate: number, random: Random): void {
  const keep = 1 - rate;
  random.keepMask(mask, keep, 1 / keep);
  for (let i = 0; i < mask.length; i++) out[i] = x[i] * mask[i];
}

/** Inverted dropout: at training, keep each value with probability 1−rate and scale it by 1/(1−rate). */
export class DropoutLayer extends BaseLayer {
  declare readonly config: Extract<LayerConfig, { type: 'dropout' }>;
  private mask = new Float32Array(0);
  private active = false;
  forward(x: Float32Array, batch: number, training: boolean, random: Random | null): Float32Array {
    this.active = training && this.config.rate > 0;
    if (!this.active) return x;
    if (!random) throw new Error('dropout layer: training needs the seeded generator');
    const out = this.buffers.get('out', batch * this.outSize);
    if (this.mask.length !== out.length) this.mask = new Float32Array(out.length);
    dropoutForward(out, x, this.mask, this.config.rate, random);
    return out;
  }
  backward(dOut: Float32Array, batch: number, needInput: boolean): Float32Array | null {
    if (!needInput) return null;
    if (!this.active) return dOut;
    const d = this.buffers.get('dInput', batch * this.inSize);
    for (let i = 0; i < d.length; i++) d[i] = dOut[i] * this.mask[i];
    return d;
  }
}

export class SoftmaxLayer extends BaseLayer {
  private output: Float32Array = new Float32Array(0);
  forward(x: Float32Array, batch: number): Float32Array {
    this.input = x;
    const out = this.buffers.get('out', batch * this.outSize);
    softmaxKernel(out, x, batch, this.outSize);
    this.output = out;
    return out;
  }
  /** The logits of the last forward (the trainer's fused softmax cross-entropy reads them). */
  get logits(): Float32Array { return this.input; }
  backward(dOut: Float32Array, batch: number, needInput: boolean): Float32Array | null {
    if (!needInput) return null;
    const dInput = this.buffers.get('dInput', batch * this.inSize);
    softmaxBackwardKernel(dInput, this.output, dOut, batch, this.outSize);
    return dInput;
  }
}

/** Where Sequential.inferBatch fuses layers: at a convolution followed by a ReLU, `span` 2, or 3 when a 2×2 max pool with
 *  stride 2 follows the ReLU (ConvLayer.forwardFused); null elsewhere. */
export function fusionAt(layers: readonly Layer[], i: number): { span: number; pool: boolean; outSize: number } | null {
  const conv = layers[i], relu = layers[i + 1];
  if (!(conv instanceof ConvLayer) || relu?.config.type !== 'relu') return null;
  const pool = layers[i + 2];
  if (pool instanceof MaxPoolLayer) {
    const [sh, sw] = readPair('maxPool layer', 'size', pool.config.size, [1, 1]);
    const [th, tw] = readPair('maxPool layer', 'stride', pool.config.stride, [sh, sw]);
    if (sh === 2 && sw === 2 && th === 2 && tw === 2) return { span: 3, pool: true, outSize: sizeOf(pool.outputShape) };
  }
  return { span: 2, pool: false, outSize: sizeOf(relu.outputShape) };
}

/** A layer from its config. */
export function createLayer(config: LayerConfig): Layer {
  checkLayerConfig(config);
  switch (config.type) {
    case 'conv': return new ConvLayer(config);
    case 'dense': return new DenseLayer(config);
    case 'relu': case 'sigmoid': case 'tanh': case 'leakyRelu': return new ActivationLayer(config);
    case 'maxPool': return new MaxPoolLayer(config);
    case 'normalize': return new NormalizeLayer(config);
    case 'batchNorm': return new BatchNormLayer(config);
    case 'flatten': return new FlattenLayer(config);
    case 'dropout': return new DropoutLayer(config);
    case 'softmax': return new SoftmaxLayer(config);
    default: throw new TypeError(`createLayer: unknown layer type '${(config as { type: string }).type}' ` +
      `(expected ${Object.keys(layerOptions).join(', ')})`);
  }
}

