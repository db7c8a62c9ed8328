import { accuracy as reference } from '../../core/index.js';
import { type Check, runCase, lcg } from '../lib.js';

export const check: Check = {
  title: 'accuracy and a train/test split',
  run(impl) {
    const accuracy = impl.accuracy as (p: number[], l: number[]) => number;
    const split = impl.trainTestSplit as (n: number, f: number, r: () => number) => { train: number[]; test: number[] };
    const cases: [number[], number[]][] = [[[0, 1, 2, 1], [0, 1, 1, 1]], [[2, 2, 2], [0, 1, 2]], [[1, 0], [1, 0]]];
    const results = cases.map(([p, l]) => runCase(`accuracy of ${JSON.stringify(p)} against ${JSON.stringify(l)}`, '', () => accuracy(p, l), reference(p, l), [
      { when: (a) => a === reference(p, l) * l.length, hint: 'that is the count of right answers: divide by the number of samples' },
      { when: (a) => a === reference(p, l) * 100, hint: 'return a fraction in [0, 1], not a percentage' },
    ]));
    const n = 150, fraction = 0.2;
    const describe = 'n 150, testFraction 0.2';
    const get = () => split(n, fraction, lcg(9));
    results.push(runCase('test set has round(n·testFraction) samples', describe, () => get().test.length, 30));
    results.push(runCase('train and test do not overlap and together hold every sample once', describe, () => {
      const { train, test } = get();
      const all = [...train, ...test].sort((a, b) => a - b);
      return all.length === n && all.every((v, i) => v === i) ? 1 : 0;
    }, 1, [{ when: () => true, hint: 'a sample is in both sets or in neither: a shared sample lets the model be tested on what it learned' }]));
    results.push(runCase('the split is random (not the first/last 30 indices) and reproducible', describe, () => {
      const a = get(), b = get();
      const shuffled = a.test.some((i) => i < 120);
      return shuffled && JSON.stringify(a) === JSON.stringify(b) ? 1 : 0;
    }, 1, [{ when: () => true, hint: 'shuffle with the given random() (Iris is sorted by class, so the last 30 would all be one species), and use only random() so the same generator gives the same split' }]));
    return results;
  },
};
