// core/nn/trainer.ts: mini-batch training with seeded shuffles, validation, early stopping, callbacks.
//   loss 'crossEntropy': mean over the batch of −log p[target]; with a softmax last layer the gradient
//     enters at the logits as (p − onehot)/N (the fused rule), so softmax's own backward is skipped.
//   loss 'mse': mean over classes and samples of (ŷ − onehot)², gradient 2(ŷ − t)/(N·C).
import { seeded, type Random } from '../random.js';
export { warpSamples, type Augmentation } from '../data/augment.js';
export { shardStep, LocalShardRunner, type Shard, type ShardRunner } from './shards.js';
import { sizeOf } from '../tensor.js';
import { type AnyDataset, count, subset, copySample, sampleRange, isByteDataset, storedValues } from '../data/dataset.js';
import { Sequential, modelFingerprint } from './model.js';
import { usesBatchStatistics, computesSamplesApart } from './layers.js';
import { Optimizer, type OptimizerOptions, type OptimizerState } from './optimizers.js';
import { predictions, accuracy, confusionMatrix } from './metrics.js';
import { type LossName, type ShardRunner, LocalShardRunner, splitBatchStep, lossAndGradient, chunkCount } from './shards.js';
import { fast, residentArray } from '../kernels/select.js';
import { type Augmentation, drawDistortion, warpSamples } from '../data/augment.js';

export type { LossName } from './shards.js';

export interface EpochRecord { epoch: number; loss: number; accuracy: number; valLoss: number | null; valAccuracy: number | null }
/** How long an epoch took (Keras's "… s, … µs/sample"): its batches (forward, backward, update) and its validation,
 *  not the time the caller spent between batches. Apart from the history, which stays the same bits for one seed. */
export interface EpochTiming { seconds: number; samples: number; microsecondsPerSample: number }
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
  validationData?: AnyDataset;
  /** Stop when the validation loss (or training loss) has not improved for `patience` epochs; restore the best weights. */
  earlyStopping?: { patience: number; minDelta?: number };
  /** Random affine distortions of image samples [C,H,W]: shift (pixels), rotate (degrees), scale (fraction). */
  augment?: Augmentation;
  onBatch?: (info: BatchInfo) => void;
  onEpoch?: (record: EpochRecord, history: EpochRecord[], timing: EpochTiming) => void;
  /** Called after each batch's backward pass, before the update (the gradient buffers hold the batch's gradient). */
  onGradients?: (model: Sequential) => void;
  /** Polled after each batch (runSteps: before every step): true stops training cleanly. */
  shouldStop?: () => boolean;
  /** Runs every batch's chunks, sharing them with a second thread (core/parallel's HalfBatchHelper); the results
   *  are the same without it (the chunks then all run on this thread). */
  helper?: ShardRunner;
  /** Called after every epoch with everything needed to continue from there (the weights are the model's). */
  onState?: (state: TrainingState) => void;
  /** Continue a run from the state `onState` gave after one of its epochs, the model holding that epoch's weights: the
   *  same data, options and seed then give the same weights, bit for bit, as the run never stopped. */
  resume?: TrainingState;
}

/** Where a run stands after an epoch: the generator, the shuffled order, the optimizer, the history and the
 *  divergence and improvement references. */
export interface TrainingState {
  epoch: number;
  random: [number, number, number, number];
  order: number[];
  optimizer: OptimizerState;
  history: EpochRecord[];
  firstLoss: number;
  best: { value: number; epoch: number };
  waited: number;
}

export interface FitResult {
  history: EpochRecord[];
  stopped: 'completed' | 'early' | 'cancelled';
  bestEpoch: number;
  samplesPerSecond: number;
}

/** An epoch whose mean training loss is more than this many times the larger of the first batch's loss and the loss
 *  of a uniform guess has diverged, even when every number is still finite (a learning rate far too large sends the
 *  loss to 1e13 and the accuracy to chance). */
export const DIVERGENCE_FACTOR = 10;

/** A float data set of at most this many bytes (64 MiB: 21,000 digits) trained on one thread without distortions for
 *  two epochs or more is copied into the kernels' memory, and each batch gathered from there (trainSteps). */
export const GATHER_COPY_MAX_BYTES = 64 * 1024 * 1024;

export class TrainingDivergedError extends Error {
  constructor(readonly epoch: number, readonly batch: number, readonly loss: number, firstLoss?: number) {
    super(firstLoss === undefined
      ? `training diverged at epoch ${epoch}, batch ${batch}: the loss became ${loss} (try a smaller learning rate)`
      : `training diverged at epoch ${epoch}: the mean loss rose to ${loss.toPrecision(3)}, more than ${DIVERGENCE_FACTOR}× ` +
        `${firstLoss.toPrecision(3)} (the first batch's loss or a uniform guess's, the larger) (try a smaller learning rate)`);
    this.name = 'TrainingDivergedError';
  }
}

/** Train `model` on `train`; returns the per-epoch history (the weights are updated in place). */
export function fit(model: Sequential, train: AnyDataset, options: FitOptions): FitResult {
  const ran = runSteps(trainSteps(model, train, options), { shouldStop: options.shouldStop, onEvent: (event) => reportEvent(options, event) });
  if (!ran.done) throw new Error('fit: runSteps returned before the end without a slice'); // cannot happen: no sliceMs
  return ran.result;
}

/** The resident block a float data set's samples are copied into for trainSteps's gather, kept per data set (by the
 *  samples' buffer, offset and length, so a new view of the same samples finds it; a new block's first copy costs page
 *  faults, ~3 ms per MB on this machine) and refilled at every fit (~0.07 ms per MB), so samples changed between fits
 *  are seen. */
const gatherCopies = new WeakMap<ArrayBufferLike, { offset: number; length: number; copy: Float32Array }>();
function hasGatherCopy(inputs: Float32Array): boolean {
  const kept = gatherCopies.get(inputs.buffer);
  return kept !== undefined && kept.offset === inputs.byteOffset && kept.length === inputs.length;
}
function gatherCopy(inputs: Float32Array): Float32Array {
  let kept = gatherCopies.get(inputs.buffer);
  if (!hasGatherCopy(inputs)) {
    gatherCopies.set(inputs.buffer, (kept = { offset: inputs.byteOffset, length: inputs.length, copy: residentArray(inputs.length) }));
  }
  kept!.copy.set(inputs);
  return kept!.copy;
}

/** Hand a training event to the options' onBatch or onEpoch. */
export function reportEvent(options: Pick<FitOptions, 'onBatch' | 'onEpoch'>, event: TrainingEvent): void {
  if (event.kind === 'batch') options.onBatch?.(event.info);
  else options.onEpoch?.(event.record, event.history, event.timing);
}

export interface RunStepsOptions<E> {
  /** Return after about this many milliseconds (after the step that crosses it) so the caller can let other work
   *  run and call again; without it, run to the end. */
  sliceMs?: number;
  /** Polled before every step (so also at the start of a slice): true is passed to the generator, which stops
   *  cleanly after the batch it last yielded (trainSteps ignores it at the start and after an epoch). */
  shouldStop?: () => boolean;
  /** Every event, in order. */
  onEvent?: (event: E) => void;
}

/** The one driver of a step generator (trainSteps): fit, the CLI and the training page's worker call it, each with its
 *  own slice and stop flag. Returns `{ done: true, result }` at the end, `{ done: false }` when the slice ran out. */
export function runSteps<E, R>(steps: Generator<E, R, boolean | undefined>, options: RunStepsOptions<E> = {}): { done: true; result: R } | { done: false } {
  const { sliceMs = Infinity, shouldStop, onEvent } = options;
  const started = performance.now();
  do {
    const next = steps.next(shouldStop?.() ?? false);
    if (next.done) return { done: true, result: next.value };
    onEvent?.(next.value);
  } while (performance.now() - started < sliceMs);
  return { done: false };
}

export type TrainingEvent = { kind: 'batch'; info: BatchInfo } | { kind: 'epoch'; record: EpochRecord; history: EpochRecord[]; timing: EpochTiming };

/** How many of `samples` a validationSplit of `fraction` holds out (the rest are trained on): round(samples · fraction),
 *  at least 1 and fewer than all. The one home of the split's size (the training page shows it before a run). */
export function validationCount(samples: number, fraction: number): number {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`fit: validationSplit must be in (0, 1), got ${fraction}`);
  const held = Math.round(samples * fraction);
  if (held < 1 || held >= samples) {
    throw new RangeError(`fit: validationSplit ${fraction} of ${samples} samples leaves ${samples - held} to train and ${held} to validate (each needs at least 1)`);
  }
  return held;
}

/** fit() one batch at a time: yields after every batch and epoch; `next(true)` stops cleanly after the current batch.
 *  The browser's training worker drives this so it can pause, report and stop between batches. */
export function* trainSteps(model: Sequential, train: AnyDataset, options: FitOptions): Generator<TrainingEvent, FitResult, boolean | undefined> {
  const { epochs, batchSize = 32, loss = 'crossEntropy', seed = 1, schedule = 'constant' } = options;
  const optimizerOptions = options.optimizer ?? { type: 'momentum', learningRate: 0.01, momentum: 0.9 };
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`fit: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`fit: batchSize must be a positive integer, got ${batchSize}`);
  if (loss !== 'crossEntropy' && loss !== 'mse') throw new TypeError(`fit: loss must be 'crossEntropy' or 'mse', got '${loss}'`);
  checkFitOptions(options);
  checkData('fit', model, train);
  let random = seeded(seed);
  // the samples trained on, as rows of `train` read in place (with a validation split its first part: not copied)
  let rows: Int32Array | null = null, validation = options.validationData;
  if (options.validationSplit !== undefined) {
    const held = validationCount(count(train), options.validationSplit);
    const order = random.shuffle(Array.from({ length: count(train) }, (_, i) => i));
    validation = subset(train, order.slice(order.length - held));
    rows = Int32Array.from(order.slice(0, order.length - held));
  }
  const trainRows = rows ?? Int32Array.from({ length: count(train) }, (_, i) => i);
  if (validation) checkData('fit', model, validation);

  const optimizer = new Optimizer(optimizerOptions, model.params());
  optimizer.zeroGrad();
  const resume = options.resume;
  if (resume) {
    if (options.earlyStopping) throw new RangeError('fit: resume does not keep early stopping\'s best weights; train without earlyStopping to resume');
    if (!(Number.isInteger(resume.epoch) && resume.epoch >= 1 && resume.epoch < epochs)) throw new RangeError(`fit: the run to resume stopped after epoch ${resume.epoch}; epochs must be more than that (got ${epochs})`);
    if (resume.order.length !== trainRows.length) throw new RangeError(`fit: the run to resume trained on ${resume.order.length} samples, this one on ${trainRows.length}: not the same data`);
    optimizer.importState(resume.optimizer);
    random = seeded(seed, resume.random);
  }
  const dropout = model.layers.some((layer) => layer.config.type === 'dropout');
  // batch statistics are over the whole batch: such a model is never split into halves or across threads
  const whole = usesBatchStatistics(model.configs);
  const helper = options.helper;
  const size = sizeOf(model.inputShape), classes = model.classes, n = trainRows.length;
  // a batch larger than the data is one batch of all of it: buffers are sized by what a batch can really hold
  const largest = Math.min(batchSize, n);
  if (helper && helper.fingerprint !== modelFingerprint(model)) throw new RangeError('fit: the helper was set up for another architecture');
  if (helper && whole) throw new RangeError('fit: a batchNorm layer normalises with the statistics of the whole batch, so this model trains on one thread (no helper)');
  if (helper && helper.maxCount < largest) {
    throw new RangeError(`fit: the helper was set up for batches of ${helper.maxCount} samples, fewer than batch ${largest} needs`);
  }
  // on one thread, a model whose layers compute each sample apart (dense, activations) runs the whole batch in one pass
  // and sums the gradients as the two halves inside each layer (splitBatchStep): the bits of its two chunks, fewer calls
  const together = !helper && !whole && !dropout && computesSamplesApart(model.configs);
  const runner = helper ?? (together ? null : new LocalShardRunner(model, largest));
  const batches = Math.ceil(n / batchSize);
  // resident (kernels/select.ts): a full batch reaches the first dense layer's kernels in place, not copied
  const batchInputs = residentArray(largest * size), batchLabels = new Int32Array(largest);
  const augment = options.augment && model.inputShape.length === 3 ? options.augment : null;
  const rawInputs = augment ? new Float32Array(largest * size) : batchInputs, warpParams = new Float64Array(4 * largest);
  const dOut = new Float32Array(largest * classes);
  // where the runner reads the batch's inputs from, when it lets the trainer gather them there (ShardRunner.inputBuffer)
  const shardInputs = helper?.inputBuffer?.(largest) ?? null;
  // a whole batch on this thread without distortions: the kernels gather it from a copy of the float samples in their
  // memory (copied at every fit, up to GATHER_COPY_MAX_BYTES), where a JavaScript copy of each sample into that shared
  // memory costs about twice a copy between ordinary arrays (kernels/wasm.ts's resident arrays); null: copySample
  // (the copy costs about what gathering every sample once does: a run of one epoch uses it only when it is there already)
  const kernels = fast();
  const gather = !runner && !augment && kernels && !isByteDataset(train) && 4 * storedValues(train) <= GATHER_COPY_MAX_BYTES &&
    (epochs - (resume?.epoch ?? 0) >= 2 || hasGatherCopy(train.inputs)) ? { samples: gatherCopy(train.inputs), rows: residentArray(largest) } : null;
  const gatherRows = gather ? new Int32Array(gather.rows.buffer, gather.rows.byteOffset, largest) : null;
  let firstLoss = resume?.firstLoss ?? NaN; // the reference for DIVERGENCE_FACTOR
  const order = resume ? resume.order.slice() : Array.from({ length: n }, (_, i) => i);
  const history: EpochRecord[] = resume ? resume.history.slice() : [];
  let best = { value: resume?.best.value ?? Infinity, epoch: resume?.best.epoch ?? 0, weights: snapshot(model) }, waited = resume?.waited ?? 0;
  let stopped: FitResult['stopped'] = 'completed';
  let trained = 0, trainingTime = 0;

  training: for (let epoch = (resume?.epoch ?? 0) + 1; epoch <= epochs; epoch++) {
    if (schedule === 'cosine') optimizer.learningRate = optimizerOptions.learningRate * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / epochs));
    random.shuffle(order);
    let lossSum = 0, right = 0, seen = 0, epochTime = 0;
    for (let b = 0; b < batches; b++) {
      const started = performance.now();
      const m = Math.min(batchSize, n - b * batchSize);
      // gather the batch; with augmentation, draw every sample's distortion here (one generator, one order)
      // and warp each chunk on the thread that computes it
      const source = augment ? rawInputs : batchInputs;
      for (let i = 0; i < m; i++) {
        batchLabels[i] = train.labels[trainRows[order[b * batchSize + i]]];
        if (augment) drawDistortion(warpParams, i, augment, random);
      }
      // one generator per chunk (at least two drawn, as for the halves of before)
      const seeds = dropout ? Array.from({ length: Math.max(2, chunkCount(model, m)) }, () => randomSeed(random)) : null;
      let result: { lossSum: number; right: number };
      if (!runner) {
        // the batch's gradient is the sum of its two halves' (nn/shards.ts splitBatchStep), computed in one pass
        const half = Math.ceil(m / 2);
        let gathered = false;
        if (gather) {
          for (let i = 0; i < m; i++) gatherRows![i] = trainRows[order[b * batchSize + i]];
          gathered = kernels!.gatherRows(batchInputs, gather.samples, gather.rows, m, size);
        }
        if (!gathered) for (let i = 0; i < m; i++) copySample(train, trainRows[order[b * batchSize + i]], size, source, i * size);
        if (augment) warpSamples(batchInputs, rawInputs, warpParams, m, model.inputShape);
        const [first, second] = splitBatchStep(model, m * size === batchInputs.length ? batchInputs : batchInputs.subarray(0, m * size),
          batchLabels.subarray(0, m), m, half, loss, dOut);
        result = { lossSum: first.lossSum + second.lossSum, right: first.right + second.right };
      } else {
        // the batch's gradient is the sum of its chunks' gradients, each from zero, in chunk order (nn/shards.ts): the runner
        // computes them (a helper thread claims chunks alongside this one), each warped on the thread that computes it; the
        // samples go straight into the buffer the runner reads (a helper thread's shared inputs)
        const into = shardInputs ?? source;
        for (let i = 0; i < m; i++) copySample(train, trainRows[order[b * batchSize + i]], size, into, i * size);
        // the gradients are zero here: zeroed before the first batch, and optimizer.step() zeroes them after each
        runner.start({ inputs: into.subarray(0, m * size), labels: batchLabels.subarray(0, m), count: m, divisor: m, loss, seeds,
          warp: augment ? warpParams.subarray(0, 4 * m) : null });
        result = runner.finish();
      }
      const step = { loss: result.lossSum / m, right: result.right };
      if (!Number.isFinite(step.loss)) throw new TrainingDivergedError(epoch, b + 1, step.loss);
      if (firstLoss !== firstLoss) firstLoss = Math.max(step.loss, loss === 'mse' ? (classes - 1) / (classes * classes) : Math.log(classes));
      options.onGradients?.(model);
      optimizer.step();
      trainingTime += performance.now() - started;
      epochTime += performance.now() - started;
      trained += m;
      lossSum += step.loss * m; right += step.right; seen += m;
      const stop = yield { kind: 'batch', info: { epoch, batch: b + 1, batches, loss: step.loss, accuracy: step.right / m, samples: trained } };
      if (stop) { stopped = 'cancelled'; break training; }
    }
    const record: EpochRecord = { epoch, loss: lossSum / seen, accuracy: right / seen, valLoss: null, valAccuracy: null };
    const validationStarted = performance.now();
    if (validation) {
      const result = evaluate(model, validation, loss);
      record.valLoss = result.loss; record.valAccuracy = result.accuracy;
    }
    if (record.loss > DIVERGENCE_FACTOR * firstLoss) throw new TrainingDivergedError(epoch, batches, record.loss, firstLoss);
    epochTime += performance.now() - validationStarted;
    history.push(record);
    yield { kind: 'epoch', record, history: history.slice(), timing: { seconds: epochTime / 1000, samples: seen, microsecondsPerSample: (epochTime * 1000) / seen } };
    const monitored = record.valLoss ?? record.loss;
    if (monitored < best.value - (options.earlyStopping?.minDelta ?? 0)) {
      best = { value: monitored, epoch, weights: options.earlyStopping ? snapshot(model) : best.weights };
      waited = 0;
    } else if (options.earlyStopping && ++waited >= options.earlyStopping.patience) {
      stopped = 'early';
    }
    options.onState?.({ epoch, random: random.state(), order: order.slice(), optimizer: optimizer.exportState(), history: history.slice(),
      firstLoss, best: { value: best.value, epoch: best.epoch }, waited });
    if (stopped === 'early') break;
  }
  if (options.earlyStopping && best.epoch > 0) restore(model, best.weights);
  return { history, stopped, bestEpoch: best.epoch, samplesPerSecond: trained / Math.max(trainingTime / 1000, 1e-9) };
}

/** Mean loss and accuracy of the model on a data set, with predictions and the confusion matrix. */
export function evaluate(model: Sequential, data: AnyDataset, loss: LossName = 'crossEntropy') {
  checkData('evaluate', model, data);
  const size = sizeOf(model.inputShape), classes = model.classes, n = count(data), chunk = model.inferenceChunk;
  const outputs = new Float32Array(n * classes);
  const dOut = new Float32Array(chunk * classes);
  // bytes become floats a chunk at a time; a float data set is read in place
  const scratch = isByteDataset(data) ? new Float32Array(chunk * size) : new Float32Array(0);
  let lossSum = 0;
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const output = model.inferBatch(sampleRange(data, start, m, size, scratch), m);
    outputs.set(output.subarray(0, m * classes), start * classes);
    lossSum += lossAndGradient(model, output, data.labels.subarray(start, start + m), m, loss, dOut).loss * m;
  }
  const predicted = predictions(outputs, classes);
  return { loss: lossSum / n, accuracy: accuracy(predicted, data.labels), predicted, outputs, confusion: confusionMatrix(predicted, data.labels, classes) };
}

/** A seed for a batch's chunks' generators (dropout masks, nn/shards.ts chunkRandom), drawn from the trainer's generator. */
function randomSeed(random: Random): number { return Math.floor(random.next() * 0x100000000); }

/** The weights and the state (running statistics) that go with them. */
const kept = (model: Sequential) => [...model.params(), ...model.state()];
function snapshot(model: Sequential): Float32Array[] { return kept(model).map((p) => p.value.data.slice()); }
function restore(model: Sequential, weights: Float32Array[]): void { kept(model).forEach((p, i) => p.value.data.set(weights[i])); }

function checkFitOptions(options: FitOptions): void {
  const { schedule, seed, earlyStopping, augment } = options;
  if (schedule !== undefined && schedule !== 'constant' && schedule !== 'cosine') {
    throw new TypeError(`fit: schedule must be 'constant' or 'cosine', got ${JSON.stringify(schedule)}`);
  }
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) throw new RangeError(`fit: seed must be a finite number, got ${seed}`);
  if (earlyStopping) {
    const { patience, minDelta = 0 } = earlyStopping;
    if (!Number.isInteger(patience) || patience < 1) {
      throw new RangeError(`fit: earlyStopping.patience must be a positive integer (epochs without improvement before stopping), got ${patience}`);
    }
    if (typeof minDelta !== 'number' || !(minDelta >= 0) || !Number.isFinite(minDelta)) throw new RangeError(`fit: earlyStopping.minDelta must be a finite number ≥ 0, got ${minDelta}`);
  }
  if (augment) {
    for (const key of ['shift', 'rotate', 'scale'] as const) {
      const v = augment[key];
      if (v !== undefined && (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))) throw new RangeError(`fit: augment.${key} must be a finite number ≥ 0, got ${v}`);
    }
    if ((augment.scale ?? 0) >= 1) throw new RangeError(`fit: augment.scale must be below 1 (a fraction of the size), got ${augment.scale}`);
  }
}

function checkData(op: string, model: Sequential, data: AnyDataset): void {
  if (count(data) < 1) throw new RangeError(`${op}: the data set is empty (0 samples)`);
  const expected = sizeOf(model.inputShape);
  if (sizeOf(data.sampleShape) !== expected) {
    throw new RangeError(`${op}: the model takes samples of [${model.inputShape.join(',')}] but the data has [${data.sampleShape.join(',')}]`);
  }
  if (data.classes !== model.classes) throw new RangeError(`${op}: the model has ${model.classes} outputs but the data has ${data.classes} classes`);
  if (storedValues(data) !== count(data) * expected) throw new RangeError(`${op}: data holds ${storedValues(data)} values, expected ${count(data)}×${expected}`);
  if (isByteDataset(data) && !(data.divisor > 0 && Number.isFinite(data.divisor))) throw new RangeError(`${op}: a byte data set's divisor must be a positive number, got ${data.divisor}`);
  // one pass over the data before training: a bad label would write into another sample's gradient row, a NaN
  // pixel would be reported as divergence
  const { labels, classes } = data;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(`${op}: sample ${i} has label ${label}, outside 0..${classes - 1} (${classes} classes)`);
    }
  }
  if (isByteDataset(data)) return; // bytes are always finite
  const inputs = data.inputs;
  for (let i = 0; i < inputs.length; i++) {
    const v = inputs[i];
    if (v - v !== 0) throw new RangeError(`${op}: sample ${Math.floor(i / expected)} has a non-finite value (${v}) at position ${i % expected}`);
  }
}

/** One forward and backward pass without an update: the mean loss, with every parameter's grad set (not accumulated). */
export function computeGradients(model: Sequential, inputs: Float32Array, labels: Int32Array, loss: LossName = 'crossEntropy'): number {
  const m = labels.length;
  checkData('computeGradients', model, { inputs, labels, sampleShape: model.inputShape, classes: model.classes });
  for (const p of model.params()) p.grad.data.fill(0);
  const output = model.forwardBatch(inputs, m, false, null);
  const dOut = new Float32Array(m * model.classes);
  const step = lossAndGradient(model, output, labels, m, loss, dOut);
  model.backwardBatch(dOut, m, step.from);
  return step.loss;
}
