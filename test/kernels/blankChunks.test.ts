// The dense layer's products leave out terms whose input is zero (kernels/wasm.ts, wasm/kernels.ts gemmNTStrided with a
// scratch list; gemmXNHalves): digits are mostly blank pixels. A left-out term is
// 0·w = ±0, which leaves a sum from +0 unchanged, so the bits must be those of every term summed, and a non-finite
// weight (∞·0 = NaN) must turn the skipping off. Checked against the same kernel without the list, on both builds
// (the weight gradient's side: test/nn/splitBatch.test.ts).
import { describe, it, expect } from 'vitest';
import { seeded } from '../../core/index.js';
import { residentArray, wasmModule, wasmDenseForward, setSplitMinWork } from '../../core/kernels/wasm.js';
import { startKernelThreads } from '../../core/node.js';
import { underEachKernels } from '../helpers.js';

const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

underEachKernels(() => {
  describe('the dense forward leaves out blank chunks of its input', () => {
    const random = seeded(7);
    const cases = [[32, 784, 100, 'finite'], [256, 784, 100, 'finite'], [13, 37, 9, 'finite'], [32, 784, 100, 'Infinity'], [8, 40, 6, 'NaN']] as const;
    it.each(cases)('N %i, in %i, out %i, weights %s: the bits of every term summed', (N, I, O, odd) => {
      const wasm = wasmModule()!;
      const x = residentArray(N * I), W = residentArray(O * I), bias = residentArray(O), y = residentArray(N * O), y2 = residentArray(N * O);
      const list = residentArray((I >> 2) + 8);
      for (let i = 0; i < x.length; i++) x[i] = random.next() < 0.7 ? (i % 5 ? 0 : -0) : random.next() * 2 - 1;
      x.fill(0, 0, 4 * I); // a whole block of blank samples
      for (let i = 0; i < W.length; i++) W[i] = random.next() * 2 - 1;
      for (let i = 0; i < O; i++) bias[i] = random.next();
      // a non-finite weight where the inputs are blank: every term must count (∞·0 is NaN)
      if (odd !== 'finite') W[2 * I + 4] = Number(odd);
      wasm.gemmNTStrided(N, O, I, x.byteOffset, W.byteOffset, y.byteOffset, 4 * O, 0, bias.byteOffset, list.byteOffset);
      wasm.gemmNTStrided(N, O, I, x.byteOffset, W.byteOffset, y2.byteOffset, 4 * O, 0, bias.byteOffset, 0);
      expect(bits(y)).toBe(bits(y2));
      if (odd !== 'finite') expect(y.some((v) => Number.isNaN(v))).toBe(true);
      // and through the layer's call, on one thread and split across kernel threads (by units and by samples)
      const y3 = new Float32Array(N * O), g = { batch: N, inputs: I, outputs: O, batched: true, outShape: [N, O] };
      wasmDenseForward(y3, x, W, bias, g);
      expect(bits(y3)).toBe(bits(y2));
    });
    it('allFinite finds an ∞ or NaN at every position (its four 16-value chains, the 4-value and the single tails)', () => {
      const wasm = wasmModule()!, v = residentArray(40);
      for (let n = 1; n <= 40; n++) {
        for (let i = 0; i < 40; i++) v[i] = (i % 3) - 1 + i / 7;
        v[n - 1] = -0;
        expect(wasm.allFinite(v.byteOffset, n)).toBe(1);
        for (let at = 0; at < n; at++) for (const odd of [Infinity, -Infinity, NaN]) {
          const keep = v[at]; v[at] = odd;
          expect(wasm.allFinite(v.byteOffset, n)).toBe(0);
          v[at] = keep;
        }
      }
    });
    it('split across kernel threads, by units (training batches) and by samples (inference chunks, W checked once a call)', async () => {
      const threads = await startKernelThreads(), previous = setSplitMinWork(0);
      try {
        for (const [N, I, O, odd] of [[32, 784, 100, 0], [256, 784, 100, 0], [12, 20, 8, 0], [256, 784, 100, Infinity], [12, 20, 8, NaN]]) {
          const x = residentArray(N * I), W = residentArray(O * I), y = new Float32Array(N * O), y2 = new Float32Array(N * O);
          for (let i = 0; i < x.length; i++) x[i] = random.next() < 0.7 ? 0 : random.next();
          x.fill(0, 0, 4 * I); // a whole block of blank samples
          for (let i = 0; i < W.length; i++) W[i] = random.next() * 2 - 1;
          // a non-finite weight where inputs are blank: the chunks of a split by samples must not skip (∞·0 is NaN)
          if (odd) W[O * I - I + 4] = odd;
          const g = { batch: N, inputs: I, outputs: O, batched: true, outShape: [N, O] };
          wasmDenseForward(y, x, W, null, g);
          const wasm = wasmModule()!, out = residentArray(N * O);
          wasm.gemmNTStrided(N, O, I, x.byteOffset, W.byteOffset, out.byteOffset, 4 * O, 0, 0, 0);
          y2.set(out);
          expect(bits(y)).toBe(bits(y2));
          if (odd) expect(y.some((v) => Number.isNaN(v))).toBe(true);
        }
        const { helper, caller, taken } = threads.chunks;
        expect(helper + caller + taken).toBeGreaterThan(0); // the split by samples ran in chunks
      } finally { setSplitMinWork(previous); threads.close(); }
    });
  });
});
