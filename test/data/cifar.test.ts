// The CIFAR-10 binary loader against small files of the exact format, written byte by byte here:
// per record 1 label byte, then 1,024 red, 1,024 green, 1,024 blue bytes (32×32 row-major each).
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCifar10, CIFAR10_CLASSES, classNamesFor, sampleTensor, toFloatDataset } from '../../core/index.js';
import { loadCifar10 } from '../../core/node.js';

/** Record n of a synthetic file: label (n·3 + file) mod 10; red = (y·32 + x + n) mod 256, green = 255 − that,
 *  blue = a constant per record, so a wrong plane order, a transposed plane or an off-by-one record shows. */
function record(file: number, n: number): Uint8Array {
  const bytes = new Uint8Array(3073);
  bytes[0] = (n * 3 + file) % 10;
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) {
    const red = (y * 32 + x + n) % 256;
    bytes[1 + y * 32 + x] = red;
    bytes[1 + 1024 + y * 32 + x] = 255 - red;
    bytes[1 + 2048 + y * 32 + x] = (17 * n + 40 * file) % 256;
  }
  return bytes;
}
function batchFile(file: number, records: number): Uint8Array {
  const bytes = new Uint8Array(records * 3073);
  for (let n = 0; n < records; n++) bytes.set(record(file, n), n * 3073);
  return bytes;
}

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'convlab-cifar-'));
  for (let f = 1; f <= 5; f++) writeFileSync(join(directory, `data_batch_${f}.bin`), batchFile(f, 4));
  writeFileSync(join(directory, 'test_batch.bin'), batchFile(0, 3));
});

describe('parseCifar10 reads the binary format', () => {
  const data = parseCifar10(batchFile(2, 5), 'data_batch_2.bin');

  it('counts the records and reads each label byte', () => {
    expect(data.labels.length).toBe(5);
    expect(Array.from(data.labels)).toEqual([2, 5, 8, 1, 4]);
    expect(data.sampleShape).toEqual([3, 32, 32]);
    expect(data.classes).toBe(10);
    expect(data.classNames).toEqual(CIFAR10_CLASSES);
  });

  it('puts the red, green and blue planes at channels 0, 1, 2, rows then columns, as byte / 255', () => {
    for (const n of [0, 3]) {
      const sample = sampleTensor(toFloatDataset(data), n);
      for (const [y, x] of [[0, 0], [0, 31], [1, 0], [17, 5], [31, 31]]) {
        const red = (y * 32 + x + n) % 256;
        expect(sample.get(0, y, x)).toBeCloseTo(red / 255, 6);
        expect(sample.get(1, y, x)).toBeCloseTo((255 - red) / 255, 6);
        expect(sample.get(2, y, x)).toBeCloseTo(((17 * n + 80) % 256) / 255, 6);
      }
    }
  });

  it('keeps values in [0,1], reaching both ends for bytes 0 and 255', () => {
    const values = Array.from(toFloatDataset(data).inputs);
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(1);
    expect(data.bytes).toBeInstanceOf(Uint8Array); // kept as bytes: 3,072 a picture, not 12,288
    expect(data.bytes.length).toBe(5 * 3072);
  });

  it('keeps only the first records when given a limit', () => {
    const first = parseCifar10(batchFile(2, 5), 'x', { limit: 2 });
    expect(Array.from(first.labels)).toEqual([2, 5]);
    expect(first.bytes).toEqual(data.bytes.subarray(0, 2 * 3072));
  });

  it('refuses a truncated file, naming its size and the record size', () => {
    const truncated = batchFile(1, 3).subarray(0, 3 * 3073 - 100);
    expect(() => parseCifar10(truncated, 'data_batch_1.bin')).toThrow(/data_batch_1\.bin is not a whole number of CIFAR-10 records: 9,119 bytes, expected a multiple of 3,073.*truncated/);
    expect(() => parseCifar10(new Uint8Array(0), 'empty.bin')).toThrow(/empty\.bin is not a whole number.*0 bytes/);
  });

  it('refuses a foreign file: labels past 9, CIFAR-100, a pickle, an archive', () => {
    const foreign = batchFile(1, 2);
    foreign[3073] = 57;
    expect(() => parseCifar10(foreign, 'x.bin')).toThrow(/x\.bin: record 1 has label 57, expected 0–9: not a CIFAR-10 binary file/);
    // CIFAR-100: 2 label bytes + 3,072 pixels = 3,074 bytes per record; 3,073 records of it are a multiple of 3,073
    const cifar100 = new Uint8Array(3074 * 3073).fill(80);
    expect(() => parseCifar10(cifar100, 'train.bin')).toThrow(/label 80.*CIFAR-100/);
    expect(() => parseCifar10(Uint8Array.from([0x80, 0x02, 0x7d, 0x71]), 'data_batch_1')).toThrow(/Python pickle.*binary version/);
    expect(() => parseCifar10(Uint8Array.from([0x1f, 0x8b, 8, 0]), 'cifar-10-binary.tar.gz')).toThrow(/gzip-compressed: extract/);
  });
});

describe('loadCifar10 reads a folder of the six files', () => {
  it('joins data_batch_1 … 5 in order for training, test_batch for testing', () => {
    const { train, test } = loadCifar10(directory);
    expect(train.labels.length).toBe(20);
    expect(test.labels.length).toBe(3);
    // record 0 of file f has label f, record 1 has f + 3: files in order 1..5, records in order
    expect(Array.from(train.labels.subarray(0, 8))).toEqual([1, 4, 7, 0, 2, 5, 8, 1]);
    expect(Array.from(test.labels)).toEqual([0, 3, 6]);
    expect(sampleTensor(toFloatDataset(train), 4).get(2, 0, 0)).toBeCloseTo(80 / 255, 6); // file 2, record 0: blue = 40·2
  });

  it('finds the files in the archive\'s cifar-10-batches-bin folder too, and honours the limits', () => {
    const outer = mkdtempSync(join(tmpdir(), 'convlab-cifar-outer-'));
    mkdirSync(join(outer, 'cifar-10-batches-bin'));
    for (const file of ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']) {
      copyFileSync(join(directory, file), join(outer, 'cifar-10-batches-bin', file));
    }
    const { train, test } = loadCifar10(outer, { trainLimit: 6, testLimit: 2 });
    expect(Array.from(train.labels)).toEqual([1, 4, 7, 0, 2, 5]);
    expect(test.labels.length).toBe(2);
  });

  it('says which files are missing, where to get them and what to pass', () => {
    const empty = mkdtempSync(join(tmpdir(), 'convlab-cifar-empty-'));
    expect(() => loadCifar10(empty)).toThrow(/lacks data_batch_1\.bin, .*test_batch\.bin.*cifar-10-binary\.tar\.gz.*--data cifar10:/);
    expect(() => loadCifar10(join(empty, 'nowhere'))).toThrow(/is not a folder.*cifar-10-binary\.tar\.gz/);
  });

  it('refuses a damaged file among them, naming it', () => {
    const damaged = mkdtempSync(join(tmpdir(), 'convlab-cifar-damaged-'));
    for (let f = 1; f <= 5; f++) writeFileSync(join(damaged, `data_batch_${f}.bin`), batchFile(f, 2));
    writeFileSync(join(damaged, 'test_batch.bin'), batchFile(0, 2).subarray(0, 5000));
    expect(() => loadCifar10(damaged)).toThrow(/test_batch\.bin is not a whole number of CIFAR-10 records: 5,000 bytes/);
  });
});

describe('classNamesFor', () => {
  it('names CIFAR-10 classes for a 32×32 colour model with 10 outputs, indices otherwise', () => {
    expect(classNamesFor([3, 32, 32], 10)).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    expect(classNamesFor([1, 28, 28], 10)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(classNamesFor([3, 32, 32], 3)).toEqual(['0', '1', '2']);
  });
});
