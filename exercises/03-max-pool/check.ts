import { tensor, maxPool as reference, toArray } from '../../core/index.js';
import { type Check, runCase, lcg, randomNested, show, shapeOf } from '../lib.js';

type Pair = number | [number, number];
const pair = (p: Pair): [number, number] => (typeof p === 'number' ? [p, p] : p);

export const check: Check = {
  title: 'max pooling with spatial extent and stride',
  exports: ['maxPool'],
  hints: [
    'turn size and stride into pairs first: [ph, pw] and [sh, sw] (a number n means [n, n])',
    'Ho = floor((H − ph)/sh) + 1 from the height, Wo = floor((W − pw)/sw) + 1 from the width',
    'out[c][i][j] is the max over u < ph, v < pw of x[c][i·sh + u][j·sw + v]; start the max at −Infinity',
  ],
  cases(impl) {
    const maxPool = impl.maxPool as (x: number[][][], size: Pair, stride?: Pair) => number[][][];
    const random = lcg(3);
    const cases: [string, number[], Pair, Pair][] = [
      ['2×2 windows, stride 2', [2, 4, 4], 2, 2], ['24×24 map, size 2, stride 2', [8, 24, 24], 2, 2],
      ['overlapping: size 3, stride 1', [1, 5, 5], 3, 1], ['size 3, stride 2', [2, 7, 7], 3, 2],
      ['windows past the edge are dropped: 5×5, size 2', [1, 5, 5], 2, 2], ['all negative values', [1, 4, 4], 2, 2],
      ['non-square map: 4×9, size 2, stride 2', [2, 4, 9], 2, 2], ['non-square map: 8×3, size 2, stride 1', [1, 8, 3], 2, 1],
      ['non-square window 2×3, stride [2, 3] on a 6×9 map', [1, 6, 9], [2, 3], [2, 3]],
      ['window 3×1, stride [1, 2] on a 5×6 map', [2, 5, 6], [3, 1], [1, 2]],
    ];
    return cases.map(([name, shape, size, stride]) => {
      const negative = name.startsWith('all negative');
      const x = randomNested(random, shape, negative ? -5 : -1, negative ? -1 : 1) as number[][][];
      const want = toArray(reference(tensor(x as unknown as number[]), { size, stride })) as number[][][];
      const [H, W] = shape.slice(1), [ph, pw] = pair(size), [sh, sw] = pair(stride);
      const fromHeight = Math.floor((H - ph) / sh) + 1, fromWidth = Math.floor((W - pw) / sw) + 1;
      const got = (a: unknown) => shapeOf(a).slice(1);
      return runCase(name, `x ${show(x)}, size ${JSON.stringify(size)}, stride ${JSON.stringify(stride)}`, () => maxPool(x, size, stride), want, [
        { when: (a) => got(a)[0] === fromWidth && got(a)[1] === fromHeight && fromHeight !== fromWidth,
          hint: 'height and width are swapped: Ho comes from H (x[c].length), Wo from W (x[c][0].length)' },
        { when: (a) => H !== W && got(a)[1] === Math.floor((H - pw) / sw) + 1 && got(a)[1] !== fromWidth,
          hint: `the output width is computed from the map's height: Wo = floor((W − size)/stride) + 1 uses the width W = ${W}, not H = ${H}` },
        { when: (a) => (ph !== pw || sh !== sw) && JSON.stringify(got(a)) !== JSON.stringify([fromHeight, fromWidth]),
          hint: 'size and stride may be pairs [rows, columns]: use size[0], stride[0] for the height and size[1], stride[1] for the width' },
        { when: (a) => JSON.stringify(shapeOf(a)) !== JSON.stringify(shapeOf(want)),
          hint: `expected ${shapeOf(want).slice(1).join('×')} from a ${H}×${W} map: is the stride applied, and Ho = floor((H − size)/stride) + 1 (+1, floor)?` },
        { when: (a) => { const w = want.flat(2); return (a as number[][][]).flat(2).some((v, i) => v === 0 && w[i] < 0); },
          hint: 'a 0 appears where every value is negative: start the max at −Infinity (or the first value), not 0' },
      ]);
    });
  },
};
