import { tensor, normalize as reference, toArray } from '../../core/index.js';
import { type Check, runCase, lcg, randomNested, show, close } from '../lib.js';

function withDivisor(x: number[][][], eps: number, sample: boolean) {
  return x.map((map) => {
    const v = map.flat(), n = v.length, mean = v.reduce((a, b) => a + b, 0) / n;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (sample ? n - 1 : n);
    return map.map((row) => row.map((value) => (value - mean) / Math.sqrt(variance + eps)));
  });
}

export const check: Check = {
  title: 'per-map normalisation',
  run(impl) {
    const normalize = impl.normalize as (x: number[][][], eps?: number) => number[][][];
    const random = lcg(4);
    const cases: [string, number[][][], number][] = [
      ['one 4×4 map', randomNested(random, [1, 4, 4], -3, 3) as number[][][], 1e-5],
      ['three maps of different scales', [randomNested(random, [5, 5], 0, 1), randomNested(random, [5, 5], -100, 100), randomNested(random, [5, 5], 40, 60)] as number[][][], 1e-5],
      ['large eps 0.5', randomNested(random, [2, 3, 3]) as number[][][], 0.5],
      ['a constant map gives zeros, not NaN', [[[4, 4], [4, 4]], [[1, 2], [3, 4]]], 0],
    ];
    return cases.map(([name, x, eps]) => {
      const want = toArray(reference(tensor(x as unknown as number[]), { eps }));
      return runCase(name, `x ${show(x)}, eps ${eps}`, () => normalize(x, eps), want, [
        { when: (a) => close(a, withDivisor(x, eps, true), 1e-4), hint: 'the variance is divided by n − 1 (sample std): normalisation uses the population variance, divided by n' },
        { when: (a) => close(a, withDivisor(x, 0, false), 1e-4), hint: 'eps is missing: divide by sqrt(variance + eps)' },
        { when: (a) => (a as number[][][]).flat(2).some(Number.isNaN), hint: 'NaN: a constant map has variance 0; with eps = 0 return zeros for it' },
      ], 1e-4);
    });
  },
};
