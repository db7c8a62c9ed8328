// Two threads inside one operation (core/parallel/kernelThreads.ts): large WebAssembly calls split their rows or samples
// with a helper thread over shared memory and give the same bits as one thread.
import { describe, it, expect, afterEach, beforeAll, afterAll } from 'vitest';
import { startKernelThreads, type KernelThreads } from '../../core/node.js';
import { createPreset, conv3d, conv3dBackward, dense, denseBackward, fit, seeded, setWasmFlavor, type Tensor } from '../../core/index.js';
import { wasmGemm, setSplitMinWork, shareWasm, kernelThreadMemory, type KernelPartner, type SplitKernel } from '../../core/kernels/wasm.js';
import { fromData } from '../../core/index.js';

let threads: KernelThreads | null = null;
// split from 2^16 multiply-adds (the default, 2^23, would need slow test operands)
beforeAll(() => { setSplitMinWork(1 << 16); });
afterAll(() => { setSplitMinWork(1 << 23); });
afterEach(() => { threads?.close(); threads = null; });

const values = (random: ReturnType<typeof seeded>, n: number) => Float32Array.from({ length: n }, () => random.uniform(-2, 2));
const random4 = (random: ReturnType<typeof seeded>, shape: number[]) => fromData(values(random, shape.reduce((a, b) => a * b, 1)), shape);

/** `run` on one thread, then with the kernel helper; returns both results (copied out). */
async function oneAndTwo<T>(run: () => T): Promise<[T, T]> {
  const one = run();
  threads = await startKernelThreads();
  const two = run();
  expect(threads.calls).toBeGreaterThan(0); // the helper took part
  threads.close(); threads = null;
  return [one, two];
}

describe('kernel threads', () => {
  it('matrix products split by rows are the same bits (three layouts, odd sizes, accumulation)', async () => {
    const random = seeded(7);
    const cases = [[157, 131, 71], [64, 200, 90], [9, 1030, 130]] as const;
    const inputs = cases.map(([M, N, K]) => ({ M, N, K, a: values(random, M * K), b: values(random, K * N), c: values(random, M * N) }));
    const [one, two] = await oneAndTwo(() => inputs.flatMap(({ M, N, K, a, b, c }) => (['NN', 'NT', 'TN'] as const).flatMap((layout) =>
      [false, true].map((accumulate) => { const out = c.slice(); wasmGemm(layout, M, N, K, a, 0, b, 0, out, 0, accumulate); return out; }))));
    expect(two).toEqual(one);
  });

  it('batch convolutions (stride 1 direct, stride 2 unrolled, padding, backward) and dense layers are the same bits', async () => {
    const random = seeded(8);
    const x = random4(random, [37, 3, 30, 29]), k = random4(random, [8, 3, 5, 5]), kb = random4(random, [8]);
    const dx = random4(random, [96, 300]), w = random4(random, [110, 300]), wb = random4(random, [110]), dOut = random4(random, [96, 110]);
    const copy = (t: Tensor) => Float32Array.from(t.data);
    const [one, two] = await oneAndTwo(() => {
      const g = denseBackward(dx, w, dOut);
      return [conv3d(x, k, { bias: kb }), conv3d(x, k, { bias: kb, stride: 2, padding: 1 }), conv3d(x, k, { padding: 'same' }),
        dense(dx, w, wb), g.dInput, g.dW, g.db].map(copy);
    });
    expect(two).toEqual(one);
    // a convolution's backward: the helper computes the input gradient while this thread computes the kernel's and bias's
    const d = random4(seeded(9), [37, 8, 26, 25]), dp = random4(seeded(9), [37, 8, 14, 14]);
    const [b1, b2] = await oneAndTwo(() => [conv3dBackward(x, k, d), conv3dBackward(x, k, dp, { stride: 2, padding: 1 })]
      .flatMap((g) => [g.dInput, g.dKernels, g.dBias].map(copy)));
    expect(b2).toEqual(b1);
  });

  it('predict gives the same bits, and close() goes back to one thread', async () => {
    const model = createPreset('cnn', { seed: 3 }), mlp = createPreset('mlp', { seed: 3 });
    const x = random4(seeded(10), [300, 1, 28, 28]);
    const [one, two] = await oneAndTwo(() => [Float32Array.from(model.predict(x).data), Float32Array.from(mlp.predict(x).data)]);
    expect(two).toEqual(one);
    expect(Float32Array.from(model.predict(x).data)).toEqual(one[0]);
  });

  it('training a dense model gives the same bits: whole batches split inside the layers (weight gradient by rows, both halves) and the optimizer by values', async () => {
    const random = seeded(11);
    const inputs = values(random, 70 * 784).map((v) => (v > 0 ? v : 0)), labels = Int32Array.from({ length: 70 }, () => random.int(10));
    const data = { inputs, labels, sampleShape: [1, 28, 28], classes: 10 };
    const [one, two] = await oneAndTwo(() => ([{ type: 'momentum', learningRate: 0.02, momentum: 0.9 }, { type: 'adam', learningRate: 0.003 }] as const)
      .flatMap((optimizer) => {
        const model = createPreset('mlp', { seed: 5 });
        const history = fit(model, data, { epochs: 2, batchSize: 32, optimizer, seed: 2 }).history;
        return [Float64Array.from(history.map((h) => h.loss)), ...model.params().map((p) => Float32Array.from(p.value.data))];
      }));
    expect(two).toEqual(one);
  });

  it('a part the helper has not begun is taken back and run by the caller: the same bits', async () => {
    // a partner that never begins (as a helper parked by the scheduler): every split call runs its second part itself
    const random = seeded(11);
    const x = random4(random, [37, 3, 30, 29]), k = random4(random, [8, 3, 5, 5]), kb = random4(random, [8]), d = random4(random, [37, 8, 26, 25]);
    const a = values(random, 157 * 71), b = values(random, 71 * 131);
    const run = () => {
      const c = new Float32Array(157 * 131);
      wasmGemm('NN', 157, 131, 71, a, 0, b, 0, c, 0, false);
      const g = conv3dBackward(x, k, d);
      return [conv3d(x, k, { bias: kb }).data, conv3d(x, k, { stride: 2, padding: 1 }).data, conv3d(x, k, { padding: 'same' }).data,
        c, g.dInput.data, g.dKernels.data, g.dBias.data].map((t) => Float32Array.from(t));
    };
    const one = run(), given: SplitKernel[] = [];
    const parked: KernelPartner = {
      start: (kernel) => { given.push(kernel); },
      reclaim: () => true,
      finish: () => { throw new Error('finish: the part was taken back'); },
    };
    shareWasm(kernelThreadMemory(), parked);
    try {
      expect(run()).toEqual(one);
    } finally { shareWasm(null, null); }
    expect(new Set(given)).toEqual(new Set(['gemmXN', 'convForwardTaps', 'convForward', 'convBackwardInput']));
  });

  it('refuses to change the kernel build while the helper runs (both threads must round the same way)', async () => {
    threads = await startKernelThreads();
    expect(() => setWasmFlavor('strict')).toThrow(/kernel threads are running/);
    threads.close(); threads = null;
    expect(() => setWasmFlavor('auto')).not.toThrow();
  });
});
