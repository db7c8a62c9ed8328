// The training page's worker: trains a preset on the digits with convlab's own trainer, one batch at a
// time (trainSteps driven by runSteps in 40 ms slices), so the page stays responsive and pause/stop take effect between batches.
// Every Pause, Resume and Stop is confirmed with a message once it has taken effect (the page's status
// follows these), also while the run is still setting up. The digits come with the start request (the
// page fetched them once); they are parsed once per worker.
import {
  createPreset, presets, trainSteps, runSteps, evaluate, modelToJSON, kernels, sharedMemoryAvailable, HalfBatchHelper, setKernels, residentArraysInWorker,
  layerGradientNorms, fromData, usesBatchStatistics, loadIdx, thin, count, validationCount, alignSigns, sampleRange, sizeOf, type AnyDataset, type Dataset, type FitResult, type TrainingEvent, type Sequential, type Tensor,
} from '../../../core/index.js';
import { projectProbe, type Probe, type ProjectorRequest, type ProjectorReply } from './liveProjection';
import { compiledWasmModule } from '../../../core/kernels/wasm.js';
import { augmentationFor, livePacing, sampledBatch, type TrainRequest, type TrainMessage, type TrainData, type BatchItem, type Snapshot, type Misclassified, type LiveProjection, type WorkerTiming } from './training';
import { digitSets } from './digits';

type StartRequest = Extract<TrainRequest, { type: 'start' }>;
// On a cross-origin-isolated page the model's parameters, gradients and optimizer state live in the kernels' shared
// WebAssembly memory, as in Node (no copies in and out for every call). Nothing of them reaches the page's thread as a
// view: the live pictures are slices (copies), the model goes as a file (text), the norms as numbers.
const resident = residentArraysInWorker();
let digits: { train: Dataset; test: Dataset } | null = null;
let data: { train: AnyDataset; test: AnyDataset } | null = null;
let steps: Generator<TrainingEvent, FitResult, boolean | undefined> | null = null;
let paused = false, stopping = false, started = 0, loop = 0, batchesDone = 0;
let current: { model: Sequential; request: StartRequest } | null = null;
let helper: HalfBatchHelper | undefined;
let norms: number[] = [];
/** The batch the trainer computes next, of an epoch's `batches` (its gradient norms are computed only if the charts draw it). */
let next = { batch: 1, batches: 1 };
const post = (message: TrainMessage) => (self as unknown as Worker).postMessage(message);

/** The run's training and test sets: the digits (parsed once per worker), the student's IDX files (core's loadIdx,
 *  ten classes as the page's networks have) or the sets the page made of a folder or a table; the limit keeps that
 *  many training samples spread over the classes. */
function dataFor(source: TrainData, limit: number | null): { train: AnyDataset; test: AnyDataset } {
  let sets: { train: AnyDataset; test: AnyDataset };
  if (source.kind === 'digits') sets = digits ??= digitSets(new Uint8Array(source.bytes));
  else if (source.kind === 'sets') sets = { train: source.train, test: source.test };
  else {
    const { files, names } = source;
    sets = {
      train: loadIdx(files.trainImages, files.trainLabels, { imagesName: names.trainImages, labelsName: names.trainLabels, classes: 10 }),
      test: loadIdx(files.testImages, files.testLabels, { imagesName: names.testImages, labelsName: names.testLabels, classes: 10 }),
    };
  }
  return limit === null ? sets : { train: thin(sets.train, limit), test: sets.test };
}

/** How many different rows W1 has: 1 means every hidden unit is the same (the symmetry problem). */
function distinctHiddenUnits(model: Sequential): number | null {
  const dense = model.params().find((p) => p.name === 'weights');
  if (!dense || dense.value.shape[1] !== 784) return null;
  const [units, inputs] = dense.value.shape;
  const rows = new Set<string>();
  for (let u = 0; u < units; u++) rows.add(Array.from(dense.value.data.subarray(u * inputs, (u + 1) * inputs)).join(','));
  return rows.size;
}

function hiddenUnits(model: Sequential): number | null {
  const dense = model.params().find((p) => p.name === 'weights');
  return dense && dense.value.shape[1] === 784 ? dense.value.shape[0] : null;
}

/** Watching learning: the first layer's kernels (or a dense layer's first 8 units as 28×28 images), and the
 *  watched digit's maps after that layer (and its activation). */
function snapshot(model: Sequential, watch: StartRequest['watch']): Snapshot | null {
  const first = model.layers.findIndex((layer) => layer.params().length > 0);
  if (first < 0) return null;
  const weights = model.layers[first].params()[0].value;
  const data = weights.data.subarray(weights.offset, weights.offset + weights.size);
  let kernelMaps: Snapshot['kernels'] = [];
  if (weights.dimension === 4) {
    const [K, C, kh, kw] = weights.shape;
    kernelMaps = Array.from({ length: K }, (_, k) => ({ values: data.slice(k * C * kh * kw, k * C * kh * kw + kh * kw), height: kh, width: kw }));
  } else if (weights.shape[1] === 784) {
    kernelMaps = Array.from({ length: Math.min(8, weights.shape[0]) }, (_, u) => ({ values: data.slice(u * 784, (u + 1) * 784), height: 28, width: 28 }));
  }
  let maps: Snapshot['maps'] = [], mapsLayer = first;
  if (watch && watch.pixels.length === model.inputShape.reduce((a, b) => a * b, 1)) { // not on a table's rows
    const outputs = model.activations(fromData(Float32Array.from(watch.pixels), model.inputShape));
    mapsLayer = ['relu', 'sigmoid', 'tanh', 'leakyRelu'].includes(model.configs[first + 1]?.type) ? first + 1 : first;
    const out: Tensor = outputs[mapsLayer];
    const shape = model.layers[mapsLayer].outputShape;
    const values = out.data.subarray(out.offset, out.offset + out.size);
    const [C, H, W] = shape.length === 3 ? shape : [1, 1, shape[0]];
    maps = Array.from({ length: C }, (_, c) => ({ values: values.slice(c * H * W, (c + 1) * H * W), height: H, width: W }));
  }
  return { kernels: kernelMaps, maps, mapsLayer, kernelsLayer: first };
}

/** How often the worker sends the page the batches' figures, the live pictures and the class map in this run
 *  (training.ts livePacing: by the cores training leaves free; see run()). */
let pacing = livePacing(1, 0);
let pending: BatchItem[] = [], lastPost = 0, lastLive = 0;
/** Where the run's wall time goes (see WorkerTiming), and its figures at the last bundle (what the page shows). */
let timing: WorkerTiming = { wallMs: 0, slicesMs: 0, projectionsMs: 0, picturesMs: 0, postsMs: 0 }, shownTiming = timing, sliceBegan = 0;
function flush(): void {
  if (pending.length === 0) return;
  const began = performance.now();
  shownTiming = { ...timing, wallMs: began - started, slicesMs: timing.slicesMs + (began - sliceBegan) };
  post({ type: 'batches', items: pending, samplesPerSecond: pending[pending.length - 1].samples / ((began - started) / 1000) });
  pending = []; lastPost = performance.now();
  timing.postsMs += lastPost - began;
}
function postLive(): void {
  if (!current) return;
  const began = performance.now();
  const shot = snapshot(current.model, current.request.watch);
  if (shot) post({ type: 'live', snapshot: shot });
  lastLive = performance.now();
  if (started) timing.picturesMs += lastLive - began;
}

/** The class map as the network learns: PCA of PROBED test digits (spread over the classes) at the last hidden layer
 *  (liveProjection.ts), before the first batch, then as livePacing allows (a share of the time since the last one,
 *  at least a gap apart; less often when training leaves no core free: a projection takes ~0.05–0.15 s for the CNN),
 *  and at the end. The pictures
 *  during training are made by the projection worker (the weights go as copies): on one thread on the core the training
 *  leaves free; on two threads it shares the cores, which stalls training less than a picture made here, where both
 *  training threads wait for it (measured on the page: shown samples/s 0.81–0.84 → 0.90–0.92 of the trainer's). Before
 *  and after training they are made here. Each picture's axes are turned to match the last one (core's alignSigns), so
 *  it does not flip. */
const PROBED = 500;
let probe: Probe | null = null, lastXy: Float64Array | null = null, nextProjection = 0;
/** The projection worker (made on the first run), the run it serves (a reply for another is dropped), and
 *  whether it is projecting now. */
let projector: Worker | null = null, projectorRun = 0, projecting = false;

function showProjection(epochs: number, made: Omit<LiveProjection, 'epochs' | 'ms'>, ms: number): void {
  const xy = lastXy ? alignSigns(lastXy, made.xy).xy : made.xy;
  lastXy = xy;
  post({ type: 'projection', projection: { ...made, xy, epochs, ms } });
}
function scheduleProjection(spent: number): void {
  nextProjection = performance.now() + Math.max(pacing.projectionGapMs, spent * (1 / pacing.projectionShare - 1));
}

/** A picture now: by the projection worker when it serves this run (`away`), else here. */
function postProjection(epochs: number, away = false): void {
  if (!current || !probe) return;
  if (away && projector && !projecting) {
    projecting = true;
    nextProjection = Infinity; // the next is scheduled when this one is back
    const weights = current.model.params().map((p) => p.value.data.slice(p.value.offset, p.value.offset + p.value.size));
    projector.postMessage({ type: 'project', run: projectorRun, epochs, weights } satisfies ProjectorRequest, weights.map((w) => w.buffer));
    return;
  }
  if (away && projecting) return;
  const began = performance.now();
  try {
    showProjection(epochs, projectProbe(current.model, probe), performance.now() - began);
  } catch { probe = null; } // a network whose layers cannot be projected (PCA's limits): no picture, training goes on
  // the picture before training is not part of the training time (and runs cold: slower than the next ones); with no
  // core free its cost paces the first picture during training too (the lab CNN's takes about a second: made 2 s
  // into a 10 s run on two threads, it took a tenth of a core from training), else that comes after the gap
  const spent = performance.now() - began;
  if (epochs > 0) timing.projectionsMs += spent;
  scheduleProjection(epochs > 0 || pacing.projectionFirstByCost ? spent : 0);
}

/** The projection worker, told this run's network and probe (it keeps them until the next run). */
function serveProjections(model: Sequential, probed: Probe): void {
  projectorRun++; projecting = false;
  if (!projector) {
    projector = new Worker(new URL('./liveProjection.worker.ts', import.meta.url), { type: 'module' });
    projector.onmessage = (event: MessageEvent<ProjectorReply>) => {
      const reply = event.data;
      if (reply.run !== projectorRun) return; // an ended run's picture
      projecting = false;
      if (reply.type === 'failed') { probe = null; return; } // as here: no picture, training goes on
      if (!current || !probe) return;
      showProjection(reply.epochs, reply.projection, reply.ms);
      scheduleProjection(reply.ms);
    };
    projector.onerror = () => { projector?.terminate(); projector = null; projecting = false; }; // back to pictures made here
  }
  const wasm = kernels() === 'wasm' ? compiledWasmModule() : null;
  projector.postMessage({ type: 'model', run: projectorRun, inputShape: model.inputShape.slice(), layers: model.configs, kernels: kernels(), wasm,
    probe: { inputs: probed.inputs.slice(), labels: probed.labels.slice() } } satisfies ProjectorRequest);
}

function run(token: number): void {
  if (!steps || !current || paused || token !== loop) return;
  try {
    if (stopping && batchesDone === 0) { finish({ history: [], stopped: 'cancelled', bestEpoch: 0, samplesPerSecond: 0 }); return; }
    // about 25 slices a second; messages are handled in between
    const { model } = current;
    sliceBegan = performance.now();
    const ran = runSteps(steps, { sliceMs: 40, shouldStop: () => stopping, onEvent: (event) => {
      if (event.kind === 'batch') {
        batchesDone++;
        next = { batch: event.info.batch === event.info.batches ? 1 : event.info.batch + 1, batches: event.info.batches };
        // batches go to the page in bundles, four times a second, and the live pictures once a second (half as often when
        // training leaves fewer than two cores free: livePacing): every bundle
        // redraws three charts on the page's thread, which shares the two cores with both training threads (at ten
        // bundles and two pictures a second the page's thread and its drawing took a quarter of a core)
        pending.push({ ...event.info, norms });
        if (performance.now() - lastPost > pacing.bundleMs || event.info.batch === event.info.batches) flush();
        if (performance.now() - lastLive > pacing.liveMs) postLive();
        if (performance.now() >= nextProjection) postProjection(event.info.epoch - 1 + event.info.batch / event.info.batches, true);
      } else {
        const r = event.record;
        post({ type: 'epoch', epoch: r.epoch, loss: r.loss, accuracy: r.accuracy, valLoss: r.valLoss ?? NaN, valAccuracy: r.valAccuracy ?? NaN, distinctHiddenUnits: distinctHiddenUnits(model), hiddenUnits: hiddenUnits(model) });
      }
    } });
    timing.slicesMs += performance.now() - sliceBegan;
    if (ran.done) { finish(ran.result); return; }
  } catch (error) {
    fail(error);
    return;
  }
  yieldThen(() => run(token));
}

// Between slices the worker yields so the page's messages (pause, stop, settings) are handled. A message to
// itself does that without a timer: browsers clamp nested setTimeout(0) to 4 ms, which after every 40 ms slice
// cost the training page about a tenth of its speed against Node.
const channel = new MessageChannel();
let afterYield: (() => void) | null = null;
channel.port1.onmessage = () => { const next = afterYield; afterYield = null; next?.(); };
function yieldThen(next: () => void): void {
  afterYield = next;
  channel.port2.postMessage(null);
}

/** A second thread for half of every batch: same results, about 1.5× the speed on two free cores. Needs shared
 *  memory, which browsers give only to cross-origin-isolated pages (vite.config.ts sends the headers). */
async function startHelper(model: Sequential, batchSize: number, threads: number): Promise<{ helper?: HalfBatchHelper; reason: string }> {
  if (threads < 2) return { reason: '' };
  if (batchSize < 2) return { reason: 'batch 1 cannot be split' };
  if (usesBatchStatistics(model.configs)) return { reason: 'batchNorm needs the statistics of the whole batch' };
  if (!sharedMemoryAvailable()) return { reason: 'this page is not cross-origin isolated, so threads cannot share memory' };
  const thread = new Worker(new URL('./halfBatch.worker.ts', import.meta.url), { type: 'module' });
  const created = new HalfBatchHelper(thread, model, batchSize);
  await new Promise<void>((resolve, reject) => {
    thread.onmessage = (event) => {
      if (event.data?.type !== 'ready') { reject(new Error(`half-batch helper: ${event.data?.message}`)); return; }
      // the helper's own arrays (views of its shared memory, where it keeps resident arrays): write the weights into
      // them and read its gradients there, as in Node; they stay in this worker (the page gets copies only)
      try { if (event.data.arrays) created.useHelperArrays(event.data.arrays); resolve(); } catch (error) { reject(error); }
    };
    thread.onerror = (event) => reject(new Error(`half-batch helper: ${event.message}`));
  }).catch((error) => { created.close(); throw error; });
  return { helper: created, reason: '' };
}

function finish(result: FitResult): void {
  projectorRun++; projecting = false; // a picture still on its way is of an earlier point: the last one is made here
  flush();
  postLive();
  if (result.history.length) postProjection(result.history.length);
  helper?.close(); helper = undefined;
  const { model } = current!;
  const tested = evaluate(model, data!.test);
  const misclassified: Misclassified[] = [];
  for (let n = 0; n < count(data!.test); n++) {
    if (tested.predicted[n] !== data!.test.labels[n]) misclassified.push({ index: n, label: data!.test.labels[n], predicted: tested.predicted[n] });
  }
  // a folder's or a table's class names and input rule go into the model file, as `convlab train --data` writes them
  const source = current!.request.data;
  const training = source.kind === 'sets' ? { classNames: source.classNames, input: source.input } : undefined;
  post({ type: 'done', stopped: result.stopped, testAccuracy: tested.accuracy, confusion: tested.confusion, misclassified, model: modelToJSON(model, training), samplesPerSecond: result.samplesPerSecond, timing: shownTiming });
  steps = null;
}

function fail(error: unknown): void {
  projectorRun++; projecting = false;
  helper?.close(); helper = undefined;
  steps = null;
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}

self.onmessage = async (event: MessageEvent<TrainRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'start') {
      // flags first: a Pause or Stop that arrives while the helper thread starts below is kept
      paused = false; stopping = false; batchesDone = 0; pending = []; lastPost = 0; lastLive = 0; norms = []; next = { batch: 1, batches: 1 }; loop++; started = 0;
      timing = shownTiming = { wallMs: 0, slicesMs: 0, projectionsMs: 0, picturesMs: 0, postsMs: 0 };
      data = dataFor(request.data, request.limit);
      // a table trains the Week-3 lab network (iris) sized by its features and classes; pictures the form's network,
      // its output layer sized by the classes (a folder of 3 classes: 3 outputs)
      const table = request.data.kind === 'sets' && request.data.table;
      const classes = data.train.classes;
      const model = table
        ? createPreset('iris', { seed: request.seed, init: request.init, classes, inputShape: data.train.sampleShape })
        : createPreset(request.preset, { seed: request.seed, init: request.init, dropout: request.dropout ?? undefined, classes });
      const held = validationCount(count(data.train), request.validationSplit); // checked before anything trains
      const augment = table ? null : augmentationFor(request.preset, request.augment);
      const recipe = presets[table ? 'iris' : request.preset].recipe;
      current = { model, request };
      try { setKernels(request.kernels === 'js' ? 'js' : 'wasm'); } catch { setKernels('js'); } // no WebAssembly SIMD here
      helper?.close();
      const setup = await startHelper(model, request.batchSize, request.threads);
      helper = setup.helper;
      pacing = livePacing(navigator.hardwareConcurrency || 1, helper ? 2 : 1);
      const layers = model.layers.flatMap((layer, index) => (layer.params().length ? [{ layer: index, type: layer.config.type }] : []));
      post({ type: 'setup', kernels: kernels() === 'wasm' ? 'WebAssembly SIMD' : 'TypeScript', threads: helper ? 2 : 1, reason: setup.reason, resident, sharedHelper: helper?.sharesArrays ?? false, layers,
        trainer: { samples: { train: count(data.train) - held, validation: held, test: count(data.test) }, augment,
          dropout: model.configs.flatMap((c) => (c.type === 'dropout' ? [c.rate] : [])) } });
      postLive();
      const probed = thin(data.test, PROBED), size = sizeOf(model.inputShape);
      probe = { inputs: sampleRange(probed, 0, count(probed), size, new Float32Array(count(probed) * size)).slice(), labels: probed.labels };
      lastXy = null;
      postProjection(0);
      if (probe) serveProjections(model, probe);
      started = performance.now();
      steps = trainSteps(model, data.train, {
        ...recipe, epochs: request.epochs, batchSize: request.batchSize, seed: request.seed, augment: augment ?? undefined,
        optimizer: { type: request.optimizer, learningRate: request.learningRate, momentum: 0.9 }, validationSplit: request.validationSplit, helper,
        onGradients: (m) => { if (sampledBatch(next.batch, next.batches)) norms = layerGradientNorms(m).map((n) => n.norm); },
      });
      // the first batch after a yield: a Pause or Stop posted right behind the Start is honoured before any batch, also on
      // one thread (no helper to wait for above), where a small network's whole run can take less than a click (deepRelu:
      // 225 batches in ~0.1 s, and the page's Pause used to arrive after the run had ended)
      const token = loop;
      yieldThen(() => run(token));
    } else if (request.type === 'pause') { paused = true; post({ type: 'paused' }); }
    else if (request.type === 'resume') { paused = false; post({ type: 'resumed' }); loop++; run(loop); }
    else if (request.type === 'stop') {
      stopping = true; post({ type: 'stopping' });
      if (paused) { paused = false; loop++; run(loop); }
    }
  } catch (error) {
    fail(error);
  }
};
