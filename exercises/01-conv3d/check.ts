import { tensor, conv3d as reference, toArray } from '../../core/index.js';
import { type Check, runCase, lcg, randomNested, show, shapeOf, close, type Nested } from '../lib.js';

type Conv = (input: number[][][], kernels: number[][][][], bias: number[], stride?: number, padding?: number) => number[][][];
const expected = (x: Nested, w: Nested, b: number[], stride: number, padding: number) =>
  toArray(reference(tensor(x as number[]), tensor(w as number[]), { bias: tensor(b), stride, padding }));
const flip = (w: Nested) => (w as number[][][][]).map((k) => k.map((c) => c.slice().reverse().map((row) => row.slice().reverse())));

export const check: Check = {
  title: '3-D convolution over a kernel stack',
  exports: ['conv3d'],
  hints: [
    'compute the output size first: Ho = floor((H + 2·padding − kh)/stride) + 1, and the same for Wo with W and kw',
    'loop k, i, j over the output; inside, sum over c, u, v: input[c][i·stride + u − padding][j·stride + v − padding] · kernels[k][c][u][v]',
    'a helper at(c, y, x) that returns 0 when y or x is outside the map handles the padding; start each sum at bias[k]',
  ],
  cases(impl) {
    const conv3d = impl.conv3d as Conv;
    const random = lcg(1);
    const cases: [string, number[], number[], number, number][] = [
      ['one channel, one 3×3 kernel', [1, 5, 5], [1, 1, 3, 3], 1, 0],
      ['3 channels, 2 kernels', [3, 6, 6], [2, 3, 3, 3], 1, 0],
      ['stride 2', [2, 7, 7], [2, 2, 3, 3], 2, 0],
      ['padding 1', [1, 5, 5], [2, 1, 3, 3], 1, 1],
      ['non-square 4×7 map, 2×3 kernel, stride 2, padding 1', [2, 4, 7], [3, 2, 2, 3], 2, 1],
      ['a digit-sized map: 1×28×28 with 4 kernels 5×5', [1, 28, 28], [4, 1, 5, 5], 1, 0],
    ];
    return cases.map(([name, xs, ws, stride, padding]) => {
      const x = randomNested(random, xs) as number[][][], w = randomNested(random, ws) as number[][][][];
      const b = randomNested(random, [ws[0]]) as number[];
      const want = expected(x, w, b, stride, padding);
      return runCase(name, `input ${show(x)}, kernels [${ws.join('×')}], stride ${stride}, padding ${padding}`, () => conv3d(x, w, b, stride, padding), want, [
        { when: (a) => shapeOf(a).length === 3 && shapeOf(a)[2] !== shapeOf(want)[2] &&
            [ws[2], ws[3]].some((k) => shapeOf(a)[2] === Math.floor((xs[1] + 2 * padding - k) / stride) + 1),
          hint: 'the output width is computed from the height: Wo = floor((W + 2·padding − kw)/stride) + 1 uses the width W and the kernel width kw' },
        { when: (a) => JSON.stringify(shapeOf(a)) !== JSON.stringify(shapeOf(want)),
          hint: `expected a ${shapeOf(want).join('×')} output: is the output size floor((H + 2·padding − kh)/stride) + 1 (off by one?), and is the stride applied?` },
        { when: (a) => close(a, expected(x, flip(w), b, stride, padding)), hint: 'the kernel is flipped: CNN layers use cross-correlation (no flip), out[i][j] uses kernel[u][v] with input[i+u][j+v]' },
        { when: (a) => close(a, expected(x, w, b.map(() => 0), stride, padding)), hint: 'the bias is missing: add bias[k] to every value of output map k' },
      ]);
    });
  },
};
