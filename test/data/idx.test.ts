// The IDX loader (MNIST's format) on files written here byte by byte, plain and gzip, and on hostile ones: each
// refusal names the file and what was wrong, before anything large is allocated.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadIdx, gunzipIdx, parseIdx, IDX_LIMITS, createPreset, fit, evaluate, toFloatDataset, subset, trainTestSplit, type ByteDataset } from '../../core/index.js';
import { loadMnistFolder, readIdxFile } from '../../core/node.js';
import { idxBytes, idxSet, pixel, labelOf, writeMnistFolder } from './idxFiles.js';

const root = mkdtempSync(join(tmpdir(), 'convlab-idx-'));
let plain = '', gz = '';
beforeAll(() => {
  plain = join(root, 'plain'); gz = join(root, 'gz');
  mkdirSync(plain); mkdirSync(gz);
  writeMnistFolder(plain, { train: 40, test: 12 });
  writeMnistFolder(gz, { train: 40, test: 12, gzip: true });
});

describe('loadIdx reads the format', () => {
  const { images, labels } = idxSet(5, 4, 6, 10);
  const data = loadIdx(images, labels);
  it('keeps the pixels as bytes [count, 1, rows, cols], row-major, scaled by 255, and every label', () => {
    expect(data.sampleShape).toEqual([1, 4, 6]);
    expect(data.divisor).toBe(255);
    expect(data.bytes).toBeInstanceOf(Uint8Array);
    expect(data.bytes.length).toBe(5 * 24);
    for (const [n, y, x] of [[0, 0, 0], [1, 0, 5], [3, 2, 1], [4, 3, 5]]) expect(data.bytes[n * 24 + y * 6 + x]).toBe(pixel(n, y, x, 6));
    expect(Array.from(data.labels)).toEqual([0, 1, 2, 3, 4].map((n) => labelOf(n, 10)));
  });
  it('takes the class count from the largest label, or checks the labels against the one given', () => {
    expect(data.classes).toBe(Math.max(...[0, 1, 2, 3, 4].map((n) => labelOf(n, 10))) + 1);
    expect(loadIdx(images, labels, { classes: 10 }).classes).toBe(10);
    // EMNIST letters: labels 1..26, 27 outputs
    const letters = idxBytes([3], Uint8Array.from([1, 26, 5]));
    expect(loadIdx(idxBytes([3, 2, 2], new Uint8Array(12)), letters).classes).toBe(27);
  });
  it('keeps the first `limit` samples', () => {
    const first = loadIdx(images, labels, { limit: 2 });
    expect(first.labels.length).toBe(2);
    expect(Array.from(first.bytes)).toEqual(Array.from(data.bytes.subarray(0, 48)));
  });
});

describe('loadIdx refuses a bad file, naming it', () => {
  const good = idxSet(4, 3, 3, 10);
  const refuse = (images: Uint8Array, labels: Uint8Array, pattern: RegExp, options = {}) =>
    expect(() => loadIdx(images, labels, { imagesName: 'img.idx', labelsName: 'lab.idx', ...options })).toThrow(pattern);
  it('a truncated file, or one with bytes past its data', () => {
    refuse(good.images.subarray(0, good.images.length - 1), good.labels, /img\.idx is truncated: 51 bytes, but its header declares 4 × 3 × 3 elements \(16 header bytes \+ 36 data bytes = 52\)/);
    refuse(good.images.subarray(0, 10), good.labels, /img\.idx has 10 bytes, too short for its 16-byte IDX header: truncated/);
    refuse(new Uint8Array([0, 0]), good.labels, /img\.idx has 2 bytes, too short for an IDX header/);
    const longer = new Uint8Array(good.labels.length + 3); longer.set(good.labels);
    refuse(good.images, longer, /lab\.idx has 3 bytes more than its header declares/);
  });
  it('a wrong magic number, element type or number of dimensions', () => {
    refuse(idxBytes([4, 3, 3], new Uint8Array(36), { magic: [0x89, 0x50] }), good.labels, /img\.idx is not an IDX file: its magic number starts 0x89 0x50, expected 0x00 0x00/);
    refuse(idxBytes([4, 3, 3], new Uint8Array(36), { type: 0x0d }), good.labels, /img\.idx: IDX element type 0x0d \(float32\), expected 0x08 \(unsigned byte/);
    refuse(good.images, good.images, /lab\.idx: an IDX file of 3 dimensions, expected labels .*is this the images file\?/);
    refuse(good.labels, good.labels, /img\.idx: an IDX file of 1 dimension, expected images .*is this the labels file\?/);
    refuse(Uint8Array.from(gzipSync(good.images)), good.labels, /img\.idx is still gzip-compressed/);
  });
  it('counts that differ, a label past the classes, no samples, images past the limits', () => {
    refuse(good.images, idxBytes([3], new Uint8Array(3)), /lab\.idx has 3 labels but img\.idx has 4 images: the counts must be equal/);
    refuse(good.images, idxBytes([4], Uint8Array.from([1, 2, 10, 3])), /lab\.idx: label 2 is 10, outside 0\.\.9 \(10 classes/, { classes: 10 });
    refuse(idxBytes([0, 3, 3], new Uint8Array(0)), idxBytes([0], new Uint8Array(0)), /img\.idx declares 0 samples/);
    refuse(idxBytes([4, 5000, 3], new Uint8Array(0)), good.labels, /img\.idx declares images of 5000×3 pixels; each side must be 1 to 1024/);
  });
  it('a header declaring more than the limit is refused from its 16 bytes (nothing allocated for it)', () => {
    const header = idxBytes([0xffffffff, 1024, 1024], new Uint8Array(0));
    expect(() => parseIdx(header, 'huge.idx', 3)).toThrow(new RegExp(`huge\\.idx declares 4,294,967,295 × 1,024 × 1,024 = .* bytes of data, more than the limit of ${IDX_LIMITS.bytes.toLocaleString('en')}`));
  });
});

describe('loadMnistFolder reads the four files, plain or .gz', () => {
  it('gives the same data from plain and gzip files, as bytes', () => {
    const a = loadMnistFolder(plain), b = loadMnistFolder(gz);
    expect(a.train.labels.length).toBe(40); expect(a.test.labels.length).toBe(12);
    expect(a.train.sampleShape).toEqual([1, 28, 28]);
    expect(a.train.classes).toBe(10);
    expect(Array.from(b.train.bytes)).toEqual(Array.from(a.train.bytes));
    expect(Array.from(b.test.labels)).toEqual(Array.from(a.test.labels));
    expect(a.test.bytes[3 * 784 + 5 * 28 + 7]).toBe(pixel(3, 5, 7, 28));
  });
  it('the browser inflater (DecompressionStream) gives the same bytes as zlib', async () => {
    const { images } = idxSet(30, 28, 28);
    expect(Array.from(await gunzipIdx(Uint8Array.from(gzipSync(images)), 'x.gz', 3))).toEqual(Array.from(images));
  });
  it('names what is missing', () => {
    const partial = join(root, 'partial'); mkdirSync(partial);
    writeMnistFolder(partial);
    rmSync(join(partial, 't10k-labels-idx1-ubyte'));
    expect(() => loadMnistFolder(partial)).toThrow(/lacks t10k-labels-idx1-ubyte\[\.gz\].*--data mnist:DIR/);
    expect(() => loadMnistFolder(join(root, 'nowhere'))).toThrow(/nowhere is not a folder/);
  });
  it('a label past the model\'s classes names the file', () => {
    const letters = join(root, 'letters'); mkdirSync(letters);
    writeMnistFolder(letters, { classes: 27 });
    expect(loadMnistFolder(letters).train.classes).toBe(27);
    expect(() => loadMnistFolder(letters, { classes: 10 })).toThrow(/train-labels-idx1-ubyte: label \d+ is \d+, outside 0\.\.9/);
  });
});

describe('gzip files are inflated no further than their header declares', () => {
  const file = (name: string, bytes: Uint8Array) => { const path = join(root, name); writeFileSync(path, bytes); return path; };
  // a header for 10 images of 28×28, then 20 MB of zeros: compresses to ~20 KB
  const bomb = () => { const bytes = new Uint8Array(16 + 20_000_000); bytes.set(idxBytes([10, 28, 28], new Uint8Array(0))); return Uint8Array.from(gzipSync(bytes)); };
  it('a zip bomb is refused as it inflates (Node)', () => {
    expect(() => readIdxFile(file('bomb-idx3-ubyte.gz', bomb()), 3)).toThrow(/bomb-idx3-ubyte\.gz inflates to more than the 7,856 bytes its IDX header declares/);
  });
  it('a zip bomb is refused as it inflates (browser)', async () => {
    await expect(gunzipIdx(bomb(), 'bomb.gz', 3)).rejects.toThrow(/bomb\.gz inflates to more than the 7,856 bytes its IDX header declares/);
  });
  it('a truncated gzip file, or one whose contents are short, is refused', async () => {
    const { images } = idxSet(20, 28, 28);
    const packed = Uint8Array.from(gzipSync(images));
    expect(() => readIdxFile(file('cut-idx3-ubyte.gz', packed.subarray(0, packed.length - 100)), 3)).toThrow(/cut-idx3-ubyte\.gz is a (truncated|damaged) gzip file/);
    await expect(gunzipIdx(packed.subarray(0, packed.length - 100), 'cut.gz', 3)).rejects.toThrow(/cut\.gz is (a damaged or truncated gzip file|truncated)/);
    const short = Uint8Array.from(gzipSync(images.subarray(0, 1000)));
    expect(() => readIdxFile(file('short-idx3-ubyte.gz', short), 3)).toThrow(/short-idx3-ubyte\.gz \(inflated\) is truncated: 1,000 bytes/);
    await expect(gunzipIdx(short, 'short.gz', 3)).rejects.toThrow(/short\.gz is truncated: it inflates to 1,000 bytes, but its IDX header declares 15,696/);
    const wrong = Uint8Array.from(gzipSync(idxBytes([4], new Uint8Array(4))));
    expect(() => readIdxFile(file('wrong-idx3-ubyte.gz', wrong), 3)).toThrow(/wrong-idx3-ubyte\.gz \(inflated\): an IDX file of 1 dimension/);
  });
  it('a plain file whose length disagrees with its header is refused before it is read', () => {
    const { labels } = idxSet(20);
    expect(() => readIdxFile(file('lab-idx1-ubyte', labels.subarray(0, 20)), 1)).toThrow(/lab-idx1-ubyte is truncated: 20 bytes/);
  });
});

describe('training on bytes', () => {
  const { images, labels } = idxSet(60, 28, 28, 10);
  const bytes = loadIdx(images, labels);
  const floats = toFloatDataset(bytes);
  it('gives the same weights and history, bit for bit, as the same values stored as floats', () => {
    const options = { epochs: 2, batchSize: 16, seed: 4, validationSplit: 0.25, augment: { shift: 1 }, optimizer: { type: 'adam' as const, learningRate: 0.01 } };
    const a = createPreset('mlp', { seed: 2 }), b = createPreset('mlp', { seed: 2 });
    const ha = fit(a, bytes, options), hb = fit(b, floats, options);
    expect(ha.history).toEqual(hb.history);
    a.params().forEach((p, i) => expect(Array.from(p.value.data)).toEqual(Array.from(b.params()[i].value.data)));
    const ea = evaluate(a, bytes), eb = evaluate(b, floats);
    expect(ea.loss).toBe(eb.loss);
    expect(Array.from(ea.outputs)).toEqual(Array.from(eb.outputs));
  });
  it('subsets and splits stay bytes', () => {
    const part: ByteDataset = subset(bytes, [5, 1]);
    expect(part.bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(part.bytes.subarray(784, 1568))).toEqual(Array.from(bytes.bytes.subarray(784, 1568)));
    const { train, test } = trainTestSplit(bytes, { testFraction: 0.5, seed: 1 });
    expect(train.bytes.length + test.bytes.length).toBe(bytes.bytes.length);
  });
});
