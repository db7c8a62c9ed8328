// core/data/dataset.ts: a labelled data set as one flat Float32Array (or bytes, scaled a batch at a time), and seeded splits of it.
import { seeded } from '../random.js';
import { type Tensor, fromData, sizeOf } from '../tensor.js';

export interface Dataset {
  /** [count, ...sampleShape] values, row-major. */
  inputs: Float32Array;
  /** One class index per sample. */
  labels: Int32Array;
  sampleShape: number[];
  classes: number;
  /** Optional class names (Iris species). */
  classNames?: string[];
}

/** A labelled data set stored as bytes where its source is bytes (IDX, CIFAR-10, pictures): sample values are
 *  byte / divisor (255 → [0,1]), made a batch at a time, so 60,000 digits take 47 MB rather than 188 MB. */
export interface ByteDataset {
  /** [count, ...sampleShape] bytes, row-major. */
  bytes: Uint8Array;
  /** A value is byte / divisor. */
  divisor: number;
  labels: Int32Array;
  sampleShape: number[];
  classes: number;
  classNames?: string[];
}

/** Either kind of data set: every trainer, split and evaluation takes both. */
export type AnyDataset = Dataset | ByteDataset;

export const isByteDataset = (data: AnyDataset): data is ByteDataset => (data as ByteDataset).bytes !== undefined;

export const count = (data: AnyDataset) => data.labels.length;

/** Stored values (floats or bytes) of a data set: count × sample size when it is whole. */
export const storedValues = (data: AnyDataset) => (isByteDataset(data) ? data.bytes.length : data.inputs.length);

/** Sample n of `data` as float values into `target` at `at` (bytes become byte / divisor). */
export function copySample(data: AnyDataset, n: number, size: number, target: Float32Array, at: number): void {
  if (!isByteDataset(data)) { target.set(data.inputs.subarray(n * size, (n + 1) * size), at); return; }
  const { bytes, divisor } = data, from = n * size;
  for (let i = 0; i < size; i++) target[at + i] = bytes[from + i] / divisor;
}

/** Samples [start, start + m) as floats into `target` from 0: a view for a float data set, a scaled copy for bytes. */
export function sampleRange(data: AnyDataset, start: number, m: number, size: number, target: Float32Array): Float32Array {
  if (!isByteDataset(data)) return data.inputs.subarray(start * size, (start + m) * size);
  for (let i = 0; i < m; i++) copySample(data, start + i, size, target, i * size);
  return target.subarray(0, m * size);
}

/** At most `limit` samples, evenly spaced through the set (digits are stored class by class, so the first `limit`
 *  would be mostly one class): the CLI's --limit and the training page's learning curve. */
export function thin<D extends AnyDataset>(data: D, limit: number): D {
  const n = data.labels.length;
  if (limit >= n) return data;
  return subset(data, Array.from({ length: limit }, (_, i) => Math.floor((i * n) / limit)));
}

/** The samples at `indices`, in that order, as a new data set of the same kind. */
export function subset<D extends AnyDataset>(data: D, indices: ArrayLike<number>): D {
  const size = sizeOf(data.sampleShape);
  const labels = new Int32Array(indices.length);
  const source: Float32Array | Uint8Array = isByteDataset(data) ? data.bytes : data.inputs;
  const values = isByteDataset(data) ? new Uint8Array(indices.length * size) : new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const n = indices[i];
    values.set(source.subarray(n * size, (n + 1) * size), i * size);
    labels[i] = data.labels[n];
  }
  return isByteDataset(data) ? { ...data, bytes: values, labels } : { ...data, inputs: values, labels };
}

/** `data` with its labels renumbered to `classNames` (the class names a model file stores) by name, so a folder or
 *  table holding only some of the classes, or naming them in another order, is scored against the right outputs.
 *  A class the names do not hold is refused, naming it; unchanged when the names are the same or `data` has none. */
export function relabelByName<D extends AnyDataset>(data: D, classNames: readonly string[], what = 'the data'): D {
  const own = data.classNames;
  if (!own || (own.length === classNames.length && own.every((n, i) => n === classNames[i]))) return data;
  const index = new Map(classNames.map((n, i) => [n, i]));
  const map = own.map((n) => index.get(n) ?? -1);
  const unknown = own.filter((_, c) => map[c] < 0 && data.labels.includes(c));
  if (unknown.length > 0) {
    throw new RangeError(`${what} has the class${unknown.length > 1 ? 'es' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}, which the model does not know ` +
      `(its classes: ${classNames.join(', ')})`);
  }
  return { ...data, labels: Int32Array.from(data.labels, (label) => map[label]), classes: classNames.length, classNames: classNames.slice() };
}

/** A byte data set as floats (for code that needs every value at once: small sets only). */
export function toFloatDataset(data: AnyDataset): Dataset {
  if (!isByteDataset(data)) return data;
  const { bytes, divisor, ...rest } = data;
  const inputs = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) inputs[i] = bytes[i] / divisor;
  return { ...rest, inputs };
}

/** Seeded shuffle then split: the last `testFraction` of the shuffled samples are the test set. Stratified per class when asked. */
export function trainTestSplit<D extends AnyDataset>(data: D, { testFraction = 0.2, seed = 1, stratify = false } = {}): { train: D; test: D } {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`trainTestSplit: testFraction must be in (0, 1), got ${testFraction}`);
  const random = seeded(seed);
  // the groups in one pass over the labels (not one pass per class: 1,000 classes of a 1,000,000-row table once took 262 s)
  const groups: number[][] = Array.from({ length: stratify ? data.classes : 1 }, () => []);
  for (let n = 0; n < data.labels.length; n++) {
    const label = stratify ? data.labels[n] : 0;
    if (!(label >= 0 && label < groups.length)) throw new RangeError(`trainTestSplit: sample ${n} has label ${label}, outside 0..${data.classes - 1}`);
    groups[label].push(n);
  }
  const trainIndices: number[] = [], testIndices: number[] = [];
  for (const group of groups) {
    random.shuffle(group);
    const testCount = Math.round(group.length * testFraction);
    // element by element: spreading a group of 400,000 into push() overflows the call stack
    for (let i = 0; i < group.length; i++) (i < group.length - testCount ? trainIndices : testIndices).push(group[i]);
  }
  if (trainIndices.length === 0 || testIndices.length === 0) {
    throw new RangeError(`trainTestSplit: ${count(data)} samples cannot be split ${1 - testFraction}/${testFraction}` +
      (stratify ? ` per class (a class keeps round(${testFraction} × its samples) for testing: ${Math.ceil(0.5 / testFraction)} or more give one)` : ''));
  }
  return { train: subset(data, trainIndices), test: subset(data, testIndices) };
}

/** The user's own data (a folder of pictures, a table) and its own test part, or null: then a stratified 80/20 split
 *  with seed 1, the same every time, so eval on the same data tests on the part that training never saw. */
export function ownSplit<D extends AnyDataset>(train: D, test: D | null, { name, what = 'sample' }: { name?: string; what?: string } = {}): { train: D; test: D } {
  if (test) return { train, test };
  try { return trainTestSplit(train, { testFraction: 0.2, seed: 1, stratify: true }); } catch (error) {
    // too few samples to give both parts: named as the source and what it holds (t.csv: 2 rows cannot be split …)
    const n = train.labels.length;
    if (name === undefined) throw error;
    throw new RangeError((error as Error).message.replace(/^trainTestSplit: \d+ samples/, `${name}: ${n.toLocaleString('en')} ${what}${n === 1 ? '' : 's'}`));
  }
}

/** Sample n as a tensor of the sample shape (a view on the data set). */
export function sampleTensor(data: Dataset, n: number): Tensor {
  const size = sizeOf(data.sampleShape);
  if (!(Number.isInteger(n) && n >= 0 && n < count(data))) throw new RangeError(`sampleTensor: sample ${n} is out of range (0..${count(data) - 1})`);
  return fromData(data.inputs.subarray(n * size, (n + 1) * size), data.sampleShape);
}

/** All inputs as one tensor [count, ...sampleShape]. */
export function inputsTensor(data: Dataset): Tensor {
  return fromData(data.inputs, [count(data), ...data.sampleShape]);
}

/** Feature-wise z-scores with statistics from `reference` (the training set), applied to every set given. */
export function standardize(reference: Dataset, ...sets: Dataset[]): { mean: number[]; std: number[] } {
  const size = sizeOf(reference.sampleShape), n = count(reference);
  const mean = new Array(size).fill(0), std = new Array(size).fill(0);
  for (let i = 0; i < n; i++) for (let f = 0; f < size; f++) mean[f] += reference.inputs[i * size + f] / n;
  for (let i = 0; i < n; i++) for (let f = 0; f < size; f++) std[f] += (reference.inputs[i * size + f] - mean[f]) ** 2 / n;
  for (let f = 0; f < size; f++) std[f] = Math.sqrt(std[f]) || 1;
  for (const set of sets) applyStandardization(set.inputs, { mean, std });
  return { mean, std };
}

/** z = (x − mean[f]) / std[f] for each feature f of each sample in `inputs` (samples of mean.length features), in place:
 *  the statistics standardize computed on a training set, applied to more data (a table's test part, predict). */
export function applyStandardization(inputs: Float32Array, { mean, std }: { mean: readonly number[]; std: readonly number[] }): void {
  const size = mean.length;
  if (std.length !== size || inputs.length % size !== 0) {
    throw new RangeError(`applyStandardization: ${mean.length} means and ${std.length} spreads for ${inputs.length} values (not whole samples)`);
  }
  for (let i = 0; i < inputs.length; i += size) for (let f = 0; f < size; f++) inputs[i + f] = (inputs[i + f] - mean[f]) / std[f];
}

/** Standard digit split of DESIGN.md: per class, the first 80 % (rounded) train, the rest test. */
export function standardDigitSplit(perClass: Float32Array[]): { train: Dataset; test: Dataset } {
  const size = 784;
  const parts = perClass.map((values, digit) => {
    const total = values.length / size, trainCount = Math.round(total * 0.8);
    return { digit, total, trainCount, values };
  });
  const build = (pick: (p: typeof parts[number]) => [number, number]): Dataset => {
    const total = parts.reduce((t, p) => { const [a, b] = pick(p); return t + b - a; }, 0);
    const inputs = new Float32Array(total * size), labels = new Int32Array(total);
    let at = 0;
    for (const p of parts) {
      const [a, b] = pick(p);
      inputs.set(p.values.subarray(a * size, b * size), at * size);
      labels.fill(p.digit, at, at + b - a);
      at += b - a;
    }
    return { inputs, labels, sampleShape: [1, 28, 28], classes: 10 };
  };
  return { train: build((p) => [0, p.trainCount]), test: build((p) => [p.trainCount, p.total]) };
}
