// The WebAssembly SIMD kernels against the plain TypeScript ones on random shapes: odd sizes, strides, padding,
// views, offsets. Sums agree to float32 rounding (the orders differ: four lanes, float32 accumulators);
// pooling and ReLU pick values and must agree exactly.
import { describe, it, expect, afterEach, beforeEach } from 'vitest';
import fc from 'fast-check';
import ndarray from 'ndarray';
import {
  conv3d, conv3dBackward, dense, denseBackward, maxPool, maxPoolBackward, fromData, setKernels, kernels, seeded,
  createPreset, fit, zeros, Optimizer, wasmFlavor, setWasmFlavor, relaxedSimdAvailable, type Tensor, type Dataset, type WasmFlavor,
} from '../../core/index.js';
import { gemmNN, gemmNT, gemmTN } from '../../core/kernels/gemm.js';
import { wasmGemm, withWasm, WasmMemoryError, wasmKernels } from '../../core/kernels/wasm.js';
import { fast } from '../../core/kernels/select.js';
import { readFileSync, readdirSync } from 'node:fs';
import { expectClose, randomTensor } from '../helpers.js';

afterEach(() => setKernels('wasm'));

function both<T>(run: () => T): { wasm: T; js: T } {
  setKernels('wasm'); const wasm = run();
  setKernels('js'); const js = run();
  setKernels('wasm');
  return { wasm, js };
}

/** |a − b| ≤ tol · (1 + the size of the terms summed), per element: float32 rounding over `terms` products. */
function expectSameSums(a: Tensor, b: Tensor, terms: number): void {
  expect(a.shape).toEqual(b.shape);
  expectClose(a, b, { atol: 2e-6 * terms, rtol: 1e-5 });
}

const seed = Number(process.env.FC_SEED ?? 20261122);

describe('kernel selection', () => {
  it('uses WebAssembly by default here and can switch to TypeScript', () => {
    expect(kernels()).toBe('wasm');
    setKernels('js');
    expect(kernels()).toBe('js');
  });
  it('falls back (nothing written) only when operands do not fit in WebAssembly memory', () => {
    expect(withWasm(() => {})).toBe(true);
    expect(withWasm(() => { throw new WasmMemoryError('too big'); })).toBe(false);
    expect(() => withWasm(() => { throw new TypeError('a bug'); })).toThrow('a bug');
  });
  it('has one seam: fast() gives the WebAssembly kernels or null, and only kernels/ and parallel/ name wasm.ts', () => {
    expect(fast()).toBe(wasmKernels);
    setKernels('js');
    expect(fast()).toBeNull();
    const root = new URL('../../core/', import.meta.url);
    const offenders: string[] = [];
    for (const dir of readdirSync(root, { withFileTypes: true })) {
      if (!dir.isDirectory() || dir.name === 'kernels' || dir.name === 'parallel') continue;
      for (const file of readdirSync(new URL(`${dir.name}/`, root), { recursive: true }) as string[]) {
        if (!file.endsWith('.ts')) continue;
        const text = readFileSync(new URL(`${dir.name}/${file}`, root), 'utf8');
        if (/kernels\/wasm\.js|wasmActive|withWasm/.test(text)) offenders.push(`${dir.name}/${file}`);
      }
    }
    expect(offenders).toEqual([]);
  });
  it('rejects an unknown name, naming the function and the choices', () => {
    expect(() => setKernels('gpu' as 'js')).toThrow(/setKernels: name must be 'wasm' or 'js', got "gpu"/);
  });
});

describe('wasm matrix products equal the TypeScript ones', () => {
  it.each(['NN', 'NT', 'TN'] as const)('%s on random sizes, offsets and accumulation', (layout) => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 19 }), fc.integer({ min: 1, max: 21 }), fc.integer({ min: 1, max: 37 }),
      fc.integer({ min: 0, max: 5 }), fc.boolean(), fc.integer(), (M, N, K, off, accumulate, s) => {
        const random = seeded(s);
        const fill = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-1, 1));
        const A = fill(off + M * K), B = fill(off + K * N), C0 = fill(off + M * N);
        const js = C0.slice(), wasm = C0.slice();
        ({ NN: gemmNN, NT: gemmNT, TN: gemmTN })[layout](M, N, K, A, off, B, off, js, off, accumulate);
        wasmGemm(layout, M, N, K, A, off, B, off, wasm, off, accumulate);
        for (let i = 0; i < js.length; i++) expect(Math.abs(wasm[i] - js[i])).toBeLessThanOrEqual(2e-6 * (K + 1));
      }), { seed, numRuns: 60 });
  });
});

const convCase = fc.record({
  N: fc.integer({ min: 1, max: 3 }), C: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 13 }), W: fc.integer({ min: 1, max: 13 }),
  K: fc.integer({ min: 1, max: 9 }), kh: fc.integer({ min: 1, max: 5 }), kw: fc.integer({ min: 1, max: 5 }),
  sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }),
  padding: fc.oneof(fc.constant('valid' as const), fc.constant('same' as const), fc.integer({ min: 0, max: 2 })),
  bias: fc.boolean(), seed: fc.integer(),
});

describe('wasm conv3d equals the TypeScript conv3d', () => {
  it('forward and backward on random shapes, strides and padding', () => {
    fc.assert(fc.property(convCase, (c) => {
      const pad = c.padding === 'valid' ? 0 : c.padding === 'same' ? Math.floor(Math.max(c.kh, c.kw) / 2) : c.padding;
      fc.pre(c.kh <= c.H + 2 * pad && c.kw <= c.W + 2 * pad);
      const random = seeded(c.seed);
      const x = randomTensor(random, [c.N, c.C, c.H, c.W]), w = randomTensor(random, [c.K, c.C, c.kh, c.kw]);
      const options = { stride: [c.sh, c.sw] as [number, number], padding: c.padding, bias: c.bias ? randomTensor(random, [c.K]) : undefined };
      const out = both(() => conv3d(x, w, options));
      const terms = c.C * c.kh * c.kw;
      expectSameSums(out.wasm, out.js, terms);
      const dOut = randomTensor(random, out.js.shape);
      const grads = both(() => conv3dBackward(x, w, dOut, options));
      const positions = out.js.size / c.K;
      expectSameSums(grads.wasm.dKernels, grads.js.dKernels, positions);
      expectSameSums(grads.wasm.dBias, grads.js.dBias, positions);
      expectSameSums(grads.wasm.dInput, grads.js.dInput, c.K * c.kh * c.kw);
    }), { seed, numRuns: 80 });
  });

  it('stride 1 with 1–3 columns past the vector tiles (maps 13, 15, 30 wide: the last, partial 4-wide tile)', () => {
    const random = seeded(12);
    for (const [W, K, C, bias] of [[15, 4, 3, true], [17, 8, 2, false], [32, 4, 1, true], [7, 5, 2, true], [4, 4, 1, false], [5, 12, 3, true]] as const) {
      const x = randomTensor(random, [2, C, W, W]), w = randomTensor(random, [K, C, 3, 3]);
      const options = { bias: bias ? randomTensor(random, [K]) : undefined };
      const out = both(() => conv3d(x, w, options));
      expectSameSums(out.wasm, out.js, C * 9);
      const same = both(() => conv3d(x, w, { ...options, padding: 'same' }));
      expectSameSums(same.wasm, same.js, C * 9);
    }
  });

  it('reads strided views (transposed, stepped) the same way', () => {
    const random = seeded(5);
    const base = randomTensor(random, [2, 3, 11, 9]);
    const transposed = ndarray(base.data, [2, 3, 9, 11], [297, 99, 1, 9]) as Tensor; // H and W swapped
    const stepped = ndarray(base.data, [2, 3, 6, 5], [297, 99, 18, 2]) as Tensor; // every second row and column
    const w = randomTensor(random, [4, 3, 3, 2]);
    for (const x of [transposed, stepped]) {
      const out = both(() => conv3d(x, w, { stride: [2, 1], padding: 1 }));
      expectSameSums(out.wasm, out.js, 18);
    }
  });
});

describe('wasm dense, pooling and training equal the TypeScript ones', () => {
  it('dense forward and backward on random sizes', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 23 }), fc.integer(),
      (N, inputs, outputs, s) => {
        const random = seeded(s);
        const x = randomTensor(random, [N, inputs]), W = randomTensor(random, [outputs, inputs]), b = randomTensor(random, [outputs]);
        const y = both(() => dense(x, W, b));
        expectSameSums(y.wasm, y.js, inputs);
        const dOut = randomTensor(random, y.js.shape);
        const g = both(() => denseBackward(x, W, dOut));
        expectSameSums(g.wasm.dInput, g.js.dInput, outputs);
        expectSameSums(g.wasm.dW, g.js.dW, N);
        expectSameSums(g.wasm.db, g.js.db, N);
      }), { seed, numRuns: 60 });
  });

  it('the fused dense kernels (bias in the product\'s store, dInput/dW/db in one call) give the bits of the separate products and loops', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 23 }), fc.boolean(), fc.integer(),
      (N, inputs, outputs, withDx, s) => {
        const random = seeded(s);
        const values = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-2, 2));
        const x = values(N * inputs), W = values(outputs * inputs), b = values(outputs), dOut = values(N * outputs);
        const g = { batch: N, inputs, outputs, batched: true, outShape: [N, outputs] };
        // reference: the separate WebAssembly products, the bias and db loops in TypeScript
        const y0 = new Float32Array(N * outputs);
        wasmGemm('NT', N, outputs, inputs, x, 0, W, 0, y0, 0, false);
        for (let n = 0; n < N; n++) for (let o = 0; o < outputs; o++) y0[n * outputs + o] += b[o];
        const dW0 = values(outputs * inputs), db0 = values(outputs), dX0 = new Float32Array(N * inputs);
        const dW1 = dW0.slice(), db1 = db0.slice(), dX1 = new Float32Array(N * inputs).fill(7);
        if (withDx) wasmGemm('NN', N, inputs, outputs, dOut, 0, W, 0, dX0, 0, false);
        wasmGemm('TN', outputs, inputs, N, dOut, 0, x, 0, dW0, 0, true);
        for (let n = 0; n < N; n++) for (let o = 0; o < outputs; o++) db0[o] += dOut[n * outputs + o];
        const y1 = new Float32Array(N * outputs).fill(7);
        expect(wasmKernels.denseForward(y1, x, W, b, g)).toBe(true);
        expect(wasmKernels.denseBackward(withDx ? dX1 : null, dW1, db1, x, W, dOut, g)).toBe(true);
        expect(y1).toEqual(y0);
        expect(dW1).toEqual(dW0);
        expect(db1).toEqual(db0);
        if (withDx) expect(dX1).toEqual(dX0); else expect(dX1.every((v) => v === 7)).toBe(true);
      }), { seed, numRuns: 60 });
  });

  it('max pooling picks the same values and positions (ties, NaN, overlapping and edge-dropping windows)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: 14 }),
      fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer(),
      (maps, H, W, ph, pw, sh, sw, s) => {
        fc.pre(ph <= H && pw <= W);
        const random = seeded(s);
        // few distinct values, so windows often hold ties; now and then a NaN
        const data = Float32Array.from({ length: maps * H * W }, () => (random.next() < 0.03 ? NaN : Math.floor(random.uniform(-3, 3))));
        const x = fromData(data, [maps, H, W]);
        const options = { size: [ph, pw] as [number, number], stride: [sh, sw] as [number, number] };
        const out = both(() => maxPool(x, options));
        expectClose(out.wasm, out.js, { atol: 0, rtol: 0 });
        const dOut = randomTensor(random, out.js.shape);
        const dx = both(() => maxPoolBackward(x, dOut, options));
        expectClose(dx.wasm, dx.js, { atol: 0, rtol: 0 });
      }), { seed, numRuns: 80 });
  });

  it('a CNN trained for 40 steps ends with the same loss and weights to within 1e-4', () => {
    const random = seeded(9);
    const n = 320;
    const data: Dataset = {
      inputs: Float32Array.from({ length: n * 784 }, () => random.next()), labels: Int32Array.from({ length: n }, () => Math.floor(random.next() * 10)),
      sampleShape: [1, 28, 28], classes: 10,
    };
    const run = () => {
      const model = createPreset('cnn', { seed: 1 });
      const result = fit(model, data, { epochs: 4, batchSize: 32, optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 }, seed: 1 });
      return { loss: result.history.at(-1)!.loss, weights: model.params().map((p) => p.value) };
    };
    const r = both(run);
    expect(Math.abs(r.wasm.loss - r.js.loss)).toBeLessThan(1e-4);
    r.wasm.weights.forEach((w, i) => expectClose(w, r.js.weights[i], { atol: 1e-4, rtol: 1e-3 }));
  });
});

describe('the optimizer update and gradient sum in WebAssembly are the same bits as in TypeScript', () => {
  it('sgd, momentum and adam, with and without weight decay, over several steps of random sizes', () => {
    fc.assert(fc.property(fc.constantFrom('sgd', 'momentum', 'adam') as fc.Arbitrary<'sgd' | 'momentum' | 'adam'>, fc.integer({ min: 1, max: 41 }),
      fc.constantFrom(0, 1e-3), fc.integer(), (type, size, weightDecay, s) => {
        const run = () => {
          const random = seeded(s);
          const weights = randomTensor(random, [size]), bias = randomTensor(random, [3]);
          const grads = [zeros([size]), zeros([3])];
          const params = [{ name: 'w', value: weights, grad: grads[0], decay: true }, { name: 'b', value: bias, grad: grads[1], decay: false }];
          const optimizer = new Optimizer({ type, learningRate: 0.05, weightDecay }, params);
          for (let step = 0; step < 4; step++) {
            // gradients with zeros, tiny and large values, as real ones have
            grads.forEach((g) => g.data.forEach((_, i) => { g.data[i] = random.next() < 0.2 ? 0 : random.uniform(-3, 3) * 10 ** random.int(6) * 1e-4; }));
            optimizer.step();
            grads.forEach((g) => expect(g.data.every((v) => v === 0)).toBe(true));
          }
          return [weights.data.slice(), bias.data.slice()];
        };
        const r = both(run);
        expect(Array.from(r.wasm[0])).toEqual(Array.from(r.js[0]));
        expect(Array.from(r.wasm[1])).toEqual(Array.from(r.js[1]));
      }), { seed, numRuns: 60 });
  });

  it('momentum against the formula in float64, each stored value rounded once (far-apart magnitudes, where a float32 add of w and a must round as the float64 sum does)', () => {
    const random = seeded(9);
    const magnitudes = [1e-30, 1e-8, 1e-3, 1, 3e4, 1e30];
    const n = 64;
    const w0 = Float32Array.from({ length: n }, (_, i) => random.uniform(-1, 1) * magnitudes[i % 6]);
    const a0 = Float32Array.from({ length: n }, (_, i) => random.uniform(-1, 1) * magnitudes[(i + 2) % 6]);
    const g0 = Float32Array.from({ length: n }, (_, i) => random.uniform(-1, 1) * magnitudes[(i + 4) % 6]);
    for (const decay of [0, 1e-3]) {
      const w = Float32Array.from(w0), a = Float32Array.from(a0), g = Float32Array.from(g0);
      const h = { learningRate: 0.01, decay, momentum: 0.9, beta1: 0.9, beta2: 0.999, correction1: 1, correction2: 1, epsilon: 1e-8 };
      expect(wasmKernels.optimizerStep('momentum', w, g, a, null, h, true)).toBe(true);
      for (let i = 0; i < n; i++) {
        const velocity = Math.fround(0.9 * a0[i] - 0.01 * (g0[i] + decay * w0[i]));
        expect(a[i]).toBe(velocity);
        expect(w[i]).toBe(Math.fround(w0[i] + velocity));
        expect(g[i]).toBe(0);
      }
    }
  });

  it('addInto adds element by element (odd lengths)', () => {
    const random = seeded(4);
    for (const n of [1, 3, 4, 7, 33]) {
      const dst = Float32Array.from({ length: n }, () => random.uniform(-1, 1)), src = Float32Array.from({ length: n }, () => random.uniform(-1, 1));
      const expected = dst.map((v, i) => v + src[i]);
      expect(wasmKernels.addInto(dst, src, n)).toBe(true);
      expect(Array.from(dst)).toEqual(Array.from(expected));
    }
  });
});

describe('the two WebAssembly builds', () => {
  let before: WasmFlavor | null = null;
  beforeEach(() => { before = wasmFlavor(); });
  afterEach(() => { if (before) setWasmFlavor(before); });
  it('names the build in use; strict loads everywhere, relaxed only where the runtime validates it', () => {
    setWasmFlavor('strict');
    expect(wasmFlavor()).toBe('strict');
    if (relaxedSimdAvailable()) {
      setWasmFlavor('relaxed');
      expect(wasmFlavor()).toBe('relaxed');
    } else expect(() => setWasmFlavor('relaxed')).toThrow(/no relaxed SIMD/);
    expect(() => setWasmFlavor('fast' as 'strict')).toThrow(/setWasmFlavor: name must be 'relaxed', 'strict' or 'auto', got "fast"/);
  });
  it.skipIf(!relaxedSimdAvailable())('the builds agree to float32 rounding on a matrix product (fused multiply-adds round once)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 300 }), fc.integer(), (M, N, K, s) => {
      const random = seeded(s);
      const A = Float32Array.from({ length: M * K }, () => random.uniform(-1, 1)), B = Float32Array.from({ length: K * N }, () => random.uniform(-1, 1));
      const run = (flavor: 'strict' | 'relaxed') => { setWasmFlavor(flavor); const C = new Float32Array(M * N); wasmGemm('NN', M, N, K, A, 0, B, 0, C, 0, false); return C; };
      const strict = run('strict'), relaxed = run('relaxed');
      expectClose(fromData(relaxed, [M, N]), fromData(strict, [M, N]), { atol: 2e-6 * K, rtol: 1e-5 });
    }), { seed, numRuns: 30 });
  });
});
