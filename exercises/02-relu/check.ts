import { tensor, relu as reference, toArray } from '../../core/index.js';
import { type Check, runCase, lcg, randomNested, show, close, type Nested } from '../lib.js';

export const check: Check = {
  title: 'ReLU',
  run(impl) {
    const relu = impl.relu as (x: number[][][]) => number[][][];
    const random = lcg(2);
    const results = [[1, 3, 4], [3, 5, 5], [8, 24, 24]].map((shape) => {
      const x = randomNested(random, shape) as number[][][];
      const want = toArray(reference(tensor(x as unknown as number[])));
      return runCase(`random ${shape.join('×')} stack`, show(x), () => relu(x), want, [
        { when: (a) => close(a, (x as Nested[]).map((m) => (m as number[][]).map((r) => r.map((v) => Math.abs(v))))), hint: 'that is |x|: negative values become 0, not positive' },
        { when: (a) => close(a, (x as Nested[]).map((m) => (m as number[][]).map((r) => r.map((v) => Math.min(v, 0))))), hint: 'that is min(x, 0): ReLU keeps the positive part' },
      ]);
    });
    const x = [[[-1, 2], [3, -4]]];
    const copy = JSON.stringify(x);
    results.push(runCase('leaves its input unchanged', show(x), () => { relu(x); return JSON.parse(JSON.stringify(x)); }, JSON.parse(copy),
      [{ when: () => true, hint: 'return a new array instead of writing into the input (map, not assignment)' }]));
    return results;
  },
};
