import { tensor, relu as reference, toArray } from '../../core/index.js';
import { type Check, runCase, lcg, randomNested, show, close, sameJSON, type Nested } from '../lib.js';

const each = (x: number[][][], f: (v: number) => number) => x.map((m) => m.map((r) => r.map(f)));

export const check: Check = {
  title: 'ReLU',
  exports: ['relu'],
  hints: ['ReLU keeps positive values and turns negative ones into 0', 'x.map(map => map.map(row => row.map(v => Math.max(v, 0)))) builds a new stack'],
  cases(impl) {
    const relu = impl.relu as (x: number[][][]) => number[][][];
    const random = lcg(2);
    const cases = [[1, 3, 4], [3, 5, 5], [8, 24, 24]].map((shape) => {
      const x = randomNested(random, shape) as number[][][];
      const want = toArray(reference(tensor(x as unknown as number[])));
      return runCase(`random ${shape.join('×')} stack`, show(x), () => relu(structuredClone(x)), want, [
        { when: (a) => close(a, each(x, Math.abs)), hint: 'that is |x|: negative values become 0, not positive' },
        { when: (a) => close(a, each(x, (v) => Math.min(v, 0))), hint: 'that is min(x, 0): ReLU keeps the positive part' },
        { when: (a) => close(a, each(x, (v) => (v >= 0 ? 1 : 0))) || close(a, each(x, (v) => (v > 0 ? 1 : 0))), hint: 'that is the derivative (1 where x > 0): ReLU itself returns x where x > 0' },
      ]);
    });
    const x = [[[-1, 2], [3, -4]]];
    cases.push(runCase('leaves its input unchanged', show(x), () => { const input = structuredClone(x); relu(input); return input as Nested; }, structuredClone(x),
      [{ when: (a) => !sameJSON(a, x), hint: 'your relu wrote into its input: return a new array (map), do not assign into x' }]));
    return cases;
  },
};
