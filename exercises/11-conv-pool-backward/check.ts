import { tensor, toArray, conv3d, conv3dBackward as referenceConv, maxPoolBackward as referencePool } from '../../core/index.js';
import { type Check, runCase, lcg, randomNested, show, close, type CaseResult } from '../lib.js';

type ConvBack = (x: number[][][], w: number[][][][], d: number[][][]) => { dInput: number[][][]; dKernels: number[][][][]; dBias: number[] };
const T = (x: unknown) => tensor(x as number[]);
const flipped = (w: number[][][][]) => w.map((k) => k.map((c) => c.slice().reverse().map((row) => row.slice().reverse())));

export const check: Check = {
  title: 'backward of conv and max pool',
  run(impl) {
    const convBack = impl.conv3dBackward as ConvBack;
    const poolBack = impl.maxPoolBackward as (x: number[][][], d: number[][][], s: number, st: number) => number[][][];
    const random = lcg(11);
    const results: CaseResult[] = [];
    for (const [name, xs, ws] of [['1 channel, 2 kernels 3×3', [1, 5, 5], [2, 1, 3, 3]], ['3 channels, 2 kernels 2×2', [3, 4, 5], [2, 3, 2, 2]]] as [string, number[], number[]][]) {
      const x = randomNested(random, xs) as number[][][], w = randomNested(random, ws) as number[][][][];
      const dOut = randomNested(random, conv3d(T(x), T(w)).shape) as number[][][];
      const want = referenceConv(T(x), T(w), T(dOut));
      let got: ReturnType<ConvBack> | undefined, error: Error | undefined;
      try { got = convBack(x, w, dOut); } catch (e) { error = e as Error; }
      for (const key of ['dInput', 'dKernels', 'dBias'] as const) {
        results.push(runCase(`${name}: ${key}`, `x ${show(x)}, dOut ${show(dOut)}`, () => { if (error) throw error; return got?.[key]; }, toArray(want[key]), [
          { when: (a) => key === 'dInput' && close(a, toArray(referenceConv(T(x), T(flipped(w)), T(dOut)).dInput)),
            hint: 'dInput used a flipped kernel: each pixel gathers dOut[k][i][j]·W[k][c][y−i][x−j] from the windows that read it' },
          { when: (a) => key === 'dInput' && (a as number[][][]).flat(2).every((v, i, all) => i === 0 || v === all[0]), hint: 'dInput is constant: add the gradient only where the window covers the pixel' },
        ]));
      }
    }
    for (const [name, shape, size, stride] of [['size 2 stride 2', [2, 4, 4], 2, 2], ['overlapping: size 3 stride 1', [1, 5, 5], 3, 1]] as [string, number[], number, number][]) {
      const x = randomNested(random, shape) as number[][][];
      const outShape = [shape[0], Math.floor((shape[1] - size) / stride) + 1, Math.floor((shape[2] - size) / stride) + 1];
      const dOut = randomNested(random, outShape) as number[][][];
      const want = toArray(referencePool(T(x), T(dOut), { size, stride }));
      results.push(runCase(`maxPoolBackward, ${name}`, `x ${show(x)}, dOut ${show(dOut)}`, () => poolBack(x, dOut, size, stride), want, [
        { when: () => stride < size, hint: 'overlapping windows: a pixel that is the max of several windows receives the sum of their gradients (+=, not =)' },
        { when: () => true, hint: 'the whole gradient of a window goes to its arg-max; every other pixel of the window gets 0' },
      ]));
    }
    return results;
  },
};
