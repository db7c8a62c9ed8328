// core/nn/model.ts: a sequential model — layers in a row, a per-sample input shape, a summary.
import { type Tensor, fromData, formatShape, sizeOf, contiguousData } from '../tensor.js';
import { seeded, type Random } from '../random.js';
import { expectTensor } from '../check.js';
import { checkSampleValues, inferenceChunkFor } from '../limits.js';
import { type Layer, type LayerConfig, type LayerPlan, type Parameter, type StateTensor, createLayer, planLayer, checkLayerConfig, SoftmaxLayer, MODEL_LIMITS,
  ConvLayer, fusionAt } from './layers.js';
import { type Initializer, initializers } from './init.js';
import { DEFAULT_ALPHA } from '../ops/activations.js';

/** Runs forward passes (inference) for Sequential.predict while it computes the rest of a chunk. */
export interface ForwardRunner {
  readonly fingerprint: string;
  readonly maxCount: number;
  startForward(inputs: Float32Array, count: number): void;
  /** Copy the outputs ([count, classes]) into `into` at `offset`. */
  finishForward(into: Float32Array, offset: number): void;
}

/** A model's architecture as one string (input shape and layer configs): equal for equal networks. */
export function modelFingerprint(model: Sequential): string {
  return JSON.stringify({ inputShape: model.inputShape, layers: model.configs });
}

export interface ModelOptions {
  /** Per-sample input shape, e.g. [1, 28, 28] or [4]. */
  inputShape: number[];
  layers: LayerConfig[];
  /** Initialiser for layers that name none (default glorotUniform). */
  init?: Initializer;
  /** Seed for the initial weights (default 1). */
  seed?: number;
}

export class Sequential {
  readonly inputShape: number[];
  readonly layers: Layer[];
  readonly configs: LayerConfig[];
  readonly init: Initializer;
  /** Index of the first layer with parameters (input gradients are not needed before it). */
  private readonly firstTrainable: number;

  constructor({ inputShape, layers, init = 'glorotUniform', seed = 1 }: ModelOptions) {
    if (!initializers.includes(init)) throw new TypeError(`Sequential: init must be one of ${initializers.join(', ')}, got ${JSON.stringify(init)}`);
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new RangeError(`Sequential: seed must be a finite number, got ${JSON.stringify(seed)}`);
    planModel(inputShape, layers); // every config, shape and limit checked before anything is allocated
    this.inputShape = inputShape.slice();
    this.configs = layers.map((c) => ({ ...c }));
    this.init = init;
    this.layers = layers.map(createLayer);
    let shape = this.inputShape;
    this.layers.forEach((layer) => { layer.build(shape); shape = layer.outputShape; });
    this.firstTrainable = this.layers.findIndex((layer) => layer.params().length > 0);
    this.initialize(seeded(seed));
  }

  /** Re-draw every weight from `random` (biases to zero). */
  initialize(random: Random, init: Initializer = this.init): void {
    for (const layer of this.layers) layer.initialize(random, init);
  }

  get outputShape(): number[] { return this.layers[this.layers.length - 1].outputShape; }
  get classes(): number { return sizeOf(this.outputShape); }
  get endsWithSoftmax(): boolean { return this.layers[this.layers.length - 1] instanceof SoftmaxLayer; }

  params(): Parameter[] { return this.layers.flatMap((layer) => layer.params()); }
  /** Every layer's non-trainable state (batchNorm's running statistics), in layer order. */
  state(): StateTensor[] { return this.layers.flatMap((layer) => layer.state()); }
  get parameterCount(): number { return this.params().reduce((total, p) => total + p.value.size, 0); }

  /** How many samples predict and evaluate run through at once (INFERENCE_LIMITS): layer buffers keep their largest
   *  size, so this bounds what inference leaves allocated. */
  get inferenceChunk(): number {
    return this.chunk ??= inferenceChunkFor(trainingBytesPerSample(this.inputShape, this.configs));
  }
  private chunk: number | undefined;

  /** Batch forward on contiguous data [N, ...inputShape]; returns the last layer's buffer (reused). */
  forwardBatch(x: Float32Array, batch: number, training = false, random: Random | null = null): Float32Array {
    let out = x;
    for (const layer of this.layers) out = layer.forward(out, batch, training, random);
    return out;
  }

  /** Inference only (predict, evaluate, the half-batch helper's forward): forwardBatch with training = false, but a
   *  convolution, the ReLU after it and a 2×2 max pool after that run as one pass of the fast kernels (fusionAt), the
   *  same bits as forwardBatch. The fused layers keep nothing for a backward pass: backwardBatch follows forwardBatch only. */
  inferBatch(x: Float32Array, batch: number): Float32Array {
    const layers = this.layers;
    let out = x;
    for (let i = 0; i < layers.length;) {
      const fuse = (this.fusions ??= layers.map((_, at) => fusionAt(layers, at)))[i];
      const fused = fuse ? (layers[i] as ConvLayer).forwardFused(out, batch, fuse.pool, fuse.outSize) : null;
      if (fused) { out = fused; i += fuse!.span; continue; }
      out = layers[i].forward(out, batch, false, null);
      i++;
    }
    return out;
  }
  private fusions: ReturnType<typeof fusionAt>[] | undefined;

  /** Backward from the gradient at the output of layer `from` (default the last); parameter grads accumulate.
   *  Input gradients stop at the first layer with parameters: nothing before it needs one. split: see Layer.backward
   *  (only for a model whose layers computesSamplesApart). */
  backwardBatch(dOut: Float32Array, batch: number, from = this.layers.length - 1, split = batch): void {
    const first = this.firstTrainable;
    let d: Float32Array | null = dOut;
    for (let i = from; i >= 0 && d; i--) d = this.layers[i].backward(d, batch, i > first, split);
  }

  /** Every layer's output for one batch (the explainer draws these). */
  activations(x: Tensor): Tensor[] {
    const batch = this.batchOf(x, 'activations');
    const outputs: Tensor[] = [];
    let out = contiguousData(x);
    for (const layer of this.layers) {
      out = layer.forward(out, batch, false, null);
      outputs.push(fromData(Float32Array.from(out), [batch, ...layer.outputShape]));
    }
    return outputs;
  }

  /** The model's output for one sample ([...inputShape]) or a batch ([N, ...inputShape]). */
  predict(x: Tensor, options: { helper?: ForwardRunner } = {}): Tensor {
    const batch = this.batchOf(x, 'predict');
    const data = contiguousData(x);
    const out = new Float32Array(batch * this.classes);
    const chunk = this.inferenceChunk, sampleSize = sizeOf(this.inputShape);
    const helper = options.helper;
    if (helper && helper.fingerprint !== modelFingerprint(this)) throw new RangeError('predict: the helper was set up for another architecture');
    for (let start = 0; start < batch; start += chunk) {
      const n = Math.min(chunk, batch - start);
      // with a helper thread, it takes the second half of the chunk (every sample's outputs are independent of the others)
      const half = helper ? n - Math.min(Math.floor(n / 2), helper.maxCount) : n;
      if (half < n) helper!.startForward(data.subarray((start + half) * sampleSize, (start + n) * sampleSize), n - half);
      out.set(this.inferBatch(data.subarray(start * sampleSize, (start + half) * sampleSize), half).subarray(0, half * this.classes), start * this.classes);
      if (half < n) helper!.finishForward(out, (start + half) * this.classes);
    }
    const single = x.dimension === this.inputShape.length;
    return fromData(out, single ? this.outputShape.slice() : [batch, ...this.outputShape]);
  }

  /** A Keras-like table: each layer's output shape and parameter count. */
  summary(): string {
    const rows = [['layer', 'output shape', 'params'], ['input', formatShape(this.inputShape), '0']];
    this.layers.forEach((layer, i) => rows.push([`${i} ${describeLayer(layer.config)}`, formatShape(layer.outputShape),
      String(layer.params().reduce((t, p) => t + p.value.size, 0))]));
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const line = (r: string[]) => r.map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
    const rule = '─'.repeat(widths.reduce((a, b) => a + b + 2, -2));
    return [line(rows[0]), rule, ...rows.slice(1).map(line), rule, `total parameters: ${this.parameterCount}`].join('\n');
  }

  private batchOf(x: Tensor, op: string): number {
    expectTensor(op, 'x', x);
    const rank = this.inputShape.length;
    const sample = x.shape.slice(x.dimension - rank);
    if ((x.dimension !== rank && x.dimension !== rank + 1) || sample.some((d, i) => d !== this.inputShape[i])) {
      throw new RangeError(`${op}: the model takes ${formatShape(this.inputShape)} samples (or [N,...] batches), got ${formatShape(x)}`);
    }
    return x.dimension === rank ? 1 : x.shape[0];
  }
}

/**
 * Whether samples of shape `sample` fit a model whose input is `input`: the same shape up to axes of size 1
 * ([28,28] takes [1,28,28] digits: the values lie in the same order), or a vector model ([N]) and samples of N
 * values (fed flattened). The same count in another layout does not fit: a model declaring [2,14,28] is not run
 * on [1,28,28] digits, whose values it would read in the wrong places.
 */
export function inputFits(input: readonly number[], sample: readonly number[]): boolean {
  if (input.length === 1) return input[0] === sizeOf(sample as number[]);
  const a = input.filter((d) => d !== 1), b = sample.filter((d) => d !== 1);
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A network's shapes and parameter count from its description alone (nothing allocated): checks the input shape,
 *  every layer config, the shapes flowing through, and MODEL_LIMITS. Errors name the layer. */
export function planModel(inputShape: unknown, layers: unknown): { layers: LayerPlan[]; outputShape: number[]; parameterCount: number } {
  if (!Array.isArray(inputShape) || inputShape.length < 1 || inputShape.length > 3 ||
    !inputShape.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) {
    throw new RangeError(`Sequential: inputShape must be 1 to 3 positive integers ([features] or [C,H,W]), got ${JSON.stringify(inputShape)}`);
  }
  if (!Array.isArray(layers) || layers.length === 0) throw new RangeError('Sequential: layers must be a non-empty list of layer configs');
  if (layers.length > MODEL_LIMITS.layers) throw new RangeError(`Sequential: ${layers.length} layers, more than the limit of ${MODEL_LIMITS.layers}`);
  const perSample = (shape: number[], where: string) => checkSampleValues(`Sequential: ${where}`, shape);
  perSample(inputShape, 'the input');
  let shape: number[] = inputShape.slice(), parameterCount = 0;
  const plans = layers.map((config: LayerConfig, index: number) => {
    const type = config !== null && typeof config === 'object' ? String((config as { type?: unknown }).type) : 'unknown';
    let plan: LayerPlan;
    try { checkLayerConfig(config); } catch (error) {
      const Kind = error instanceof TypeError ? TypeError : RangeError;
      throw new Kind(`Sequential: layer ${index} (${type}): ${(error as Error).message}`);
    }
    try { plan = planLayer(config, shape); } catch (error) {
      throw new RangeError(`Sequential: layer ${index} (${type}) cannot take input ${formatShape(shape)}: ${(error as Error).message}`);
    }
    perSample(plan.outputShape, `layer ${index} (${type})`);
    for (const p of plan.params) parameterCount += sizeOf(p.shape);
    if (parameterCount > MODEL_LIMITS.parameters) {
      throw new RangeError(`Sequential: ${parameterCount} parameters up to layer ${index} (${type}), more than the limit of ${MODEL_LIMITS.parameters}`);
    }
    shape = plan.outputShape;
    return plan;
  });
  return { layers: plans, outputShape: shape, parameterCount };
}

/** The bytes one sample asks for in training, estimated from the plan (nothing allocated): the input, every layer's
 *  output and its gradient, and each convolution's unrolled input (channels·kh·kw × Ho·Wo) and its gradient, as
 *  float32. The CLI's --batch cap follows it (core/limits.ts maxBatchFor). */
export function trainingBytesPerSample(inputShape: number[], layers: LayerConfig[]): number {
  const plan = planModel(inputShape, layers);
  let values = sizeOf(inputShape);
  for (const layer of plan.layers) {
    values += 2 * sizeOf(layer.outputShape);
    const kernels = layer.params.find((p) => p.name === 'kernels');
    if (kernels) values += 2 * sizeOf(kernels.shape.slice(1)) * sizeOf(layer.outputShape.slice(1));
  }
  return 4 * values;
}

export function describeLayer(config: LayerConfig): string {
  switch (config.type) {
    case 'conv': {
      const k = typeof config.kernelSize === 'number' ? `${config.kernelSize}×${config.kernelSize}` : config.kernelSize.join('×');
      return `conv ${k}×${config.filters}${config.stride && config.stride !== 1 ? ` stride ${config.stride}` : ''}${config.padding && config.padding !== 'valid' ? ` pad ${config.padding}` : ''}`;
    }
    case 'dense': return `dense ${config.units}`;
    case 'maxPool': return `maxPool ${config.size}${config.stride ? `/${config.stride}` : ''}`;
    case 'dropout': return `dropout ${config.rate}`;
    case 'leakyRelu': return `leakyRelu ${config.alpha ?? DEFAULT_ALPHA}`;
    default: return config.type;
  }
}
