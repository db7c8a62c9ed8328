import { argmax as reference, accuracy } from '../../core/index.js';
import { type Check, type Case, runCase, lcg, randomNested } from '../lib.js';

export const check: Check = {
  title: 'arg-max and accuracy from probabilities',
  exports: ['argmax', 'accuracyFromProbabilities'],
  hints: [
    'argmax returns where the largest value is (an index), not the value itself',
    'keep the index of the best so far and replace it only when a value is strictly larger (>), so ties keep the first',
    'accuracy: for each row n, compare argmax(P[n]) with labels[n]; divide the count by N',
  ],
  cases(impl) {
    const argmax = impl.argmax as (p: number[]) => number;
    const fromP = impl.accuracyFromProbabilities as (P: number[][], l: number[]) => number;
    const vectors: [string, number[]][] = [['largest in the middle', [0.1, 0.7, 0.2]], ['largest last', [0.2, 0.3, 0.5]], ['largest first', [0.9, 0.05, 0.05]],
      ['a tie: the first wins', [0.1, 0.4, 0.1, 0.4]], ['negative scores (logits)', [-3, -1, -2]], ['ten classes', [0.01, 0.02, 0.05, 0.1, 0.3, 0.2, 0.1, 0.1, 0.07, 0.05]]];
    const cases: Case[] = vectors.map(([name, p]) => runCase(`argmax, ${name}`, JSON.stringify(p), () => argmax(p.slice()), reference(p), [
      { when: (a) => a === Math.max(...p), hint: 'that is the largest value: argmax returns its index (the class)' },
      { when: (a) => a === 0 && Math.max(...p) < 0, hint: 'every score here is negative, so a running maximum that starts at 0 is never beaten: start from p[0] (or −Infinity), not 0' },
      { when: (a) => a === p.lastIndexOf(Math.max(...p)) && p.indexOf(Math.max(...p)) !== a, hint: 'on a tie the last index won: use > (not >=) so the first largest stays' },
      { when: (a) => a === reference(p) + 1, hint: 'classes are numbered from 0' },
      { when: (a) => a === p.indexOf(Math.min(...p)), hint: 'that is the smallest value\'s index: keep the largest' },
    ]));
    const random = lcg(15), P = Array.from({ length: 40 }, () => (randomNested(random, [3], 0, 1) as number[]));
    const labels = P.map((_, n) => (n * 7) % 3);
    // both tied rows are right only when ties go to the first largest, so taking the last on a tie costs two rows
    P[0] = [0.4, 0.4, 0.2]; labels[0] = 0; P[1] = [0.3, 0.35, 0.35]; labels[1] = 1;
    const want = accuracy(P.map((row) => reference(row)), labels);
    cases.push(runCase('accuracy of 40 rows of 3 probabilities (ties included)', '40 × 3, labels 0/1/2', () => fromP(structuredClone(P), labels.slice()), want, [
      { when: (a) => a === want * labels.length, hint: 'that is the count of right rows: divide by N' },
      { when: (a) => a === want * 100, hint: 'return a fraction in [0, 1], not a percentage' },
      { when: (a) => a === accuracy(P.map((row) => row.lastIndexOf(Math.max(...row))), labels), hint: 'the two tied rows [0.4, 0.4, 0.2] (label 0) and [0.3, 0.35, 0.35] (label 1) came out wrong: your accuracy takes the last largest on a tie; call your argmax (ties go to the first largest, > not >=)' },
      { when: (a) => typeof a === 'number' && Math.abs(a - want) <= 2.5 / labels.length, hint: 'one or two rows off: the tied rows [0.4, 0.4, 0.2] (label 0) and [0.3, 0.35, 0.35] (label 1) — ties go to the first largest (use >, not >=)' },
    ]));
    cases.push(runCase('accuracy when the probabilities are columns apart from labels: 2 samples × 4 classes', '[[0, 0, 1, 0], [1, 0, 0, 0]], labels [2, 1]', () => fromP([[0, 0, 1, 0], [1, 0, 0, 0]], [2, 1]), 0.5, [
      { when: (a) => a === 0 || a === 1, hint: 'each row is one sample: take the arg-max along the row (over the classes), not down the columns' }]));
    return cases;
  },
};
