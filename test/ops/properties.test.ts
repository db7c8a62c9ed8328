// Invariants of the ops, by fast-check.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import ndarray from 'ndarray';
import {
  type Tensor, tensor, zeros, clone, contiguousData, conv3d, conv3dBackward, relu, maxPool, normalize, softmax, dense,
  seeded,
} from '../../core/index.js';
import { randomTensor } from '../helpers.js';

const close = (a: Tensor, b: Tensor, tol: number) => {
  const x = contiguousData(a), y = contiguousData(b);
  return x.length === y.length && x.every((v, i) => Math.abs(v - y[i]) <= tol * (1 + Math.abs(y[i])));
};
// a fixed seed keeps CI reproducible; FC_SEED=<n> explores other cases
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261122), numRuns: 100 });
const seeds = fc.integer({ min: 1, max: 1_000_000 });
const small = fc.integer({ min: 1, max: 4 });

describe('softmax', () => {
  it('sums to 1 and ignores a constant shift', () => {
    fc.assert(fc.property(seeds, small, fc.integer({ min: 1, max: 12 }), fc.double({ min: -50, max: 50, noNaN: true }), (seed, rows, classes, shift) => {
      const z = randomTensor(seeded(seed), [rows, classes], -20, 20);
      const p = softmax(z);
      for (let r = 0; r < rows; r++) {
        let sum = 0;
        for (let c = 0; c < classes; c++) sum += p.get(r, c);
        if (Math.abs(sum - 1) > 1e-5) return false;
      }
      const shifted = tensor(Array.from(z.data, (v) => v + shift), z.shape);
      return close(softmax(shifted), p, 1e-4);
    }));
  });
});

describe('relu', () => {
  it('is idempotent and never negative', () => {
    fc.assert(fc.property(fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 50 }), (values) => {
      const x = tensor(values);
      const once = relu(x);
      const twice = relu(once);
      return Array.from(twice.data).every((v, i) => v === once.data[i]) && Array.from(once.data).every((v) => v >= 0);
    }));
  });
});

describe('maxPool', () => {
  it('each output is the max of its window', () => {
    fc.assert(fc.property(seeds, small, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), (seed, channels, size, stride) => {
      const x = randomTensor(seeded(seed), [channels, 7, 8]);
      const out = maxPool(x, { size, stride });
      for (let c = 0; c < channels; c++) for (let i = 0; i < out.shape[1]; i++) for (let j = 0; j < out.shape[2]; j++) {
        let max = -Infinity;
        for (let u = 0; u < size; u++) for (let v = 0; v < size; v++) max = Math.max(max, x.get(c, i * stride + u, j * stride + v));
        if (out.get(c, i, j) !== max) return false;
      }
      return true;
    }));
  });
});

describe('normalize', () => {
  it('leaves each non-constant map with mean ≈ 0 and std ≈ 1', () => {
    fc.assert(fc.property(seeds, small, fc.double({ min: 0.1, max: 100, noNaN: true }), (seed, channels, scale) => {
      const x = randomTensor(seeded(seed), [channels, 5, 6], -scale, scale);
      const y = normalize(x, { eps: 0 });
      for (let c = 0; c < channels; c++) {
        const map = Array.from({ length: 30 }, (_, p) => y.get(c, Math.floor(p / 6), p % 6));
        const mean = map.reduce((a, b) => a + b) / 30;
        const variance = map.reduce((a, b) => a + (b - mean) ** 2, 0) / 30;
        if (Math.abs(mean) > 1e-5 || Math.abs(variance - 1) > 1e-4) return false;
      }
      return true;
    }));
  });
});

describe('conv3d', () => {
  const geometry = fc.record({ seed: seeds, channels: small, kernels: small, kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 2 }), padding: fc.constantFrom<'valid' | 'same' | 1>('valid', 'same', 1) });

  it('is linear in its input and in its kernels', () => {
    fc.assert(fc.property(geometry, fc.double({ min: -3, max: 3, noNaN: true }), (g, alpha) => {
      const random = seeded(g.seed);
      const a = randomTensor(random, [g.channels, 6, 7]), b = randomTensor(random, [g.channels, 6, 7]);
      const w = randomTensor(random, [g.kernels, g.channels, g.kh, g.kw]), w2 = randomTensor(random, w.shape);
      const options = { stride: g.stride, padding: g.padding };
      const combo = (x: Tensor, y: Tensor) => tensor(Array.from(x.data, (v, i) => alpha * v + y.data[i]), x.shape);
      const lhs = conv3d(combo(a, b), w, options);
      const rhs = combo(conv3d(a, w, options), conv3d(b, w, options));
      const lhsW = conv3d(a, combo(w, w2), options);
      const rhsW = combo(conv3d(a, w, options), conv3d(a, w2, options));
      return close(lhs, rhs, 1e-4) && close(lhsW, rhsW, 1e-4);
    }));
  });

  it('a one-hot 1×1 kernel stack returns the input (identity) and copies channels', () => {
    fc.assert(fc.property(seeds, small, (seed, channels) => {
      const x = randomTensor(seeded(seed), [channels, 5, 4]);
      const identity = zeros([channels, channels, 1, 1]);
      for (let c = 0; c < channels; c++) identity.set(c, c, 0, 0, 1);
      return close(conv3d(x, identity), x, 0);
    }));
  });

  it('a batch gives its samples stacked (forward and backward)', () => {
    fc.assert(fc.property(geometry, fc.integer({ min: 1, max: 3 }), (g, batch) => {
      const random = seeded(g.seed);
      const x = randomTensor(random, [batch, g.channels, 6, 5]), w = randomTensor(random, [g.kernels, g.channels, g.kh, g.kw]);
      const options = { stride: g.stride, padding: g.padding };
      const out = conv3d(x, w, options);
      const dOut = randomTensor(random, out.shape);
      const batchGrads = conv3dBackward(x, w, dOut, options);
      const dKernels = zeros(w.shape);
      for (let n = 0; n < batch; n++) {
        const sample = x.pick(n, null, null, null) as Tensor;
        if (!close(conv3d(sample, w, options), clone(out.pick(n, null, null, null) as Tensor), 1e-6)) return false;
        const grads = conv3dBackward(sample, w, clone(dOut.pick(n, null, null, null) as Tensor), options);
        if (!close(grads.dInput, clone(batchGrads.dInput.pick(n, null, null, null) as Tensor), 1e-6)) return false;
        for (let i = 0; i < dKernels.size; i++) dKernels.data[i] += grads.dKernels.data[i];
      }
      return close(batchGrads.dKernels, dKernels, 1e-4);
    }));
  });
});

describe('views give the answers of their contiguous copies', () => {
  const random = seeded(11);
  const base = randomTensor(random, [3, 8, 9]);
  const views: [string, Tensor][] = [
    ['transposed', base.transpose(0, 2, 1) as Tensor],
    ['sliced', base.hi(3, 7, 8).lo(0, 1, 2) as Tensor],
    ['stepped', base.step(1, 2, 2) as Tensor],
    ['reversed', base.step(1, -1, 1) as Tensor],
  ];
  it.each(views)('%s view', (_, view) => {
    const copy = clone(view);
    const w = randomTensor(seeded(12), [2, view.shape[0], 2, 2]);
    expect(close(conv3d(view, w, { padding: 1 }), conv3d(copy, w, { padding: 1 }), 0)).toBe(true);
    expect(close(relu(view), relu(copy), 0)).toBe(true);
    expect(close(maxPool(view, { size: 2 }), maxPool(copy, { size: 2 }), 0)).toBe(true);
    expect(close(normalize(view), normalize(copy), 0)).toBe(true);
    expect(close(softmax(view), softmax(copy), 0)).toBe(true);
    const W = randomTensor(seeded(13), [4, view.size]);
    expect(close(dense(view, W), dense(copy, W), 0)).toBe(true);
    expect(close(conv3dBackward(view, w, conv3d(copy, w)).dKernels, conv3dBackward(copy, w, conv3d(copy, w)).dKernels, 0)).toBe(true);
  });
  it('a view as kernels', () => {
    const kernels = randomTensor(seeded(14), [2, 3, 3, 3]).transpose(0, 1, 3, 2) as Tensor;
    expect(close(conv3d(base, kernels), conv3d(base, clone(kernels)), 0)).toBe(true);
  });
  it('ndarray built by hand over an offset', () => {
    const data = new Float32Array(100).map((_, i) => i / 10);
    const view = ndarray(data, [1, 4, 4], [16, 4, 1], 20) as Tensor;
    expect(close(maxPool(view, { size: 2 }), maxPool(clone(view), { size: 2 }), 0)).toBe(true);
  });
});
