// batchNorm against PyTorch itself (test/fixtures/batchnorm.json, written by make_batchnorm.py with
// torch.nn.functional.batch_norm in float64 and autograd), by central differences, and by fast-check properties.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { type Tensor, tensor, zeros, contiguousData, batchNorm, batchNormBackward, normalize, seeded, DEFAULT_MOMENTUM } from '../../core/index.js';
import { centralDifference, dot, expectClose, expectRelativeClose, randomTensor, underEachKernels } from '../helpers.js';

interface Case {
  name: string; shape: number[]; training: boolean; momentum: number; eps: number;
  x: number[]; gamma: number[]; beta: number[]; runningMean: number[]; runningVar: number[]; dOut: number[];
  y: number[]; newRunningMean: number[]; newRunningVar: number[]; dx: number[]; dGamma: number[]; dBeta: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/batchnorm.json', import.meta.url), 'utf8')) as { cases: Case[] };
const vec = (values: number[]) => tensor(values, [values.length]);
const optionsOf = (c: Case) => ({ gamma: vec(c.gamma), beta: vec(c.beta), runningMean: vec(c.runningMean), runningVar: vec(c.runningVar),
  training: c.training, momentum: c.momentum, eps: c.eps });

underEachKernels(() => {
  describe('batchNorm matches PyTorch (F.batch_norm, float64, autograd)', () => {
    it.each(fixture.cases)('$name', (c) => {
      const x = tensor(c.x, c.shape), options = optionsOf(c);
      const out = batchNorm(x, options);
      expect(out.y.shape).toEqual(c.shape);
      expectClose(out.y, c.y, { atol: 2e-5, rtol: 1e-4 });
      // the running statistics: momentum-weighted, the variance unbiased (m/(m−1)) as PyTorch does
      expectClose(out.runningMean, c.newRunningMean, { atol: 1e-6, rtol: 1e-5 });
      expectClose(out.runningVar, c.newRunningVar, { atol: 1e-6, rtol: 1e-5 });
      const { dInput, dGamma, dBeta } = batchNormBackward(x, tensor(c.dOut, c.shape), options);
      expectClose(dInput, c.dx, { atol: 1e-4, rtol: 1e-3 });
      expectClose(dGamma, c.dGamma, { atol: 1e-4, rtol: 1e-4 });
      expectClose(dBeta, c.dBeta, { atol: 1e-4, rtol: 1e-4 });
    });
    it('the fixture covers both modes, maps and features, and a batch of one', () => {
      expect(new Set(fixture.cases.map((c) => c.training))).toEqual(new Set([true, false]));
      expect(new Set(fixture.cases.map((c) => c.shape.length))).toEqual(new Set([2, 4]));
      expect(fixture.cases.some((c) => c.training && c.shape[0] === 1)).toBe(true);
    });
  });

  describe('batchNormBackward by central differences', () => {
    const shapes: [string, number[], boolean][] = [
      ['maps, training', [3, 2, 3, 4], true], ['features, training', [5, 4], true],
      ['maps, inference', [2, 3, 3, 3], false], ['features, inference', [3, 4], false],
    ];
    it.each(shapes)('%s', (_, shape, training) => {
      const random = seeded(11);
      const C = shape[1];
      const x = randomTensor(random, shape, -2, 2), dOut = randomTensor(random, shape);
      const gamma = randomTensor(random, [C], 0.5, 1.5), beta = randomTensor(random, [C]);
      const runningMean = randomTensor(random, [C]), runningVar = randomTensor(random, [C], 0.3, 2);
      const base = { gamma, beta, runningMean, runningVar, training, eps: 1e-3 };
      const { dInput, dGamma, dBeta } = batchNormBackward(x, dOut, base);
      expectRelativeClose(dInput, centralDifference((v) => dot(batchNorm(v, base).y, dOut), x, { h: 1e-2 }), 2e-2);
      expectRelativeClose(dGamma, centralDifference((g) => dot(batchNorm(x, { ...base, gamma: g }).y, dOut), gamma), 1e-2);
      expectRelativeClose(dBeta, centralDifference((b) => dot(batchNorm(x, { ...base, beta: b }).y, dOut), beta), 1e-2);
    });
  });
});

describe('batchNorm properties (fast-check)', () => {
  fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261205), numRuns: 60 });
  const shapes = fc.tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }));
  const setup = (seed: number, shape: number[]) => {
    const random = seeded(seed), C = shape[1];
    return { random, x: randomTensor(random, shape, -3, 3), gamma: randomTensor(random, [C], 0.5, 2), beta: randomTensor(random, [C]),
      runningMean: randomTensor(random, [C]), runningVar: randomTensor(random, [C], 0.1, 3) };
  };
  it('training with γ = 1, β = 0: every channel has mean 0 and variance ≈ 1 over the batch', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), shapes, (seed, shape) => {
      const { x, runningMean, runningVar } = setup(seed, shape);
      const C = shape[1], ones = tensor(new Array(C).fill(1), [C]), zero = zeros([C]);
      const y = contiguousData(batchNorm(x, { gamma: ones, beta: zero, runningMean, runningVar, training: true, eps: 1e-9 }).y);
      const S = shape[2] * shape[3], N = shape[0];
      for (let c = 0; c < C; c++) {
        const values: number[] = [];
        for (let n = 0; n < N; n++) for (let p = 0; p < S; p++) values.push(y[(n * C + c) * S + p]);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
        expect(Math.abs(mean)).toBeLessThan(1e-5);
        // a channel whose values are (nearly) all equal normalises to ~0, not to variance 1
        const spread = Math.max(...values) - Math.min(...values);
        if (spread > 1e-3) expect(Math.abs(variance - 1)).toBeLessThan(1e-3);
      }
    }));
  });
  it('training is unchanged by a per-channel shift and positive scale of x (the statistics absorb them)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), shapes, fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0.5, max: 4, noNaN: true }), (seed, shape, shift, scale) => {
      const { x, ...rest } = setup(seed, shape);
      const moved = tensor(Array.from(contiguousData(x), (v) => v * scale + shift), shape);
      const a = batchNorm(x, { ...rest, training: true, eps: 1e-9 }).y, b = batchNorm(moved, { ...rest, training: true, eps: 1e-9 }).y;
      expectClose(b, a, { atol: 2e-3, rtol: 1e-3 });
    }));
  });
  it('inference is the affine map γ·(x − μ)/√(σ² + ε) + β and leaves the running statistics alone', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), shapes, (seed, shape) => {
      const { x, gamma, beta, runningMean, runningVar } = setup(seed, shape);
      const out = batchNorm(x, { gamma, beta, runningMean, runningVar, training: false });
      expect(Array.from(out.runningMean.data)).toEqual(Array.from(runningMean.data));
      expect(Array.from(out.runningVar.data)).toEqual(Array.from(runningVar.data));
      const C = shape[1], S = shape[2] * shape[3], xs = contiguousData(x), ys = contiguousData(out.y);
      for (let i = 0; i < xs.length; i++) {
        const c = Math.floor(i / S) % C;
        const expected = gamma.data[c] * (xs[i] - runningMean.data[c]) / Math.sqrt(runningVar.data[c] + 1e-5) + beta.data[c];
        expect(Math.abs(ys[i] - expected)).toBeLessThan(1e-4 * (1 + Math.abs(expected)));
      }
    }));
  });
  it('with one sample, training mode is the per-map normalize of Exercise 4 (then γ, β); with more, the statistics are shared', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 4 }), (seed, C, side) => {
      const { x, runningMean, runningVar } = setup(seed, [1, C, side, side]);
      const ones = tensor(new Array(C).fill(1), [C]);
      const y = batchNorm(x, { gamma: ones, beta: zeros([C]), runningMean, runningVar, training: true }).y;
      expectClose(y, normalize(x), { atol: 1e-4, rtol: 1e-4 });
    }));
  });
  it('the running statistics move by momentum towards the batch mean and the unbiased variance', () => {
    const x = tensor([1, 3, 5, 7], [4, 1]), one = tensor([1], [1]);
    const out = batchNorm(x, { gamma: one, beta: zeros([1]), runningMean: zeros([1]), runningVar: one, training: true });
    // mean 4, biased variance 5, unbiased 20/3
    expect(out.mean.data[0]).toBeCloseTo(4, 6);
    expect(out.variance.data[0]).toBeCloseTo(5, 6);
    expect(out.runningMean.data[0]).toBeCloseTo(DEFAULT_MOMENTUM * 4, 6);
    expect(out.runningVar.data[0]).toBeCloseTo((1 - DEFAULT_MOMENTUM) * 1 + DEFAULT_MOMENTUM * 20 / 3, 5);
  });
});

describe('batchNorm refuses bad arguments, naming them', () => {
  const x = zeros([2, 3, 2, 2]);
  const ok = { gamma: zeros([3]), beta: zeros([3]), runningMean: zeros([3]), runningVar: tensor([1, 1, 1], [3]) };
  const cases: [string, () => unknown, RegExp][] = [
    ['gamma of the wrong size', () => batchNorm(x, { ...ok, gamma: zeros([4]) }), /batchNorm: gamma must have shape \[3\], got \[4\]/],
    ['a NaN running mean', () => batchNorm(x, { ...ok, runningMean: tensor([0, NaN, 0], [3]) }), /runningMean of channel 1 is NaN/],
    ['a negative running variance', () => batchNorm(x, { ...ok, runningVar: tensor([1, 1, -0.5], [3]) }), /runningVar of channel 2 is -0.5, expected a finite number ≥ 0/],
    ['momentum 0', () => batchNorm(x, { ...ok, momentum: 0 }), /momentum must be a number in \(0, 1\]/],
    ['eps 0', () => batchNorm(x, { ...ok, eps: 0 }), /eps must be a finite number > 0, got 0/],
    ['a sample without its batch axis', () => batchNorm(zeros([3]), ok), /batchNorm: x must have rank 2 or 3 or 4/],
    ['dOut of another shape', () => batchNormBackward(x, zeros([2, 3, 2, 1]), ok), /batchNormBackward: dOut must have the shape of x/],
    ['training not a boolean', () => batchNorm(x, { ...ok, training: 'yes' as unknown as boolean }), /training must be true or false/],
  ];
  it.each(cases)('%s', (_, call, message) => expect(call).toThrow(message));
  it('gamma not a tensor', () => expect(() => batchNorm(x, { ...ok, gamma: [1, 1, 1] as unknown as Tensor })).toThrow(/batchNorm: gamma must be a tensor/));
});
