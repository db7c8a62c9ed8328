// core/cli/data.ts: which data a preset or model file trains and tests on (`--data digits|cifar10:DIR`), which
// presets the CLI trains, and pictures for `predict` (a digit for digit models, colour planes for colour ones).
import { integer } from './flags.js';
import { InvalidArgumentError, Option } from 'commander';
import { presets, presetNames, type PresetName } from '../nn/presets.js';
import { type LayerConfig, usesBatchStatistics } from '../nn/layers.js';
import { type AnyDataset, subset } from '../data/dataset.js';
import { loadDigits, loadCifar10, loadMnistFolder, MNIST_HELP } from '../data/node.js';
import { CIFAR10_HELP } from '../data/cifar.js';
import { imageToModelInput } from '../data/color.js';

/** The presets `convlab train --model` offers: every preset on images (iris has its own lab, exercise 08). */
export const trainablePresets = presetNames.filter((name) => (presets[name].dataset ?? 'digits') !== 'iris');

/** `--data SPEC`: 'digits' (the bundled 8,000/2,000 split) or 'cifar10:DIR' (the CIFAR-10 binary files in DIR). */
export const dataOption = () => new Option('--data <spec>', "data: 'digits' (bundled), 'mnist:DIR' (the four IDX files of MNIST or a drop-in " +
  "replacement, plain or .gz) or 'cifar10:DIR' (the CIFAR-10 binary files in DIR); default: the preset's");

/** `--limit N`: a quick run on N training and N test samples. */
export const limitOption = () => new Option('--limit <n>', 'use only N training and N test samples, spread over the classes (a quick try)')
  .argParser(integer('--limit', 1));

/** At most `limit` samples, evenly spaced through the set (the digits are stored class by class). */
function thin<D extends AnyDataset>(data: D, limit: number): D {
  const n = data.labels.length;
  if (limit >= n) return data;
  return subset(data, Array.from({ length: limit }, (_, i) => Math.floor((i * n) / limit)));
}

export interface LoadedData { train: AnyDataset; test: AnyDataset; description: string }

/** The data named by `spec` for a model taking `inputShape`; `dataset` is the preset's own when no spec is given. */
export function loadData(spec: string | undefined, inputShape: readonly number[] | null, dataset: string, who: string, limit = Infinity, classes?: number): LoadedData {
  const wanted = spec ?? (dataset === 'cifar10' ? 'cifar10' : 'digits');
  let loaded: LoadedData;
  if (wanted === 'digits') {
    const { train, test } = loadDigits();
    loaded = { train: thin(train, limit), test: thin(test, limit), description: '' };
    loaded.description = `${loaded.train.labels.length.toLocaleString('en')} training digits, ${loaded.test.labels.length.toLocaleString('en')} test`;
  } else if (wanted === 'cifar10' || wanted.startsWith('cifar10:')) {
    const directory = wanted.slice('cifar10:'.length);
    if (!directory) {
      throw new Error(`${who} trains on CIFAR-10, which convlab cannot download for you: ${CIFAR10_HELP}`);
    }
    try {
      const { train, test } = loadCifar10(directory, { trainLimit: limit, testLimit: limit });
      loaded = { train, test, description: `${train.labels.length.toLocaleString('en')} CIFAR-10 training pictures, ${test.labels.length.toLocaleString('en')} test (${directory})` };
    } catch (error) { throw new Error((error as Error).message.replace(/^loadCifar10: /, '--data cifar10: ')); }
  } else if (wanted.startsWith('mnist:')) {
    const directory = wanted.slice('mnist:'.length);
    if (!directory) throw new Error(`--data mnist: needs a folder; ${MNIST_HELP}`);
    try {
      const { train, test } = loadMnistFolder(directory, { classes });
      loaded = { train: thin(train, limit), test: thin(test, limit), description: '' };
    } catch (error) { throw new Error((error as Error).message.replace(/^loadMnistFolder: /, '--data mnist: ').replace(/^(?!--data)/, '--data mnist: ')); }
    loaded.description = `${loaded.train.labels.length.toLocaleString('en')} training images, ${loaded.test.labels.length.toLocaleString('en')} test, ` +
      `${loaded.train.classes} classes (IDX files in ${directory})`;
  } else {
    throw new Error(`--data must be 'digits', 'mnist:DIR' (the four IDX files) or 'cifar10:DIR' (the folder with data_batch_1.bin … test_batch.bin), got '${wanted}'`);
  }
  const sample = loaded.train.sampleShape;
  if (inputShape && sample.reduce((a, b) => a * b, 1) !== inputShape.reduce((a, b) => a * b, 1)) {
    throw new Error(`${who} takes inputs [${inputShape.join(',')}] but ${wanted.split(':')[0]} has [${sample.join(',')}]` +
      (inputShape[0] === 3 ? ` (a colour model: pass --data cifar10:DIR; ${CIFAR10_HELP})` : " (a digit model: pass --data digits, mnist:DIR or leave it out)"));
  }
  return loaded;
}

/** The data of preset `name`: `--data` or the preset's own. */
export function presetData(name: PresetName, spec: string | undefined, limit?: number): LoadedData {
  const preset = presets[name];
  return loadData(spec, preset.inputShape, preset.dataset ?? 'digits', name, limit);
}

/** A preset's layers with its last dense layer sized for `classes` outputs (EMNIST letters: 27), unchanged when it fits. */
export function layersForClasses(layers: readonly LayerConfig[], classes: number): LayerConfig[] {
  const last = layers.map((layer) => layer.type).lastIndexOf('dense');
  return layers.map((layer, i) => (i === last && layer.type === 'dense' && layer.units !== classes ? { ...layer, units: classes } : layer));
}

/** Threads by default: two pay where half a batch is milliseconds of convolution (the CNNs), not for the small MLPs;
 *  a model with batch statistics (batchNorm) trains whole batches on one thread. */
export function defaultThreads(layers: readonly LayerConfig[]): number {
  return usesBatchStatistics(layers) ? 1 : layers.some((layer) => layer.type === 'conv') ? 2 : 1;
}

/** RGBA pixels of a picture → the model's input, or an error naming the shapes. */
export function pictureInput(rgba: Uint8Array, width: number, height: number, inputShape: readonly number[], image: string): Float32Array {
  try { return imageToModelInput(rgba, width, height, inputShape); } catch (error) {
    throw new Error(`predict: ${image}: ${(error as Error).message.replace(/^imageToModelInput: /, '')}`);
  }
}
