import { accuracy as reference } from '../../core/index.js';
import { type Check, type Case, runCase, propertyCase, lcg, sameJSON } from '../lib.js';

type Split = (n: number, f: number, r: () => number) => { train: number[]; test: number[] };

export const check: Check = {
  title: 'accuracy and a train/test split',
  exports: ['accuracy', 'trainTestSplit'],
  hints: [
    'accuracy: count the n with predicted[n] === labels[n], then divide by labels.length',
    'split: shuffle the indices 0..n−1 first (Fisher–Yates: for i from n−1 down to 1, swap i with j = floor(random()·(i+1))), then cut',
    'use only the random() you are given (no Math.random), so the same generator gives the same split',
  ],
  cases(impl) {
    const accuracy = impl.accuracy as (p: number[], l: number[]) => number;
    const split = impl.trainTestSplit as Split;
    const pairs: [number[], number[]][] = [[[0, 1, 2, 1], [0, 1, 1, 1]], [[2, 2, 2], [0, 1, 2]], [[1, 0], [1, 0]], [[0, 0, 1, 1, 2], [1, 0, 1, 2, 2]]];
    const cases: Case[] = pairs.map(([p, l]) => runCase(`accuracy of ${JSON.stringify(p)} against ${JSON.stringify(l)}`, '', () => accuracy(p.slice(), l.slice()), reference(p, l), [
      { when: (a) => a === reference(p, l) * l.length, hint: 'that is the count of right answers: divide by the number of samples' },
      { when: (a) => a === reference(p, l) * 100, hint: 'return a fraction in [0, 1], not a percentage' },
      { when: (a) => a === 1 - reference(p, l), hint: 'that is the error rate: count the predictions that equal their label' },
    ]));
    // Iris-like: 150 samples stored sorted by class (0..49 class 0, 50..99 class 1, 100..149 class 2)
    const n = 150, fraction = 0.2, describe = 'n 150 (sorted by class, like Iris), testFraction 0.2';
    const classOf = (i: number) => Math.floor(i / 50);
    let memo: ReturnType<Split> | undefined;
    const get = () => (memo ??= split(n, fraction, lcg(9)));
    cases.push(runCase('test set has round(n·testFraction) = 30 samples', describe, () => get().test.length, 30, [
      { when: (a) => a === 120, hint: 'train and test are swapped: round(n·testFraction) samples go to test' }]));
    cases.push(propertyCase('train and test do not overlap and together hold every sample once', describe, () => {
      const { train, test } = get();
      const inTest = new Set(test), shared = train.filter((i) => inTest.has(i));
      if (shared.length) return { difference: `${shared.length} samples are in both sets (e.g. ${shared[0]})`, hint: 'a sample is in both sets: a model tested on what it trained on looks better than it is; cut one shuffled list in two' };
      const all = [...train, ...test].sort((a, b) => a - b);
      if (all.length !== n || !all.every((v, i) => v === i)) return { difference: `together they hold ${all.length} indices, not each of 0..149 once`, hint: 'every sample must be in exactly one set: shuffle 0..n−1, then cut it in two' };
      return null;
    }));
    cases.push(propertyCase('the test set holds all three classes', describe, () => {
      const classes = [...new Set(get().test.map(classOf))].sort();
      return classes.length === 3 ? null : { difference: `the test set holds only class(es) ${classes.join(', ')}`,
        hint: 'not shuffled: the data is sorted by class, so a slice of consecutive indices is (nearly) one species; shuffle the indices with random() before cutting' };
    }));
    cases.push(propertyCase('the same generator gives the same split; another seed another split', describe + ', seeds 9, 9 and 10', () => {
      const a = split(n, fraction, lcg(9)), b = split(n, fraction, lcg(9)), c = split(n, fraction, lcg(10));
      if (!sameJSON(a, b)) return { difference: 'two generators with the same seed gave different splits', hint: 'use only the random() you are given (not Math.random), so a split can be reproduced' };
      if (sameJSON([...a.test].sort((x, y) => x - y), [...c.test].sort((x, y) => x - y))) return { difference: 'seeds 9 and 10 gave the same test set', hint: 'the split ignores random(): draw the shuffle from it' };
      return null;
    }));
    return cases;
  },
};
