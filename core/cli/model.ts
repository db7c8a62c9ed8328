// core/cli/model.ts: what `--model` names on train and summary (a preset, an architecture file, a saved convlab model
// or an imported TF.js/ONNX model), and the checkpoints of `--checkpoint DIR` / `--resume`.
import { existsSync, statSync, readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { presets, presetNames, type PresetName } from '../nn/presets.js';
import type { Preset } from '../nn/preset.js';
import type { LayerConfig } from '../nn/layers.js';
import type { Initializer } from '../nn/init.js';
import { Sequential, planModel } from '../nn/model.js';
import type { LossName, TrainingState } from '../nn/trainer.js';
import { loadModel, readRegularFile, writeFileAtomic, MAX_MODEL_FILE_BYTES } from '../io/node.js';
import { encodeFloat32, decodeFloat32, modelToJSON, type InputScale } from '../io/modelFile.js';

/** What `train --model` resolved to. `inputShape` null: an architecture list, sized by the data. */
export interface ModelSource {
  kind: 'preset' | 'architecture' | 'model';
  name: string;
  inputShape: number[] | null;
  layers: LayerConfig[] | null;
  init: Initializer;
  /** A saved or imported model: training continues from its weights. */
  model: Sequential | null;
  /** What that model expects of its input (its file's input scale), if stated. */
  inputScale?: InputScale;
  recipe: Preset['recipe'];
  loss: LossName;
  dataset: 'digits' | 'iris' | 'cifar10';
  training?: Record<string, unknown>;
}

/** The recipe of a model file that names no preset: Adam at Keras's rate, batch 32, 10 epochs, no distortions. */
export const FILE_RECIPE = { epochs: 10, batchSize: 32, optimizer: { type: 'adam', learningRate: 0.001 } } as const;

const lossOf = (layers: readonly LayerConfig[]): LossName => (layers[layers.length - 1]?.type === 'softmax' ? 'crossEntropy' : 'mse');

/** `--model SPEC` on train/summary: a preset name, or a file (architecture JSON, convlab model, TF.js model.json or
 *  its folder, ONNX). */
export function resolveModel(spec: string): ModelSource {
  if (Object.hasOwn(presets, spec)) {
    const preset = presets[spec as PresetName];
    return { kind: 'preset', name: spec, inputShape: preset.inputShape.slice(), layers: preset.layers.slice(), init: preset.init, model: null,
      recipe: preset.recipe, loss: preset.loss, dataset: preset.dataset ?? 'digits' };
  }
  if (!existsSync(spec)) {
    throw new Error(`--model '${spec}' is neither a preset (${presetNames.join(', ')}) nor a file`);
  }
  if (statSync(spec).isFile() && !spec.endsWith('.onnx')) {
    const architecture = readArchitecture(spec);
    if (architecture) {
      return { kind: 'architecture', name: spec, inputShape: architecture.inputShape, layers: architecture.layers, init: architecture.init,
        model: null, recipe: { ...FILE_RECIPE, loss: lossOf(architecture.layers) }, loss: lossOf(architecture.layers),
        dataset: architecture.inputShape?.[0] === 3 ? 'cifar10' : 'digits' };
    }
  }
  const { model, training, inputScale } = loadModel(spec);
  const named = typeof training?.preset === 'string' && Object.hasOwn(presets, training.preset) ? presets[training.preset as PresetName] : null;
  const loss: LossName = model.endsWithSoftmax ? 'crossEntropy' : 'mse';
  return { kind: 'model', name: spec, inputShape: model.inputShape.slice(), layers: model.configs, init: model.init, model,
    recipe: named ? named.recipe : { ...FILE_RECIPE, loss }, loss, dataset: named?.dataset ?? (model.inputShape[0] === 3 ? 'cifar10' : 'digits'), training, inputScale };
}

/** An architecture file: a JSON list of layers as Sequential takes them, or { inputShape?, layers, init? }; null when
 *  the file is something else (a model file). The layers are checked when the model is planned. */
export function readArchitecture(path: string): { inputShape: number[] | null; layers: LayerConfig[]; init: Initializer } | null {
  const bytes = readRegularFile(path, MAX_MODEL_FILE_BYTES, '--model');
  let parsed: unknown;
  try { parsed = JSON.parse(Buffer.from(bytes).toString('utf8')); } catch { return null; }
  if (Array.isArray(parsed)) return { inputShape: null, layers: parsed as LayerConfig[], init: 'glorotUniform' };
  if (parsed && typeof parsed === 'object' && !('format' in parsed) && !('modelTopology' in parsed) && Array.isArray((parsed as { layers?: unknown }).layers)) {
    const { inputShape = null, layers, init = 'glorotUniform' } = parsed as { inputShape?: number[]; layers: LayerConfig[]; init?: Initializer };
    return { inputShape, layers, init };
  }
  return null;
}

/** The model to train: a saved model as it is; a preset or architecture built on `inputShape` with `classes` outputs
 *  where a preset's last dense layer can be resized (EMNIST letters). */
export function buildModel(source: ModelSource, inputShape: number[], seed: number, init?: Initializer): Sequential {
  if (source.model) return source.model;
  planModel(inputShape, source.layers); // names the layer that cannot take the data's shape
  return new Sequential({ inputShape, layers: source.layers!, init: init ?? source.init, seed });
}

// ─── checkpoints ───────────────────────────────────────────────────────────────────────────────────────────────────

/** What must be the same for `--resume` to continue a run rather than start another. */
export type RunSettings = Record<string, unknown>;

const epochFile = (epoch: number) => `epoch-${String(epoch).padStart(4, '0')}.json`;
const EPOCH_PATTERN = /^epoch-(\d{4,})\.json$/;

/** `--checkpoint DIR`: a folder (made if missing, with its parent existing), checked before training. */
export function prepareCheckpointFolder(directory: string): void {
  if (existsSync(directory)) {
    if (!statSync(directory).isDirectory()) throw new Error(`--checkpoint ${directory} is not a folder`);
    return;
  }
  try { mkdirSync(directory); } catch (error) { throw new Error(`--checkpoint ${directory}: cannot make the folder (${(error as Error).message})`); }
}

/** The model after an epoch, with the run's settings and state, as DIR/epoch-NNNN.json (atomically); also DIR/best.json
 *  when the epoch is the best so far by validation loss (training loss without validation). */
export function writeCheckpoint(directory: string, model: Sequential, state: TrainingState, run: RunSettings, training: Record<string, unknown>): string[] {
  const encoded = { ...state, optimizer: { steps: state.optimizer.steps, slots: state.optimizer.slots.map((slots) => slots.map(encodeFloat32)) } };
  const written = [join(directory, epochFile(state.epoch))];
  const metadata = { ...training, epochs: state.epoch, checkpoint: { run, state: encoded, best: state.best.epoch === state.epoch } };
  // serialised once, written once or twice (the best so far is the same text)
  const text = modelToJSON(model, metadata);
  writeFileAtomic(written[0], text, '--checkpoint');
  if (state.best.epoch === state.epoch) {
    written.push(join(directory, 'best.json'));
    writeFileAtomic(written[1], text, '--checkpoint');
  }
  return written;
}

/** The last checkpoint in DIR: its model, state and settings; refused when the settings differ from this run's. */
export function readLastCheckpoint(directory: string, run: RunSettings): { model: Sequential; state: TrainingState; path: string } {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) throw new Error(`--resume: ${directory} is not a folder of checkpoints`);
  const epochs = readdirSync(directory).map((name) => EPOCH_PATTERN.exec(name)).filter((m) => m !== null).map((m) => Number(m![1]));
  if (epochs.length === 0) throw new Error(`--resume: ${directory} holds no checkpoint (epoch-NNNN.json); train with --checkpoint ${directory} first`);
  const path = join(directory, epochFile(Math.max(...epochs)));
  const { model, training } = loadModel(path);
  const checkpoint = training?.checkpoint as { run?: RunSettings; state?: Omit<TrainingState, 'optimizer'> & { optimizer: { steps: number; slots: string[][] } } } | undefined;
  if (!checkpoint?.run || !checkpoint.state) throw new Error(`--resume: ${path} is a model without a checkpoint's training state`);
  for (const key of new Set([...Object.keys(run), ...Object.keys(checkpoint.run)])) {
    if (JSON.stringify(run[key]) !== JSON.stringify(checkpoint.run[key])) {
      throw new Error(`--resume: ${path} was trained with ${key} ${JSON.stringify(checkpoint.run[key])}, this run has ${JSON.stringify(run[key])}; ` +
        'resuming gives the same result only with the same settings');
    }
  }
  const saved = checkpoint.state;
  let state: TrainingState;
  try {
    state = { ...saved, optimizer: { steps: saved.optimizer.steps, slots: saved.optimizer.slots.map((slots) => slots.map(decodeFloat32)) } };
  } catch (error) { throw new Error(`--resume: ${path} has a damaged training state (${(error as Error).message})`); }
  return { model, state, path };
}
