// core/cli/data.ts: which data a preset or model file trains and tests on (`--data digits|cifar10:DIR`), which
// presets the CLI trains, and pictures for `predict` (a digit for digit models, colour planes for colour ones).
import { integer } from './flags.js';
import { InvalidArgumentError, Option } from 'commander';
import { presets, presetNames, type PresetName } from '../nn/presets.js';
import { type LayerConfig, usesBatchStatistics } from '../nn/layers.js';
import { inputFits } from '../nn/model.js';
import { type AnyDataset, thin, ownSplit, relabelByName } from '../data/dataset.js';
import { parseCsv, csvInputOf, tableSets, CSV_LIMITS } from '../data/csv.js';
import { existsSync } from 'node:fs';
import { readRegularFile } from '../readFile.js';
import { loadDigits, loadCifar10, loadMnistFolder, loadImageFolder, MNIST_HELP, FOLDER_HELP } from '../data/node.js';
import { checkImageShape, imageToBytes, FOLDER_INPUT } from '../data/folder.js';
import { CIFAR10_HELP } from '../data/cifar.js';
import { imageToModelInput } from '../data/color.js';

/** The presets `convlab train --model` offers: every preset on images (iris has its own lab, exercise 08). */
export const trainablePresets = presetNames.filter((name) => (presets[name].dataset ?? 'digits') !== 'iris');

/** `--data SPEC`: 'digits' (the bundled 8,000/2,000 split) or 'cifar10:DIR' (the CIFAR-10 binary files in DIR). */
export const dataOption = () => new Option('--data <spec>', "data: 'digits' (bundled), 'mnist:DIR' (the four IDX files of MNIST or a drop-in " +
  "replacement, plain or .gz), 'cifar10:DIR' (the CIFAR-10 binary files in DIR), 'folder:DIR' (your pictures, one sub-folder per class) " +
  "or 'csv:FILE' (a table: numeric features, a label column; 'csv:TRAIN,TEST' with a test table of your own); " +
  "default: the preset's");

/** `--label-column NAME|N`: a table's label column by header name or number (from 1); default the last. */
export const labelColumnOption = () => new Option('--label-column <name|n>', "with --data csv:FILE, the label column: its header name or its number " +
  "counted from 1 (default: the last column)");

export const CSV_HELP = 'pass a comma-separated table with numeric features and a label column (the last, or --label-column NAME|N), ' +
  'at most one header line: --data csv:FILE (or csv:TRAIN,TEST, a training and a test table)';

/** `--limit N`: a quick run on N training and N test samples. */
export const limitOption = () => new Option('--limit <n>', 'use only N training and N test samples, spread over the classes (a quick try)')
  .argParser(integer('--limit', 1));

export interface LoadedData {
  train: AnyDataset; test: AnyDataset; description: string;
  /** How raw inputs became the model's (stored in the model file as training.input, applied again by predict/eval). */
  input?: Record<string, unknown>;
}

/** The data named by `spec` for a model taking `inputShape`; `dataset` is the preset's own when no spec is given. */
export function loadData(spec: string | undefined, inputShape: readonly number[] | null, dataset: string, who: string, limit = Infinity, classes?: number,
  classNames?: readonly string[], table: { labelColumn?: string; input?: unknown } = {}): LoadedData {
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
  } else if (wanted.startsWith('folder:')) {
    const directory = wanted.slice('folder:'.length);
    if (!directory) throw new Error(`--data folder: needs a folder; ${FOLDER_HELP}`);
    try {
      if (inputShape) checkImageShape(inputShape, who);
      const folder = loadImageFolder(directory, { inputShape, limit: Number.isFinite(limit) && limit > 0 ? limit : Infinity });
      // no test/ of the user's own: a stratified 80/20 split with a fixed seed, so eval on the same folder tests on the same part
      const parts = ownSplit(folder.train, folder.test, { name: directory, what: 'picture' });
      loaded = { train: thin(parts.train, limit), test: thin(parts.test, limit), description: '', input: { ...FOLDER_INPUT } };
      loaded.description = `${loaded.train.labels.length.toLocaleString('en')} training pictures, ${loaded.test.labels.length.toLocaleString('en')} test` +
        `${folder.test ? '' : ' (a seeded 80/20 split per class)'}, ${folder.classNames.length} classes (${folder.classNames.slice(0, 10).join(', ')}` +
        `${folder.classNames.length > 10 ? ', …' : ''}) of [${loaded.train.sampleShape.join(',')}] from ${directory}` +
        (folder.skipped.length ? `; skipped ${folder.skipped.length} entr${folder.skipped.length === 1 ? 'y' : 'ies'} that ${folder.skipped.length === 1 ? 'is' : 'are'} hidden or not .png/.jpg/.jpeg (${folder.skipped.slice(0, 3).join(', ')}${folder.skipped.length > 3 ? ', …' : ''})` : '');
    } catch (error) { throw new Error(`--data folder: ${(error as Error).message}`); }
  } else if (wanted.startsWith('csv:')) {
    const file = wanted.slice('csv:'.length);
    if (!file) throw new Error(`--data csv: needs a file; ${CSV_HELP}`);
    try { loaded = loadTable(file, limit, table, inputShape ? inputShape.reduce((a, b) => a * b, 1) : undefined); } catch (error) {
      throw new Error(`--data csv: ${(error as Error).message}`);
    }
  } else {
    throw new Error(`--data must be 'digits', 'mnist:DIR' (the four IDX files), 'cifar10:DIR' (the folder with data_batch_1.bin … test_batch.bin), ` +
      `'folder:DIR' (your pictures, one sub-folder per class) or 'csv:FILE' (a table), got '${wanted}'`);
  }
  if (table.labelColumn !== undefined && !wanted.startsWith('csv:')) throw new Error('--label-column goes with --data csv:FILE');
  if (classNames && loaded.train.classNames) {
    const what = `--data ${wanted.split(':')[0]}`;
    loaded.train = relabelByName(loaded.train, classNames, what);
    loaded.test = relabelByName(loaded.test, classNames, what);
  }
  const sample = loaded.train.sampleShape;
  if (inputShape && wanted.startsWith('csv:') && sample[0] !== inputShape.reduce((a, b) => a * b, 1)) {
    throw new Error(`${who} takes inputs [${inputShape.join(',')}] but the table ${wanted.slice(4)} has ${sample[0]} feature columns`);
  }
  // a table's rows are flat (checked above by count: 784 pixel columns feed a [1,28,28] model); other data by layout
  if (inputShape && !inputFits(inputShape, sample) && !wanted.startsWith('folder:') && !wanted.startsWith('csv:')) {
    throw new Error(`${who} takes inputs [${inputShape.join(',')}] but ${wanted.split(':')[0]} has [${sample.join(',')}]` +
      (inputShape[0] === 3 ? ` (a colour model: pass --data cifar10:DIR; ${CIFAR10_HELP})` : " (a digit model: pass --data digits, mnist:DIR or leave it out)"));
  }
  return loaded;
}

/** A table's rows (`csv:FILE`: a seeded stratified 80/20 split; `csv:TRAIN,TEST`: the user's own test table), standardised
 *  with the training part's mean and spread per feature — or with those stored in the model file (`input`, a model
 *  trained on a table), so eval and a continued training see the numbers the model was trained on (core's tableSets). */
function loadTable(spec: string, limit: number, { labelColumn, input }: { labelColumn?: string; input?: unknown }, expectFeatures?: number): LoadedData {
  const files = tableFiles(spec);
  // the model's feature count is checked on the training table's first line (a 63 MB table of other columns is not
  // read on), and the training table's on the test table's first line; then its names and classes (tableSets)
  const read = (file: string, expect?: number, sameAs?: string) =>
    parseCsv(readRegularFile(file, CSV_LIMITS.bytes, 'CSV file'), { name: file, labelColumn, expectFeatures: expect, sameAs });
  const table = read(files[0], expectFeatures);
  const features = table.sampleShape[0];
  const stored = csvInputOf(input, features, 'the model file');
  const parts = tableSets(table, files[1] ? read(files[1], features, files[0]) : null, { train: files[0], test: files[1] }, stored);
  const train = thin(parts.train, limit), test = thin(parts.test, limit);
  const list = (names: string[]) => `${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}`;
  return {
    train, test, input: { ...parts.input },
    description: (files[1] ? `${train.labels.length} training rows of ${files[0]}, ${test.labels.length} test rows of ${files[1]}: `
      : `${train.labels.length} training rows, ${test.labels.length} test (a seeded 80/20 split per class) of ${files[0]}: `) +
      `${table.header ? 'a header line, ' : 'no header line, '}${features} features (${list(table.featureNames)}), ` +
      `label column ${table.labelName} with ${table.classNames.length} classes (${list(table.classNames)}); ` +
      (stored ? 'standardised with the mean and spread stored in the model file' : 'standardised with the training part\'s mean and spread per feature'),
  };
}

/** `csv:FILE` or `csv:TRAIN,TEST`: one table, or a training and a test table. A name holding a comma is one file when
 *  a file of that name exists. */
export function tableFiles(spec: string): [string] | [string, string] {
  if (!spec.includes(',') || existsSync(spec)) return [spec];
  const parts = spec.split(',');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new Error(`${spec} is neither a file nor two files TRAIN,TEST (a training and a test table, one comma between them)`);
  }
  return [parts[0], parts[1]];
}

/** The data of preset `name`: `--data` or the preset's own. */
export function presetData(name: PresetName, spec: string | undefined, limit?: number): LoadedData {
  const preset = presets[name];
  return loadData(spec, preset.inputShape, preset.dataset ?? 'digits', name, limit);
}

/** Threads by default: two pay where half a batch is milliseconds of convolution (the CNNs), not for the small MLPs;
 *  a model with batch statistics (batchNorm) trains whole batches on one thread. */
export function defaultThreads(layers: readonly LayerConfig[]): number {
  return usesBatchStatistics(layers) ? 1 : layers.some((layer) => layer.type === 'conv') ? 2 : 1;
}

/** RGBA pixels of a picture → the model's input, or an error naming the shapes. `folderRule`: the model was trained on
 *  a folder of pictures, so the picture goes through the same rule (imageToBytes, then byte / 255). */
export function pictureInput(rgba: Uint8Array, width: number, height: number, inputShape: readonly number[], image: string, folderRule = false): Float32Array {
  try {
    if (folderRule) return Float32Array.from(imageToBytes(rgba, width, height, inputShape), (b) => b / 255);
    return imageToModelInput(rgba, width, height, inputShape);
  } catch (error) {
    throw new Error(`predict: ${image}: ${(error as Error).message.replace(/^imageToModelInput: /, '')}`);
  }
}
