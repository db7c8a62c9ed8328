import { tensor, toArray, conv3d, conv3dBackward as referenceConv, maxPoolBackward as referencePool } from '../../core/index.js';
import { type Check, type Case, runCase, propertyCase, lcg, randomNested, show, close, fmt, flat, type Nested } from '../lib.js';
import { gradCheck } from '../gradcheck.js';

type ConvBack = (x: number[][][], w: number[][][][], d: number[][][]) => { dInput: number[][][]; dKernels: number[][][][]; dBias: number[] };
const T = (x: unknown) => tensor(x as number[]);
const flipped = (w: number[][][][]) => w.map((k) => k.map((c) => c.slice().reverse().map((row) => row.slice().reverse())));
const dot = (a: Nested, b: Nested) => { const x = (a as number[]).flat(Infinity) as number[], y = (b as number[]).flat(Infinity) as number[]; return x.reduce((s, v, i) => s + v * y[i], 0); };

/** The `=` mistake in max-pool backward: a later window overwrites instead of adding. */
function assigned(x: number[][][], dOut: number[][][], size: number, stride: number) {
  const dx = x.map((map) => map.map((row) => row.map(() => 0)));
  dOut.forEach((map, c) => map.forEach((row, i) => row.forEach((d, j) => {
    let best = -Infinity, by = 0, bx = 0;
    for (let u = 0; u < size; u++) for (let v = 0; v < size; v++) if (x[c][i * stride + u][j * stride + v] > best) { best = x[c][i * stride + u][j * stride + v]; by = i * stride + u; bx = j * stride + v; }
    dx[c][by][bx] = d;
  })));
  return dx;
}
/** dOut spread evenly over each window (the average-pool gradient). */
function spread(x: number[][][], dOut: number[][][], size: number, stride: number) {
  const dx = x.map((map) => map.map((row) => row.map(() => 0)));
  dOut.forEach((map, c) => map.forEach((row, i) => row.forEach((d, j) => {
    for (let u = 0; u < size; u++) for (let v = 0; v < size; v++) dx[c][i * stride + u][j * stride + v] += d / (size * size);
  })));
  return dx;
}

export const check: Check = {
  title: 'backward of conv and max pool',
  exports: ['conv3dBackward', 'maxPoolBackward'],
  hints: [
    'repeat the forward loops (k, i, j, then c, u, v) and, instead of summing, hand dOut[k][i][j] back to what produced out[k][i][j]',
    'dKernels[k][c][u][v] += dOut[k][i][j]·input[c][i+u][j+v];  dInput[c][i+u][j+v] += dOut[k][i][j]·kernels[k][c][u][v];  dBias[k] = Σ dOut[k]',
    'max pool: find each window\'s arg-max (first maximum), and add (+=) that window\'s dOut there',
    'check yourself with gradCheck (exercises/gradcheck.ts): loss = Σ conv(x, W)·dOut, gradients from your backward',
  ],
  cases(impl) {
    const convBack = impl.conv3dBackward as ConvBack;
    const poolBack = impl.maxPoolBackward as (x: number[][][], d: number[][][], s: number, st: number) => number[][][];
    const random = lcg(11);
    const cases: Case[] = [];
    for (const [name, xs, ws] of [['1 channel, 2 kernels 3×3', [1, 5, 5], [2, 1, 3, 3]], ['3 channels, 2 kernels 2×2 on a 4×5 map', [3, 4, 5], [2, 3, 2, 2]]] as [string, number[], number[]][]) {
      const x = randomNested(random, xs) as number[][][], w = randomNested(random, ws) as number[][][][];
      const dOut = randomNested(random, conv3d(T(x), T(w)).shape) as number[][][];
      const want = referenceConv(T(x), T(w), T(dOut));
      let memo: { got?: ReturnType<ConvBack>; error?: unknown } | undefined;
      const call = () => { memo ??= (() => { try { return { got: convBack(structuredClone(x), structuredClone(w), structuredClone(dOut)) }; } catch (error) { return { error }; } })(); if (memo.error) throw memo.error; return memo.got; };
      for (const key of ['dInput', 'dKernels', 'dBias'] as const) {
        cases.push(runCase(`${name}: ${key}`, `x ${show(x)}, dOut ${show(dOut)}`, () => call()?.[key], toArray(want[key]), [
          { when: (a) => key === 'dInput' && close(a, toArray(referenceConv(T(x), T(flipped(w)), T(dOut)).dInput)),
            hint: 'dInput used a flipped kernel: each pixel gathers dOut[k][i][j]·W[k][c][y−i][x−j] from the windows that read it' },
          { when: (a) => key === 'dKernels' && close(a, (toArray(referenceConv(T(x), T(w), T(dOut)).dKernels) as Nested[]).map((k: Nested) => flipped([k as number[][][]])[0])),
            hint: 'dKernels is flipped: dKernels[k][c][u][v] pairs dOut[k][i][j] with input[c][i+u][j+v] (the same u, v as the forward pass)' },
          { when: (a) => key === 'dInput' && (a as number[][][]).flat(2).every((v, i, all) => i === 0 || v === all[0]), hint: 'dInput is constant: add the gradient only where the window covers the pixel' },
        ]));
      }
    }
    cases.push(propertyCase('your dInput and dKernels agree with finite differences (gradCheck)', 'loss = Σ conv3d(x, W)·dOut, x 2×4×4, W 2×2×3×3', () => {
      const x = randomNested(lcg(21), [2, 4, 4]) as number[][][], W = randomNested(lcg(22), [2, 2, 3, 3]) as number[][][][];
      const dOut = randomNested(lcg(23), [2, 2, 2]) as number[][][];
      const report = gradCheck((p: { x: Nested; W: Nested }) => {
        const g = convBack(p.x as number[][][], p.W as number[][][][], structuredClone(dOut));
        return { loss: dot(toArray(conv3d(T(p.x), T(p.W))) as Nested, dOut), grads: { x: g.dInput, W: g.dKernels } };
      }, { x, W }, { h: 1e-3, tolerance: 1e-3 });
      if (report.pass) return null;
      const bad = Object.entries(report.inputs).filter(([, r]) => !(r.maxError <= report.tolerance));
      return { difference: bad.map(([n, r]) => `d${n}: max error ${fmt(r.maxError)} at ${JSON.stringify(r.worst?.at)} (yours ${fmt(r.worst?.analytic)}, finite difference ${fmt(r.worst?.numeric)})`).join('; '),
        hint: `gradCheck finds the gradient of ${bad.map(([n]) => (n === 'x' ? 'the input' : 'the kernels')).join(' and ')} wrong` };
    }));
    for (const [name, shape, size, stride] of [['size 2 stride 2', [2, 4, 4], 2, 2], ['overlapping: size 3 stride 1', [1, 5, 5], 3, 1], ['overlapping: size 3 stride 2', [2, 7, 7], 3, 2]] as [string, number[], number, number][]) {
      const x = randomNested(random, shape) as number[][][];
      const outShape = [shape[0], Math.floor((shape[1] - size) / stride) + 1, Math.floor((shape[2] - size) / stride) + 1];
      const dOut = randomNested(random, outShape) as number[][][];
      const want = toArray(referencePool(T(x), T(dOut), { size, stride }));
      cases.push(runCase(`maxPoolBackward, ${name}`, `x ${show(x)}, dOut ${show(dOut)}`, () => poolBack(structuredClone(x), structuredClone(dOut), size, stride), want, [
        { when: (a) => stride < size && close(a, assigned(x, dOut, size, stride)), hint: 'overlapping windows: a pixel that is the max of several windows receives the sum of their gradients (+=, not =)' },
        { when: (a) => close(a, spread(x, dOut, size, stride)), hint: 'that spreads dOut evenly over the window (average pooling): with max pooling the whole gradient goes to the arg-max' },
        { when: (a) => { const w = flat(want); return flat(a).some((v, i) => v !== 0 && w[i] === 0); }, hint: 'a gradient reached a pixel that is no window\'s maximum: the whole gradient of a window goes to its arg-max, every other pixel gets 0' },
      ]));
    }
    return cases;
  },
};
