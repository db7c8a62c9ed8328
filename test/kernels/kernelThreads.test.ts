// Two threads inside one operation (core/parallel/kernelThreads.ts): large WebAssembly calls split their rows or samples
// with a helper thread over shared memory and give the same bits as one thread.
import { describe, it, expect, afterEach, beforeAll, afterAll } from 'vitest';
import { startKernelThreads, type KernelThreads } from '../../core/node.js';
import { createPreset, conv3d, conv3dBackward, dense, denseBackward, fit, seeded, setWasmFlavor, type Tensor } from '../../core/index.js';
import { wasmGemm, setSplitMinWork, setChunkWork, shareWasm, kernelThreadMemory, type ChunkedCall, type KernelPartner, type SplitKernel } from '../../core/kernels/wasm.js';
import { chunkArgs, kernelHelperInit, beginKernelThreads, CHUNK_CONTROL } from '../../core/parallel/kernelThreads.js';
import { fromData } from '../../core/index.js';

let threads: KernelThreads | null = null;
// split from 2^16 multiply-adds (the default, 2^23, would need slow test operands)
beforeAll(() => { setSplitMinWork(1 << 16); });
afterAll(() => { setSplitMinWork(1 << 23); });
afterEach(() => { threads?.close(); threads = null; });

const values = (random: ReturnType<typeof seeded>, n: number) => Float32Array.from({ length: n }, () => random.uniform(-2, 2));
const random4 = (random: ReturnType<typeof seeded>, shape: number[]) => fromData(values(random, shape.reduce((a, b) => a * b, 1)), shape);

/** A partner's runChunks that runs every chunk here, in the order `order` gives (as if the other thread never claimed one). */
/** `run` on one thread, then through `kernels` (a fake helper's kernel threads) in chunks of about 2^14 multiply-adds:
 *  the same bits; then `check` (what the fake helper saw) before the kernels go back to one thread. */
function withFakeHelper(kernels: KernelPartner, run: () => Float32Array[], check: () => void) {
  shareWasm(null, null);
  const one = run();
  shareWasm(kernelThreadMemory(), kernels);
  const previous = setChunkWork(1 << 14);
  try {
    expect(run()).toEqual(one);
    check();
  } finally { setChunkWork(previous); shareWasm(null, null); }
}

function runChunksHere(given: SplitKernel[], order: (chunks: number) => number[] = (n) => [...Array(n).keys()]) {
  return (call: ChunkedCall, run: (...args: number[]) => void, done?: (first: number, rows: number) => void) => {
    given.push(call.kernel);
    for (const i of order(Math.ceil(call.rows / call.chunkRows))) {
      const args = chunkArgs([], call.args, call.step, call.args.length, call.countArg, call.rows, call.chunkRows, i);
      run(...args);
      done?.(i * call.chunkRows, args[call.countArg]);
    }
  };
}

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
    // a batch of 37 (not a multiple of the 4-row tile) through 103 units (the partner's 51 end in a lone column): split by units
    const ex = random4(random, [37, 301]), ew = random4(random, [103, 301]), eb = random4(random, [103]);
    const copy = (t: Tensor) => Float32Array.from(t.data);
    const [one, two] = await oneAndTwo(() => {
      const g = denseBackward(dx, w, dOut);
      return [conv3d(x, k, { bias: kb }), conv3d(x, k, { bias: kb, stride: 2, padding: 1 }), conv3d(x, k, { padding: 'same' }),
        dense(dx, w, wb), g.dInput, g.dW, g.db, dense(ex, ew, eb), dense(ex, ew)].map(copy);
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
    const a = values(random, 520 * 71), b = values(random, 71 * 131);
    const run = () => {
      const c = new Float32Array(520 * 131);
      wasmGemm('NN', 520, 131, 71, a, 0, b, 0, c, 0, false);
      const g = conv3dBackward(x, k, d);
      return [conv3d(x, k, { bias: kb }).data, conv3d(x, k, { stride: 2, padding: 1 }).data, conv3d(x, k, { padding: 'same' }).data,
        c, g.dInput.data, g.dKernels.data, g.dBias.data].map((t) => Float32Array.from(t));
    };
    const one = run(), given: SplitKernel[] = [];
    const parked: KernelPartner = {
      start: (kernel) => { given.push(kernel); },
      reclaim: () => true,
      finish: () => { throw new Error('finish: the part was taken back'); },
      runChunks: runChunksHere(given, (n) => [...Array(n).keys()].reverse()),
    };
    shareWasm(kernelThreadMemory(), parked);
    try {
      expect(run()).toEqual(one);
    } finally { shareWasm(null, null); }
    expect(new Set(given)).toEqual(new Set(['gemmXN', 'convForwardTaps', 'convForward', 'convBackwardInput']));
  });

  it('a dense layer over a small batch splits by its units, and its weights\' update splits at the same unit (owner computes)', () => {
    // the partner's parts are recorded and run here (taken back): each thread's rows of W are the ones it reads in the
    // forward product, sums the gradient of and updates, so they stay in its core's cache from step to step
    const random = seeded(12), given: { kernel: SplitKernel; args: number[] }[] = [];
    const recorder: KernelPartner = { start: (kernel, args) => { given.push({ kernel, args }); }, reclaim: () => true, finish: () => {},
      runChunks: runChunksHere([]) };
    const data = { inputs: values(random, 64 * 784).map((v) => (v > 0 ? v : 0)), labels: Int32Array.from({ length: 64 }, () => random.int(10)),
      sampleShape: [1, 28, 28], classes: 10 };
    const model = createPreset('mlp', { seed: 5 }), same = createPreset('mlp', { seed: 5 });
    const options = { epochs: 1, batchSize: 32, optimizer: { type: 'momentum', learningRate: 0.02, momentum: 0.9 } as const, seed: 2 };
    fit(same, data, options);
    shareWasm(kernelThreadMemory(), recorder);
    try { fit(model, data, options); } finally { shareWasm(null, null); }
    expect(model.params().map((p) => Float32Array.from(p.value.data))).toEqual(same.params().map((p) => Float32Array.from(p.value.data)));
    // 784 → 100 at a batch of 32: this thread units [0, 52), the partner [52, 100) in the forward, the weight gradient and the update
    // (the 100 → 10 layer splits too at this file's lowered threshold; its calls have 100 inputs)
    const forward = given.filter((g) => g.kernel === 'gemmNTStrided' && g.args[2] === 784);
    const gradient = given.filter((g) => g.kernel === 'weightGradient' && g.args[4] === 784);
    const update = given.filter((g) => g.kernel === 'optimizerStep' && g.args[5] > 1000);
    expect([forward.length, gradient.length, update.length]).toEqual([2, 2, 2]);
    expect(given.some((g) => g.kernel === 'gemmNT' && g.args[2] === 784)).toBe(false);
    expect(forward[0].args.slice(0, 3)).toEqual([32, 48, 784]);
    expect(gradient[0].args[5]).toBe(48);
    expect(update[0].args[5]).toBe(48 * 784);
  });

  it('calls cut into many chunks that both threads claim are the same bits (products, convolutions, predict), every chunk run once', async () => {
    const random = seeded(13);
    const a = values(random, 520 * 71), b = values(random, 71 * 131); // 520 rows: gemmXN's chunks are 256 rows or more
    const x = random4(random, [37, 3, 30, 29]), k = random4(random, [8, 3, 5, 5]), kb = random4(random, [8]);
    const model = createPreset('cnn', { seed: 3 }), digits = random4(random, [100, 1, 28, 28]);
    // the mlp over 150 samples (more than its 100 units: split by samples), most inputs blank as in digits
    const mlp = createPreset('mlp', { seed: 3 }), blank = fromData(values(random, 150 * 784).map((v) => (v > 1 ? v : 0)), [150, 1, 28, 28]);
    const run = () => {
      const out: Float32Array[] = [];
      for (const layout of ['NN', 'NT', 'TN'] as const) {
        for (const accumulate of [false, true]) { const c = values(seeded(1), 520 * 131); wasmGemm(layout, 520, 131, 71, a, 0, b, 0, c, 0, accumulate); out.push(c); }
      }
      for (const t of [conv3d(x, k, { bias: kb }), conv3d(x, k, { padding: 'same' }), conv3d(x, k, { stride: 2, padding: 1 }), model.predict(digits), mlp.predict(blank)]) out.push(Float32Array.from(t.data));
      return out;
    };
    const one = run();
    const previous = setChunkWork(1 << 14); // chunks of a few rows or samples (up to 32 a call, the last one shorter)
    try {
      threads = await startKernelThreads();
      for (let i = 0; i < 2; i++) expect(run()).toEqual(one);
      const { helper, caller, taken } = threads.chunks;
      expect(caller).toBeGreaterThan(0);
      expect(helper + caller + taken).toBeGreaterThan(2 * 12 * 2);
    } finally { setChunkWork(previous); }
  });

  it('a chunk the helper claimed and holds (pre-empted) is taken over by the caller; the helper\'s late copy is refused', () => {
    // a helper thread that never runs: on every chunked call it claims the first chunk and stalls
    const init = kernelHelperInit(), control = new Int32Array(init.control), stalled: number[] = [];
    const kernels = beginKernelThreads({ postMessage: () => {}, terminate: () => {} }, init);
    const wake = (kernels as unknown as { wake(mode: number): void }).wake;
    (kernels as unknown as { wake(mode: number): void }).wake = function (mode: number) {
      wake.call(this, mode);
      const word = Atomics.load(control, CHUNK_CONTROL.NEXT);
      expect(Atomics.compareExchange(control, CHUNK_CONTROL.NEXT, word, word + 1)).toBe(word);
      stalled.push(word >> 8);
    };
    const random = seeded(14);
    const a = values(random, 157 * 71), b = values(random, 71 * 131), x = random4(random, [37, 3, 30, 29]), k = random4(random, [8, 3, 5, 5]);
    const run = () => {
      const c = new Float32Array(157 * 131);
      wasmGemm('NT', 157, 131, 71, a, 0, b, 0, c, 0, false);
      return [c, Float32Array.from(conv3d(x, k).data), Float32Array.from(conv3d(x, k, { stride: 2 }).data)];
    };
    withFakeHelper(kernels, run, () => {
      expect(stalled.length).toBe(3);
      expect(kernels.chunks.taken).toBe(3);
      // the stalled helper, resuming, finds its chunk taken: its copy into place is refused
      const tag = stalled[2] & CHUNK_CONTROL.TAG_MASK;
      expect(Atomics.compareExchange(control, CHUNK_CONTROL.STATE, tag * 4 + CHUNK_CONTROL.OPEN, tag * 4 + CHUNK_CONTROL.COMMITTING))
        .toBe(tag * 4 + CHUNK_CONTROL.TAKEN);
    });
  });

  it('the helper\'s finished chunks are passed to `done` between the caller\'s own (a conv output copied out while the helper computes)', () => {
    // a helper thread that, on every chunked call, claims the first chunk and finishes it at once (in place, as its copy
    // into place would); the caller must see it finished after its own first chunk, not only once it has run out of chunks
    const init = kernelHelperInit(), control = new Int32Array(init.control);
    const kernels = beginKernelThreads({ postMessage: () => {}, terminate: () => {} }, init);
    const self = kernels as unknown as { wake(mode: number): void; runChunks: KernelPartner['runChunks'] };
    const wake = self.wake, runChunks = self.runChunks, order: number[][] = [];
    let current: { call: ChunkedCall; run: (...args: number[]) => void } | null = null;
    self.runChunks = function (call, run, done) {
      current = { call, run };
      const seen: number[] = [];
      order.push(seen);
      return runChunks.call(this, call, run, done && ((first, rows) => { seen.push(first / call.chunkRows); done(first, rows); }));
    };
    self.wake = function (mode: number) {
      wake.call(this, mode);
      const word = Atomics.load(control, CHUNK_CONTROL.NEXT), { call, run } = current!;
      expect(Atomics.compareExchange(control, CHUNK_CONTROL.NEXT, word, word + 1)).toBe(word);
      run(...chunkArgs([], call.args, call.step, call.args.length, call.countArg, call.rows, call.chunkRows, 0));
      Atomics.store(control, CHUNK_CONTROL.STATE, (word >> 8) * 4 + CHUNK_CONTROL.DONE);
    };
    const random = seeded(15), x = random4(random, [37, 3, 30, 29]), k = random4(random, [8, 3, 5, 5]), kb = random4(random, [8]);
    const run = () => [conv3d(x, k, { bias: kb }), conv3d(x, k, { padding: 'same' })].map((t) => Float32Array.from(t.data));
    withFakeHelper(kernels, run, () => {
      expect(order.length).toBe(2);
      for (const seen of order) {
        expect(seen.length).toBeGreaterThan(3);
        expect(seen.slice(0, 2)).toEqual([1, 0]); // the caller's first chunk, then the helper's
        expect([...seen].sort((a, b) => a - b)).toEqual([...seen.keys()]); // every chunk once
      }
      expect(kernels.chunks.helper).toBe(2);
    });
  });

  it('refuses to change the kernel build while the helper runs (both threads must round the same way)', async () => {
    threads = await startKernelThreads();
    expect(() => setWasmFlavor('strict')).toThrow(/kernel threads are running/);
    threads.close(); threads = null;
    expect(() => setWasmFlavor('auto')).not.toThrow();
  });
});
