import { tensor, conv3d as reference, toArray } from '../../core/index.js';
import { type Check, runCase, lcg, randomNested, show, shapeOf, close, type Nested } from '../lib.js';

type Conv = (input: number[][][], kernels: number[][][][], bias: number[], stride?: number, padding?: number) => number[][][];
const expected = (x: Nested, w: Nested, b: number[], stride: number, padding: number) =>
  toArray(reference(tensor(x as number[]), tensor(w as number[]), { bias: tensor(b), stride, padding }));
const flip = (w: Nested) => (w as number[][][][]).map((k) => k.map((c) => c.slice().reverse().map((row) => row.slice().reverse())));

export const check: Check = {
  title: '3-D convolution over a kernel stack',
  run(impl) {
    const conv3d = impl.conv3d as Conv;
    const random = lcg(1);
    const cases: [string, number[], number[], number, number][] = [
      ['one channel, one 3×3 kernel', [1, 5, 5], [1, 1, 3, 3], 1, 0],
      ['3 channels, 2 kernels', [3, 6, 6], [2, 3, 3, 3], 1, 0],
      ['stride 2', [2, 7, 7], [2, 2, 3, 3], 2, 0],
      ['padding 1', [1, 5, 5], [2, 1, 3, 3], 1, 1],
      ['non-square 2×3 kernel, stride 2, padding 1', [2, 6, 7], [3, 2, 2, 3], 2, 1],
      ['a digit-sized map: 1×28×28 with 4 kernels 5×5', [1, 28, 28], [4, 1, 5, 5], 1, 0],
    ];
    return cases.map(([name, xs, ws, stride, padding]) => {
      const x = randomNested(random, xs) as number[][][], w = randomNested(random, ws) as number[][][][];
      const b = randomNested(random, [ws[0]]) as number[];
      const want = expected(x, w, b, stride, padding);
      return runCase(name, `input ${show(x)}, kernels [${ws.join('×')}], stride ${stride}, padding ${padding}`, () => conv3d(x, w, b, stride, padding), want, [
        { when: (a) => JSON.stringify(shapeOf(a)) !== JSON.stringify(shapeOf(want)),
          hint: `expected a ${shapeOf(want).join('×')} output: is the output size floor((H + 2·padding − kh)/stride) + 1 (off by one?), and is the stride applied?` },
        { when: (a) => close(a, expected(x, flip(w), b, stride, padding)), hint: 'the kernel is flipped: CNN layers use cross-correlation (no flip), out[i][j] uses kernel[u][v] with input[i+u][j+v]' },
        { when: (a) => close(a, expected(x, w, b.map(() => 0), stride, padding)), hint: 'the bias is missing: add bias[k] to every value of output map k' },
        { when: (a) => close(a, expected(x, w, b, 1, padding)), hint: 'the stride is ignored: the window moves stride pixels at a time' },
      ]);
    });
  },
};
