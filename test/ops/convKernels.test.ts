// The stride-1 convolution's WebAssembly kernel bit for bit: convForwardTaps (the direct convolution through a table of
// taps, 8-wide tiles whose last one reads past its row) against (a) a float32 loop that sums the window in (c,u,v) order
// from zero and adds the bias last, rounding as the strict build does (a multiply, then an add), (b) the im2col + gemmXN
// export (`convForward`), which sums in the same order, and (c) the earlier direct kernel (`convForwardDirect`, on an
// input padded here), which it replaces: (a) and (b) on the strict build, (c) on both (relaxed SIMD's fused multiply-add
// rounds once per product, and gemmXN's scalar edge columns do not fuse, so only the two vector kernels agree there).
import { describe, it, expect, afterEach } from 'vitest';
import fc from 'fast-check';
import { conv3d, fromData, seeded, setKernels, wasmFlavor, type Tensor } from '../../core/index.js';
import { wasmModule, residentArray } from '../../core/kernels/wasm.js';

afterEach(() => setKernels('wasm'));
const seed = Number(process.env.FC_SEED ?? 20261205);
const f32 = Math.fround;

interface Case { N: number; C: number; H: number; W: number; K: number; kh: number; kw: number; pad: number; bias: boolean; seed: number }

/** (1) of ops/conv3d.ts in float32, stride 1: each product rounded, added to the running sum in (c,u,v) order, bias last. */
function reference(x: Float32Array, w: Float32Array, b: Float32Array | null, c: Case): Float32Array {
  const Ho = c.H + 2 * c.pad - c.kh + 1, Wo = c.W + 2 * c.pad - c.kw + 1, out = new Float32Array(c.N * c.K * Ho * Wo);
  let at = 0;
  for (let n = 0; n < c.N; n++) for (let k = 0; k < c.K; k++) for (let i = 0; i < Ho; i++) for (let j = 0; j < Wo; j++, at++) {
    let s = 0, q = k * c.C * c.kh * c.kw;
    for (let ch = 0; ch < c.C; ch++) for (let u = 0; u < c.kh; u++) for (let v = 0; v < c.kw; v++, q++) {
      const y = i + u - c.pad, z = j + v - c.pad;
      const value = y >= 0 && y < c.H && z >= 0 && z < c.W ? x[((n * c.C + ch) * c.H + y) * c.W + z] : 0;
      s = f32(s + f32(w[q] * value));
    }
    out[at] = b ? f32(b[k] + s) : s;
  }
  return out;
}

/** Operands placed in the kernels' memory by hand (resident arrays), for calling an export directly. */
function place(values: Float32Array | number): Float32Array {
  const array = residentArray(typeof values === 'number' ? values : values.length);
  if (typeof values !== 'number') array.set(values);
  return array;
}
type Exports = { convForward(...args: number[]): void; convForwardDirect(...args: number[]): void };

/** The same convolution through the im2col + gemmXN export. */
function unrolled(x: Float32Array, w: Float32Array, b: Float32Array | null, c: Case): Float32Array {
  const Ho = c.H + 2 * c.pad - c.kh + 1, Wo = c.W + 2 * c.pad - c.kw + 1, R = c.C * c.kh * c.kw;
  const px = place(x), pw = place(w), pb = b ? place(b) : null, out = place(c.N * c.K * Ho * Wo), col = place(R * Ho * Wo), pack = place(8 * R);
  (wasmModule() as unknown as Exports).convForward(out.byteOffset, px.byteOffset, pw.byteOffset, pb ? pb.byteOffset : 0, col.byteOffset,
    pack.byteOffset, c.N, c.C, c.H, c.W, c.K, c.kh, c.kw, 1, 1, c.pad, c.pad, Ho, Wo);
  return out.slice();
}

/** The same convolution through the earlier direct kernel, over an input padded here (followed by slack it may read). */
function direct(x: Float32Array, w: Float32Array, b: Float32Array | null, c: Case): Float32Array {
  const Hp = c.H + 2 * c.pad, Wp = c.W + 2 * c.pad, Ho = Hp - c.kh + 1, Wo = Wp - c.kw + 1;
  const padded = new Float32Array(c.N * c.C * Hp * Wp + 8);
  for (let m = 0; m < c.N * c.C; m++) for (let y = 0; y < c.H; y++) {
    padded.set(x.subarray((m * c.H + y) * c.W, (m * c.H + y + 1) * c.W), (m * Hp + y + c.pad) * Wp + c.pad);
  }
  const px = place(padded), pw = place(w), pb = b ? place(b) : null, out = place(c.N * c.K * Ho * Wo);
  (wasmModule() as unknown as Exports).convForwardDirect(out.byteOffset, px.byteOffset, pw.byteOffset, pb ? pb.byteOffset : 0, c.N, c.C, Hp, Wp,
    c.K, c.kh, c.kw, Ho, Wo);
  return out.slice();
}

function run(c: Case, poison = false): { taps: Float32Array; loop: Float32Array; im2col: Float32Array; old: Float32Array } {
  const random = seeded(c.seed), fill = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-1, 1));
  const x = fill(c.N * c.C * c.H * c.W), w = fill(c.K * c.C * c.kh * c.kw), b = c.bias ? fill(c.K) : null;
  // infinities and a NaN in the first and last columns: a tile that reads past its row must drop what it read there
  if (poison) for (let r = 0; r < c.N * c.C * c.H; r += 3) { x[r * c.W] = r % 2 ? Infinity : -Infinity; x[r * c.W + c.W - 1] = NaN; }
  const options = { padding: c.pad, bias: b ? fromData(b, [c.K]) : undefined };
  const taps = Float32Array.from((conv3d(fromData(x, [c.N, c.C, c.H, c.W]), fromData(w, [c.K, c.C, c.kh, c.kw]), options) as Tensor).data);
  return { taps, loop: reference(x, w, b, c), im2col: unrolled(x, w, b, c), old: direct(x, w, b, c) };
}

const cases = fc.record({
  N: fc.integer({ min: 1, max: 3 }), C: fc.integer({ min: 1, max: 7 }), H: fc.integer({ min: 1, max: 12 }), W: fc.integer({ min: 1, max: 27 }),
  K: fc.integer({ min: 1, max: 10 }), kh: fc.integer({ min: 1, max: 5 }), kw: fc.integer({ min: 1, max: 5 }), pad: fc.integer({ min: 0, max: 2 }),
  bias: fc.boolean(), seed: fc.integer(),
});

describe('the stride-1 convolution (convForwardTaps) bit for bit', () => {
  it('equals the earlier direct kernel on random shapes, and the float32 loop and im2col + gemmXN on the strict build', () => {
    fc.assert(fc.property(cases, (c) => {
      fc.pre(c.kh <= c.H + 2 * c.pad && c.kw <= c.W + 2 * c.pad);
      const { taps, loop, im2col, old } = run(c);
      expect(taps).toEqual(old);
      if (wasmFlavor() === 'strict') { expect(taps).toEqual(loop); expect(taps).toEqual(im2col); }
    }), { seed, numRuns: 150 });
  });

  it('on the lab networks’ shapes: 3 input channels with "same" padding, 32 channels, maps 30, 15 and 13 wide', () => {
    for (const c of [
      { N: 2, C: 3, H: 32, W: 32, K: 32, kh: 3, kw: 3, pad: 1, bias: true, seed: 1 },
      { N: 1, C: 32, H: 32, W: 32, K: 8, kh: 3, kw: 3, pad: 0, bias: true, seed: 2 },
      { N: 2, C: 32, H: 15, W: 15, K: 12, kh: 3, kw: 3, pad: 1, bias: false, seed: 3 },
      { N: 2, C: 32, H: 15, W: 15, K: 6, kh: 3, kw: 3, pad: 0, bias: true, seed: 4 },
      { N: 2, C: 8, H: 12, W: 12, K: 16, kh: 5, kw: 5, pad: 0, bias: true, seed: 5 },
    ]) {
      const { taps, loop, im2col, old } = run(c);
      expect(taps).toEqual(old);
      if (wasmFlavor() === 'strict') { expect(taps).toEqual(loop); expect(taps).toEqual(im2col); }
    }
  });

  it('an output copied out that is larger than a block (core/kernels/wasm.ts COPY_BLOCK, 2^16 floats) runs in blocks of samples, the last one shorter', () => {
    for (const c of [
      { N: 15, C: 1, H: 28, W: 28, K: 8, kh: 5, kw: 5, pad: 0, bias: true, seed: 9 }, // blocks of 14 samples and 1
      { N: 3, C: 3, H: 32, W: 32, K: 32, kh: 3, kw: 3, pad: 1, bias: false, seed: 10 }, // padded: blocks of 2 and 1
    ]) {
      const { taps, loop, im2col, old } = run(c);
      expect(taps).toEqual(old);
      if (wasmFlavor() === 'strict') { expect(taps).toEqual(loop); expect(taps).toEqual(im2col); }
    }
  });

  it('drops what the last tile of a row reads past it: infinities and NaN there reach only the outputs whose windows hold them', () => {
    for (const c of [
      { N: 2, C: 3, H: 9, W: 13, K: 5, kh: 3, kw: 3, pad: 0, bias: true, seed: 6 },
      { N: 1, C: 4, H: 7, W: 10, K: 4, kh: 3, kw: 3, pad: 1, bias: false, seed: 7 },
    ]) {
      const { taps, im2col, old } = run(c, true);
      expect(taps).toEqual(old);
      if (wasmFlavor() === 'strict') expect(taps).toEqual(im2col);
      expect(taps.some((v) => Number.isFinite(v))).toBe(true);
    }
  });

  it('the TypeScript kernels agree to rounding', () => {
    const c = { N: 2, C: 5, H: 11, W: 19, K: 7, kh: 3, kw: 3, pad: 1, bias: true, seed: 8 };
    const { taps } = run(c);
    setKernels('js');
    const { taps: js } = run(c);
    for (let i = 0; i < js.length; i++) expect(Math.abs(taps[i] - js[i])).toBeLessThanOrEqual(1e-5 * 46);
  });
});
