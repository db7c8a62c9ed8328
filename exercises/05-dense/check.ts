import { tensor, dense as reference, toArray } from '../../core/index.js';
import { type Check, runCase, lcg, randomNested, show, close } from '../lib.js';

export const check: Check = {
  title: 'fully-connected layer over flattened maps',
  exports: ['dense'],
  hints: [
    'flatten x first: x.flat(2) lists map 0 row by row, then map 1, … ([C][H][W] row-major)',
    'one output per row of W: y[o] = b[o] + Σ_i W[o][i] · flat[i]',
  ],
  cases(impl) {
    const dense = impl.dense as (x: number[][][], W: number[][], b: number[]) => number[];
    const random = lcg(5);
    const cases: [string, number[], number][] = [['2×2×2 maps → 3', [2, 2, 2], 3], ['16×4×4 maps → 10 (the cnn head)', [16, 4, 4], 10], ['1×1×5 → 1', [1, 1, 5], 1], ['3×2×4 maps → 2', [3, 2, 4], 2]];
    return cases.map(([name, shape, out]) => {
      const x = randomNested(random, shape) as number[][][];
      const size = shape.reduce((a, b) => a * b);
      const W = randomNested(random, [out, size]) as number[][], b = randomNested(random, [out]) as number[];
      const want = toArray(reference(tensor(x as unknown as number[]), tensor(W), tensor(b)));
      // channels-last flatten: the usual mistake when maps are thought of as [H][W][C]
      const wrongOrder = x[0].flatMap((row, h) => row.flatMap((_, w) => x.map((map) => map[h][w])));
      const columnsFirst = x.flatMap((map) => map[0].flatMap((_, w) => map.map((row) => row[w])));
      const withFlat = (f: number[], bias: boolean) => W.map((row, o) => row.reduce((s, w, i) => s + w * f[i], bias ? b[o] : 0));
      return runCase(name, `x ${show(x)}, W [${out}×${size}]`, () => dense(structuredClone(x), structuredClone(W), b.slice()), want, [
        { when: (a) => close(a, withFlat(x.flat(2), false)), hint: 'the bias is missing: y[o] = b[o] + Σ W[o][i]·x[i]' },
        { when: (a) => shape[0] > 1 && close(a, withFlat(wrongOrder, true)), hint: 'flatten order: the channel index varies fastest in yours; flatten maps first, then rows, then columns ([C][H][W] row-major)' },
        { when: (a) => close(a, withFlat(columnsFirst, true)), hint: 'flatten order: you read each map column by column; read it row by row ([C][H][W] row-major)' },
      ]);
    });
  },
};
