// core/nn/presets.ts: the named networks and their default training recipes.
import type { LayerConfig } from './layers.js';
import type { Initializer } from './init.js';
import type { Preset } from './preset.js';
import { Sequential } from './model.js';
import { labPresets, type LabPresetName } from './labPresets.js';

export type { Preset } from './preset.js';

export type PresetName = 'mlp' | 'cnn' | 'cnn-norm' | 'iris' | 'deepSigmoid' | 'deepRelu' | LabPresetName;

export const presets: Record<PresetName, Preset> = {
  mlp: {
    title: 'a small MLP 784-100-10 with ReLU',
    inputShape: [1, 28, 28],
    layers: [{ type: 'flatten' }, { type: 'dense', units: 100 }, { type: 'relu' }, { type: 'dense', units: 10 }, { type: 'softmax' }],
    init: 'heUniform', loss: 'crossEntropy',
    recipe: { epochs: 10, batchSize: 64, optimizer: { type: 'adam', learningRate: 0.002 }, schedule: 'cosine', loss: 'crossEntropy', augment: { shift: 1 } },
  },
  cnn: {
    title: 'the small CNN: conv 5×5×8 → pool → conv 5×5×16 → pool → dense 10',
    inputShape: [1, 28, 28],
    layers: [
      { type: 'conv', filters: 8, kernelSize: 5 }, { type: 'relu' }, { type: 'maxPool', size: 2 },
      { type: 'conv', filters: 16, kernelSize: 5 }, { type: 'relu' }, { type: 'maxPool', size: 2 },
      { type: 'flatten' }, { type: 'dense', units: 10 }, { type: 'softmax' },
    ],
    init: 'heUniform', loss: 'crossEntropy',
    recipe: { epochs: 10, batchSize: 32, optimizer: { type: 'adam', learningRate: 0.005 }, schedule: 'cosine', loss: 'crossEntropy', augment: { shift: 1.5, rotate: 10, scale: 0.1 } },
  },
  // the Week-3 lab network: 4-10-3, sigmoid hidden and output, MSE, plain SGD, batch 1, Glorot init
  'cnn-norm': {
    title: 'the small CNN with per-map normalisation after its first conv (exercise 04)',
    inputShape: [1, 28, 28],
    layers: [
      { type: 'conv', filters: 8, kernelSize: 5 }, { type: 'normalize' }, { type: 'relu' }, { type: 'maxPool', size: 2 },
      { type: 'conv', filters: 16, kernelSize: 5 }, { type: 'relu' }, { type: 'maxPool', size: 2 },
      { type: 'flatten' }, { type: 'dense', units: 10 }, { type: 'softmax' },
    ],
    init: 'heUniform', loss: 'crossEntropy',
    recipe: { epochs: 10, batchSize: 32, optimizer: { type: 'adam', learningRate: 0.005 }, schedule: 'cosine', loss: 'crossEntropy', augment: { shift: 1.5, rotate: 10, scale: 0.1 } },
  },
  iris: {
    title: 'the Week-3 lab network on Iris: 4-10-3, sigmoid, MSE, SGD',
    dataset: 'iris',
    inputShape: [4],
    layers: [{ type: 'dense', units: 10 }, { type: 'sigmoid' }, { type: 'dense', units: 3 }, { type: 'sigmoid' }],
    init: 'glorotUniform', loss: 'mse',
    recipe: { epochs: 200, batchSize: 1, optimizer: { type: 'sgd', learningRate: 0.1 }, loss: 'mse' },
  },
  // vanishing gradients: the same deep MLP (six hidden layers of 32) with sigmoid + Glorot, and with ReLU + He.
  // σ' ≤ 1/4, so each sigmoid layer shrinks the gradient on its way back; ReLU passes it through where active.
  deepSigmoid: {
    title: 'deep sigmoid MLP (784-32×6-10, Glorot): the gradient vanishes towards the input',
    inputShape: [1, 28, 28],
    layers: [{ type: 'flatten' }, ...deepHidden('sigmoid'), { type: 'dense', units: 10 }, { type: 'softmax' }],
    init: 'glorotUniform', loss: 'crossEntropy',
    recipe: { epochs: 3, batchSize: 32, optimizer: { type: 'sgd', learningRate: 0.1 }, loss: 'crossEntropy' },
  },
  deepRelu: {
    title: 'deep ReLU MLP (784-32×6-10, He): the gradient reaches the first layer',
    inputShape: [1, 28, 28],
    layers: [{ type: 'flatten' }, ...deepHidden('relu'), { type: 'dense', units: 10 }, { type: 'softmax' }],
    init: 'heUniform', loss: 'crossEntropy',
    recipe: { epochs: 3, batchSize: 32, optimizer: { type: 'sgd', learningRate: 0.1 }, loss: 'crossEntropy' },
  },
  ...labPresets,
};

/** Six hidden layers of 32 units, each followed by `activation`. */
function deepHidden(activation: 'sigmoid' | 'relu'): LayerConfig[] {
  return Array.from({ length: 6 }, () => [{ type: 'dense', units: 32 }, { type: activation }] as LayerConfig[]).flat();
}

/** Every preset's name, in menu order. */
export const presetNames = Object.keys(presets) as PresetName[];

/** What a UI lists: name, one-line title, input shape and data set of every preset. */
export const presetInfo: { name: PresetName; title: string; inputShape: number[]; dataset: 'digits' | 'iris' | 'cifar10' }[] =
  presetNames.map((name) => ({ name, title: presets[name].title ?? name, inputShape: presets[name].inputShape.slice(),
    dataset: presets[name].dataset ?? 'digits' }));

/** A fresh model of a preset, weights drawn from `seed`. `classes`: the last dense layer sized for that many outputs
 *  (layersForClasses); `inputShape`: another input (the iris network on a table of other features). */
export function createPreset(name: PresetName, { seed = 1, init, dropout, classes, inputShape }:
  { seed?: number; init?: Initializer; dropout?: number; classes?: number; inputShape?: readonly number[] } = {}): Sequential {
  const preset = presets[name];
  if (!preset) throw new RangeError(`createPreset: unknown preset '${name}' (expected ${Object.keys(presets).join(', ')})`);
  // `dropout`: one rate for every dropout layer the preset has (0 turns them off); the layer checks the value
  let layers = dropout === undefined ? preset.layers : preset.layers.map((l) => (l.type === 'dropout' ? { ...l, rate: dropout } : l));
  if (classes !== undefined) layers = layersForClasses(layers, classes);
  return new Sequential({ inputShape: inputShape ? inputShape.slice() : preset.inputShape, layers, init: init ?? preset.init, seed });
}

/** A preset's layers with its last dense layer sized for `classes` outputs (EMNIST letters: 27), unchanged when it fits. */
export function layersForClasses(layers: readonly LayerConfig[], classes: number): LayerConfig[] {
  const last = layers.map((layer) => layer.type).lastIndexOf('dense');
  return layers.map((layer, i) => (i === last && layer.type === 'dense' && layer.units !== classes ? { ...layer, units: classes } : layer));
}
