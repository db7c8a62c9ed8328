// The app's training run: one instance for the whole app (App.svelte), so a run and its results outlive the
// training page. It owns the worker; its methods only post messages, and `state` changes only in receive()
// (training.ts) when the worker answers. The digits are fetched once per page and reused by every run.
import { presets, type PresetName } from '../../../core/index.js';
import {
  initialState, started, requested, receive, isActive, speedKey, threadNote,
  type RunState, type TrainSettings, type EpochRow, type TrainRequest, type TrainMessage, type WatchedDigit, type MeasuredSpeed,
} from './training';
import { testDigitAt } from './digits';

let digits: Promise<ArrayBuffer> | null = null;
/** The 10,000 training and test digits (digits.bin, 7.85 MB), fetched once; a failed fetch is retried next time. */
export function digitBytes(): Promise<ArrayBuffer> {
  digits ??= fetch(new URL('./data/digits.bin', document.baseURI).href).then(async (response) => {
    if (!response.ok) throw new Error(`cannot load the training digits digits.bin (${response.status}); npm start writes them`);
    return response.arrayBuffer();
  });
  digits.catch(() => { digits = null; });
  return digits;
}

/** Test digit n (of 2,000) as 784 values in [0,1] and its label, from digits.bin. */
export async function testDigit(n: number): Promise<{ pixels: Float32Array; label: number }> {
  return testDigitAt(new Uint8Array(await digitBytes()), n);
}

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

export const defaultSettings = (): TrainSettings => ({
  preset: 'cnn', optimizer: 'adam', learningRate: 0.005, batchSize: 32, init: 'heUniform', epochs: 3, seed: 1, threads: 2, kernels: 'wasm',
});

export class TrainingRun {
  state = $state.raw<RunState>(initialState());
  /** The form: kept here so leaving the page and coming back finds it as it was. */
  settings = $state<TrainSettings>(defaultSettings());
  /** Speeds of finished runs in this session, to explain when two threads were slower than one. */
  measured = $state.raw<MeasuredSpeed[]>([]);
  /** The digit whose maps the run shows live. */
  watched = $state.raw<WatchedDigit | null>(null);
  private worker: Worker | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  get active(): boolean { return isActive(this.state); }

  /** Pick a preset and take its recipe's optimizer, learning rate, batch and initialisation. */
  choosePreset(name: PresetName): void {
    const preset = presets[name];
    const { optimizer, batchSize } = preset.recipe;
    this.settings.preset = name;
    this.settings.init = preset.init;
    if (optimizer) { this.settings.optimizer = optimizer.type; this.settings.learningRate = optimizer.learningRate; }
    if (batchSize) this.settings.batchSize = batchSize;
  }

  start(watch: WatchedDigit | null): void {
    if (this.active) return;
    const settings = { ...this.settings };
    this.state = started(settings);
    this.watched = watch;
    this.worker ??= this.createWorker();
    // the start goes out once the digits are here; a Pause or Stop pressed meanwhile queues behind it
    this.enqueue(async () => ({ type: 'start', data: (await digitBytes()).slice(0), watch, ...settings }));
  }
  pause(): void { if (this.state.status === 'running' || this.state.status === 'starting') this.send('pause'); }
  resume(): void { if (this.state.status === 'paused') this.send('resume'); }
  stop(): void { if (this.active && this.state.status !== 'stopping') this.send('stop'); }
  /** Forget the run (a running one is ended with its worker). */
  reset(): void {
    if (this.active) { this.worker?.terminate(); this.worker = null; }
    this.queue = Promise.resolve();
    this.state = initialState();
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
      worker?.postMessage(request, request.type === 'start' ? [request.data] : []);
    }).catch((error) => { if (worker === this.worker) this.state = receive(this.state, { type: 'error', message: (error as Error).message }); });
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
    };
    worker.onerror = (event) => { this.state = receive(this.state, { type: 'error', message: event.message || 'the training worker failed' }); };
    return worker;
  }
}

/** A finished (or stopped) run kept for comparison: its settings, epoch history and final figures. */
export interface KeptRun {
  name: string; settings: TrainSettings; epochs: EpochRow[]; testAccuracy: number | null;
  /** Measured training speed and what it means per epoch (train samples / speed). */
  samplesPerSecond: number | null; secondsPerEpoch: number | null;
}

/** The lab's bench, owned by the app: the main run, the runs kept for comparison, and the two comparisons'
 *  pairs of runs (each a TrainingRun with its own worker, ended by reset()). */
export class Bench {
  readonly run = new TrainingRun();
  kept = $state.raw<KeptRun[]>([]);
  readonly vanishing = [new TrainingRun(), new TrainingRun()] as const;
  readonly symmetry = [new TrainingRun(), new TrainingRun()] as const;

  /** Keep the main run's history (it must have at least one full epoch). */
  keep(): void {
    const s = this.run.state;
    if (!s.settings || s.epochs.length === 0) return;
    const speed = s.progress?.samplesPerSecond ?? null; // the training speed (what the Keras line prints)
    const trainSamples = s.progress ? s.progress.batches * s.settings.batchSize : null;
    this.kept = [...this.kept, {
      name: `run ${this.kept.length + 1}: ${runName(s.settings)}`, settings: { ...s.settings }, epochs: s.epochs,
      testAccuracy: s.result?.testAccuracy ?? null, samplesPerSecond: speed, secondsPerEpoch: speed && trainSamples ? trainSamples / speed : null,
    }];
  }
  forget(index: number): void { this.kept = this.kept.filter((_, i) => i !== index); }
}

/** A run's settings in a few words: preset, optimizer, learning rate, batch, initialisation, epochs. */
export const runName = (s: TrainSettings) => `${s.preset}, ${s.optimizer} lr ${s.learningRate}, batch ${s.batchSize}, ${s.init}, ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}`;
