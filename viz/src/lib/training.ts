// A training run as plain data (tested in Node): the messages between the page and the training worker,
// the run's state, and receive(state, message), the only place the state changes. The status follows the
// worker's confirmations ('paused', 'resumed', 'stopping', 'done'), never the buttons: a Pause pressed while
// the worker is still setting up is honoured and shown when the worker says so.
import { presets, printShort, type AnyDataset, type PresetName, type OptimizerName, type Initializer, type KernelName, type LayerType, type Augmentation } from '../../../core/index.js';
import { DEFAULT_DISTORTIONS } from '../../../core/data/augment.js';

export interface TrainSettings {
  preset: PresetName; optimizer: OptimizerName; learningRate: number; batchSize: number; init: Initializer;
  epochs: number; seed: number; threads: 1 | 2; kernels: KernelName;
  /** The lab's knobs: the fraction of the training data held out for validation; one rate for every dropout layer
   *  (null: the preset's own rates); random distortions on or off; train on only this many digits (null: all). */
  validationSplit: number; dropout: number | null; augment: boolean; limit: number | null;
}

/** The page's validation fraction when no link sets one (the lab's Keras runs use 0.2). */
export const DEFAULT_VALIDATION_SPLIT = 0.1;
/** The learning curve's training-set sizes (digits given to the trainer, before the validation split). */
export const LEARNING_CURVE = [500, 1000, 2000, 4000, 8000] as const;

/** The presets that train on the digits (input [1,28,28], ten classes), in core's order. */
export function digitPresets(): { name: PresetName; title: string }[] {
  return (Object.keys(presets) as PresetName[])
    .filter((name) => presets[name].inputShape.join() === '1,28,28' && presets[name].layers.some((l) => l.type === 'dense' && l.units === 10))
    .map((name) => ({ name, title: presets[name].title ?? describePreset(name) }));
}
function describePreset(name: PresetName): string {
  const layers = presets[name].layers;
  if (layers.some((l) => l.type === 'conv')) return `${name} (${layers.filter((l) => l.type === 'conv').length} conv layers)`;
  return `${name} (784-${layers.flatMap((l) => (l.type === 'dense' ? [l.units] : [])).join('-')})`;
}

/** The form's first settings: the small CNN with its recipe's optimizer, rate, batch, initialisation and distortions. */
/** The distortions a run draws with augmentation on: the preset recipe's own, else core's defaults (the CLI's
 *  `--augment shift,rotate,scale`); null with it off. The worker trains with these; the page draws them. */
export function augmentationFor(preset: PresetName, on: boolean): Augmentation | null {
  return on ? { ...(presets[preset].recipe.augment ?? DEFAULT_DISTORTIONS) } : null;
}
/** The rates of a preset's dropout layers, in order ([] when it has none). */
export const dropoutRates = (preset: PresetName) => presets[preset].layers.flatMap((l) => (l.type === 'dropout' ? [l.rate] : []));
/** The digit whose feature maps are shown live while training (784 values in [0,1]). */
export interface WatchedDigit { pixels: number[]; title: string }

/** Where a run's data comes from: the bundled digits (digits.bin), the student's own MNIST-style IDX files
 *  (inflated, checked on the page by trainingData.ts; the worker reads them with core's loadIdx again), or the
 *  training and test sets the page made from a folder of pictures or a table (trainingData.ts, core's loaders), with
 *  their class names and the `training.input` record the trained model's file keeps. */
export type TrainData =
  | { kind: 'digits'; bytes: ArrayBuffer }
  | { kind: 'idx'; files: Record<IdxRole, Uint8Array>; names: Record<IdxRole, string> }
  | { kind: 'sets'; table: boolean; train: AnyDataset; test: AnyDataset; classNames: string[]; input: Record<string, unknown> };
export type IdxRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export type TrainRequest =
  | ({ type: 'start'; data: TrainData; watch: WatchedDigit | null } & TrainSettings)
  | { type: 'pause' } | { type: 'resume' } | { type: 'stop' };

export interface BatchItem { epoch: number; batch: number; batches: number; loss: number; accuracy: number; samples: number; norms: number[] }
export interface Snapshot { kernels: { values: Float32Array; height: number; width: number }[]; maps: { values: Float32Array; height: number; width: number }[]; mapsLayer: number; kernelsLayer: number }
export interface Misclassified { index: number; label: number; predicted: number }
/** The class map redrawn while training (train.worker.ts): PCA of a fixed spread of test digits at the last hidden
 *  layer, after `epochs` epochs (fractional: mid-epoch); `purity` is core's neighbourPurity; `ms` what it cost. */
export interface LiveProjection {
  epochs: number; layer: number; dims: number; xy: Float64Array; labels: Int32Array; predicted: Int32Array;
  explained: [number, number]; purity: number; ms: number;
  /** Whether a layer with weights lies at or before the projected one; false (a network without a hidden layer, such
   *  as the linear MLP): the picture is of the flattened pixels, which training does not move. */
  learned: boolean;
}
/** How often the training worker sends the page what a run shows, by the cores training leaves free (`cores` −
 *  `trainingThreads`): the batches' figures every `bundleMs` (each bundle redraws the charts on the page's thread), the
 *  live pictures every `liveMs`, and the class map whenever `projectionShare` of the time since the last picture has
 *  passed, at least `projectionGapMs` apart (the first that long after training starts, or, with `projectionFirstByCost`,
 *  paced by the cost of the picture before training too). The projection worker takes
 *  the first core left free (5 %, 0.5 s apart; with none 2 %, 2 s), the page's drawing a second one (every 250 ms and
 *  1 s; without it 500 ms and 2 s): whatever runs beside training takes its time from a training thread (with two, the
 *  other waits for it at the batch's end), and on this 2-core machine even the core one thread leaves free is not free.
 *  Measured on the training page (cnn, rounds A B A B, load 2.3–3.5): two threads, the class map at 5 % → 2 %: the
 *  trainer's samples/s 15,117 → 16,099 (median of four); then the drawing halved: 16,060 → 16,619 (six; the page's
 *  thread spent 20–60 ms of every 250 ms drawing). One thread, the drawing halved: 11,471 → 11,800 (six; Node 12,579). */
export function livePacing(cores: number, trainingThreads: number): { bundleMs: number; liveMs: number; projectionShare: number; projectionGapMs: number; projectionFirstByCost: boolean } {
  const free = cores - trainingThreads;
  return { ...(free >= 2 ? { bundleMs: 250, liveMs: 1000 } : { bundleMs: 500, liveMs: 2000 }),
    ...(free >= 1 ? { projectionShare: 0.05, projectionGapMs: 500, projectionFirstByCost: false } : { projectionShare: 0.02, projectionGapMs: 2000, projectionFirstByCost: true }) };
}

export type DoneMessage = {
  type: 'done'; stopped: 'completed' | 'early' | 'cancelled'; testAccuracy: number; confusion: number[][];
  /** Every misclassified test digit: index into the 2,000 test digits (digits.bin after the 8,000 training ones). */
  misclassified: Misclassified[]; model: string; samplesPerSecond: number;
  /** Where the worker's time went from the first batch to the last bundle sent (what the shown samples/s divides by). */
  timing?: WorkerTiming;
};
/** The training worker's wall time (ms) from the first batch to the last batch's bundle, and its parts: inside the
 *  trainer's slices (its steps, validation, and the callbacks below), the class-map projections, the live pictures,
 *  the bundles posted, and the gaps between slices (where the worker handles messages). The trainer's own step time is
 *  samples ÷ samplesPerSecond. Printed by bench/browser.ts. */
export interface WorkerTiming { wallMs: number; slicesMs: number; projectionsMs: number; picturesMs: number; postsMs: number }

export type TrainMessage =
  | { type: 'setup'; kernels: string; threads: number; reason: string; resident: boolean; sharedHelper: boolean; layers: { layer: number; type: LayerType }[]; trainer: TrainerFacts }
  | { type: 'batches'; items: BatchItem[]; samplesPerSecond: number }
  | { type: 'epoch'; epoch: number; loss: number; accuracy: number; valLoss: number; valAccuracy: number; distinctHiddenUnits: number | null; hiddenUnits: number | null }
  | { type: 'live'; snapshot: Snapshot }
  | { type: 'projection'; projection: LiveProjection }
  | { type: 'paused' } | { type: 'resumed' } | { type: 'stopping' }
  | DoneMessage
  | { type: 'error'; message: string };

/** What a run trains, validates and tests on (after the limit and the validation split). */
export interface SampleCounts { train: number; validation: number; test: number }
/** What the worker handed the trainer, as it reports it: the sample counts, the distortions drawn (null: none) and
 *  the network's dropout rates. */
export interface TrainerFacts { samples: SampleCounts; augment: Augmentation | null; dropout: number[] }

export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'done' | 'failed';
export interface EpochRow { epoch: number; loss: number; accuracy: number; valLoss: number; valAccuracy: number }

export interface RunState {
  status: RunStatus;
  /** A button pressed whose confirmation has not come yet (shown as "pausing…"). */
  pending: 'pause' | 'resume' | 'stop' | null;
  settings: TrainSettings | null;
  progress: { epoch: number; batch: number; batches: number; samplesPerSecond: number } | null;
  /** resident: the worker keeps the model's arrays in shared WebAssembly memory (a cross-origin-isolated page);
   *  sharedHelper: on two threads, the worker writes the weights into the helper's own arrays and reads its gradients
   *  there (no copies through the helper's buffers). */
  engine: { kernels: string; threads: number; reason: string; resident: boolean; sharedHelper: boolean } | null;
  trainer: TrainerFacts | null;
  /** Smoothed batch loss/accuracy, one point every SAMPLE_EVERY batches; x in epochs. */
  batches: { x: number[]; loss: number[]; accuracy: number[] };
  smoothed: { loss: number; accuracy: number; first: number } | null;
  epochs: EpochRow[];
  /** How many of the first dense layer's units differ (1: zero initialisation kept them identical), of how many. */
  distinct: { count: number; of: number } | null;
  /** Per-layer gradient norms (layers with parameters), sampled like the batches. */
  gradients: { layers: { layer: number; type: LayerType }[]; x: number[]; norms: number[][] };
  live: Snapshot | null;
  /** The latest class map of the run and its first one's share of same-class neighbours (before any training). */
  projection: { latest: LiveProjection; firstPurity: number; count: number } | null;
  /** Why the run went wrong in a way the student should know (divergence), or null. */
  divergence: string | null;
  result: DoneMessage | null;
  error: string | null;
}

export const SAMPLE_EVERY = 5;
/** Whether batch `batch` of an epoch's `batches` (from 1) is a point on the batch charts: every SAMPLE_EVERY-th, the
 *  first and the last. Only these batches' gradient norms are drawn, so the worker computes no others (a pass over
 *  every gradient: on the lab CNN's 1.2 M parameters 5 % of the page's training time). */
export const sampledBatch = (batch: number, batches: number) => batch % SAMPLE_EVERY === 0 || batch === batches || batch === 1;
const SMOOTHING = 0.95;

export function initialState(): RunState {
  return {
    status: 'idle', pending: null, settings: null, progress: null, engine: null, trainer: null,
    batches: { x: [], loss: [], accuracy: [] }, smoothed: null, epochs: [], distinct: null,
    gradients: { layers: [], x: [], norms: [] }, live: null, projection: null, divergence: null, result: null, error: null,
  };
}

/** A new run was asked for: everything of the last one is cleared. */
export function started(settings: TrainSettings): RunState {
  return { ...initialState(), status: 'starting', settings };
}

/** A button was pressed: remember it until the worker confirms. */
export function requested(state: RunState, action: 'pause' | 'resume' | 'stop'): RunState {
  return { ...state, pending: action };
}

export const isActive = (state: RunState) => state.status === 'starting' || state.status === 'running' || state.status === 'paused' || state.status === 'stopping';

/** The state after one message from the worker. */
export function receive(state: RunState, message: TrainMessage): RunState {
  switch (message.type) {
    case 'setup':
      return {
        ...state, engine: { kernels: message.kernels, threads: message.threads, reason: message.reason, resident: message.resident, sharedHelper: message.sharedHelper }, trainer: message.trainer,
        gradients: { layers: message.layers, x: [], norms: [] },
        status: state.status === 'starting' ? 'running' : state.status,
      };
    case 'paused': return { ...state, status: state.status === 'stopping' ? 'stopping' : 'paused', pending: state.pending === 'pause' ? null : state.pending };
    case 'resumed': return { ...state, status: 'running', pending: state.pending === 'resume' ? null : state.pending };
    case 'stopping': return { ...state, status: 'stopping', pending: null };
    case 'batches': return withBatches(state, message.items, message.samplesPerSecond);
    case 'epoch': {
      const row = { epoch: message.epoch, loss: message.loss, accuracy: message.accuracy, valLoss: message.valLoss, valAccuracy: message.valAccuracy };
      const distinct = message.distinctHiddenUnits !== null && message.hiddenUnits !== null ? { count: message.distinctHiddenUnits, of: message.hiddenUnits } : null;
      return { ...state, epochs: [...state.epochs, row], distinct };
    }
    case 'live': return { ...state, live: message.snapshot };
    case 'projection': {
      const p = message.projection, before = state.projection;
      return { ...state, projection: { latest: p, firstPurity: before?.firstPurity ?? p.purity, count: (before?.count ?? 0) + 1 } };
    }
    case 'done': return { ...state, status: 'done', pending: null, result: message };
    case 'error': {
      const diverged = /diverged|NaN|Infinity/.test(message.message);
      return { ...state, status: 'failed', pending: null, error: message.message, divergence: diverged ? state.divergence ?? `${message.message}: the learning rate is too large.${rateAdvice(state.settings?.learningRate)}` : state.divergence };
    }
  }
}

function withBatches(state: RunState, items: BatchItem[], samplesPerSecond: number): RunState {
  if (items.length === 0) return state;
  let smoothed = state.smoothed;
  const x: number[] = [], loss: number[] = [], accuracy: number[] = [], normsX: number[] = [], norms: number[][] = [];
  for (const b of items) {
    smoothed = smoothed === null
      ? { loss: b.loss, accuracy: b.accuracy, first: b.loss }
      : { loss: SMOOTHING * smoothed.loss + (1 - SMOOTHING) * b.loss, accuracy: SMOOTHING * smoothed.accuracy + (1 - SMOOTHING) * b.accuracy, first: smoothed.first };
    if (sampledBatch(b.batch, b.batches)) {
      const at = b.epoch - 1 + b.batch / b.batches;
      x.push(at); loss.push(smoothed.loss); accuracy.push(smoothed.accuracy);
      if (b.norms.length) { normsX.push(at); norms.push(b.norms); }
    }
  }
  const last = items[items.length - 1];
  const batchCount = (last.epoch - 1) * last.batches + last.batch;
  return {
    ...state, smoothed,
    progress: { epoch: last.epoch, batch: last.batch, batches: last.batches, samplesPerSecond },
    batches: { x: [...state.batches.x, ...x], loss: [...state.batches.loss, ...loss], accuracy: [...state.batches.accuracy, ...accuracy] },
    gradients: { ...state.gradients, x: [...state.gradients.x, ...normsX], norms: [...state.gradients.norms, ...norms] },
    divergence: state.divergence ?? divergence(items.map((b) => b.loss), smoothed!, batchCount, state.settings?.learningRate),
  };
}

/** The rate the divergence advice never goes above: every preset trains at it with SGD, momentum or Adam (test/viz/advice.test.ts). */
export const SAFE_RATE = 0.01;

/** " Try R." after a divergence at `learningRate`: a tenth of it, never above SAFE_RATE ('' without a rate). */
export function rateAdvice(learningRate?: number): string {
  if (!learningRate) return '';
  return ` Try ${printShort(Math.min(learningRate / 10, SAFE_RATE))}${learningRate / 10 > SAFE_RATE ? `: ${printShort(learningRate / 10)} would still diverge` : ' (ten times smaller)'}.`;
}

/** Why training is diverging, or null: a loss that is not a number, or a smoothed loss grown to three times
 *  the first batch's (after ten batches: a first few noisy batches prove nothing). Finite losses count too. */
export function divergence(losses: number[], smoothed: { loss: number; first: number }, batchCount: number, learningRate?: number): string | null {
  const advice = rateAdvice(learningRate);
  const bad = losses.find((l) => !Number.isFinite(l));
  if (bad !== undefined) return `The loss became ${bad}: the learning rate is too large.${advice}`;
  if (batchCount >= 10 && smoothed.loss > 3 * smoothed.first) {
    return `The loss grew from ${printShort(smoothed.first)} to ${printShort(smoothed.loss)} instead of falling: the learning rate is too large.${advice}`;
  }
  return null;
}

/** A log axis when the positive values span more than two decades. */
export function wantsLogScale(values: number[]): boolean {
  let lo = Infinity, hi = 0;
  for (const v of values) if (v > 0 && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return hi > 0 && hi / lo > 100;
}

/** Tick positions of a log axis: whole decades only (at most about six of them), never the minor ticks. */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > min)) return [];
  const low = Math.ceil(Math.log10(min) - 1e-9), high = Math.floor(Math.log10(max) + 1e-9);
  const every = Math.max(1, Math.ceil((high - low + 1) / 6));
  const ticks: number[] = [];
  for (let e = low; e <= high; e += every) ticks.push(Number(`1e${e}`)); // exact decimal powers (10 ** -4 is not)
  return ticks;
}

/** A log axis's range: the whole decades around [min, max] (at least one decade wide), so logTicks has ticks at both
 *  ends: 450 … 8,000 digits → 100 … 10,000. */
export function decadeRange(min: number, max: number): [number, number] {
  const low = Number(`1e${Math.floor(Math.log10(min))}`), high = Number(`1e${Math.ceil(Math.log10(max))}`);
  return [low, high > low ? high : low * 10];
}

/** Why a run's validation accuracy can sit above its training accuracy, or null when none does. The training accuracy
 *  is the trainer's (and Keras's) running figure: the mean over the epoch's batches, each scored before that batch's
 *  step by the network as it was then (the first ones by a nearly untrained network), on distorted digits and with
 *  dropout on; the validation accuracy is measured once, after the epoch, by the finished network on undistorted
 *  digits with dropout off. The page explains this instead of measuring the training digits again after the epoch: it
 *  is the figure the lab's Keras output prints, and a second pass over the training digits would cost every run time. */
export function aboveTrainingNote(runs: { train: number; validation: number; epochs: number; augment: boolean; dropout: boolean }[]): string | null {
  const above = runs.filter((r) => r.validation > r.train);
  if (!above.length) return null;
  const harder = [above.some((r) => r.augment) ? 'on distorted digits' : '', above.some((r) => r.dropout) ? 'with dropout switching units off' : ''].filter(Boolean);
  const few = above.some((r) => r.epochs <= 2);
  return `Validation above training? The training accuracy (as Keras prints it) is the average over the epoch's batches, each scored while the network was still learning` +
    `${few ? ' (in the first epoch the early batches were scored by a nearly untrained network)' : ''}${harder.length ? `, ${harder.join(' and ')}` : ''}. ` +
    `The validation accuracy is measured after the epoch, by the finished network${harder.length ? ' on the digits as stored' : ''}. ` +
    `So it is not a sign of a mistake: train for more epochs and the training accuracy catches up; overfitting shows when it passes the validation accuracy and the gap keeps growing.`;
}

/** Labels for a linear axis's ticks with as many decimals as their spacing needs (2.305, 2.310, not 2.31, 2.31). */
export function tickLabels(ticks: number[]): string[] {
  const finite = ticks.filter(Number.isFinite);
  const largest = Math.max(0, ...finite.map(Math.abs));
  if (largest >= 1e5 || (largest > 0 && largest < 1e-3)) return ticks.map(printShort);
  let step = Infinity;
  for (let i = 1; i < finite.length; i++) step = Math.min(step, Math.abs(finite[i] - finite[i - 1]));
  let decimals = Number.isFinite(step) && step > 0 ? Math.min(6, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9))) : 2;
  // more decimals until every tick prints as itself: 0.25 apart must not read 0.3, 0.5, 0.8 (uneven, and wrong)
  const exact = (d: number) => finite.every((t) => Math.abs(Number(t.toFixed(d)) - t) <= step * 1e-6);
  while (decimals < 6 && Number.isFinite(step) && !exact(decimals)) decimals++;
  return ticks.map((t) => (Number.isFinite(t) ? t.toFixed(decimals) : String(t)));
}

/** Why two threads were slower than one, when this session has measured both on the same work; else null. */
export interface MeasuredSpeed { key: string; threads: number; samplesPerSecond: number }
export function speedKey(settings: TrainSettings): string {
  return `${settings.preset}/${settings.batchSize}/${settings.kernels}`;
}
export function threadNote(measured: MeasuredSpeed[], current: MeasuredSpeed, cores: number): string | null {
  if (current.threads !== 2) return null;
  const single = measured.filter((m) => m.key === current.key && m.threads === 1).map((m) => m.samplesPerSecond);
  const coresText = `this computer reports ${cores} core${cores === 1 ? '' : 's'}, shared by the page, the browser and every other program`;
  if (single.length && current.samplesPerSecond < Math.max(...single)) {
    return `Two threads ran at ${Math.round(current.samplesPerSecond)} samples/s, one thread at ${Math.round(Math.max(...single))} earlier: ` +
      `${coresText}. When no core is free, the two threads wait for each other at every batch and are slower than one.`;
  }
  if (cores <= 2) return `Two threads help only when a second core is free: ${coresText}.`;
  return null;
}
