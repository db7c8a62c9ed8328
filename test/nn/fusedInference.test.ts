// The inference path (Sequential.inferBatch: predict, evaluate, the half-batch helper's forward) runs a convolution, its
// ReLU and a 2×2 max pool after it as one pass of the fast kernels (wasm/kernels.ts convForwardFused). Checked: the same
// bits as the layers run apart (forwardBatch), NaN included, on odd maps, kernel counts off the 4-tile, 'same' padding
// and strides the fusion declines; against a float64 loop; and on two threads (kernel threads) the same bits again.
import { describe, it, expect, vi, beforeAll, afterAll, afterEach } from 'vitest';
import { Sequential, seeded, kernels, fromData, type LayerConfig } from '../../core/index.js';
import { startKernelThreads, type KernelThreads } from '../../core/node.js';
import { setSplitMinWork } from '../../core/kernels/wasm.js';
import { underEachKernels } from '../helpers.js';

const values = (seed: number, n: number) => { const r = seeded(seed); return Float32Array.from({ length: n }, () => r.uniform(-1, 1)); };

/** a === b bit for bit, except that a NaN may be any NaN (wasm's max gives the canonical one; the rule is "NaN stays NaN"). */
function expectSameBits(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) {
    if (ua[i] !== ub[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) throw new Error(`value ${i}: ${a[i]} (fused) against ${b[i]} (apart)`);
  }
}

const conv = (filters: number, kernelSize: number, extra: Partial<Extract<LayerConfig, { type: 'conv' }>> = {}): LayerConfig =>
  ({ type: 'conv', filters, kernelSize, ...extra });
const relu: LayerConfig = { type: 'relu' }, pool: LayerConfig = { type: 'maxPool', size: 2 };

/** networks: [name, input shape, layers, how many layers' own forward the fusion replaces (0: it declines)] */
const networks: [string, number[], LayerConfig[], number][] = [
  ['the cnn preset shape', [1, 28, 28], [conv(8, 5), relu, pool, conv(16, 5), relu, pool, { type: 'flatten' }, { type: 'dense', units: 10 }, { type: 'softmax' }], 6],
  ['odd maps (23×25 → 11×12), 6 kernels', [2, 27, 29], [conv(6, 5), relu, pool], 3],
  ['odd maps (17×17 → 8×8), 8 kernels: the last row and column dropped', [1, 21, 21], [conv(8, 5), relu, pool], 3],
  ['maps 13 wide (the 1–3 column tail), 5 kernels, stride given', [3, 17, 15], [conv(5, 3), relu, { type: 'maxPool', size: 2, stride: 2 }], 3],
  ['ReLU without a pool, then a pool of stride 1 (not fused)', [1, 20, 20], [conv(8, 3), relu, conv(4, 3), relu, { type: 'maxPool', size: 2, stride: 1 }], 4],
  ["'same' padding", [3, 16, 16], [conv(8, 3, { padding: 'same' }), relu, pool, conv(12, 3, { padding: 'same' }), relu, pool], 6],
  ['stride 2 (declined: the layers run apart)', [1, 21, 21], [conv(8, 3, { stride: 2 }), relu, pool], 0],
  ['a pool without ReLU (declined)', [1, 12, 12], [conv(4, 3), pool], 0],
];

underEachKernels(() => {
  describe('Sequential.inferBatch', () => {
    it.each(networks)('%s: the same bits as the layers apart', (_name, inputShape, layers, skipped) => {
      const model = new Sequential({ inputShape, layers, init: 'heUniform', seed: 5 });
      for (const p of model.params()) if (p.name === 'bias') p.value.data.set(values(9, p.value.size).map((v) => v / 4));
      const batch = 7, size = inputShape.reduce((a, b) => a * b, 1);
      const x = values(3, batch * size);
      x[5] = NaN; x[size + 40] = -0; // NaN stays NaN through the conv, the ReLU and the pool; −0 meets +0 in a window
      const apart = Float32Array.from(model.forwardBatch(x, batch, false, null));
      const spies = model.layers.map((layer) => vi.spyOn(layer, 'forward'));
      const fused = Float32Array.from(model.inferBatch(x, batch));
      expectSameBits(fused, apart);
      // the fusion ran where the fast kernels can (the fused ReLU and pool layers were not called), nowhere else
      const notCalled = spies.filter((spy) => spy.mock.calls.length === 0).length;
      expect(notCalled).toBe(kernels() === 'wasm' ? skipped : 0);
      spies.forEach((spy) => spy.mockRestore());
      // a smaller batch after a larger one (buffers are views of the largest) still agrees
      expectSameBits(Float32Array.from(model.inferBatch(x, 3)), Float32Array.from(model.forwardBatch(x, 3, false, null)));
    });

    it('conv → ReLU → pool against a float64 loop', () => {
      const [C, H, W, K, k] = [3, 19, 18, 7, 4];
      const model = new Sequential({ inputShape: [C, H, W], layers: [conv(K, k), relu, pool], init: 'heUniform', seed: 2 });
      const [kernelsP, biasP] = model.params();
      biasP.value.data.set(values(4, K));
      const batch = 5, x = values(6, batch * C * H * W), w = kernelsP.value.data, b = biasP.value.data;
      const out = model.predict(fromData(x, [batch, C, H, W]));
      const Ho = H - k + 1, Wo = W - k + 1, Hq = Ho >> 1, Wq = Wo >> 1;
      expect(out.shape).toEqual([batch, K, Hq, Wq]);
      const at = (n: number, kk: number, i: number, j: number) => {
        let s = b[kk];
        for (let c = 0; c < C; c++) for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) {
          s += w[((kk * C + c) * k + u) * k + v] * x[((n * C + c) * H + i + u) * W + j + v];
        }
        return Math.max(s, 0);
      };
      for (let n = 0; n < batch; n++) for (let kk = 0; kk < K; kk++) for (let i = 0; i < Hq; i++) for (let j = 0; j < Wq; j++) {
        const expected = Math.max(at(n, kk, 2 * i, 2 * j), at(n, kk, 2 * i, 2 * j + 1), at(n, kk, 2 * i + 1, 2 * j), at(n, kk, 2 * i + 1, 2 * j + 1));
        expect(Math.abs(out.data[((n * K + kk) * Hq + i) * Wq + j] - expected)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(expected)));
      }
    });
  });
});

describe('Sequential.inferBatch on two threads (kernel threads)', () => {
  let threads: KernelThreads | null = null;
  beforeAll(() => { setSplitMinWork(1 << 16); });
  afterAll(() => { setSplitMinWork(1 << 23); });
  afterEach(() => { threads?.close(); threads = null; });

  it('the fused pass split by samples gives the bits of one thread and of the layers apart', async () => {
    const model = new Sequential({ inputShape: [1, 28, 28], layers: networks[0][2], init: 'heUniform', seed: 8 });
    const batch = 41, x = values(7, batch * 784);
    const run = () => [Float32Array.from(model.inferBatch(x, batch)), Float32Array.from(model.forwardBatch(x, batch, false, null))];
    const [fusedOne, apartOne] = run();
    threads = await startKernelThreads();
    const [fusedTwo, apartTwo] = run();
    expect(threads.calls).toBeGreaterThan(0);
    expectSameBits(fusedTwo, fusedOne);
    expectSameBits(apartTwo, apartOne);
    expectSameBits(fusedOne, apartOne);
  });
});
