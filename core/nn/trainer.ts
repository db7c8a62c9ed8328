// core/nn/trainer.ts: mini-batch training with seeded shuffles, validation, early stopping, callbacks.
//   loss 'crossEntropy': mean over the batch of −log p[target]; with a softmax last layer the gradient
//     enters at the logits as (p − onehot)/N (the fused rule), so softmax's own backward is skipped.
//   loss 'mse': mean over classes and samples of (ŷ − onehot)², gradient 2(ŷ − t)/(N·C).
import { seeded, type Random } from '../random.js';
import { sizeOf } from '../tensor.js';
import { type Dataset, count, subset } from '../data/dataset.js';
import { Sequential } from './model.js';
import { Optimizer, type OptimizerOptions } from './optimizers.js';
import { SoftmaxLayer } from './layers.js';
import { predictions, accuracy, confusionMatrix } from './metrics.js';
import { logSumExp } from '../ops/softmax.js';
import type { GradientHelper } from '../parallel/gradients.js';

export type LossName = 'crossEntropy' | 'mse';

export interface EpochRecord { epoch: number; loss: number; accuracy: number; valLoss: number | null; valAccuracy: number | null }
export interface BatchInfo { epoch: number; batch: number; batches: number; loss: number; accuracy: number; samples: number }

export interface FitOptions {
  epochs: number;
  batchSize?: number;
  optimizer?: OptimizerOptions;
  loss?: LossName;
  /** Seed for shuffles, dropout and augmentation (default 1). */
  seed?: number;
  /** Learning-rate schedule over the epochs (default constant). */
  schedule?: 'constant' | 'cosine';
  /** Fraction of the training data held out (seeded) for validation. */
  validationSplit?: number;
  validationData?: Dataset;
  /** Stop when the validation loss (or training loss) has not improved for `patience` epochs; restore the best weights. */
  earlyStopping?: { patience: number; minDelta?: number };
  /** Random affine distortions of image samples [C,H,W]: shift (pixels), rotate (degrees), scale (fraction). */
  augment?: Augmentation;
  onBatch?: (info: BatchInfo) => void;
  onEpoch?: (record: EpochRecord, history: EpochRecord[]) => void;
  /** Called after each batch's backward pass, before the update (the gradient buffers hold the batch's gradient). */
  onGradients?: (model: Sequential) => void;
  /** Polled after each batch: true stops training cleanly. */
  shouldStop?: () => boolean;
  /** A second thread for the second half of every batch (core/parallel); the results are the same without it. */
  helper?: GradientHelper;
}

export interface FitResult {
  history: EpochRecord[];
  stopped: 'completed' | 'early' | 'cancelled';
  bestEpoch: number;
  samplesPerSecond: number;
}

export class TrainingDivergedError extends Error {
  constructor(readonly epoch: number, readonly batch: number, readonly loss: number) {
    super(`training diverged at epoch ${epoch}, batch ${batch}: the loss became ${loss} (try a smaller learning rate)`);
    this.name = 'TrainingDivergedError';
  }
}

/** Train `model` on `train`; returns the per-epoch history (the weights are updated in place). */
export function fit(model: Sequential, train: Dataset, options: FitOptions): FitResult {
  const steps = trainSteps(model, train, options);
  let stop = false;
  for (;;) {
    const next = steps.next(stop);
    if (next.done) return next.value;
    if (next.value.kind === 'batch') { options.onBatch?.(next.value.info); stop = options.shouldStop?.() ?? false; }
    else options.onEpoch?.(next.value.record, next.value.history);
  }
}

export type TrainingEvent = { kind: 'batch'; info: BatchInfo } | { kind: 'epoch'; record: EpochRecord; history: EpochRecord[] };

/** fit() one batch at a time: yields after every batch and epoch; `next(true)` stops cleanly after the current batch.
 *  The browser's training worker drives this so it can pause, report and stop between batches. */
export function* trainSteps(model: Sequential, train: Dataset, options: FitOptions): Generator<TrainingEvent, FitResult, boolean | undefined> {
  const { epochs, batchSize = 32, loss = 'crossEntropy', seed = 1, schedule = 'constant' } = options;
  const optimizerOptions = options.optimizer ?? { type: 'momentum', learningRate: 0.01, momentum: 0.9 };
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`fit: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`fit: batchSize must be a positive integer, got ${batchSize}`);
  if (loss !== 'crossEntropy' && loss !== 'mse') throw new TypeError(`fit: loss must be 'crossEntropy' or 'mse', got '${loss}'`);
  checkData('fit', model, train);
  const random = seeded(seed);
  let trainSet = train, validation = options.validationData;
  if (options.validationSplit !== undefined) {
    const fraction = options.validationSplit;
    if (!(fraction > 0 && fraction < 1)) throw new RangeError(`fit: validationSplit must be in (0, 1), got ${fraction}`);
    const order = random.shuffle(Array.from({ length: count(train) }, (_, i) => i));
    const held = Math.round(order.length * fraction);
    validation = subset(train, order.slice(order.length - held));
    trainSet = subset(train, order.slice(0, order.length - held));
  }
  if (validation) checkData('fit', model, validation);

  const optimizer = new Optimizer(optimizerOptions, model.params());
  optimizer.zeroGrad();
  const params = model.params(), firstHalf = params.map((p) => new Float32Array(p.value.size));
  const dropout = model.layers.some((layer) => layer.config.type === 'dropout');
  const helper = options.helper;
  if (helper && (helper.model.parameterCount !== model.parameterCount || helper.maxCount < Math.floor(batchSize / 2))) {
    throw new RangeError(`fit: the helper was set up for another model or for half batches of ${helper.maxCount} (batch ${batchSize})`);
  }
  const size = sizeOf(model.inputShape), classes = model.classes, n = count(trainSet);
  const batches = Math.ceil(n / batchSize);
  const batchInputs = new Float32Array(batchSize * size), batchLabels = new Int32Array(batchSize);
  const augment = options.augment && model.inputShape.length === 3 ? options.augment : null;
  const rawInputs = augment ? new Float32Array(batchSize * size) : batchInputs, warpParams = new Float64Array(4 * batchSize);
  const dOut = new Float32Array(batchSize * classes);
  const order = Array.from({ length: n }, (_, i) => i);
  const history: EpochRecord[] = [];
  let best = { value: Infinity, epoch: 0, weights: snapshot(model) }, waited = 0;
  let stopped: FitResult['stopped'] = 'completed';
  let trained = 0, trainingTime = 0;

  training: for (let epoch = 1; epoch <= epochs; epoch++) {
    if (schedule === 'cosine') optimizer.learningRate = optimizerOptions.learningRate * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / epochs));
    random.shuffle(order);
    let lossSum = 0, right = 0, seen = 0;
    for (let b = 0; b < batches; b++) {
      const started = performance.now();
      const m = Math.min(batchSize, n - b * batchSize);
      // gather the batch; with augmentation, draw every sample's distortion here (one generator, one order)
      // and warp each half on the thread that computes it
      const source = augment ? rawInputs : batchInputs;
      for (let i = 0; i < m; i++) {
        const sample = order[b * batchSize + i];
        batchLabels[i] = trainSet.labels[sample];
        source.set(trainSet.inputs.subarray(sample * size, (sample + 1) * size), i * size);
        if (augment) drawDistortion(warpParams, i, augment, random);
      }
      // the gradient of the batch is the sum of its halves' gradients, each from zero (see core/parallel/gradients.ts)
      const half = Math.ceil(m / 2), rest = m - half;
      const seeds = dropout ? [randomSeed(random), randomSeed(random)] : [null, null];
      const shardRandom = (i: number) => (seeds[i] === null ? random : seeded(seeds[i]!));
      if (rest > 0 && helper) {
        helper.start(source.subarray(half * size, m * size), batchLabels.subarray(half, m), rest, m, loss, seeds[1],
          augment ? warpParams.subarray(4 * half, 4 * m) : null);
      }
      if (augment) {
        const upTo = helper ? half : m;
        warpSamples(batchInputs, rawInputs, warpParams, upTo, model.inputShape);
      }
      optimizer.zeroGrad();
      const first = shardStep(model, batchInputs.subarray(0, half * size), batchLabels.subarray(0, half), half, m, loss, dOut, shardRandom(0));
      let second = { lossSum: 0, right: 0 };
      if (rest > 0 && helper) second = helper.finish();
      else if (rest > 0) {
        params.forEach((p, i) => firstHalf[i].set(p.grad.data));
        optimizer.zeroGrad();
        second = shardStep(model, batchInputs.subarray(half * size, m * size), batchLabels.subarray(half, m), rest, m, loss, dOut, shardRandom(1));
        params.forEach((p, i) => { const g = p.grad.data, h = firstHalf[i]; for (let k = 0; k < g.length; k++) g[k] += h[k]; });
      }
      const step = { loss: (first.lossSum + second.lossSum) / m, right: first.right + second.right };
      if (!Number.isFinite(step.loss)) throw new TrainingDivergedError(epoch, b + 1, step.loss);
      options.onGradients?.(model);
      optimizer.step();
      trainingTime += performance.now() - started;
      trained += m;
      lossSum += step.loss * m; right += step.right; seen += m;
      const stop = yield { kind: 'batch', info: { epoch, batch: b + 1, batches, loss: step.loss, accuracy: step.right / m, samples: trained } };
      if (stop) { stopped = 'cancelled'; break training; }
    }
    const record: EpochRecord = { epoch, loss: lossSum / seen, accuracy: right / seen, valLoss: null, valAccuracy: null };
    if (validation) {
      const result = evaluate(model, validation, loss);
      record.valLoss = result.loss; record.valAccuracy = result.accuracy;
    }
    history.push(record);
    yield { kind: 'epoch', record, history };
    const monitored = record.valLoss ?? record.loss;
    if (monitored < best.value - (options.earlyStopping?.minDelta ?? 0)) {
      best = { value: monitored, epoch, weights: options.earlyStopping ? snapshot(model) : best.weights };
      waited = 0;
    } else if (options.earlyStopping && ++waited >= options.earlyStopping.patience) {
      stopped = 'early';
      break;
    }
  }
  if (options.earlyStopping && best.epoch > 0) restore(model, best.weights);
  return { history, stopped, bestEpoch: best.epoch, samplesPerSecond: trained / Math.max(trainingTime / 1000, 1e-9) };
}

/** Mean loss and accuracy of the model on a data set, with predictions and the confusion matrix. */
export function evaluate(model: Sequential, data: Dataset, loss: LossName = 'crossEntropy') {
  checkData('evaluate', model, data);
  const size = sizeOf(model.inputShape), classes = model.classes, n = count(data), chunk = 256;
  const outputs = new Float32Array(n * classes);
  const dOut = new Float32Array(chunk * classes);
  let lossSum = 0;
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const output = model.forwardBatch(data.inputs.subarray(start * size, (start + m) * size), m, false, null);
    outputs.set(output.subarray(0, m * classes), start * classes);
    lossSum += lossAndGradient(model, output, data.labels.subarray(start, start + m), m, loss, dOut).loss * m;
  }
  const predicted = predictions(outputs, classes);
  return { loss: lossSum / n, accuracy: accuracy(predicted, data.labels), predicted, outputs, confusion: confusionMatrix(predicted, data.labels, classes) };
}

/** The forward and backward pass of `count` samples whose loss is a share of a batch of `divisor`: parameter
 *  gradients accumulate the share's part of the batch mean. Returns the share's loss sum and right answers. */
export function shardStep(model: Sequential, inputs: Float32Array, labels: Int32Array, count: number, divisor: number,
  loss: LossName, dOut: Float32Array, random: Random | null): { lossSum: number; right: number } {
  const output = model.forwardBatch(inputs, count, true, random);
  const step = lossAndGradient(model, output, labels, count, loss, dOut, divisor);
  if (Number.isFinite(step.loss)) model.backwardBatch(dOut.subarray(0, count * model.classes), count, step.from);
  return { lossSum: step.loss * count, right: step.right };
}

/** A seed for a half batch's own generator (dropout masks), drawn from the trainer's generator. */
function randomSeed(random: Random): number { return Math.floor(random.next() * 0x100000000); }

/** Mean loss over the m samples and its gradient at the output, scaled for a batch of `divisor` (default m). */
function lossAndGradient(model: Sequential, output: Float32Array, labels: Int32Array, m: number, loss: LossName, dOut: Float32Array, divisor = m) {
  const classes = model.classes, last = model.layers.length - 1;
  let total = 0, right = 0;
  if (loss === 'crossEntropy') {
    const softmaxLast = model.layers[last] instanceof SoftmaxLayer;
    const logits = softmaxLast ? (model.layers[last] as SoftmaxLayer).logits : output;
    for (let i = 0; i < m; i++) {
      const start = i * classes, target = labels[i];
      const lse = logSumExp(logits, start, start + classes);
      total += lse - logits[start + target];
      let best = 0;
      for (let c = 0; c < classes; c++) {
        dOut[start + c] = Math.exp(logits[start + c] - lse) / divisor;
        if (logits[start + c] > logits[start + best]) best = c;
      }
      dOut[start + target] -= 1 / divisor;
      if (best === target) right++;
    }
    return { loss: total / m, right, from: softmaxLast ? last - 1 : last };
  }
  const scale = 2 / (divisor * classes);
  for (let i = 0; i < m; i++) {
    const start = i * classes;
    let best = 0;
    for (let c = 0; c < classes; c++) {
      const diff = output[start + c] - (c === labels[i] ? 1 : 0);
      total += diff * diff;
      dOut[start + c] = scale * diff;
      if (output[start + c] > output[start + best]) best = c;
    }
    if (best === labels[i]) right++;
  }
  return { loss: total / (m * classes), right, from: last };
}

export interface Augmentation { shift?: number; rotate?: number; scale?: number }

/** Draw one sample's distortion: [cos θ / zoom, sin θ / zoom, dy, dx] into params at 4·index. */
function drawDistortion(params: Float64Array, index: number, augment: Augmentation, random: Random): void {
  const { shift = 0, rotate = 0, scale = 0 } = augment;
  const angle = (random.uniform(-rotate, rotate) * Math.PI) / 180;
  const zoom = 1 + random.uniform(-scale, scale);
  const dy = random.uniform(-shift, shift), dx = random.uniform(-shift, shift);
  params[4 * index] = Math.cos(angle) / zoom; params[4 * index + 1] = Math.sin(angle) / zoom;
  params[4 * index + 2] = dy; params[4 * index + 3] = dx;
}

/** `count` samples [C,H,W] from `source` distorted by their drawn parameters into `target` (same layout).
 *  Only +, ×, floor: the same bits on any thread. */
export function warpSamples(target: Float32Array, source: Float32Array, params: Float64Array, count: number, shape: number[]): void {
  const size = shape[0] * shape[1] * shape[2];
  for (let n = 0; n < count; n++) {
    warpInto(target, n * size, source.subarray(n * size, (n + 1) * size), shape,
      params[4 * n], params[4 * n + 1], params[4 * n + 2], params[4 * n + 3]);
  }
}

/** The sample under a rotation, scale and shift about its centre, bilinear, zero outside. */
function warpInto(target: Float32Array, offset: number, source: Float32Array, shape: number[], cos: number, sin: number, dy: number, dx: number): void {
  const [C, H, W] = shape;
  // inverse map: output (y, x) reads source at R⁻¹(p − centre − d)/zoom + centre
  const cy = (H - 1) / 2, cx = (W - 1) / 2;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const py = y - cy - dy, px = x - cx - dx;
    const sy = cos * py - sin * px + cy, sx = sin * py + cos * px + cx;
    const y0 = Math.floor(sy), x0 = Math.floor(sx), fy = sy - y0, fx = sx - x0;
    // the four neighbours, 0 outside the map (written out: a closure per pixel costs more than the maths)
    const top = y0 >= 0 && y0 < H, bottom = y0 + 1 >= 0 && y0 + 1 < H, left = x0 >= 0 && x0 < W, right = x0 + 1 >= 0 && x0 + 1 < W;
    const at = y0 * W + x0;
    for (let c = 0; c < C; c++) {
      const p = c * H * W + at;
      const v00 = top && left ? source[p] : 0, v01 = top && right ? source[p + 1] : 0;
      const v10 = bottom && left ? source[p + W] : 0, v11 = bottom && right ? source[p + W + 1] : 0;
      target[offset + c * H * W + y * W + x] = (1 - fy) * ((1 - fx) * v00 + fx * v01) + fy * ((1 - fx) * v10 + fx * v11);
    }
  }
}

function snapshot(model: Sequential): Float32Array[] { return model.params().map((p) => p.value.data.slice()); }
function restore(model: Sequential, weights: Float32Array[]): void { model.params().forEach((p, i) => p.value.data.set(weights[i])); }

function checkData(op: string, model: Sequential, data: Dataset): void {
  const expected = sizeOf(model.inputShape);
  if (sizeOf(data.sampleShape) !== expected) {
    throw new RangeError(`${op}: the model takes samples of [${model.inputShape.join(',')}] but the data has [${data.sampleShape.join(',')}]`);
  }
  if (data.classes !== model.classes) throw new RangeError(`${op}: the model has ${model.classes} outputs but the data has ${data.classes} classes`);
  if (data.inputs.length !== count(data) * expected) throw new RangeError(`${op}: data holds ${data.inputs.length} values, expected ${count(data)}×${expected}`);
}

/** One forward and backward pass without an update: the mean loss, with every parameter's grad set (not accumulated). */
export function computeGradients(model: Sequential, inputs: Float32Array, labels: Int32Array, loss: LossName = 'crossEntropy'): number {
  const m = labels.length;
  for (const p of model.params()) p.grad.data.fill(0);
  const output = model.forwardBatch(inputs, m, false, null);
  const dOut = new Float32Array(m * model.classes);
  const step = lossAndGradient(model, output, labels, m, loss, dOut);
  model.backwardBatch(dOut, m, step.from);
  return step.loss;
}
