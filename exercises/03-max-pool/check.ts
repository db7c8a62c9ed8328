import { tensor, maxPool as reference, toArray } from '../../core/index.js';
import { type Check, runCase, lcg, randomNested, show, shapeOf } from '../lib.js';

export const check: Check = {
  title: 'max pooling with spatial extent and stride',
  run(impl) {
    const maxPool = impl.maxPool as (x: number[][][], size: number, stride: number) => number[][][];
    const random = lcg(3);
    const cases: [string, number[], number, number][] = [
      ['2×2 windows, stride 2', [2, 4, 4], 2, 2], ['24×24 map, size 2, stride 2', [8, 24, 24], 2, 2],
      ['overlapping: size 3, stride 1', [1, 5, 5], 3, 1], ['size 3, stride 2', [2, 7, 7], 3, 2],
      ['windows past the edge are dropped: 5×5, size 2', [1, 5, 5], 2, 2], ['all negative values', [1, 4, 4], 2, 2],
    ];
    return cases.map(([name, shape, size, stride]) => {
      const x = randomNested(random, shape, name.startsWith('all negative') ? -5 : -1, name.startsWith('all negative') ? -1 : 1) as number[][][];
      const want = toArray(reference(tensor(x as unknown as number[]), { size, stride }));
      const [H, W] = shape.slice(1);
      return runCase(name, `x ${show(x)}, size ${size}, stride ${stride}`, () => maxPool(x, size, stride), want, [
        { when: (a) => JSON.stringify(shapeOf(a)) !== JSON.stringify(shapeOf(want)),
          hint: `expected ${shapeOf(want).slice(1).join('×')} from a ${H}×${W} map with size ${size}, stride ${stride}: is the stride applied, and Ho = floor((H − size)/stride) + 1?` },
        { when: (a) => { const w = (want as number[][][]).flat(2); return (a as number[][][]).flat(2).some((v, i) => v === 0 && w[i] < 0); },
          hint: 'a 0 appears where every value is negative: start the max at −Infinity (or the first value), not 0' },
      ]);
    });
  },
};
