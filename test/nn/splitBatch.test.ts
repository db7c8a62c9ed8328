// One thread runs a whole batch of a dense-only model in one pass (nn/shards.ts splitBatchStep): the dense layer's
// backward sums the weight and bias gradients as the batch's two halves (ops/dense.ts, wasm/kernels.ts denseBackward's
// split). Checked against a float64 loop, against the two-shard construction it replaces (bits), and end to end: the
// same weights and history as the half-batch runner on this thread, on both kernel sets.
import { describe, it, expect } from 'vitest';
import { Sequential, fit, seeded, type Dataset, type FitOptions, type LayerConfig, LocalShardRunner } from '../../core/index.js';
import { denseBackwardKernel } from '../../core/ops/dense.js';
import { residentArray } from '../../core/kernels/select.js';
import { underEachKernels } from '../helpers.js';

const random = seeded(20261205);
const fill = (n: number) => Float32Array.from({ length: n }, () => random.next() * 2 - 1);

function bits(a: Float32Array): string { return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex'); }

underEachKernels(() => {
  describe('denseBackwardKernel with a split', () => {
    const shapes = [[32, 784, 100, 16], [32, 100, 10, 16], [7, 13, 5, 4], [9, 33, 6, 1], [5, 8, 3, 5], [6, 4, 9, 0]];
    it.each(shapes)('N %i, in %i, out %i, split %i: a float64 reference, and the bits of the two halves as two shards', (N, I, O, split) => {
      const x = fill(N * I), W = fill(O * I), dOut = fill(N * O);
      const g = { batch: N, inputs: I, outputs: O, batched: true, outShape: [N, O] };
      // resident and ordinary arrays (in place and copied) take the same path to the same bits
      for (const make of [(n: number) => new Float32Array(n), residentArray]) {
        const dW = make(O * I), db = make(O), dX = make(N * I);
        const start = fill(O * I), startB = fill(O);
        dW.set(start); db.set(startB);
        denseBackwardKernel(dX, dW, db, x, W, dOut, g, split);
        // independent: float64 sums of each half, added to the starting values
        for (let o = 0; o < O; o++) {
          for (let i = 0; i < I; i++) {
            let s = start[o * I + i];
            for (let n = 0; n < N; n++) s += dOut[n * O + o] * x[n * I + i];
            expect(Math.abs(dW[o * I + i] - s)).toBeLessThanOrEqual(1e-5 * (1 + N));
          }
          let s = startB[o];
          for (let n = 0; n < N; n++) s += dOut[n * O + o];
          expect(Math.abs(db[o] - s)).toBeLessThanOrEqual(1e-5 * (1 + N));
        }
        for (let n = 0; n < N; n++) {
          for (let i = 0; i < I; i++) {
            let s = 0;
            for (let o = 0; o < O; o++) s += dOut[n * O + o] * W[o * I + i];
            expect(Math.abs(dX[n * I + i] - s)).toBeLessThanOrEqual(1e-5 * (1 + O));
          }
        }
        // what two shards give: the first half accumulated in place, the second into zeroed spares, then added
        const dW2 = Float32Array.from(start), db2 = Float32Array.from(startB), spareW = new Float32Array(O * I), spareB = new Float32Array(O);
        const half = (from: number, to: number, gw: Float32Array, gb: Float32Array) => denseBackwardKernel(null, gw, gb,
          x.subarray(from * I, to * I), W, dOut.subarray(from * O, to * O), { ...g, batch: to - from, outShape: [to - from, O] });
        if (split > 0) half(0, split, dW2, db2);
        if (split < N) half(split, N, spareW, spareB);
        for (let k = 0; k < dW2.length; k++) dW2[k] += spareW[k];
        for (let k = 0; k < O; k++) db2[k] += spareB[k];
        expect(bits(dW)).toBe(bits(dW2));
        expect(bits(db)).toBe(bits(db2));
      }
    });
    // the weight gradient leaves out a panel's samples whose 8 inputs are all zero (digits: most pixels are) when every
    // dOut of those units is finite; the bits must be those of every term summed
    it.each([[32, 784, 100, 16, 'finite'], [32, 784, 100, 16, 'Infinity'], [32, 784, 100, 16, 'NaN'], [9, 40, 7, 4, 'finite'],
      [9, 40, 7, 4, 'Infinity']] as const)('N %i, in %i, out %i, split %i, mostly zero inputs (±0), dOut %s: the bits of every term summed',
      (N, I, O, split, odd) => {
        const x = fill(N * I).map((v, i) => (v < 0.6 ? (i % 3 ? 0 : -0) : v));
        for (let i = 0; i < I; i += 8) if ((i >> 3) % 3 === 1) for (let n = 0; n < N; n++) x[n * I + i] = 0.5; // some panels kept
        x.fill(0, 2 * I, 5 * I); // whole samples of zeros
        const W = fill(O * I), dOut = fill(N * O).map((v) => (v < -0.3 ? 0 : v)); // ReLU's zeros
        if (odd !== 'finite') dOut[(N - 2) * O + 1] = Number(odd); // ∞·0 and NaN·0 are NaN: every term counts then
        const g = { batch: N, inputs: I, outputs: O, batched: true, outShape: [N, O] };
        const start = fill(O * I), startB = fill(O);
        const dW = residentArray(O * I), db = residentArray(O);
        dW.set(start); db.set(startB);
        denseBackwardKernel(null, dW, db, x, W, dOut, g, split);
        const dW2 = Float32Array.from(start), db2 = Float32Array.from(startB), spareW = new Float32Array(O * I), spareB = new Float32Array(O);
        const half = (from: number, to: number, gw: Float32Array, gb: Float32Array) => denseBackwardKernel(null, gw, gb,
          x.subarray(from * I, to * I), W, dOut.subarray(from * O, to * O), { ...g, batch: to - from, outShape: [to - from, O] });
        half(0, split, dW2, db2);
        half(split, N, spareW, spareB);
        for (let k = 0; k < dW2.length; k++) dW2[k] += spareW[k];
        for (let k = 0; k < O; k++) db2[k] += spareB[k];
        if (odd !== 'finite') expect(dW2.some((v) => Number.isNaN(v))).toBe(true);
        expect(bits(dW)).toBe(bits(dW2));
        expect(bits(db)).toBe(bits(db2));
      });
    it('refuses a split that is not a count of samples', () => {
      const g = { batch: 2, inputs: 2, outputs: 2, batched: true, outShape: [2, 2] };
      const z = () => new Float32Array(4);
      expect(() => denseBackwardKernel(null, z(), z(), z(), z(), z(), g, -1)).toThrow(/denseBackwardKernel: split must be an integer ≥ 0, got -1/);
      expect(() => denseBackwardKernel(null, z(), z(), z(), z(), z(), g, 1.5)).toThrow(/split must be an integer ≥ 0, got 1.5/);
    });
  });

  describe('a dense-only model trains whole batches on one thread', () => {
    function digits(n: number, seed: number): Dataset {
      const r = seeded(seed);
      const labels = Int32Array.from({ length: n }, () => r.int(10));
      const inputs = new Float32Array(n * 784);
      for (let i = 0; i < n; i++) {
        for (let p = 0; p < 784; p++) inputs[i * 784 + p] = r.next() < 0.8 ? 0 : r.next();
        for (let x = 4; x < 24; x++) inputs[i * 784 + (4 + 2 * labels[i]) * 28 + x] = 1;
      }
      return { inputs, labels, sampleShape: [1, 28, 28], classes: 10 };
    }
    const cases: [string, LayerConfig[], FitOptions][] = [
      ['relu, cross-entropy, momentum, odd last batch, validation', [{ type: 'flatten' }, { type: 'dense', units: 24 }, { type: 'relu' },
        { type: 'dense', units: 10 }, { type: 'softmax' }], { epochs: 2, batchSize: 13, seed: 3, validationSplit: 0.25,
        optimizer: { type: 'momentum', learningRate: 0.05, momentum: 0.9 } }],
      ['tanh and leaky ReLU, mse, adam, augmentation', [{ type: 'flatten' }, { type: 'dense', units: 12 }, { type: 'tanh' },
        { type: 'dense', units: 9 }, { type: 'leakyRelu' }, { type: 'dense', units: 10 }, { type: 'sigmoid' }],
      { epochs: 2, batchSize: 10, seed: 5, loss: 'mse', optimizer: { type: 'adam', learningRate: 0.01 }, augment: { shift: 1, rotate: 5 } }],
    ];
    it.each(cases)('%s: the same weights and history as the half-batch runner', (_name, layers, options) => {
      const data = digits(61, 4);
      const make = () => new Sequential({ inputShape: [1, 28, 28], layers, init: 'heUniform', seed: 2 });
      const whole = make(), halves = make();
      const a = fit(whole, data, options);
      const b = fit(halves, data, { ...options, helper: new LocalShardRunner(halves, options.batchSize ?? 32) });
      expect(a.history).toEqual(b.history);
      whole.params().forEach((p, i) => expect(bits(p.value.data)).toBe(bits(halves.params()[i].value.data)));
      expect(a.history[1].loss).toBeLessThan(a.history[0].loss);
    });
  });
});
