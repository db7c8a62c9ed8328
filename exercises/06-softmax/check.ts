import { tensor, softmax as reference, toArray } from '../../core/index.js';
import { type Check, runCase, show } from '../lib.js';

export const check: Check = {
  title: 'numerically stable softmax',
  run(impl) {
    const softmax = impl.softmax as (z: number[]) => number[];
    const cases: [string, number[]][] = [
      ['small logits', [1, 2, 3]], ['ten classes', [0.5, -1, 2, 3.5, 0, 0, -2, 1, 1.5, -0.5]],
      ['equal logits', [7, 7, 7, 7]], ['logits that overflow naively', [1000, 1001, 1002]], ['very negative logits', [-1000, -1001, -999]],
    ];
    return cases.map(([name, z]) => runCase(name, show(z), () => softmax(z), toArray(reference(tensor(z))), [
      { when: (a) => (a as number[]).some(Number.isNaN), hint: 'NaN: e^1000 overflows to Infinity and Infinity/Infinity is NaN; subtract max(z) before exp' },
      { when: (a) => Math.abs((a as number[]).reduce((s, v) => s + v, 0) - 1) > 1e-6, hint: 'the probabilities do not sum to 1: divide each exponential by the sum of all of them' },
    ], 1e-6));
  },
};
