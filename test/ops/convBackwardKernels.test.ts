// The convolution's backward WebAssembly kernel (`convBackward`) against independent references: (a) a float32 loop
// that sums the kernel gradient in gemmNT's order over im2col's rows (lane l of four summing the outputs q ≡ l mod 4 in
// order from zero, the lanes added as (l0 + l1) + (l2 + l3), the last P mod 4 outputs added one by one, then the sum
// added to the gradient already there), rounding as the strict build does: bit for bit there, on the shapes that take
// the direct kernel gradient (stride 1, rows of at least 4 outputs: no im2col copy; a vector of four outputs running
// into the next row blended from two loads where the rows are not a multiple of 4 wide) and on those that do not; (b) the
// same sums in float64, within rounding, on both builds (relaxed SIMD fuses the multiply-add). Random operands, random
// starting gradients (the kernel accumulates), and infinities and NaN in the input.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { seeded, wasmFlavor } from '../../core/index.js';
import { wasmModule, residentArray } from '../../core/kernels/wasm.js';

const seed = Number(process.env.FC_SEED ?? 20261205);
const f32 = Math.fround;

interface Case { N: number; C: number; H: number; W: number; K: number; kh: number; kw: number; pad: number; dx: boolean; poison: boolean; seed: number }

/** im2col's value of sample n at row (c,u,v), output q = i·Wo + j (0 outside the map). */
function unrolled(x: Float32Array, c: Case, n: number, ch: number, u: number, v: number, q: number, Wo: number): number {
  const i = Math.floor(q / Wo), j = q - i * Wo, y = i + u - c.pad, z = j + v - c.pad;
  return y >= 0 && y < c.H && z >= 0 && z < c.W ? x[((n * c.C + ch) * c.H + y) * c.W + z] : 0;
}

/** (a) dKernels after the kernel: start + Σ_n (gemmNT's sum of dOut[n,k,·]·im2col row) in float32, strict rounding. */
function strictReference(x: Float32Array, dOut: Float32Array, start: Float32Array, c: Case, Ho: number, Wo: number): Float32Array {
  const P = Ho * Wo, P4 = P & ~3, R = c.C * c.kh * c.kw, dK = start.slice();
  for (let n = 0; n < c.N; n++) for (let k = 0; k < c.K; k++) for (let ch = 0; ch < c.C; ch++) for (let u = 0; u < c.kh; u++) for (let v = 0; v < c.kw; v++) {
    const lanes = [0, 0, 0, 0], d = (n * c.K + k) * P;
    for (let q = 0; q < P4; q++) lanes[q & 3] = f32(lanes[q & 3] + f32(dOut[d + q] * unrolled(x, c, n, ch, u, v, q, Wo)));
    let s = f32(f32(lanes[0] + lanes[1]) + f32(lanes[2] + lanes[3]));
    for (let q = P4; q < P; q++) s = f32(s + f32(dOut[d + q] * unrolled(x, c, n, ch, u, v, q, Wo)));
    const r = k * R + (ch * c.kh + u) * c.kw + v;
    dK[r] = f32(s + dK[r]);
  }
  return dK;
}

/** (b) the same gradient in float64. */
function float64Reference(x: Float32Array, dOut: Float32Array, start: Float32Array, c: Case, Ho: number, Wo: number): Float64Array {
  const P = Ho * Wo, R = c.C * c.kh * c.kw, dK = Float64Array.from(start);
  for (let n = 0; n < c.N; n++) for (let k = 0; k < c.K; k++) for (let ch = 0; ch < c.C; ch++) for (let u = 0; u < c.kh; u++) for (let v = 0; v < c.kw; v++) {
    let s = 0;
    for (let q = 0; q < P; q++) s += dOut[(n * c.K + k) * P + q] * unrolled(x, c, n, ch, u, v, q, Wo);
    dK[k * R + (ch * c.kh + u) * c.kw + v] += s;
  }
  return dK;
}

/** The input gradient in float32 (strict rounding), in the order the kernel sums it: through the 'full' convolution
 *  (`full`: each value summed over (k, u, v) with the kernel flipped, from zero, over dOut padded with zeros, then
 *  added to the start), else gemmXN's kernelsᵀ·dOut (each (c,u,v, q) over k from zero) added by im2col's adjoint in
 *  (c,u,v) order. */
function inputStrict(w: Float32Array, dOut: Float32Array, start: Float32Array, c: Case, Ho: number, Wo: number, full: boolean): Float32Array {
  const P = Ho * Wo, R = c.C * c.kh * c.kw, dX = start.slice();
  const dOutAt = (n: number, k: number, i: number, j: number) => (i >= 0 && i < Ho && j >= 0 && j < Wo ? dOut[((n * c.K + k) * Ho + i) * Wo + j] : 0);
  for (let n = 0; n < c.N; n++) {
    if (full) {
      for (let ch = 0; ch < c.C; ch++) for (let y = 0; y < c.H; y++) for (let x = 0; x < c.W; x++) {
        let s = 0;
        for (let k = 0; k < c.K; k++) for (let uf = 0; uf < c.kh; uf++) for (let vf = 0; vf < c.kw; vf++) {
          const u = c.kh - 1 - uf, v = c.kw - 1 - vf;
          s = f32(s + f32(w[k * R + (ch * c.kh + u) * c.kw + v] * dOutAt(n, k, y + c.pad - u, x + c.pad - v)));
        }
        const at = ((n * c.C + ch) * c.H + y) * c.W + x;
        dX[at] = f32(dX[at] + s);
      }
      continue;
    }
    for (let ch = 0; ch < c.C; ch++) for (let u = 0; u < c.kh; u++) for (let v = 0; v < c.kw; v++) for (let q = 0; q < P; q++) {
      const i = Math.floor(q / Wo), j = q - i * Wo, y = i + u - c.pad, x = j + v - c.pad;
      if (y < 0 || y >= c.H || x < 0 || x >= c.W) continue;
      let s = 0;
      for (let k = 0; k < c.K; k++) s = f32(s + f32(w[k * R + (ch * c.kh + u) * c.kw + v] * dOut[(n * c.K + k) * P + q]));
      const at = ((n * c.C + ch) * c.H + y) * c.W + x;
      dX[at] = f32(dX[at] + s);
    }
  }
  return dX;
}

/** The input gradient in float64. */
function inputExact(w: Float32Array, dOut: Float32Array, start: Float32Array, c: Case, Ho: number, Wo: number): Float64Array {
  const R = c.C * c.kh * c.kw, dX = Float64Array.from(start);
  for (let n = 0; n < c.N; n++) for (let k = 0; k < c.K; k++) for (let i = 0; i < Ho; i++) for (let j = 0; j < Wo; j++) {
    const d = dOut[((n * c.K + k) * Ho + i) * Wo + j];
    for (let ch = 0; ch < c.C; ch++) for (let u = 0; u < c.kh; u++) for (let v = 0; v < c.kw; v++) {
      const y = i + u - c.pad, x = j + v - c.pad;
      if (y >= 0 && y < c.H && x >= 0 && x < c.W) dX[((n * c.C + ch) * c.H + y) * c.W + x] += w[k * R + (ch * c.kh + u) * c.kw + v] * d;
    }
  }
  return dX;
}

/** Whether the kernel takes the 'full' convolution (wasm/kernels.ts fullFits, restated). */
function takesFull(c: Case, Ho: number, Wo: number): boolean {
  return c.pad <= c.kh - 1 && c.pad <= c.kw - 1 && 4 * c.H * ((c.W + 7) & ~7) <= 5 * Ho * Wo;
}

function place(values: Float32Array | number): Float32Array {
  const array = residentArray(typeof values === 'number' ? values : values.length);
  if (typeof values !== 'number') array.set(values);
  return array;
}
type Exports = { convBackward(...args: number[]): void; convBackwardScratch(...args: number[]): number };

function run(c: Case) {
  const Ho = c.H + 2 * c.pad - c.kh + 1, Wo = c.W + 2 * c.pad - c.kw + 1, P = Ho * Wo, R = c.C * c.kh * c.kw;
  const random = seeded(c.seed), fill = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-1, 1));
  const x = fill(c.N * c.C * c.H * c.W), w = fill(c.K * R), dOut = fill(c.N * c.K * P), start = fill(c.K * R), bias = fill(c.K);
  if (c.poison) for (let r = 0; r < c.N * c.C * c.H; r += 3) { x[r * c.W] = r % 2 ? Infinity : -Infinity; x[r * c.W + c.W - 1] = NaN; }
  const dxStart = fill(c.N * c.C * c.H * c.W);
  const px = place(x), pw = place(w), pd = place(dOut), dK = place(start), dB = place(bias), dX = place(dxStart);
  const wasm = wasmModule() as unknown as Exports;
  const col = place(R * P), dCol = place(wasm.convBackwardScratch(c.N, c.C, c.H, c.W, c.K, c.kh, c.kw, 1, 1, c.pad, c.pad, Ho, Wo)), pack = place(8 * c.K);
  wasm.convBackward(c.dx ? dX.byteOffset : 0, dK.byteOffset, dB.byteOffset, px.byteOffset, pw.byteOffset,
    pd.byteOffset, col.byteOffset, dCol.byteOffset, pack.byteOffset, c.N, c.C, c.H, c.W, c.K, c.kh, c.kw, 1, 1, c.pad, c.pad, Ho, Wo);
  return {
    dKernels: dK.slice(), strict: strictReference(x, dOut, start, c, Ho, Wo), exact: float64Reference(x, dOut, start, c, Ho, Wo), P,
    dInput: dX.slice(), inputStrict: c.dx ? inputStrict(w, dOut, dxStart, c, Ho, Wo, takesFull(c, Ho, Wo)) : dxStart,
    inputExact: c.dx ? inputExact(w, dOut, dxStart, c, Ho, Wo) : Float64Array.from(dxStart),
  };
}

function check(c: Case): void {
  const { dKernels, strict, exact, P, dInput, inputStrict: inStrict, inputExact: inExact } = run(c);
  if (wasmFlavor() === 'strict') { expect(dKernels).toEqual(strict); expect(dInput).toEqual(inStrict); }
  if (c.poison) return;
  // each sum: N·P products of values in [−1, 1] and a start in [−1, 1]; an input value: K·kh·kw products and a start
  for (let r = 0; r < exact.length; r++) expect(Math.abs(dKernels[r] - exact[r])).toBeLessThanOrEqual(1e-6 * (c.N * P + 1) + 1e-6);
  for (let r = 0; r < inExact.length; r++) expect(Math.abs(dInput[r] - inExact[r])).toBeLessThanOrEqual(1e-6 * (c.K * c.kh * c.kw + 1) + 1e-6);
}

describe('the convolution backward (convBackward): kernel and input gradients', () => {
  it('rows a multiple of 4 wide (the direct kernel gradient): gemmNT\'s sums over im2col bit for bit (strict), float64 within rounding', () => {
    const direct = fc.record({
      N: fc.integer({ min: 1, max: 3 }), C: fc.integer({ min: 1, max: 5 }), K: fc.integer({ min: 1, max: 9 }),
      kh: fc.integer({ min: 1, max: 5 }), kw: fc.integer({ min: 1, max: 5 }), pad: fc.integer({ min: 0, max: 2 }),
      Ho: fc.integer({ min: 1, max: 9 }), Wo4: fc.integer({ min: 1, max: 6 }), dx: fc.boolean(), poison: fc.boolean(), seed: fc.integer(),
    }).map(({ Ho, Wo4, ...c }) => ({ ...c, H: Ho + c.kh - 1 - 2 * c.pad, W: 4 * Wo4 + c.kw - 1 - 2 * c.pad }));
    fc.assert(fc.property(direct, (c) => {
      fc.pre(c.H >= 1 && c.W >= 1);
      check(c);
    }), { seed, numRuns: 120 });
  });

  it('other widths (rows not a multiple of 4 wide: the direct kernel gradient with vectors spanning two rows, and the last P mod 4 outputs; narrower rows and other shapes through im2col + gemmNT): the same references', () => {
    const other = fc.record({
      N: fc.integer({ min: 1, max: 2 }), C: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 9 }), W: fc.integer({ min: 1, max: 14 }),
      K: fc.integer({ min: 1, max: 9 }), kh: fc.integer({ min: 1, max: 4 }), kw: fc.integer({ min: 1, max: 4 }), pad: fc.integer({ min: 0, max: 2 }),
      dx: fc.boolean(), poison: fc.boolean(), seed: fc.integer(),
    });
    fc.assert(fc.property(other, (c) => {
      fc.pre(c.kh <= c.H + 2 * c.pad && c.kw <= c.W + 2 * c.pad);
      check(c);
    }), { seed, numRuns: 80 });
  });

  it('the input gradient as a \'full\' convolution (flipped kernels over dOut padded; "same" padding, maps near the output\'s size) and as im2col\'s adjoint: the same references', () => {
    const same = fc.record({
      N: fc.integer({ min: 1, max: 2 }), C: fc.integer({ min: 1, max: 9 }), K: fc.integer({ min: 1, max: 6 }), k: fc.constantFrom(1, 3, 5),
      H: fc.integer({ min: 1, max: 12 }), W: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(8, 16, 24)), full: fc.boolean(), poison: fc.boolean(), seed: fc.integer(),
    }).map(({ k, full, ...c }) => ({ ...c, kh: k, kw: k, pad: full ? (k - 1) / 2 : 0, dx: true }));
    let fulls = 0;
    fc.assert(fc.property(same, (c) => {
      fc.pre(c.kh <= c.H + 2 * c.pad && c.kw <= c.W + 2 * c.pad);
      if (takesFull(c, c.H + 2 * c.pad - c.kh + 1, c.W + 2 * c.pad - c.kw + 1)) fulls++;
      check(c);
    }), { seed, numRuns: 100 });
    expect(fulls).toBeGreaterThan(20);
  });

  it('the input gradient by rows (stride 1, no padding, rows of dOut a multiple of 8 wide: kernelsᵀ·dOut added without dCol): im2col\'s adjoint\'s sums bit for bit (strict), float64 within rounding', () => {
    const rows = fc.record({
      N: fc.integer({ min: 1, max: 2 }), C: fc.integer({ min: 1, max: 5 }), K: fc.integer({ min: 1, max: 7 }),
      kh: fc.integer({ min: 1, max: 4 }), kw: fc.integer({ min: 1, max: 12 }), Ho: fc.integer({ min: 1, max: 5 }), Wo8: fc.integer({ min: 1, max: 3 }),
      poison: fc.boolean(), seed: fc.integer(),
    }).map(({ Ho, Wo8, ...c }) => ({ ...c, H: Ho + c.kh - 1, W: 8 * Wo8 + c.kw - 1, pad: 0, dx: true }));
    fc.assert(fc.property(rows, (c) => {
      fc.pre(!takesFull(c, c.H - c.kh + 1, c.W - c.kw + 1));
      check(c);
    }), { seed, numRuns: 120 });
  });

  it('on the workloads\' shapes: the cnn\'s two convolutions and the lab CIFAR CNN\'s four (3 and 32 channels, 32 and 15 wide), the lab CNN\'s second', () => {
    for (const c of [
      { N: 2, C: 1, H: 28, W: 28, K: 8, kh: 5, kw: 5, pad: 0, dx: false, poison: false, seed: 1 },
      { N: 2, C: 8, H: 12, W: 12, K: 16, kh: 5, kw: 5, pad: 0, dx: true, poison: false, seed: 2 },
      { N: 1, C: 3, H: 32, W: 32, K: 32, kh: 3, kw: 3, pad: 1, dx: false, poison: false, seed: 3 },
      { N: 1, C: 3, H: 32, W: 32, K: 6, kh: 3, kw: 3, pad: 1, dx: true, poison: true, seed: 4 },
      { N: 1, C: 32, H: 32, W: 32, K: 8, kh: 3, kw: 3, pad: 0, dx: true, poison: false, seed: 5 },
      { N: 1, C: 32, H: 15, W: 15, K: 8, kh: 3, kw: 3, pad: 1, dx: true, poison: false, seed: 6 },
      { N: 1, C: 32, H: 15, W: 15, K: 8, kh: 3, kw: 3, pad: 0, dx: true, poison: false, seed: 7 },
      { N: 1, C: 32, H: 26, W: 26, K: 64, kh: 3, kw: 3, pad: 0, dx: true, poison: false, seed: 8 },
    ]) check(c);
  });
});
