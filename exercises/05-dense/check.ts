import { tensor, dense as reference, toArray } from '../../core/index.js';
import { type Check, runCase, lcg, randomNested, show, close } from '../lib.js';

export const check: Check = {
  title: 'fully-connected layer over flattened maps',
  run(impl) {
    const dense = impl.dense as (x: number[][][], W: number[][], b: number[]) => number[];
    const random = lcg(5);
    const cases: [string, number[], number][] = [['2×2×2 maps → 3', [2, 2, 2], 3], ['16×4×4 maps → 10 (the cnn head)', [16, 4, 4], 10], ['1×1×5 → 1', [1, 1, 5], 1]];
    return cases.map(([name, shape, out]) => {
      const x = randomNested(random, shape) as number[][][];
      const size = shape.reduce((a, b) => a * b);
      const W = randomNested(random, [out, size]) as number[][], b = randomNested(random, [out]) as number[];
      const want = toArray(reference(tensor(x as unknown as number[]), tensor(W), tensor(b)));
      // column-major flatten: the usual mistake when maps are stored [H][W][C]
      const wrongOrder = x[0].flatMap((row, h) => row.flatMap((_, w) => x.map((map) => map[h][w])));
      return runCase(name, `x ${show(x)}, W [${out}×${size}]`, () => dense(x, W, b), want, [
        { when: (a) => close(a, W.map((row, o) => row.reduce((s, w, i) => s + w * x.flat(2)[i], 0))), hint: 'the bias is missing: y[o] = b[o] + Σ W[o][i]·x[i]' },
        { when: (a) => shape[0] > 1 && close(a, W.map((row, o) => row.reduce((s, w, i) => s + w * wrongOrder[i], b[o]))), hint: 'flatten order: flatten maps first, then rows, then columns ([C][H][W] row-major)' },
      ]);
    });
  },
};
