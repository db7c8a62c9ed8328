// Resident arrays (core/kernels/wasm.ts): parameters, gradients and optimizer state live in the kernels' WebAssembly
// memory in Node, so a training step copies none of them. They must change nothing but the copies: the same bits as
// ordinary arrays, on every optimizer, with kernel threads, and after the memory grows under them.
import { describe, it, expect, afterEach, vi } from 'vitest';
import { startKernelThreads } from '../../core/node.js';
import { createPreset, fit, seeded, fromData, zeros, conv3d, conv3dInto, type Dataset, type Sequential } from '../../core/index.js';
import { isResident, setResidentArrays, residentArray, residentArraysInWorker, setSplitMinWork, wasmGemm } from '../../core/kernels/wasm.js';
import type { OptimizerOptions } from '../../core/nn/optimizers.js';

afterEach(() => { setResidentArrays(true); });

function digits(count: number, seed: number): Dataset {
  const random = seeded(seed);
  const inputs = Float32Array.from({ length: count * 784 }, () => random.next());
  const labels = Int32Array.from({ length: count }, () => Math.floor(random.next() * 10));
  return { inputs, labels, sampleShape: [1, 28, 28], classes: 10 } as Dataset;
}

/** `name` trained for one epoch of 96 samples (batch 32: two shards a step) with resident arrays on or off. */
function trained(name: 'mlp' | 'cnn', resident: boolean, optimizer: OptimizerOptions): Sequential {
  setResidentArrays(resident);
  const model = createPreset(name, { seed: 3 });
  expect(model.params().every((p) => isResident(p.value.data) === resident && isResident(p.grad.data) === resident)).toBe(true);
  fit(model, digits(96, 5), { epochs: 1, batchSize: 32, optimizer, seed: 2 });
  return model;
}

const weights = (model: Sequential) => model.params().map((p) => Array.from(p.value.data));

describe('resident arrays', () => {
  it('residentArraysInWorker says whether arrays made here are resident (in Node they are, unless turned off)', () => {
    expect(residentArraysInWorker()).toBe(true);
    expect(isResident(residentArray(8))).toBe(true);
    setResidentArrays(false);
    expect(residentArraysInWorker()).toBe(false);
    expect(isResident(residentArray(8))).toBe(false);
  });
  for (const optimizer of [{ type: 'momentum', learningRate: 0.01, momentum: 0.9 }, { type: 'adam', learningRate: 0.002 },
    { type: 'sgd', learningRate: 0.05, weightDecay: 1e-3 }] as OptimizerOptions[]) {
    it(`train to the same bits as ordinary arrays (mlp and cnn, ${optimizer.type}), gradients zeroed after each step`, () => {
      for (const name of ['mlp', 'cnn'] as const) {
        const on = trained(name, true, optimizer), off = trained(name, false, optimizer);
        expect(weights(on)).toEqual(weights(off));
        for (const p of on.params()) expect(p.grad.data.every((v) => v === 0)).toBe(true);
      }
    });
  }

  it('a batch gathered by the kernels from their copy of the samples (nn/trainer.ts) sees samples changed between fits', () => {
    const data = digits(96, 8), optimizer: OptimizerOptions = { type: 'momentum', learningRate: 0.01, momentum: 0.9 };
    const run = (resident: boolean) => {
      setResidentArrays(resident);
      const model = createPreset('mlp', { seed: 3 });
      fit(model, data, { epochs: 2, batchSize: 32, optimizer, seed: 2 }); // two epochs: the copy is made
      return weights(model);
    };
    const original = data.inputs.slice();
    const before = run(true);
    for (let i = 0; i < data.inputs.length; i += 3) data.inputs[i] = 0; // blank a third of every sample's pixels
    const after = run(true); // the same data set: its copy in the kernels' memory is refilled
    expect(after).toEqual(run(false));
    data.inputs.set(original);
    expect(before).toEqual(run(false));
    expect(after).not.toEqual(before);
  });

  it('stay valid and in place when the memory grows, and with kernel threads', async () => {
    const a = residentArray(10);
    a.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(isResident(a)).toBe(true);
    // a product of 3 × 1024² floats grows the memory well past its size
    const n = 1024, big = new Float32Array(n * n).fill(1), c = new Float32Array(n * n);
    wasmGemm('NN', n, n, n, big, 0, big, 0, c, 0, false);
    expect(c[0]).toBe(n);
    expect(Array.from(a)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(isResident(a)).toBe(true);
    const previous = setSplitMinWork(1 << 12), optimizer: OptimizerOptions = { type: 'momentum', learningRate: 0.01 };
    const threads = await startKernelThreads();
    let both: Sequential;
    try {
      both = trained('mlp', true, optimizer);
      expect(threads.calls).toBeGreaterThan(0); // the helper computed part of the products over the resident weights
    } finally { threads.close(); setSplitMinWork(previous); }
    expect(isResident(both.params()[0].value.data)).toBe(true);
    expect(weights(both)).toEqual(weights(trained('mlp', false, optimizer)));
    expect(Array.from(a)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('conv3dInto reads and writes resident tensors in place (no copy in or out), to the same bits', () => {
    const random = seeded(7);
    const x = fromData(Float32Array.from({ length: 4 * 2 * 9 * 9 }, () => random.uniform(-1, 1)), [4, 2, 9, 9]);
    const w = fromData(Float32Array.from({ length: 8 * 2 * 3 * 3 }, () => random.uniform(-1, 1)), [8, 2, 3, 3]);
    const plain = conv3d(x, w);
    const xr = residentArray(x.size), wr = residentArray(w.size), yr = residentArray(plain.size);
    xr.set(x.data); wr.set(w.data);
    const copies = vi.spyOn(Float32Array.prototype, 'set');
    try {
      conv3dInto(fromData(yr, plain.shape), fromData(xr, x.shape), fromData(wr, w.shape));
      expect(copies).not.toHaveBeenCalled();
      conv3dInto(zeros(plain.shape), x, w);
      expect(copies).toHaveBeenCalled(); // the copies the resident case leaves out
    } finally { copies.mockRestore(); }
    expect(Array.from(yr)).toEqual(Array.from(plain.data));
  });

  it('refuse a bad size by name', () => {
    expect(() => residentArray(-1)).toThrow(/residentArray: n must be an integer ≥ 0, got -1/);
    expect(() => residentArray(1.5)).toThrow(/residentArray: n must be an integer ≥ 0, got 1.5/);
  });
});
