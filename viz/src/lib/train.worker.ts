// The training page's worker: trains a preset on the digits with convlab's own trainer, one batch at a
// time (trainSteps), so the page stays responsive and pause/stop take effect between batches.
import { createPreset, presets, trainSteps, evaluate, modelToJSON, kernels, sharedMemoryAvailable, GradientHelper, type Dataset, type PresetName, type OptimizerName, type Initializer, type FitResult, type TrainingEvent, type Sequential, setKernels, type KernelName, type BatchInfo } from '../../../core/index.js';

export type TrainRequest =
  | { type: 'start'; dataUrl: string; preset: PresetName; optimizer: OptimizerName; learningRate: number; batchSize: number; init: Initializer; epochs: number; seed: number; threads: 1 | 2; kernels: KernelName }
  | { type: 'pause' } | { type: 'resume' } | { type: 'stop' };
export type TrainMessage =
  | { type: 'batches'; items: BatchInfo[]; samplesPerSecond: number }
  | { type: 'epoch'; epoch: number; loss: number; accuracy: number; valLoss: number; valAccuracy: number; distinctHiddenUnits: number | null }
  | { type: 'done'; stopped: string; testAccuracy: number; confusion: number[][]; misclassified: { pixels: number[]; label: number; predicted: number }[]; model: string }
  | { type: 'setup'; kernels: string; threads: number; reason: string }
  | { type: 'error'; message: string };

let data: { train: Dataset; test: Dataset } | null = null;
let steps: Generator<TrainingEvent, FitResult, boolean | undefined> | null = null;
let paused = false, stopping = false, started = 0;
let current: { model: ReturnType<typeof createPreset>; request: Extract<TrainRequest, { type: 'start' }> } | null = null;
let helper: GradientHelper | undefined;
const post = (message: TrainMessage) => (self as unknown as Worker).postMessage(message);

async function loadData(url: string): Promise<{ train: Dataset; test: Dataset }> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load the training digits ${url} (${response.status}); npm start writes them`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length !== 10_000 * 785) throw new Error(`${url} holds ${bytes.length} bytes, expected ${10_000 * 785}`);
  const set = (start: number, count: number): Dataset => ({
    inputs: Float32Array.from(bytes.subarray(start * 784, (start + count) * 784), (v) => v / 255),
    labels: Int32Array.from(bytes.subarray(10_000 * 784 + start, 10_000 * 784 + start + count)),
    sampleShape: [1, 28, 28], classes: 10,
  });
  return { train: set(0, 8000), test: set(8000, 2000) };
}

/** How many different rows W1 has: 1 means every hidden unit is the same (the symmetry problem). */
function distinctHiddenUnits(model: ReturnType<typeof createPreset>): number | null {
  const dense = model.params().find((p) => p.name === 'weights');
  if (!dense || dense.value.shape[1] !== 784) return null;
  const [units, inputs] = dense.value.shape;
  const rows = new Set<string>();
  for (let u = 0; u < units; u++) rows.add(Array.from(dense.value.data.subarray(u * inputs, (u + 1) * inputs)).join(','));
  return rows.size;
}

let pending: BatchInfo[] = [], lastPost = 0;
function flush(): void {
  if (pending.length === 0) return;
  post({ type: 'batches', items: pending, samplesPerSecond: pending[pending.length - 1].samples / ((performance.now() - started) / 1000) });
  pending = []; lastPost = performance.now();
}

function run(): void {
  if (!steps || !current || paused) return;
  const sliceStart = performance.now();
  while (performance.now() - sliceStart < 40) { // about 25 slices a second; messages are handled in between
    const next = steps.next(stopping);
    if (next.done) { finish(next.value); return; }
    const event = next.value;
    if (event.kind === 'batch') {
      // batches go to the page in bundles, ten times a second: a message (and a redraw) per batch would
      // keep the page's thread busy, and it shares the cores with the two training threads
      pending.push(event.info);
      if (performance.now() - lastPost > 100 || event.info.batch === event.info.batches) flush();
    } else {
      const r = event.record;
      post({ type: 'epoch', epoch: r.epoch, loss: r.loss, accuracy: r.accuracy, valLoss: r.valLoss ?? NaN, valAccuracy: r.valAccuracy ?? NaN, distinctHiddenUnits: distinctHiddenUnits(current.model) });
    }
  }
  setTimeout(run, 0);
}

/** A second thread for half of every batch: same results, about 1.5× the speed on two cores. Needs shared
 *  memory, which browsers give only to cross-origin-isolated pages (vite.config.ts sends the headers). */
async function startHelper(model: Sequential, batchSize: number, threads: number): Promise<{ helper?: GradientHelper; reason: string }> {
  if (threads < 2) return { reason: '' };
  if (batchSize < 2) return { reason: 'batch 1 cannot be split' };
  if (!sharedMemoryAvailable()) return { reason: 'this page is not cross-origin isolated, so threads cannot share memory' };
  const thread = new Worker(new URL('./gradient.worker.ts', import.meta.url), { type: 'module' });
  const created = new GradientHelper(thread, model, Math.floor(batchSize / 2));
  await new Promise<void>((resolve, reject) => {
    thread.onmessage = (event) => (event.data?.type === 'ready' ? resolve() : reject(new Error(`gradient helper: ${event.data?.message}`)));
    thread.onerror = (event) => reject(new Error(`gradient helper: ${event.message}`));
  });
  return { helper: created, reason: '' };
}

function finish(result: FitResult): void {
  flush();
  helper?.close(); helper = undefined;
  const { model } = current!;
  const tested = evaluate(model, data!.test);
  const misclassified: { pixels: number[]; label: number; predicted: number }[] = [];
  for (let n = 0; n < data!.test.labels.length && misclassified.length < 40; n++) {
    if (tested.predicted[n] !== data!.test.labels[n]) {
      misclassified.push({ pixels: Array.from(data!.test.inputs.subarray(n * 784, (n + 1) * 784)), label: data!.test.labels[n], predicted: tested.predicted[n] });
    }
  }
  post({ type: 'done', stopped: result.stopped, testAccuracy: tested.accuracy, confusion: tested.confusion, misclassified, model: modelToJSON(model) });
  steps = null;
}

self.onmessage = async (event: MessageEvent<TrainRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'start') {
      data ??= await loadData(request.dataUrl);
      const model = createPreset(request.preset, { seed: request.seed, init: request.init });
      const recipe = presets[request.preset].recipe;
      current = { model, request };
      try { setKernels(request.kernels === 'js' ? 'js' : 'wasm'); } catch { setKernels('js'); } // no WebAssembly SIMD here
      helper?.close();
      const setup = await startHelper(model, request.batchSize, request.threads);
      helper = setup.helper;
      post({ type: 'setup', kernels: kernels() === 'wasm' ? 'WebAssembly SIMD' : 'TypeScript', threads: helper ? 2 : 1, reason: setup.reason });
      paused = false; stopping = false; started = performance.now(); pending = []; lastPost = 0;
      steps = trainSteps(model, data.train, { ...recipe, epochs: request.epochs, batchSize: request.batchSize, seed: request.seed,
        optimizer: { type: request.optimizer, learningRate: request.learningRate, momentum: 0.9 }, validationSplit: 0.1, helper });
      run();
    } else if (request.type === 'pause') paused = true;
    else if (request.type === 'resume') { paused = false; run(); }
    else if (request.type === 'stop') { stopping = true; if (paused) { paused = false; run(); } }
  } catch (error) {
    post({ type: 'error', message: (error as Error).message });
  }
};
