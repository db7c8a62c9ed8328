// trainTestSplit (core/data/dataset.ts) at a table's limits: the same split as the per-class filter it replaced, one
// pass over the labels (1,000 classes of a 1,000,000-row table once took 262 s), no spread of a large group into
// push() (a 1,000,000-row table of two classes once failed with "Maximum call stack size exceeded").
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { trainTestSplit, type Dataset } from '../../core/data/dataset.js';
import { seeded } from '../../core/random.js';

const data = (labels: number[], classes: number): Dataset =>
  ({ inputs: Float32Array.from(labels.keys()), labels: Int32Array.from(labels), sampleShape: [1], classes });

/** The split as it was written before: one filter over every label per class, then the same seeded shuffle. */
function reference(labels: number[], classes: number, testFraction: number, seed: number, stratify: boolean) {
  const random = seeded(seed), train: number[] = [], test: number[] = [];
  const groups = stratify ? Array.from({ length: classes }, (_, c) => labels.map((_, n) => n).filter((n) => labels[n] === c)) : [labels.map((_, n) => n)];
  for (const group of groups) {
    random.shuffle(group);
    const testCount = Math.round(group.length * testFraction);
    train.push(...group.slice(0, group.length - testCount));
    test.push(...group.slice(group.length - testCount));
  }
  return { train, test };
}

describe('trainTestSplit', () => {
  it('picks exactly the samples the per-class filter picked, stratified or not (the sample index is the input)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.nat(), { minLength: 6, maxLength: 60 }), fc.integer({ min: 1, max: 9 }),
      fc.nat(1000), fc.boolean(), (classes, raw, tenths, seed, stratify) => {
        const labels = raw.map((v) => v % classes), fraction = tenths / 10;
        const expected = reference(labels, classes, fraction, seed, stratify);
        if (expected.train.length === 0 || expected.test.length === 0) {
          expect(() => trainTestSplit(data(labels, classes), { testFraction: fraction, seed, stratify })).toThrow(/cannot be split/);
          return;
        }
        const { train, test } = trainTestSplit(data(labels, classes), { testFraction: fraction, seed, stratify });
        expect(Array.from(train.inputs)).toEqual(expected.train);
        expect(Array.from(test.inputs)).toEqual(expected.test);
        expect(Array.from(train.labels)).toEqual(expected.train.map((n) => labels[n]));
      }), { numRuns: 200 });
  });
  it('splits 1,000,000 samples with one class of 500,000 and 999 small ones', () => {
    const labels = Array.from({ length: 1_000_000 }, (_, n) => (n % 2 === 0 ? 0 : 1 + (n % 999)));
    const { train, test } = trainTestSplit(data(labels, 1000), { testFraction: 0.2, seed: 1, stratify: true });
    expect(train.labels.length + test.labels.length).toBe(1_000_000);
    expect(test.labels.filter((l) => l === 0).length).toBe(100_000); // round(0.2 × 500,000)
  });
  it('names why a few samples cannot be split, and refuses a label outside the classes', () => {
    expect(() => trainTestSplit(data([0, 1], 2), { stratify: true })).toThrow(/^trainTestSplit: 2 samples cannot be split 0.8\/0.2 per class \(a class keeps round\(0.2 × its samples\) for testing: 3 or more give one\)$/);
    expect(() => trainTestSplit(data([0, 1], 2))).toThrow(/^trainTestSplit: 2 samples cannot be split 0.8\/0.2$/);
    expect(() => trainTestSplit(data([0, 1, 2, 0, 1, 0], 2), { stratify: true })).toThrow(/^trainTestSplit: sample 2 has label 2, outside 0..1$/);
  });
});
