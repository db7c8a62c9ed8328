import { tensor, softmax as reference, toArray } from '../../core/index.js';
import { type Check, runCase, show, propertyCase, sameJSON, compare } from '../lib.js';

const shifted = (z: number[], by: number) => { const e = z.map((v) => Math.exp(v - by)); const s = e.reduce((a, b) => a + b, 0); return e.map((v) => v / s); };
const sameAs = (a: unknown, b: number[]) => sameJSON((a as number[]).map((v) => (Number.isNaN(v) ? 'NaN' : v)), b.map((v) => (Number.isNaN(v) ? 'NaN' : v)));

export const check: Check = {
  title: 'numerically stable softmax',
  exports: ['softmax'],
  hints: [
    'softmax(z) = softmax(z − c) for any constant c: pick c so that no exponent is larger than 0',
    'c = max(z): then the largest term is e^0 = 1 and the sum is at least 1, so nothing overflows or divides by 0',
  ],
  cases(impl) {
    const softmax = impl.softmax as (z: number[]) => number[];
    const cases: [string, number[]][] = [
      ['small logits', [1, 2, 3]], ['ten classes', [0.5, -1, 2, 3.5, 0, 0, -2, 1, 1.5, -0.5]],
      ['equal logits', [7, 7, 7, 7]], ['logits that overflow naively', [1000, 1001, 1002]], ['very negative logits', [-1000, -1001, -999]],
      ['logits 800 apart: [0, 800]', [0, 800]], ['a spread of 1500: [0, 750, −750, 3]', [0, 750, -750, 3]],
    ];
    const list = cases.map(([name, z]) => {
      const max = Math.max(...z), min = Math.min(...z);
      return runCase(name, show(z), () => softmax(z.slice()), toArray(reference(tensor(z))), [
        { when: (a) => min !== max && min !== z[0] && sameAs(a, shifted(z, min)), hint: 'shifted by min(z): the largest exponent is then max − min (here ' + (max - min) + '), and e^x overflows above x ≈ 709; subtract max(z) instead' },
        { when: (a) => z[0] !== max && sameAs(a, shifted(z, z[0])), hint: (min === z[0] ? 'shifted by z[0] (here also min(z))' : 'shifted by z[0]') + ': that only helps when z[0] is the largest logit; e^(' + (max - z[0]) + ') overflows; subtract max(z)' },
        { when: (a) => (a as number[]).some(Number.isNaN), hint: 'NaN: an exponent overflows to Infinity and Infinity/Infinity is NaN; subtract max(z) before exp' },
        { when: (a) => Math.abs((a as number[]).reduce((s, v) => s + v, 0) - 1) > 1e-6, hint: 'the probabilities do not sum to 1: divide each exponential by the sum of all of them' },
      ], 1e-6);
    });
    list.push(propertyCase('two calls give two separate arrays', 'softmax([1, 2]), then softmax([3, 0])', () => {
      const first = softmax([1, 2]), copy = Array.from(first);
      const second = softmax([3, 0]);
      if (first === second) return { difference: 'both calls returned the same array object', hint: 'you return one shared array: create a new array on every call (z.map(…))' };
      const d = compare(first, copy, 0);
      return d ? { difference: `the first result changed after the second call: ${d}`, hint: 'the first result changed when softmax was called again: keep no state between calls; build a new array each time' } : null;
    }));
    list.push(propertyCase('leaves its input unchanged', 'z = [1, 2, 3]', () => {
      const z = [1, 2, 3];
      softmax(z);
      return sameJSON(z, [1, 2, 3]) ? null : { difference: `z became ${show(z)}`, hint: 'your softmax overwrote the caller\'s z: write the results into a new array' };
    }));
    return list;
  },
};
