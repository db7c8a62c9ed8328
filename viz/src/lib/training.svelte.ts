// The app's training run: one instance for the whole app (App.svelte), so a run and its results outlive the
// training page. It owns the worker; its methods only post messages, and `state` changes only in receive()
// (training.ts) when the worker answers. The digits are fetched once per page and reused by every run.
import { presets, type PresetName } from '../../../core/index.js';
import {
  initialState, started, requested, receive, isActive, speedKey, threadNote, DEFAULT_VALIDATION_SPLIT, LEARNING_CURVE,
  type RunState, type TrainSettings, type EpochRow, type TrainRequest, type TrainMessage, type WatchedDigit, type MeasuredSpeed, type TrainData, type SampleCounts,
} from './training';
import type { OwnData } from './trainingData';
import { testDigitOf, TEST_BYTES, DIGIT_FILE_BYTES } from './digits';

let digits: Promise<ArrayBuffer> | null = null;
const digitsUrl = () => new URL('./data/digits.bin', document.baseURI).href;
/** The 10,000 training and test digits (digits.bin, 7.85 MB), fetched once; a failed fetch is retried next time. */
export function digitBytes(): Promise<ArrayBuffer> {
  digits ??= fetch(digitsUrl()).then(async (response) => {
    if (!response.ok) throw new Error(`cannot load the training digits digits.bin (${response.status}); npm start writes them`);
    return response.arrayBuffer();
  });
  digits.catch(() => { digits = null; });
  return digits;
}

let testPart: Promise<{ pixels: Uint8Array; labels: Uint8Array }> | null = null;
/** The 2,000 test digits' pixel and label bytes: from the whole of digits.bin when it is loaded or on its way, else
 *  fetched alone by two range requests (1.57 MB of the 7.85 MB: the class map opens sooner). A server that ignores
 *  the ranges sends the whole file, which is then kept as digitBytes(). */
export function testDigitBytes(): Promise<{ pixels: Uint8Array; labels: Uint8Array }> {
  if (digits) return digits.then((buffer) => { const bytes = new Uint8Array(buffer); return { pixels: bytes.subarray(...TEST_BYTES.pixels), labels: bytes.subarray(...TEST_BYTES.labels) }; });
  testPart ??= Promise.all([digitRange(TEST_BYTES.pixels), digitRange(TEST_BYTES.labels)]).then(([pixels, labels]) => ({ pixels, labels }));
  testPart.catch(() => { testPart = null; });
  return testPart;
}
async function digitRange([start, end]: readonly [number, number]): Promise<Uint8Array> {
  const response = await fetch(digitsUrl(), { headers: { Range: `bytes=${start}-${end - 1}` } });
  if (!response.ok) throw new Error(`cannot load the test digits from digits.bin (${response.status}); npm start writes them`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status === 200 && bytes.length === DIGIT_FILE_BYTES) { digits ??= Promise.resolve(bytes.buffer); return bytes.slice(start, end); }
  if (response.status !== 206 || bytes.length !== end - start) {
    throw new Error(`digits.bin: asked for bytes ${start}–${end - 1} (${end - start}), got ${bytes.length} bytes (status ${response.status}; the whole file is ${DIGIT_FILE_BYTES})`);
  }
  return bytes;
}

/** Test digit n (of 2,000) as 784 values in [0,1] and its label, from digits.bin's test part. */
export async function testDigit(n: number): Promise<{ pixels: Float32Array; label: number }> {
  return testDigitOf(await testDigitBytes(), n);
}

export const defaultSettings = (): TrainSettings => withPreset({
  preset: 'cnn', optimizer: 'adam', learningRate: 0.005, batchSize: 32, init: 'heUniform', epochs: 3, seed: 1, threads: 2, kernels: 'wasm',
  validationSplit: DEFAULT_VALIDATION_SPLIT, dropout: null, augment: true, limit: null,
}, 'cnn');

/** `settings` with preset `name` and its recipe's optimizer, learning rate, batch, initialisation and augmentation. */
function withPreset(settings: TrainSettings, name: PresetName): TrainSettings {
  const preset = presets[name];
  const { optimizer, batchSize, augment } = preset.recipe;
  return {
    ...settings, preset: name, init: preset.init, augment: augment !== undefined,
    ...(optimizer ? { optimizer: optimizer.type, learningRate: optimizer.learningRate } : {}), ...(batchSize ? { batchSize } : {}),
  };
}

export class TrainingRun {
  state = $state.raw<RunState>(initialState());
  /** The form: kept here so leaving the page and coming back finds it as it was. */
  settings = $state<TrainSettings>(defaultSettings());
  /** Speeds of finished runs in this session, to explain when two threads were slower than one. */
  measured = $state.raw<MeasuredSpeed[]>([]);
  /** The digit whose maps the run shows live. */
  watched = $state.raw<WatchedDigit | null>(null);
  /** The student's own data the run trains on (null: the bundled digits). */
  data = $state.raw<OwnData | null>(null);
  private worker: Worker | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  get active(): boolean { return isActive(this.state); }

  /** Pick a preset and take its recipe's optimizer, learning rate, batch and initialisation. */
  choosePreset(name: PresetName): void {
    this.settings = { ...withPreset(this.settings, name), dropout: null };
  }

  /** Train with the form's settings (`override`s applied to this run only) on the digits or on `own` data. */
  start(watch: WatchedDigit | null, own: OwnData | null = null, override: Partial<TrainSettings> = {}): void {
    if (this.active) return;
    const settings = { ...this.settings, ...override };
    this.state = started(settings);
    this.watched = watch;
    this.data = own;
    this.worker ??= this.createWorker();
    // the start goes out once the digits are here; a Pause or Stop pressed meanwhile queues behind it
    this.enqueue(async () => {
      // own data is copied for the worker (the page keeps its bytes for the next run and the pictures)
      const data: TrainData = !own ? { kind: 'digits', bytes: (await digitBytes()).slice(0) }
        : own.kind === 'idx' ? { kind: 'idx', names: own.names, files: { trainImages: own.files.trainImages.slice(), trainLabels: own.files.trainLabels.slice(), testImages: own.files.testImages.slice(), testLabels: own.files.testLabels.slice() } }
        : { kind: 'sets', table: own.kind === 'table', train: own.sets.train, test: own.sets.test, classNames: own.classNames ?? [], input: own.input }; // copied by postMessage
      return { type: 'start', data, watch, ...settings };
    });
  }
  /** Resolves when the current run has ended (done, failed or reset). */
  finished(): Promise<void> {
    return this.active ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }
  private waiters: (() => void)[] = [];
  private settle(): void {
    if (this.active) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }
  pause(): void { if (this.state.status === 'running' || this.state.status === 'starting') this.send('pause'); }
  resume(): void { if (this.state.status === 'paused') this.send('resume'); }
  stop(): void { if (this.active && this.state.status !== 'stopping') this.send('stop'); }
  /** Forget the run (a running one is ended with its worker). */
  reset(): void {
    if (this.active) { this.worker?.terminate(); this.worker = null; }
    this.queue = Promise.resolve();
    this.state = initialState();
    this.settle();
  }

  /** The sentence explaining slow threads for the finished run, or null. */
  get threadNote(): string | null {
    const { result, settings, engine } = this.state;
    if (!result || !settings || !engine) return null;
    const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
    return threadNote(this.measured, { key: speedKey(settings), threads: engine.threads, samplesPerSecond: result.samplesPerSecond }, cores);
  }

  private send(action: 'pause' | 'resume' | 'stop'): void {
    this.state = requested(this.state, action);
    this.enqueue(() => ({ type: action }));
  }
  private enqueue(make: () => TrainRequest | Promise<TrainRequest>): void {
    const worker = this.worker;
    this.queue = this.queue.then(async () => {
      const request = await make();
      const transfer = request.type !== 'start' || request.data.kind === 'sets' ? [] : request.data.kind === 'digits' ? [request.data.bytes] : Object.values(request.data.files).map((f) => f.buffer);
      worker?.postMessage(request, transfer);
    }).catch((error) => { if (worker === this.worker) { this.state = receive(this.state, { type: 'error', message: (error as Error).message }); this.settle(); } });
  }
  private createWorker(): Worker {
    const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<TrainMessage>) => {
      if (worker !== this.worker) return;
      const before = this.state;
      this.state = receive(before, event.data);
      if (event.data.type === 'done' && before.settings && this.state.engine) {
        this.measured = [...this.measured, { key: speedKey(before.settings), threads: this.state.engine.threads, samplesPerSecond: event.data.samplesPerSecond }];
      }
      // a diverging run is stopped: every further batch only makes the numbers larger
      if (!before.divergence && this.state.divergence && (this.state.status === 'running' || this.state.status === 'paused')) this.stop();
      this.settle();
    };
    worker.onerror = (event) => { this.state = receive(this.state, { type: 'error', message: event.message || 'the training worker failed' }); this.settle(); };
    return worker;
  }
}

/** A finished (or stopped) run kept for comparison: its settings, epoch history and final figures. */
export interface KeptRun {
  name: string; settings: TrainSettings; epochs: EpochRow[]; testAccuracy: number | null;
  /** What it trained, validated and tested on; the learning curve it belongs to (null: kept by hand). */
  samples: SampleCounts | null; curve: number | null;
  /** Measured training speed and what it means per epoch (train samples / speed). */
  samplesPerSecond: number | null; secondsPerEpoch: number | null;
}

/** The lab's bench, owned by the app: the main run, the runs kept for comparison, and the two comparisons'
 *  pairs of runs (each a TrainingRun with its own worker, ended by reset()). */
export class Bench {
  readonly run = new TrainingRun();
  kept = $state.raw<KeptRun[]>([]);
  /** The student's own data chosen on the page (trainingData.ts), used by the next runs; null: the bundled digits. */
  own = $state.raw<OwnData | null>(null);
  readonly vanishing = [new TrainingRun(), new TrainingRun()] as const;
  readonly symmetry = [new TrainingRun(), new TrainingRun()] as const;

  /** The learning curve being trained: its number and how many of its runs are done (null: none running). */
  curve = $state.raw<{ id: number; done: number } | null>(null);
  private curves = 0;

  /** Keep the main run's history (it must have at least one full epoch). */
  keep(curve: number | null = null): void {
    const s = this.run.state;
    if (!s.settings || s.epochs.length === 0) return;
    const speed = s.progress?.samplesPerSecond ?? null; // the training speed (what the Keras line prints)
    const trainSamples = s.progress ? s.progress.batches * s.settings.batchSize : null;
    this.kept = [...this.kept, {
      name: `run ${this.kept.length + 1}: ${runName(s.settings)}`, settings: { ...s.settings }, epochs: s.epochs, samples: s.trainer?.samples ?? null, curve,
      testAccuracy: s.result?.testAccuracy ?? null, samplesPerSecond: speed, secondsPerEpoch: speed && trainSamples ? trainSamples / speed : null,
    }];
  }
  forget(index: number): void { this.kept = this.kept.filter((_, i) => i !== index); }

  /** The learning curve: the form's network trained on 500, 1,000 … 8,000 training digits (LEARNING_CURVE), one run
   *  after the other, each kept; Stop (or a failed run) ends it. */
  async learningCurve(watch: WatchedDigit | null, own: OwnData | null): Promise<void> {
    if (this.run.active || this.curve) return;
    const id = ++this.curves;
    this.curve = { id, done: 0 };
    try {
      for (const limit of LEARNING_CURVE) {
        this.run.start(watch, own, { limit });
        await this.run.finished();
        const s = this.run.state;
        if (s.status !== 'done' || s.result?.stopped === 'cancelled' || s.epochs.length === 0) break;
        this.keep(id);
        this.curve = { id, done: this.curve.done + 1 };
      }
    } finally { this.curve = null; }
  }
  /** The last learning curve's points: training digits given, final train and validation accuracy. */
  get curvePoints(): { limit: number; train: number; validation: number; samples: SampleCounts | null; settings: TrainSettings; epochs: number }[] {
    const last = Math.max(-1, ...this.kept.map((k) => k.curve ?? -1));
    return this.kept.filter((k) => k.curve === last && k.settings.limit !== null).map((k) => {
      const e = k.epochs[k.epochs.length - 1];
      return { limit: k.settings.limit!, train: e.accuracy, validation: e.valAccuracy, samples: k.samples, settings: k.settings, epochs: k.epochs.length };
    });
  }
}

/** A run's settings in a few words: preset, optimizer, learning rate, batch, initialisation, epochs. */
export const runName = (s: TrainSettings) => `${s.preset}, ${s.optimizer} lr ${s.learningRate}, batch ${s.batchSize}, ${s.init}, ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}` +
  `, validation ${Math.round(s.validationSplit * 100)} %${s.dropout === null ? '' : `, dropout ${s.dropout}`}, distortions ${s.augment ? 'on' : 'off'}` +
  (s.limit === null ? '' : `, ${s.limit.toLocaleString('en')} digits`);
