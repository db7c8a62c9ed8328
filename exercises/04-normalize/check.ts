import { tensor, normalize as reference, toArray } from '../../core/index.js';
import { type Check, runCase, lcg, randomNested, show, close, sameJSON } from '../lib.js';

function variant(x: number[][][], eps: number, { sample = false, sqrtEps = false } = {}) {
  return x.map((map) => {
    const v = map.flat(), n = v.length, mean = v.reduce((a, b) => a + b, 0) / n;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (sample ? n - 1 : n);
    const sigma = sqrtEps ? Math.sqrt(variance) + eps : Math.sqrt(variance + eps);
    return map.map((row) => row.map((value) => zeroOver(value - mean, sigma)));
  });
}
/** A constant map with eps 0 is 0/0: zeros, as the task asks, so a mistake elsewhere in the same case is still named. */
const zeroOver = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** The mistake of one mean and variance for all maps together. */
function wholeStack(x: number[][][], eps: number) {
  const all = x.flat(2), n = all.length, mean = all.reduce((s, v) => s + v, 0) / n;
  const variance = all.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  return x.map((map) => map.map((row) => row.map((v) => zeroOver(v - mean, Math.sqrt(variance + eps)))));
}

export const check: Check = {
  title: 'per-map normalisation',
  exports: ['normalize'],
  hints: [
    'work map by map: the mean and the variance of one map use only that map\'s H·W values',
    'population variance: mean((x − μ)²), divided by n = H·W (not n − 1)',
    'a constant map has variance 0: with eps = 0 the division is 0/0; return zeros for it',
  ],
  cases(impl) {
    const normalize = impl.normalize as (x: number[][][], eps?: number) => number[][][];
    const random = lcg(4);
    const cases: [string, number[][][], number][] = [
      ['one 4×4 map', randomNested(random, [1, 4, 4], -3, 3) as number[][][], 1e-5],
      ['three maps of different scales', [randomNested(random, [5, 5], 0, 1), randomNested(random, [5, 5], -100, 100), randomNested(random, [5, 5], 40, 60)] as number[][][], 1e-5],
      ['large eps 0.5', randomNested(random, [2, 3, 3]) as number[][][], 0.5],
      ['a constant map gives zeros, not NaN', [[[4, 4], [4, 4]], [[1, 2], [3, 4]]], 0],
    ];
    const list = cases.map(([name, x, eps]) => {
      const want = toArray(reference(tensor(x as unknown as number[]), { eps }));
      return runCase(name, `x ${show(x)}, eps ${eps}`, () => normalize(structuredClone(x), eps), want, [
        { when: (a) => close(a, variant(x, eps, { sample: true }), 1e-4), hint: 'the variance is divided by n − 1 (sample variance): normalisation uses the population variance, divided by n' },
        { when: (a) => close(a, variant(x, eps, { sqrtEps: true }), 1e-4), hint: 'eps is added after the square root: divide by sqrt(variance + eps)' },
        { when: (a) => eps > 0 && close(a, variant(x, 0), 1e-4), hint: 'eps is missing: divide by sqrt(variance + eps)' },
        { when: (a) => (a as number[][][]).flat(2).some(Number.isNaN), hint: 'NaN: a constant map has variance 0; with eps = 0 return zeros for it' },
        { when: (a) => x.length > 1 && close(a, wholeStack(x, eps), 1e-4),
          hint: 'one mean and variance for the whole stack: normalise each map with its own mean and variance' },
      ], 1e-4);
    });
    const x = [[[1, 2], [3, 4]]];
    list.push(runCase('leaves its input unchanged', show(x), () => { const input = structuredClone(x); normalize(input, 1e-5); return input; }, structuredClone(x),
      [{ when: (a) => !sameJSON(a, x), hint: 'your normalize wrote into its input: build and return a new array' }]));
    return list;
  },
};
