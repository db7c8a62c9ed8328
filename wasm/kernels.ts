// wasm/kernels.ts — AssemblyScript source of convlab's WebAssembly SIMD kernels (built by wasm/build.mjs into
// core/kernels/wasmBinary.ts). Every pointer is a byte offset into the module's memory; core/kernels/wasm.ts
// copies the operands in, calls one of these and copies the results out. The maths is the same as the plain
// TypeScript kernels (core/kernels/gemm.ts, core/ops/conv3d.ts); only the float32 summation order differs
// (four lanes at a time, float32 accumulators), so the two agree to rounding, not bit for bit.

// ---- matrix products ------------------------------------------------------------------------------------

/** acc + x·y per lane: built twice (wasm/build.mjs), as a multiply and an add (strict SIMD, the same bits on every
 *  machine) and as relaxed SIMD's fused multiply-add (one rounding instead of two, fewer instructions) where the
 *  runtime has it; core/kernels/wasm.ts chooses at load time. */
@inline function madd(x: v128, y: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(x, y, acc);
  return f32x4.add(acc, f32x4.mul(x, y));
}

/** C[M,N] (+)= A·B[K,N] where A(i,p) is at a + i·sar + p·sap (bytes): sar = 4K, sap = 4 for A[M,K];
 *  sar = 4, sap = 4M for Aᵀ with A[K,M]. A 4×8 tile of C stays in eight 4-lane accumulators while p runs.
 *  With pack ≠ 0 (room for 8K floats), each 8-column panel of B is first copied there contiguously, so a
 *  large B is read from cache rather than a row stride apart. Every element is summed over p in order. */
export function gemmXN(M: i32, N: i32, K: i32, a: usize, sar: usize, sap: usize, b: usize, c: usize, acc: i32, pack: usize): void {
  const N8 = N & ~7, N4 = N & ~3, M4 = M & ~3;
  const ldb = <usize>N << 2, ldc = <usize>N << 2;
  let j = 0;
  for (; j < N8; j += 8) {
    let panel = b + (<usize>j << 2), step = ldb;
    if (pack) {
      let src = panel, dst = pack;
      for (let p = 0; p < K; p++, src += ldb, dst += 32) { v128.store(dst, v128.load(src)); v128.store(dst, v128.load(src, 16), 16); }
      panel = pack; step = 32;
    }
    let i = 0;
    for (; i < M4; i += 4) tile4x8(a + <usize>i * sar, sar, sap, panel, step, c + <usize>i * ldc + (<usize>j << 2), ldc, K, acc);
    for (; i < M; i++) tile1x8(a + <usize>i * sar, sap, panel, step, c + <usize>i * ldc + (<usize>j << 2), K, acc);
  }
  for (; j < N4; j += 4) {
    for (let i = 0; i < M; i++) {
      let v = f32x4.splat(0);
      let pa = a + <usize>i * sar, pb = b + (<usize>j << 2);
      for (let p = 0; p < K; p++, pa += sap, pb += ldb) v = madd(v128.load32_splat(pa), v128.load(pb), v);
      const r = c + <usize>i * ldc + (<usize>j << 2);
      v128.store(r, acc ? f32x4.add(v128.load(r), v) : v);
    }
  }
  for (; j < N; j++) {
    for (let i = 0; i < M; i++) {
      let s: f32 = 0;
      let pa = a + <usize>i * sar, pb = b + (<usize>j << 2);
      for (let p = 0; p < K; p++, pa += sap, pb += ldb) s += load<f32>(pa) * load<f32>(pb);
      const r = c + <usize>i * ldc + (<usize>j << 2);
      store<f32>(r, acc ? load<f32>(r) + s : s);
    }
  }
}

@inline function tile4x8(ai: usize, sar: usize, sap: usize, panel: usize, step: usize, r0: usize, ldc: usize, K: i32, acc: i32): void {
  const s1 = sar, s2 = sar * 2, s3 = sar * 3;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let pa = ai, pb = panel;
  for (let p = 0; p < K; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(pa + s1);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(pa + s2);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(pa + s3);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    pa += sap; pb += step;
  }
  const r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
  if (acc) {
    c00 = f32x4.add(v128.load(r0), c00); c01 = f32x4.add(v128.load(r0, 16), c01);
    c10 = f32x4.add(v128.load(r1), c10); c11 = f32x4.add(v128.load(r1, 16), c11);
    c20 = f32x4.add(v128.load(r2), c20); c21 = f32x4.add(v128.load(r2, 16), c21);
    c30 = f32x4.add(v128.load(r3), c30); c31 = f32x4.add(v128.load(r3, 16), c31);
  }
  v128.store(r0, c00); v128.store(r0, c01, 16);
  v128.store(r1, c10); v128.store(r1, c11, 16);
  v128.store(r2, c20); v128.store(r2, c21, 16);
  v128.store(r3, c30); v128.store(r3, c31, 16);
}

@inline function tile1x8(ai: usize, sap: usize, panel: usize, step: usize, r0: usize, K: i32, acc: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  let pa = ai, pb = panel;
  for (let p = 0; p < K; p++) {
    const x = v128.load32_splat(pa);
    c0 = madd(x, v128.load(pb), c0); c1 = madd(x, v128.load(pb, 16), c1);
    pa += sap; pb += step;
  }
  if (acc) { c0 = f32x4.add(v128.load(r0), c0); c1 = f32x4.add(v128.load(r0, 16), c1); }
  v128.store(r0, c0); v128.store(r0, c1, 16);
}

@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** C[M,N] (+)= A[M,K]·B[N,K]ᵀ: dot products along p, four lanes at a time, a 4×2 tile of C per pass. With bias ≠ 0
 *  (N floats), bias[j] is added to every finished element of column j (after the accumulation): the dense layer's
 *  y = x·Wᵀ + b in one pass, the same bits as storing the product and adding the bias afterwards. */
export function gemmNT(M: i32, N: i32, K: i32, a: usize, b: usize, c: usize, acc: i32, bias: usize): void {
  gemmNTStrided(M, N, K, a, b, c, <usize>N << 2, acc, bias, 0, 0);
}

/** True when none of the n floats at p is ∞ or NaN (x − x is 0 exactly for a finite x). Exported for a call cut into
 *  chunks (gemmNTStrided's `checked`): the caller checks B once, not every chunk. */
export function allFinite(p: usize, n: i32): bool {
  // v − v is +0 for a finite v and NaN for ∞ or NaN; four sums of it (four independent chains, 16 values a step) stay +0
  // exactly when every value is finite
  const end = p + (<usize>n << 2), end16 = p + (<usize>(n & ~15) << 2), end4 = p + (<usize>(n & ~3) << 2);
  let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
  for (; p < end16; p += 64) {
    let v = v128.load(p); s0 = f32x4.add(s0, f32x4.sub(v, v));
    v = v128.load(p, 16); s1 = f32x4.add(s1, f32x4.sub(v, v));
    v = v128.load(p, 32); s2 = f32x4.add(s2, f32x4.sub(v, v));
    v = v128.load(p, 48); s3 = f32x4.add(s3, f32x4.sub(v, v));
  }
  for (; p < end4; p += 16) { const v = v128.load(p); s0 = f32x4.add(s0, f32x4.sub(v, v)); }
  for (; p < end; p += 4) { const v = load<f32>(p); if (v - v != 0) return false; }
  const zero = f32x4.splat(0);
  return i32x4.all_true(f32x4.eq(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)), zero));
}

/** gemmNT into C's rows ldc bytes apart (ldc ≥ 4N): N of a wider C's columns, e.g. one thread's share of a dense layer's
 *  outputs (its units: the rows [j0, j0 + N) of B, the columns from j0 of C, bias + 4·j0). Each element's sum is the
 *  same code whatever its tile or column, so a share gives the same bits as the whole product.
 *  With scratch ≠ 0, a row block's 4-value chunks of A that are zero (±0) in all four of its rows are skipped, when every
 *  value of B is finite (the dense layer's forward over digits: about half of four digits' chunks are blank): each
 *  left-out term is 0·w = ±0, and adding ±0 to a lane's sum that starts at +0 leaves it unchanged (such a sum is never
 *  −0 under round-to-nearest; a fused multiply-add adds the same exact ±0), so the bits are those of every term.
 *  checked ≠ 0: the caller has checked B with allFinite (a call cut into chunks checks it once, not per chunk: the check
 *  of a 784 → 100 layer's weights costs as much as a chunk of 8 digits), so scratch ≠ 0 alone turns the skipping on. */
export function gemmNTStrided(M: i32, N: i32, K: i32, a: usize, b: usize, c: usize, ldc: usize, acc: i32, bias: usize,
  scratch: usize, checked: i32): void {
  const K4 = K & ~3, M4 = M & ~3, N2 = N & ~1;
  const lda = <usize>K << 2, end = <usize>K4 << 2;
  // with scratch (K/4 + 4 values; a caller passing nine arguments gets 0): the 4-value chunks of A that are zero in all
  // four rows of a row block are left out when every value of B is finite, see gemmNTStrided's doc
  const skip = scratch != 0 && (checked != 0 || allFinite(b, N * K));
  let i = 0;
  for (; i < M4; i += 4) {
    const a0 = a + <usize>i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    let kept = scratch;
    if (skip) {
      const zero = f32x4.splat(0);
      for (let q: usize = 0; q < end; q += 16) {
        const any = v128.or(v128.or(f32x4.ne(v128.load(a0 + q), zero), f32x4.ne(v128.load(a1 + q), zero)),
          v128.or(f32x4.ne(v128.load(a2 + q), zero), f32x4.ne(v128.load(a3 + q), zero)));
        store<u32>(kept, <u32>q);
        kept += v128.any_true(any) ? 4 : 0;
      }
    }
    let j = 0;
    for (; j < N2; j += 2) {
      const b0 = b + <usize>j * lda, b1 = b0 + lda;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let q: usize = 0;
      if (skip) {
        for (let at = scratch; at < kept; at += 4) {
          const p = <usize>load<u32>(at);
          const y0 = v128.load(b0 + p), y1 = v128.load(b1 + p);
          let x = v128.load(a0 + p);
          c00 = madd(x, y0, c00); c01 = madd(x, y1, c01);
          x = v128.load(a1 + p);
          c10 = madd(x, y0, c10); c11 = madd(x, y1, c11);
          x = v128.load(a2 + p);
          c20 = madd(x, y0, c20); c21 = madd(x, y1, c21);
          x = v128.load(a3 + p);
          c30 = madd(x, y0, c30); c31 = madd(x, y1, c31);
        }
        q = end;
      }
      for (; q < end; q += 16) {
        const y0 = v128.load(b0 + q), y1 = v128.load(b1 + q);
        let x = v128.load(a0 + q);
        c00 = madd(x, y0, c00); c01 = madd(x, y1, c01);
        x = v128.load(a1 + q);
        c10 = madd(x, y0, c10); c11 = madd(x, y1, c11);
        x = v128.load(a2 + q);
        c20 = madd(x, y0, c20); c21 = madd(x, y1, c21);
        x = v128.load(a3 + q);
        c30 = madd(x, y0, c30); c31 = madd(x, y1, c31);
      }
      let s00 = hsum(c00), s01 = hsum(c01), s10 = hsum(c10), s11 = hsum(c11);
      let s20 = hsum(c20), s21 = hsum(c21), s30 = hsum(c30), s31 = hsum(c31);
      for (; q < (<usize>K << 2); q += 4) {
        const y0 = load<f32>(b0 + q), y1 = load<f32>(b1 + q);
        let x = load<f32>(a0 + q); s00 += x * y0; s01 += x * y1;
        x = load<f32>(a1 + q); s10 += x * y0; s11 += x * y1;
        x = load<f32>(a2 + q); s20 += x * y0; s21 += x * y1;
        x = load<f32>(a3 + q); s30 += x * y0; s31 += x * y1;
      }
      const r0 = c + <usize>i * ldc + (<usize>j << 2), r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
      if (acc) {
        s00 += load<f32>(r0); s01 += load<f32>(r0, 4); s10 += load<f32>(r1); s11 += load<f32>(r1, 4);
        s20 += load<f32>(r2); s21 += load<f32>(r2, 4); s30 += load<f32>(r3); s31 += load<f32>(r3, 4);
      }
      if (bias) {
        const b0 = load<f32>(bias + (<usize>j << 2)), b1 = load<f32>(bias + (<usize>j << 2), 4);
        s00 += b0; s01 += b1; s10 += b0; s11 += b1; s20 += b0; s21 += b1; s30 += b0; s31 += b1;
      }
      store<f32>(r0, s00); store<f32>(r0, s01, 4); store<f32>(r1, s10); store<f32>(r1, s11, 4);
      store<f32>(r2, s20); store<f32>(r2, s21, 4); store<f32>(r3, s30); store<f32>(r3, s31, 4);
    }
    for (; j < N; j++) for (let r = 0; r < 4; r++) dotNT(i + r, j, K, ldc, a, b, c, acc, bias);
  }
  for (; i < M; i++) for (let j = 0; j < N; j++) dotNT(i, j, K, ldc, a, b, c, acc, bias);
}

function dotNT(i: i32, j: i32, K: i32, ldc: usize, a: usize, b: usize, c: usize, acc: i32, bias: usize): void {
  const lda = <usize>K << 2, end4 = <usize>(K & ~3) << 2, end = <usize>K << 2;
  const ai = a + <usize>i * lda, bj = b + <usize>j * lda;
  let v = f32x4.splat(0);
  let q: usize = 0;
  for (; q < end4; q += 16) v = madd(v128.load(ai + q), v128.load(bj + q), v);
  let s = hsum(v);
  for (; q < end; q += 4) s += load<f32>(ai + q) * load<f32>(bj + q);
  const r = c + <usize>i * ldc + (<usize>j << 2);
  if (acc) s = load<f32>(r) + s;
  if (bias) s += load<f32>(bias + (<usize>j << 2));
  store<f32>(r, s);
}

/** The dense layer's backward (core/ops/dense.ts (2)–(4)) in one call over x[N,I], W[O,I], dOut[N,O]:
 *  dX = dOut·W when dX ≠ 0 (overwritten), dW += dOutᵀ·x, db += Σ_n dOut[n] (n in order, as the TypeScript loop).
 *  With split < N the batch's gradients are summed as two halves, samples [0, split) and [split, N), each half's sum
 *  from zero and added in that order (dW = (dW + Σ₀) + Σ₁): the same bits as the half [0, split) accumulated here and
 *  the half [split, N) computed into zeroed spare buffers and added (nn/shards.ts), so one thread can run a whole
 *  batch in one pass. pack: room for max(8·max(N, O), N·I) floats (gemmXN's panels; all of x's for the halves). */
export function denseBackward(dX: usize, dW: usize, db: usize, x: usize, W: usize, dOut: usize, N: i32, I: i32, O: i32,
  pack: usize, split: i32): void {
  const ldo = <usize>O << 2;
  if (dX) gemmXN(N, I, O, dOut, ldo, 4, W, dX, 0, pack);
  if (split >= N) {
    gemmXN(O, I, N, dOut, 4, ldo, x, dW, 1, pack);
    sumRows(db, dOut, N, O);
    return;
  }
  weightGradient(dW, x, dOut, N, I, O, ldo, pack, split);
  sumRowsSplit(db, dOut, split, N, O);
}

/** denseBackward's dW alone for M of its rows (a thread's share of the outputs): dW[M,I] += dOutᵀ·x over M columns of
 *  dOut, whose rows lie ldo bytes apart, summed as the halves [0, split) and [split, N) when split < N:
 *  (dW + Σ₀) + Σ₁, each tile of gemmXN summing its p from zero and adding the sum to dW as it stores. */
export function weightGradient(dW: usize, x: usize, dOut: usize, N: i32, I: i32, M: i32, ldo: usize, pack: usize, split: i32): void {
  if (split >= N || split <= 0) { gemmXN(M, I, N, dOut, 4, ldo, x, dW, 1, pack); return; }
  gemmXNHalves(M, I, N, split, dOut, 4, ldo, x, dW, pack);
}

/** C[M,N] = (C + Σ_{p<split} A(i,p)·B[p,·]) + Σ_{split≤p<K} A(i,p)·B[p,·], 0 < split < K (A as in gemmXN): the same bits
 *  as gemmXN over p < split and then over p ≥ split, both accumulating, but each tile of C visited once (loaded, both
 *  halves added, stored) and each panel of B packed once, where two whole passes read and wrote C twice.
 *  With pack ≠ 0 (room: weightGradientScratch), a panel's rows p whose 8 values of B are all zero are left out of its
 *  packed copy when every A(i,p) of these M rows is finite (the dense layer's weight gradient over digits, whose pixels
 *  are mostly zero): such a term A(i,p)·0 is ±0, and adding ±0 to a sum that starts at +0 leaves it unchanged (such a
 *  sum is never −0 under round-to-nearest), so the sums are the same bits with or without those terms. A non-finite
 *  A(i,p) (∞·0 = NaN) keeps every row. */
function gemmXNHalves(M: i32, N: i32, K: i32, split: i32, a: usize, sar: usize, sap: usize, b: usize, c: usize, pack: usize): void {
  const N8 = N & ~7, N4 = N & ~3, M4 = M & ~3, rest = K - split;
  const ldb = <usize>N << 2, ldc = <usize>N << 2, a1 = <usize>split * sap;
  if (pack) {
    xnHalvesPacked(M, N8, K, split, a, sar, sap, b, ldb, c, ldc, pack);
  } else {
    // each block of 4 rows of C is written in one sweep along its rows, so a thread computing rows [0, M) of a larger C
    // does not reach into the rows after M (another thread's) once per panel
    let i = 0;
    for (; i < M4; i += 4) {
      const ai = a + <usize>i * sar, ri = c + <usize>i * ldc;
      for (let jj = 0, panel = b; jj < N8; jj += 8, panel += 32) {
        const r0 = ri + (<usize>jj << 2);
        tile4x8(ai, sar, sap, panel, ldb, r0, ldc, split, 1);
        tile4x8(ai + a1, sar, sap, panel + <usize>split * ldb, ldb, r0, ldc, rest, 1);
      }
    }
    for (; i < M; i++) {
      const ai = a + <usize>i * sar, ri = c + <usize>i * ldc;
      for (let jj = 0, panel = b; jj < N8; jj += 8, panel += 32) {
        const r0 = ri + (<usize>jj << 2);
        tile1x8(ai, sap, panel, ldb, r0, split, 1);
        tile1x8(ai + a1, sap, panel + <usize>split * ldb, ldb, r0, rest, 1);
      }
    }
  }
  let j = N8;
  for (; j < N4; j += 4) {
    for (let i = 0; i < M; i++) {
      const r = c + <usize>i * ldc + (<usize>j << 2);
      let v = f32x4.splat(0);
      let pa = a + <usize>i * sar, pb = b + (<usize>j << 2), p = 0;
      for (; p < split; p++, pa += sap, pb += ldb) v = madd(v128.load32_splat(pa), v128.load(pb), v);
      v128.store(r, f32x4.add(v128.load(r), v));
      v = f32x4.splat(0);
      for (; p < K; p++, pa += sap, pb += ldb) v = madd(v128.load32_splat(pa), v128.load(pb), v);
      v128.store(r, f32x4.add(v128.load(r), v));
    }
  }
  for (; j < N; j++) {
    for (let i = 0; i < M; i++) {
      const r = c + <usize>i * ldc + (<usize>j << 2);
      let s: f32 = 0;
      let pa = a + <usize>i * sar, pb = b + (<usize>j << 2), p = 0;
      for (; p < split; p++, pa += sap, pb += ldb) s += load<f32>(pa) * load<f32>(pb);
      store<f32>(r, load<f32>(r) + s);
      s = 0;
      for (; p < K; p++, pa += sap, pb += ldb) s += load<f32>(pa) * load<f32>(pb);
      store<f32>(r, load<f32>(r) + s);
    }
  }
}

/** Floats of scratch gemmXNHalves needs at `pack` for K rows of B, N columns: the packed panels (K·N), each panel's
 *  kept rows' offsets into A (K per panel) and its two halves' counts. */
export function weightGradientScratch(K: i32, N: i32): i32 {
  const panels = N >> 3;
  return K * N + K * panels + 2 * panels + 4;
}

/** gemmXNHalves over the 8-column panels through packed copies: every panel of B packed first (its kept rows only, see
 *  gemmXNHalves), then C visited row block by row block. */
function xnHalvesPacked(M: i32, N8: i32, K: i32, split: i32, a: usize, sar: usize, sap: usize, b: usize, ldb: usize, c: usize,
  ldc: usize, pack: usize): void {
  const panels = N8 >> 3, M4 = M & ~3;
  const offsets = pack + (<usize>K * <usize>N8 << 2), counts = offsets + (<usize>K * <usize>panels << 2);
  // rows may be left out only when every A(i,p) of these rows is finite (x − x is 0 exactly for finite x)
  let finite = true;
  for (let p = 0; p < K && finite; p++) {
    const row = a + <usize>p * sap;
    let i = 0;
    if (sar == 4) {
      for (; i + 4 <= M; i += 4) {
        const v = v128.load(row + (<usize>i << 2));
        if (v128.any_true(f32x4.ne(f32x4.sub(v, v), f32x4.splat(0)))) { finite = false; break; }
      }
    }
    for (; i < M && finite; i++) { const v = load<f32>(row + <usize>i * sar); if (v - v != 0) finite = false; }
  }
  const zero = f32x4.splat(0);
  for (let jj = 0; jj < panels; jj++) {
    let src = b + (<usize>jj << 5), dst = pack + <usize>jj * <usize>K * 32, off = offsets + <usize>jj * <usize>K * 4;
    let kept = 0, first = 0;
    for (let p = 0; p < K; p++, src += ldb) {
      if (p == split) first = kept;
      const v0 = v128.load(src), v1 = v128.load(src, 16);
      // −0 counts as zero (d·−0 is ±0 too); NaN is kept (NaN ≠ 0)
      if (finite && !v128.any_true(v128.or(f32x4.ne(v0, zero), f32x4.ne(v1, zero)))) continue;
      v128.store(dst, v0); v128.store(dst, v1, 16);
      store<u32>(off, <u32>(<usize>p * sap));
      dst += 32; off += 4; kept++;
    }
    if (split >= K) first = kept;
    store<i32>(counts + (<usize>jj << 3), first);
    store<i32>(counts + (<usize>jj << 3), kept - first, 4);
  }
  let i = 0;
  for (; i < M4; i += 4) {
    const ai = a + <usize>i * sar, ri = c + <usize>i * ldc;
    for (let jj = 0; jj < panels; jj++) {
      const r0 = ri + (<usize>jj << 5), panel = pack + <usize>jj * <usize>K * 32, off = offsets + <usize>jj * <usize>K * 4;
      const n0 = load<i32>(counts + (<usize>jj << 3)), n1 = load<i32>(counts + (<usize>jj << 3), 4);
      tile4x8Kept(ai, sar, panel, off, r0, ldc, n0);
      tile4x8Kept(ai, sar, panel + (<usize>n0 << 5), off + (<usize>n0 << 2), r0, ldc, n1);
    }
  }
  for (; i < M; i++) {
    const ai = a + <usize>i * sar, ri = c + <usize>i * ldc;
    for (let jj = 0; jj < panels; jj++) {
      const r0 = ri + (<usize>jj << 5), panel = pack + <usize>jj * <usize>K * 32, off = offsets + <usize>jj * <usize>K * 4;
      const n0 = load<i32>(counts + (<usize>jj << 3)), n1 = load<i32>(counts + (<usize>jj << 3), 4);
      tile1x8Kept(ai, panel, off, r0, n0);
      tile1x8Kept(ai, panel + (<usize>n0 << 5), off + (<usize>n0 << 2), r0, n1);
    }
  }
}

/** tile4x8 (accumulating) over `count` packed rows of a panel, the row p's A(i,p) at ai + offsets[k]. */
@inline function tile4x8Kept(ai: usize, sar: usize, panel: usize, offsets: usize, r0: usize, ldc: usize, count: i32): void {
  const s1 = sar, s2 = sar * 2, s3 = sar * 3;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let pb = panel, po = offsets;
  const end = offsets + (<usize>count << 2);
  for (; po < end; po += 4, pb += 32) {
    const pa = ai + <usize>load<u32>(po);
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(pa + s1);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(pa + s2);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(pa + s3);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
  }
  const r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
  v128.store(r0, f32x4.add(v128.load(r0), c00)); v128.store(r0, f32x4.add(v128.load(r0, 16), c01), 16);
  v128.store(r1, f32x4.add(v128.load(r1), c10)); v128.store(r1, f32x4.add(v128.load(r1, 16), c11), 16);
  v128.store(r2, f32x4.add(v128.load(r2), c20)); v128.store(r2, f32x4.add(v128.load(r2, 16), c21), 16);
  v128.store(r3, f32x4.add(v128.load(r3), c30)); v128.store(r3, f32x4.add(v128.load(r3, 16), c31), 16);
}

@inline function tile1x8Kept(ai: usize, panel: usize, offsets: usize, r0: usize, count: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  let pb = panel, po = offsets;
  const end = offsets + (<usize>count << 2);
  for (; po < end; po += 4, pb += 32) {
    const x = v128.load32_splat(ai + <usize>load<u32>(po));
    c0 = madd(x, v128.load(pb), c0); c1 = madd(x, v128.load(pb, 16), c1);
  }
  v128.store(r0, f32x4.add(v128.load(r0), c0)); v128.store(r0, f32x4.add(v128.load(r0, 16), c1), 16);
}

/** sum[O] += Σ_n rows[n, ·] for n = 0, 1, … N−1 in order (float32, as the TypeScript loop adds them). */
export function sumRows(sum: usize, rows: usize, N: i32, O: i32): void {
  const ldo = <usize>O << 2, O4 = <usize>(O & ~3) << 2;
  for (let n = 0; n < N; n++) {
    const row = rows + <usize>n * ldo;
    let q: usize = 0;
    for (; q < O4; q += 16) v128.store(sum + q, f32x4.add(v128.load(sum + q), v128.load(row + q)));
    for (; q < ldo; q += 4) store<f32>(sum + q, load<f32>(sum + q) + load<f32>(row + q));
  }
}

/** sum[O] = (sum + Σ_{n<split} rows[n]) + Σ_{split≤n<N} rows[n], each Σ in order and the second from zero (float32):
 *  sumRows over the first rows, then the rest summed apart and added. */
export function sumRowsSplit(sum: usize, rows: usize, split: i32, N: i32, O: i32): void {
  const ldo = <usize>O << 2, O4 = <usize>(O & ~3) << 2;
  let q: usize = 0;
  for (; q < O4; q += 16) {
    let a = v128.load(sum + q), b = f32x4.splat(0);
    let row = rows + q;
    for (let n = 0; n < split; n++, row += ldo) a = f32x4.add(a, v128.load(row));
    for (let n = split; n < N; n++, row += ldo) b = f32x4.add(b, v128.load(row));
    v128.store(sum + q, f32x4.add(a, b));
  }
  for (; q < ldo; q += 4) {
    let a = load<f32>(sum + q), b: f32 = 0;
    let row = rows + q;
    for (let n = 0; n < split; n++, row += ldo) a += load<f32>(row);
    for (let n = split; n < N; n++, row += ldo) b += load<f32>(row);
    store<f32>(sum + q, a + b);
  }
}

// ---- convolution (im2col + the products above), one sample at a time ------------------------------------

/** n floats from src to dst; rows here are short (a few dozen values), where an inline loop beats memory.copy. */
@inline function copyRow(dst: usize, src: usize, n: i32): void {
  const end = <usize>n << 2;
  let q: usize = 0;
  for (; q + 16 <= end; q += 16) v128.store(dst + q, v128.load(src + q));
  for (; q < end; q += 4) store<f32>(dst + q, load<f32>(src + q));
}

/** col[(ch,u,v), (i,j)] = input[ch, i·sh+u−pt, j·sw+v−pl], 0 outside the map (as core/ops/conv3d.ts). */
function im2col(col: usize, input: usize, C: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, Ho: i32, Wo: i32): void {
  let q = col;
  for (let ch = 0; ch < C; ch++) {
    const plane = input + (<usize>(ch * H * W) << 2);
    for (let u = 0; u < kh; u++) {
      for (let v = 0; v < kw; v++) {
        for (let i = 0; i < Ho; i++) {
          const y = i * sh + u - pt;
          if (y < 0 || y >= H) { memory.fill(q, 0, <usize>Wo << 2); q += <usize>Wo << 2; continue; }
          const line = plane + (<usize>(y * W) << 2);
          let x = v - pl;
          if (sw == 1 && x >= 0 && x + Wo <= W) { copyRow(q, line + (<usize>x << 2), Wo); q += <usize>Wo << 2; continue; }
          if (sw == 1) {
            // a row running into the padding: the part inside the map, j in [j0, j1), copied; zeros around it
            const j0 = x < 0 ? min(-x, Wo) : 0, j1 = max(j0, min(Wo, W - x));
            for (let j = 0; j < j0; j++, q += 4) store<f32>(q, 0);
            copyRow(q, line + (<usize>(x + j0) << 2), j1 - j0);
            q += <usize>(j1 - j0) << 2;
            for (let j = j1; j < Wo; j++, q += 4) store<f32>(q, 0);
            continue;
          }
          for (let j = 0; j < Wo; j++, x += sw, q += 4) store<f32>(q, x >= 0 && x < W ? load<f32>(line + (<usize>x << 2)) : 0);
        }
      }
    }
  }
}

/** dInput[ch, y, x] += dCol[(ch,u,v), (i,j)] over every window that read (y, x): the adjoint of im2col. */
function col2im(dInput: usize, dCol: usize, C: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, Ho: i32, Wo: i32): void {
  let q = dCol;
  for (let ch = 0; ch < C; ch++) {
    const plane = dInput + (<usize>(ch * H * W) << 2);
    for (let u = 0; u < kh; u++) {
      for (let v = 0; v < kw; v++) {
        for (let i = 0; i < Ho; i++) {
          const y = i * sh + u - pt;
          if (y < 0 || y >= H) { q += <usize>Wo << 2; continue; }
          const line = plane + (<usize>(y * W) << 2);
          let x = v - pl;
          if (sw == 1 && x >= 0 && x + Wo <= W) {
            let d = line + (<usize>x << 2);
            let j = 0;
            for (; j + 4 <= Wo; j += 4, d += 16, q += 16) v128.store(d, f32x4.add(v128.load(d), v128.load(q)));
            for (; j < Wo; j++, d += 4, q += 4) store<f32>(d, load<f32>(d) + load<f32>(q));
            continue;
          }
          if (sw == 1) {
            // a row running into the padding: only j in [j0, j1) lands inside the map
            const j0 = x < 0 ? min(-x, Wo) : 0, j1 = max(j0, min(Wo, W - x));
            let d = line + (<usize>(x + j0) << 2), e = q + (<usize>j0 << 2);
            let j = j0;
            for (; j + 4 <= j1; j += 4, d += 16, e += 16) v128.store(d, f32x4.add(v128.load(d), v128.load(e)));
            for (; j < j1; j++, d += 4, e += 4) store<f32>(d, load<f32>(d) + load<f32>(e));
            q += <usize>Wo << 2;
            continue;
          }
          for (let j = 0; j < Wo; j++, x += sw, q += 4) if (x >= 0 && x < W) {
            const d = line + (<usize>x << 2);
            store<f32>(d, load<f32>(d) + load<f32>(q));
          }
        }
      }
    }
  }
}

/** out[N,K,Ho,Wo] = kernels[K,R] · im2col(input[n]) (+ bias[K] when bias ≠ 0); col: scratch of R·Ho·Wo floats,
 *  pack: room for 8R floats (gemmXN's panel of col: its rows lie Ho·Wo floats apart). */
export function convForward(out: usize, input: usize, kernels: usize, bias: usize, col: usize, pack: usize, N: i32,
  C: i32, H: i32, W: i32, K: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, Ho: i32, Wo: i32): void {
  const P = Ho * Wo, R = C * kh * kw;
  for (let n = 0; n < N; n++) {
    im2col(col, input + (<usize>(n * C * H * W) << 2), C, H, W, kh, kw, sh, sw, pt, pl, Ho, Wo);
    const o = out + (<usize>(n * K * P) << 2);
    if (bias) {
      for (let k = 0; k < K; k++) {
        const vb = f32x4.splat(load<f32>(bias + (<usize>k << 2)));
        let d = o + (<usize>(k * P) << 2);
        const end = d + (<usize>P << 2);
        for (; d + 16 <= end; d += 16) v128.store(d, vb);
        for (; d < end; d += 4) store<f32>(d, f32x4.extract_lane(vb, 0));
      }
    }
    gemmXN(K, P, R, kernels, <usize>R << 2, 4, col, o, bias ? 1 : 0, pack);
  }
}

/** dKernels[K,R] += Σ_n dOut[n]·im2col(input[n])ᵀ, dBias[K] += Σ dOut, and when dInput ≠ 0 dInput[n] += the input's
 *  gradient (inputGradient). col: R·Ho·Wo floats, dCol: convBackwardScratch floats; pack: 8K floats
 *  for gemmXN's panels of dOut[n], whose K rows lie Ho·Wo floats apart: unpacked, a map of 32×32 puts them 4 KiB apart,
 *  all in one set of the level-1 cache, and the product ran at 60 % of its packed speed. */
export function convBackward(dInput: usize, dKernels: usize, dBias: usize, input: usize, kernels: usize, dOut: usize,
  col: usize, dCol: usize, pack: usize, N: i32, C: i32, H: i32, W: i32, K: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, Ho: i32, Wo: i32): void {
  const P = Ho * Wo, R = C * kh * kw;
  // stride 1 and rows of at least 4 outputs: the kernel gradient straight from the (padded) input, no im2col (the same bits)
  const Hp = Ho + kh - 1, Wp = Wo + kw - 1;
  // (col holds the padded input, when there is padding, and then kernelGradientTaps's 4·P floats, P/4 + R + 3 offsets and
  // up to Ho spanning vectors' records of 8 ints, 16-byte aligned)
  const padded = pt | pl || H != Hp || W != Wp, mix = col + (padded ? <usize>(C * Hp * Wp) << 2 : 0);
  const full = dInput ? fullPrepare(dCol, kernels, C, H, W, K, kh, kw, sh, sw, pt, pl, Ho, Wo) : FULL_NONE;
  const direct = sh == 1 && sw == 1 && Wo >= 4 && H + pt <= Hp && W + pl <= Wp &&
    (padded ? C * Hp * Wp : 0) + 5 * P + R + 8 * Ho + 16 <= R * P;
  for (let n = 0; n < N; n++) {
    const o = dOut + (<usize>(n * K * P) << 2);
    for (let k = 0; k < K; k++) {
      let v = f32x4.splat(0);
      let d = o + (<usize>(k * P) << 2);
      const end = d + (<usize>P << 2);
      for (; d + 16 <= end; d += 16) v = f32x4.add(v, v128.load(d));
      let s = hsum(v);
      for (; d < end; d += 4) s += load<f32>(d);
      const pb = dBias + (<usize>k << 2);
      store<f32>(pb, load<f32>(pb) + s);
    }
    const x = input + (<usize>(n * C * H * W) << 2);
    if (direct) kernelGradientTaps(dKernels, padded ? padInto(col, x, C, H, W, Hp, Wp, pt, pl) : x, o, mix, K, C, Hp, Wp, kh, kw, Ho, Wo);
    else {
      im2col(col, x, C, H, W, kh, kw, sh, sw, pt, pl, Ho, Wo);
      gemmNT(K, R, P, o, col, dKernels, 1, 0);
    }
    if (dInput) inputGradient(dInput, kernels, o, dCol, pack, n, C, H, W, K, kh, kw, sh, sw, pt, pl, Ho, Wo, full);
  }
}

/** The input (maps × H × W) padded into dst (maps × Hp × Wp, zeros around it, the map at row pt, column pl): dst. */
@inline function padInto(dst: usize, src: usize, maps: i32, H: i32, W: i32, Hp: i32, Wp: i32, pt: i32, pl: i32): usize {
  pad(dst, src, maps, H, W, Hp, Wp, pt, pl);
  return dst;
}

/** convBackward's kernel gradient for stride 1 without the im2col copy (rows of at least 4 outputs): dKernels[k, (c,u,v)]
 *  += Σ_(i,j) dOut[k,i,j]·x[c, i+u, j+v] over x padded (Hp × Wp, Hp = Ho + kh − 1, Wp = Wo + kw − 1). The sums are
 *  gemmNT's over im2col's rows, element by element: lane l sums the outputs q ≡ l (mod 4) for q < P4 = Ho·Wo rounded down
 *  to 4, in order; the lanes are added as hsum does, then the last P − P4 outputs one by one, and the sum is added to
 *  dKernels: the same bits as im2col + gemmNT on both builds. Im2col's row (c,u,v) is read in place: a vector of four
 *  outputs q…q+3 within one row i is four neighbouring values of x; one that runs from row i into row i + 1 (rows not a
 *  multiple of 4 wide: the lab CIFAR CNN's 30, 15 and 13) is two loads, at its first value and kw − 1 values further
 *  (where row i + 1 continues in x), blended by a lane mask. Four kernels' rows of dOut are first interleaved into `mix`
 *  (4·P4 floats: their four vectors at q side by side, one pointer with immediate offsets), followed by a table of each
 *  output vector's offset in x (P4/4 ints, one flat loop), each tap's (R ints), the last outputs' (3 ints) and the vectors
 *  that span two rows (KG_SPAN bytes each: where in the table, and the mask; then one whose place is the table's end); then
 *  a 4-kernel × 2-tap tile (seven loads, eight lane products) runs along the table up to each spanning vector. */
function kernelGradientTaps(dKernels: usize, x: usize, dOut: usize, mix: usize, K: i32, C: i32, Hp: i32, Wp: i32, kh: i32,
  kw: i32, Ho: i32, Wo: i32): void {
  const R = C * kh * kw, P = Ho * Wo, P4 = P & ~3, K4 = K & ~3, R2 = R & ~1;
  const ldk = <usize>P << 2, lda = <usize>P4 << 2, ldr = <usize>R << 2, ldw = <usize>Wp << 2, plane = <usize>(Hp * Wp) << 2;
  const gap = <usize>(kw - 1) << 2, last = P - P4;
  // the byte offset in x of each vector of four outputs (i, j…j+3), in q order, and the vectors that reach into row i + 1
  const steps = mix + (<usize>P4 << 4), stepsEnd = steps + lda / 4;
  const tapAt = stepsEnd, tails = tapAt + ldr, spans = (tails + 12 + 15) & ~15;
  let sp = spans;
  for (let i = 0, j = 0, st = steps; st < stepsEnd; st += 4) {
    store<i32>(st, <i32>(<usize>i * ldw + (<usize>j << 2)));
    if (j + 4 > Wo) {
      const first = Wo - j; // lanes in row i; the rest (from load + gap) in row i + 1
      store<i32>(sp, <i32>st);
      v128.store(sp, i32x4.gt_s(i32x4(0, 1, 2, 3), i32x4.splat(first - 1)), 16);
      sp += KG_SPAN;
    }
    j += 4;
    if (j >= Wo) { j -= Wo; i++; }
  }
  store<i32>(sp, <i32>stepsEnd);
  for (let q = P4, tp = tails; q < P; q++, tp += 4) {
    const i = q / Wo;
    store<i32>(tp, <i32>(<usize>i * ldw + (<usize>(q - i * Wo) << 2)));
  }
  // and each tap's offset from a window's corner (R ints)
  for (let c = 0, tp = tapAt; c < C; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++, tp += 4) {
    store<i32>(tp, <i32>(<usize>c * plane + <usize>u * ldw + (<usize>v << 2)));
  }
  let k = 0;
  for (; k < K4; k += 4) {
    const a0 = dOut + <usize>k * ldk;
    for (let q: usize = 0, m = mix; q < lda; q += 16, m += 64) {
      v128.store(m, v128.load(a0 + q)); v128.store(m, v128.load(a0 + ldk + q), 16);
      v128.store(m, v128.load(a0 + 2 * ldk + q), 32); v128.store(m, v128.load(a0 + 3 * ldk + q), 48);
    }
    const r0 = dKernels + <usize>k * ldr, r1 = r0 + ldr, r2 = r1 + ldr, r3 = r2 + ldr;
    let t = 0;
    for (; t < R2; t += 2) {
      const o0 = <usize>load<i32>(tapAt + (<usize>t << 2)), b0 = x + o0, d = <usize>load<i32>(tapAt + (<usize>t << 2), 4) - o0;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let pa = mix, st = steps, span = spans;
      while (true) {
        const stop = <usize>load<i32>(span);
        for (; st < stop; pa += 64, st += 4) {
          const pb = b0 + <usize>load<i32>(st);
          const y0 = v128.load(pb), y1 = v128.load(pb + d);
          let v = v128.load(pa);
          c00 = madd(v, y0, c00); c01 = madd(v, y1, c01);
          v = v128.load(pa, 16);
          c10 = madd(v, y0, c10); c11 = madd(v, y1, c11);
          v = v128.load(pa, 32);
          c20 = madd(v, y0, c20); c21 = madd(v, y1, c21);
          v = v128.load(pa, 48);
          c30 = madd(v, y0, c30); c31 = madd(v, y1, c31);
        }
        if (st >= stepsEnd) break;
        // a vector spanning rows i and i + 1
        const mask = v128.load(span, 16), pb = b0 + <usize>load<i32>(st);
        const y0 = v128.bitselect(v128.load(pb + gap), v128.load(pb), mask), y1 = v128.bitselect(v128.load(pb + d + gap), v128.load(pb + d), mask);
        let v = v128.load(pa);
        c00 = madd(v, y0, c00); c01 = madd(v, y1, c01);
        v = v128.load(pa, 16);
        c10 = madd(v, y0, c10); c11 = madd(v, y1, c11);
        v = v128.load(pa, 32);
        c20 = madd(v, y0, c20); c21 = madd(v, y1, c21);
        v = v128.load(pa, 48);
        c30 = madd(v, y0, c30); c31 = madd(v, y1, c31);
        pa += 64; st += 4; span += KG_SPAN;
      }
      let s00 = hsum(c00), s01 = hsum(c01), s10 = hsum(c10), s11 = hsum(c11);
      let s20 = hsum(c20), s21 = hsum(c21), s30 = hsum(c30), s31 = hsum(c31);
      for (let z = 0; z < last; z++) {
        const pb = b0 + <usize>load<i32>(tails + (<usize>z << 2)), y0 = load<f32>(pb), y1 = load<f32>(pb + d);
        const a = a0 + lda + (<usize>z << 2);
        let w = load<f32>(a); s00 += w * y0; s01 += w * y1;
        w = load<f32>(a + ldk); s10 += w * y0; s11 += w * y1;
        w = load<f32>(a + 2 * ldk); s20 += w * y0; s21 += w * y1;
        w = load<f32>(a + 3 * ldk); s30 += w * y0; s31 += w * y1;
      }
      const o = <usize>t << 2;
      store<f32>(r0 + o, s00 + load<f32>(r0 + o)); store<f32>(r0 + o, s01 + load<f32>(r0 + o, 4), 4);
      store<f32>(r1 + o, s10 + load<f32>(r1 + o)); store<f32>(r1 + o, s11 + load<f32>(r1 + o, 4), 4);
      store<f32>(r2 + o, s20 + load<f32>(r2 + o)); store<f32>(r2 + o, s21 + load<f32>(r2 + o, 4), 4);
      store<f32>(r3 + o, s30 + load<f32>(r3 + o)); store<f32>(r3 + o, s31 + load<f32>(r3 + o, 4), 4);
    }
    // an odd last tap: each kernel alone
    if (t < R) for (let r = 0; r < 4; r++) kernelGradientOne(dKernels, x, dOut, k + r, t, R, ldk, tapAt, steps, stepsEnd, spans, gap, tails, last);
  }
  for (; k < K; k++) for (let t = 0; t < R; t++) kernelGradientOne(dKernels, x, dOut, k, t, R, ldk, tapAt, steps, stepsEnd, spans, gap, tails, last);
}

/** kernelGradientTaps's record of a vector spanning two rows: its place in the table of offsets (4 bytes, then 12 unused)
 *  and the lanes to take from the second row (16 bytes). */
const KG_SPAN: usize = 32;

/** One element of kernelGradientTaps (an odd last tap, the last K mod 4 kernels): dotNT's sum over the same lanes. */
function kernelGradientOne(dKernels: usize, x: usize, dOut: usize, k: i32, t: i32, R: i32, ldk: usize, tapAt: usize, steps: usize,
  stepsEnd: usize, spans: usize, gap: usize, tails: usize, last: i32): void {
  const b = x + <usize>load<i32>(tapAt + (<usize>t << 2)), row = dOut + <usize>k * ldk;
  let v = f32x4.splat(0);
  let a = row, st = steps, span = spans;
  while (true) {
    const stop = <usize>load<i32>(span);
    for (; st < stop; a += 16, st += 4) v = madd(v128.load(a), v128.load(b + <usize>load<i32>(st)), v);
    if (st >= stepsEnd) break;
    const pb = b + <usize>load<i32>(st);
    v = madd(v128.load(a), v128.bitselect(v128.load(pb + gap), v128.load(pb), v128.load(span, 16)), v);
    a += 16; st += 4; span += KG_SPAN;
  }
  let s = hsum(v);
  for (let z = 0; z < last; z++) s += load<f32>(a + (<usize>z << 2)) * load<f32>(b + <usize>load<i32>(tails + (<usize>z << 2)));
  const r = dKernels + (<usize>(k * R + t) << 2);
  store<f32>(r, load<f32>(r) + s);
}

/** convBackward's input gradient alone (dInput[n] += its gradient for every n): a second thread computes it while the
 *  first computes the kernel and bias gradients, the same bits as convBackward's own. */
export function convBackwardInput(dInput: usize, kernels: usize, dOut: usize, dCol: usize, pack: usize, N: i32, C: i32, H: i32,
  W: i32, K: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, Ho: i32, Wo: i32): void {
  const P = Ho * Wo, full = fullPrepare(dCol, kernels, C, H, W, K, kh, kw, sh, sw, pt, pl, Ho, Wo);
  for (let n = 0; n < N; n++) {
    inputGradient(dInput, kernels, dOut + (<usize>(n * K * P) << 2), dCol, pack, n, C, H, W, K, kh, kw, sh, sw, pt, pl, Ho, Wo, full);
  }
}

/** The input gradient's ways (fullPrepare): im2col's adjoint, or the 'full' convolution through a table of taps or not. */
const FULL_NONE = 0, FULL_TAPS = 1, FULL_DIRECT = 2, ROWS = 3;
/** inputGradientRows's taps per tile: 4 × 8 outputs keeps eight accumulators (tiles of 5 ran at 0.75× on the cnn's
 *  5×5: ten accumulators spill in V8's sixteen vector registers; 3 and 4 measured alike; a 5-wide kernel row as 3 + 2
 *  taps ran about 3 % faster than 4 + 1, interleaved in bench/convback.ts). */
const GROUP = 4;

/** True when the input gradient goes as a 'full' convolution: stride 1, each padding at most the kernel's size − 1, and
 *  the input's map (its rows rounded up to the tiles' 8 columns) at most 1.25 times the output's. The 'full' convolution
 *  computes every input value over all K·kh·kw taps, the products with its zero border included, while kernelsᵀ·dOut
 *  computes only the products that land: on the cnn's 12×12 input of an 8×8 output it has 2.25 times the products and
 *  ran at 0.6× of gemmXN + col2im; on the lab CIFAR CNN's 32×32 of 30×30 and 15×15 'same' it ran at 1.07× and 1.23×,
 *  on 15×15 of 13×13 at 0.93× (wasm/kernels.ts's callers measured in one process, interleaved). */
@inline function fullFits(H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, Ho: i32, Wo: i32): bool {
  const Hd = H + kh - 1, Wd = W + kw - 1;
  return sh == 1 && sw == 1 && pt <= kh - 1 && pl <= kw - 1 && Hd - Ho - (kh - 1 - pt) >= 0 && Wd - Wo - (kw - 1 - pl) >= 0 &&
    <i64>4 * H * ((W + 7) & ~7) <= <i64>5 * Ho * Wo;
}

/** Floats of scratch (dCol) convBackward and convBackwardInput need: R·Ho·Wo for im2col's adjoint (and the kernel
 *  gradient's own scratch, col, is R·Ho·Wo too); for the 'full' convolution: the flipped kernels (K·R), the table of
 *  taps (K·kh·kw ints, rounded up to 16 bytes, then C rounded down to 4 times K·kh·kw floats), one padded map of dOut
 *  (K·(H + kh − 1)·(W + kw − 1) and 8 floats a tile may read past it) and one sample's gradient (C·H·W). */
export function convBackwardScratch(N: i32, C: i32, H: i32, W: i32, K: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  Ho: i32, Wo: i32): i32 {
  const R = C * kh * kw, unrolled = R * Ho * Wo;
  if (!fullFits(H, W, kh, kw, sh, sw, pt, pl, Ho, Wo)) return unrolled;
  const Rf = K * kh * kw, Hd = H + kh - 1, Wd = W + kw - 1;
  return max(unrolled, K * R + ((Rf + 3) & ~3) + (C & ~3) * Rf + K * Hd * Wd + 8 + C * H * W);
}

/** Writes into dCol what the 'full' convolution needs once per call: the kernels flipped and transposed, Wf[c, k, u, v] =
 *  kernels[k, c, kh−1−u, kw−1−v] (a convolution of K channels into C maps), and tapsPrepare's table of it; says which
 *  way the input gradient goes (FULL_NONE: im2col's adjoint, whose sums keep their order for other strides). */
function fullPrepare(dCol: usize, kernels: usize, C: i32, H: i32, W: i32, K: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32,
  pl: i32, Ho: i32, Wo: i32): i32 {
  if (!fullFits(H, W, kh, kw, sh, sw, pt, pl, Ho, Wo)) return rowsFit(H, W, kh, kw, sh, sw, pt, pl, Ho, Wo) ? ROWS : FULL_NONE;
  const window = kh * kw, R = C * window;
  let f = dCol;
  for (let c = 0; c < C; c++) {
    for (let k = 0; k < K; k++) {
      const w = kernels + (<usize>(k * R + c * window) << 2);
      for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++, f += 4) store<f32>(f, load<f32>(w + (<usize>((kh - 1 - u) * kw + kw - 1 - v) << 2)));
    }
  }
  return tapsPrepare(dCol + (<usize>(K * R) << 2), dCol, K, H + kh - 1, W + kw - 1, C, kh, kw) ? FULL_TAPS : FULL_DIRECT;
}

/** dInput[n] += the gradient of sample n's input. With `full` (fullPrepare), the 'full' convolution of dOut[n] padded by
 *  kh − 1 − pt rows above (kw − 1 − pl columns left) with the flipped kernels, by convForwardTaps's tiles: each value
 *  summed over (k, u, v) in order from zero, then added to dInput. Else kernelsᵀ·dOut[n] into dCol (gemmXN) and
 *  im2col's adjoint (col2im). */
@inline function inputGradient(dInput: usize, kernels: usize, o: usize, dCol: usize, pack: usize, n: i32, C: i32, H: i32, W: i32,
  K: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, Ho: i32, Wo: i32, full: i32): void {
  const R = C * kh * kw, dx = dInput + (<usize>(n * C * H * W) << 2);
  if (full == ROWS) { inputGradientRows(dx, kernels, o, C, H, W, K, kh, kw, Ho, Wo); return; }
  if (full == FULL_NONE) {
    gemmXN(R, Ho * Wo, K, kernels, 4, <usize>R << 2, o, dCol, 0, pack);
    col2im(dx, dCol, C, H, W, kh, kw, sh, sw, pt, pl, Ho, Wo);
    return;
  }
  const Rf = K * kh * kw, Hd = H + kh - 1, Wd = W + kw - 1;
  const taps = dCol + (<usize>(K * R) << 2), padded = taps + (<usize>(((Rf + 3) & ~3) + (C & ~3) * Rf) << 2);
  const sum = padded + (<usize>(K * Hd * Wd + 8) << 2), size = C * H * W;
  pad(padded, o, K, Ho, Wo, Hd, Wd, kh - 1 - pt, kw - 1 - pl);
  if (full == FULL_TAPS) tapsRun(sum, padded, dCol, 0, taps, 1, K, Hd, Wd, C, kh, kw, H, W);
  else convForwardDirect(sum, padded, dCol, 0, 1, K, Hd, Wd, C, kh, kw, H, W);
  const end = <usize>size << 2;
  let q: usize = 0;
  for (; q + 16 <= end; q += 16) v128.store(dx + q, f32x4.add(v128.load(dx + q), v128.load(sum + q)));
  for (; q < end; q += 4) store<f32>(dx + q, load<f32>(dx + q) + load<f32>(sum + q));
}

/** True when the input gradient goes by inputGradientRows: stride 1, no padding (each input value is read by some
 *  window: H = Ho + kh − 1, W = Wo + kw − 1) and rows of dOut a multiple of 8 wide. */
@inline function rowsFit(H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, Ho: i32, Wo: i32): bool {
  return sh == 1 && sw == 1 && pt == 0 && pl == 0 && H == Ho + kh - 1 && W == Wo + kw - 1 && (Wo & 7) == 0 && Wo > 0;
}

/** dx[C,H,W] += the input gradient of one sample, kernelsᵀ·dOut added by im2col's adjoint, without the dCol round trip
 *  (the cnn's second convolution, 8×8×16 → 12×12×8: gemmXN + col2im were 24 % of its training step): for each input
 *  channel c, kernel row u and output row i, a tile of up to GROUP taps (c, u, v…) × 8 outputs (i, j…j+7) is summed over
 *  the K kernels in registers, as gemmXN's tiles sum dCol (from zero, k in order, madd(w, dOut)), and added straight
 *  into the input row i + u, each tap shifted by v: a window of three vectors loaded, the taps added in v order (the
 *  lanes a tap does not reach get −0, which leaves every value as it is, −0 and NaN included) and stored. Every input
 *  value thus receives its taps' sums in col2im's order, (u, v) ascending: u in the outer loop; within a row the groups
 *  of taps in order and, in a group, the tiles from the right (a value spanning two tiles takes its smaller v from the
 *  right one). The same bits as gemmXN + col2im on both builds. */
function inputGradientRows(dx: usize, kernels: usize, o: usize, C: i32, H: i32, W: i32, K: i32, kh: i32, kw: i32, Ho: i32, Wo: i32): void {
  const R = C * kh * kw, ldr = <usize>R << 2, ldp = <usize>(Ho * Wo) << 2, ldo = <usize>Wo << 2;
  for (let c = 0; c < C; c++) {
    for (let u = 0; u < kh; u++) {
      const wu = kernels + (<usize>((c * kh + u) * kw) << 2);
      for (let i = 0; i < Ho; i++) {
        const d = o + <usize>i * ldo, row = dx + (<usize>((c * H + i + u) * W) << 2);
        for (let v0 = 0, nt = 0; v0 < kw; v0 += nt) {
          // GROUP taps at a time; 5 left go as 3 + 2 rather than 4 + 1
          nt = kw - v0 == GROUP + 1 ? (GROUP + 1) / 2 : min(GROUP, kw - v0);
          const w = wu + (<usize>v0 << 2);
          for (let j0 = Wo - 8; j0 >= 0; j0 -= 8) {
            const p = d + (<usize>j0 << 2), x = row + (<usize>(j0 + v0) << 2);
            if (nt == 5) inputTile(x, w, p, K, ldr, ldp, 5);
            else if (nt == 4) inputTile(x, w, p, K, ldr, ldp, 4);
            else if (nt == 3) inputTile(x, w, p, K, ldr, ldp, 3);
            else if (nt == 2) inputTile(x, w, p, K, ldr, ldp, 2);
            else inputTile(x, w, p, K, ldr, ldp, 1);
          }
        }
      }
    }
  }
}

/** The first r (1…4) floats at p as a vector (the rest 0): no read past them. */
@inline function loadPart(p: usize, r: i32): v128 {
  if (r >= 4) return v128.load(p);
  if (r == 3) return v128.load32_lane(p, v128.load64_zero(p), 2, 8);
  if (r == 2) return v128.load64_zero(p);
  return v128.load32_zero(p);
}

/** The first r (1…4) lanes of v stored at p: no write past them. */
@inline function storePart(p: usize, v: v128, r: i32): void {
  if (r >= 4) v128.store(p, v);
  else if (r == 3) { v128.store64_lane(p, v, 0); v128.store32_lane(p, v, 2, 8); }
  else if (r == 2) v128.store64_lane(p, v, 0);
  else v128.store32_lane(p, v, 0);
}

/** inputGradientRows's tile: nt taps (a constant, 1…5, at most GROUP; their kernels' values at w, w + 4, …, the next kernel's ldr bytes on)
 *  × the 8 outputs at p (the next kernel's ldp bytes on), added into the input row at x (tap s at x + 4s). */
@inline function inputTile(x: usize, w: usize, p: usize, K: i32, ldr: usize, ldp: usize, nt: i32): void {
  let a0 = f32x4.splat(0), b0 = f32x4.splat(0), a1 = f32x4.splat(0), b1 = f32x4.splat(0), a2 = f32x4.splat(0), b2 = f32x4.splat(0);
  let a3 = f32x4.splat(0), b3 = f32x4.splat(0), a4 = f32x4.splat(0), b4 = f32x4.splat(0);
  for (let k = 0; k < K; k++, w += ldr, p += ldp) {
    const d0 = v128.load(p), d1 = v128.load(p, 16);
    let s = v128.load32_splat(w);
    a0 = madd(s, d0, a0); b0 = madd(s, d1, b0);
    if (nt > 1) { s = v128.load32_splat(w, 4); a1 = madd(s, d0, a1); b1 = madd(s, d1, b1); }
    if (nt > 2) { s = v128.load32_splat(w, 8); a2 = madd(s, d0, a2); b2 = madd(s, d1, b2); }
    if (nt > 3) { s = v128.load32_splat(w, 12); a3 = madd(s, d0, a3); b3 = madd(s, d1, b3); }
    if (nt > 4) { s = v128.load32_splat(w, 16); a4 = madd(s, d0, a4); b4 = madd(s, d1, b4); }
  }
  // the window: x's 8 + nt − 1 floats in three vectors (the third partial); tap s's sums shifted s lanes right, −0 around
  const z = f32x4.splat(-0.0);
  let A0 = v128.load(x), A1 = v128.load(x, 16), A2 = nt > 1 ? loadPart(x + 32, nt - 1) : z;
  A0 = f32x4.add(A0, a0); A1 = f32x4.add(A1, b0);
  if (nt > 1) {
    A0 = f32x4.add(A0, i32x4.shuffle(z, a1, 3, 4, 5, 6)); A1 = f32x4.add(A1, i32x4.shuffle(a1, b1, 3, 4, 5, 6));
    A2 = f32x4.add(A2, i32x4.shuffle(b1, z, 3, 4, 5, 6));
  }
  if (nt > 2) {
    A0 = f32x4.add(A0, i32x4.shuffle(z, a2, 2, 3, 4, 5)); A1 = f32x4.add(A1, i32x4.shuffle(a2, b2, 2, 3, 4, 5));
    A2 = f32x4.add(A2, i32x4.shuffle(b2, z, 2, 3, 4, 5));
  }
  if (nt > 3) {
    A0 = f32x4.add(A0, i32x4.shuffle(z, a3, 1, 2, 3, 4)); A1 = f32x4.add(A1, i32x4.shuffle(a3, b3, 1, 2, 3, 4));
    A2 = f32x4.add(A2, i32x4.shuffle(b3, z, 1, 2, 3, 4));
  }
  if (nt > 4) { A1 = f32x4.add(A1, a4); A2 = f32x4.add(A2, b4); }
  v128.store(x, A0); v128.store(x, A1, 16);
  if (nt > 1) storePart(x + 32, A2, nt - 1);
}

// ---- element-wise and pooling: branch-free, so random signs cost no mispredictions -------------------

/** y = max(x, 0) over n values (NaN stays NaN, −0 becomes 0). */
export function relu(y: usize, x: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const end = x + (<usize>n << 2);
  let p = x, q = y;
  for (; p + 16 <= end; p += 16, q += 16) v128.store(q, f32x4.max(v128.load(p), zero));
  for (; p < end; p += 4, q += 4) store<f32>(q, f32x4.extract_lane(f32x4.max(f32x4.splat(load<f32>(p)), zero), 0));
}

/** dx = x > 0 ? dOut : x is NaN ? NaN : 0 over n values (core/ops/activations.ts (1): NaN spoils what it touches). */
export function reluBackward(dx: usize, x: usize, dOut: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const end = <usize>n << 2;
  let q: usize = 0;
  for (; q + 16 <= end; q += 16) {
    const v = v128.load(x + q);
    // dOut where x > 0, x itself (a NaN) where x is NaN, else 0: the two masks never overlap
    v128.store(dx + q, v128.or(v128.and(v128.load(dOut + q), f32x4.gt(v, zero)), v128.and(v, f32x4.ne(v, v))));
  }
  for (; q < end; q += 4) {
    const v = load<f32>(x + q);
    store<f32>(dx + q, v > 0 ? load<f32>(dOut + q) : v != v ? v : 0);
  }
}

/** out[m,i,j] = max of the window (first maximum; the first NaN wins), argmax[m,i,j] its flat index into x.
 *  Four neighbouring outputs at a time, one per lane; the running best is chosen with lane masks, no branches. */
export function maxPool(out: usize, argmax: usize, x: usize, maps: i32, H: i32, W: i32, sizeH: i32, sizeW: i32,
  strideH: i32, strideW: i32, Ho: i32, Wo: i32): void {
  let o: usize = 0;
  const Wo4 = Wo & ~3;
  const lanes = i32x4(0, strideW, 2 * strideW, 3 * strideW);
  for (let m = 0; m < maps; m++) {
    const plane = m * H * W;
    for (let i = 0; i < Ho; i++) {
      const row = plane + i * strideH * W;
      let j = 0;
      for (; j < Wo4; j += 4, o += 16) {
        const top = row + j * strideW;
        let where = i32x4.add(i32x4.splat(top), lanes);
        let best = gather(x, top, strideW);
        for (let u = 0; u < sizeH; u++) {
          const line = top + u * W;
          for (let v = 0; v < sizeW; v++) {
            const at = line + v;
            const value = gather(x, at, strideW);
            const take = v128.or(f32x4.gt(value, best), v128.and(f32x4.ne(value, value), f32x4.eq(best, best)));
            best = v128.bitselect(value, best, take);
            where = v128.bitselect(i32x4.add(i32x4.splat(at), lanes), where, take);
          }
        }
        v128.store(out + o, best);
        v128.store(argmax + o, where);
      }
      for (; j < Wo; j++, o += 4) {
        const top = row + j * strideW;
        let where = top;
        let best = load<f32>(x + (<usize>top << 2));
        for (let u = 0; u < sizeH; u++) {
          const line = top + u * W;
          for (let v = 0; v < sizeW; v++) {
            const at = line + v;
            const value = load<f32>(x + (<usize>at << 2));
            if (value > best || (value != value && best == best)) { best = value; where = at; }
          }
        }
        store<f32>(out + o, best);
        store<i32>(argmax + o, where);
      }
    }
  }
}

/** [x[at], x[at + s], x[at + 2s], x[at + 3s]] (float indices). */
@inline function gather(x: usize, at: i32, s: i32): v128 {
  const p = x + (<usize>at << 2), step = <usize>s << 2;
  if (s == 1) return v128.load(p);
  let r = f32x4.splat(load<f32>(p));
  r = f32x4.replace_lane(r, 1, load<f32>(p + step));
  r = f32x4.replace_lane(r, 2, load<f32>(p + 2 * step));
  return f32x4.replace_lane(r, 3, load<f32>(p + 3 * step));
}

// ---- direct convolution (stride 1): no unrolled copy of the input -------------------------------------

/** out[n,k,i,j] = bias[k] + Σ_c,u,v kernels[k,c,u,v]·input[n,c,i+u,j+v] for stride 1 over an input the caller
 *  has already padded (H×W). Eight neighbouring outputs of four kernels at a time: per (c,u,v), two input
 *  loads and four kernel splats feed sixteen lane products. The sum runs over (c,u,v) in the same order as
 *  im2col + gemmXN and the bias is added last, so both paths give the same bits. */
export function convForwardDirect(out: usize, input: usize, kernels: usize, bias: usize, N: i32, C: i32, H: i32, W: i32,
  K: i32, kh: i32, kw: i32, Ho: i32, Wo: i32): void {
  const R = C * kh * kw, P = Ho * Wo;
  const ldr = <usize>R << 2, plane = <usize>(H * W) << 2, ldw = <usize>W << 2, ldo = <usize>P << 2;
  for (let n = 0; n < N; n++) {
    const x = input + <usize>n * <usize>C * plane;
    const o = out + <usize>n * <usize>K * ldo;
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const w = kernels + <usize>k * ldr;
      for (let i = 0; i < Ho; i++) {
        let j = 0;
        for (; j + 8 <= Wo; j += 8) {
          let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
          let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
          let q: usize = 0; // offset of (c,u,v) in a kernel, bytes
          for (let c = 0; c < C; c++) {
            for (let u = 0; u < kh; u++) {
              const row = x + <usize>c * plane + <usize>(i + u) * ldw + (<usize>j << 2);
              for (let v = 0; v < kw; v++, q += 4) {
                const a0 = v128.load(row + (<usize>v << 2)), a1 = v128.load(row + (<usize>v << 2), 16);
                let s = v128.load32_splat(w + q);
                c00 = madd(a0, s, c00); c01 = madd(a1, s, c01);
                s = v128.load32_splat(w + ldr + q);
                c10 = madd(a0, s, c10); c11 = madd(a1, s, c11);
                s = v128.load32_splat(w + 2 * ldr + q);
                c20 = madd(a0, s, c20); c21 = madd(a1, s, c21);
                s = v128.load32_splat(w + 3 * ldr + q);
                c30 = madd(a0, s, c30); c31 = madd(a1, s, c31);
              }
            }
          }
          const r0 = o + <usize>k * ldo + (<usize>(i * Wo + j) << 2), r1 = r0 + ldo, r2 = r1 + ldo, r3 = r2 + ldo;
          if (bias) {
            const bk = bias + (<usize>k << 2);
            let b = v128.load32_splat(bk); c00 = f32x4.add(b, c00); c01 = f32x4.add(b, c01);
            b = v128.load32_splat(bk + 4); c10 = f32x4.add(b, c10); c11 = f32x4.add(b, c11);
            b = v128.load32_splat(bk + 8); c20 = f32x4.add(b, c20); c21 = f32x4.add(b, c21);
            b = v128.load32_splat(bk + 12); c30 = f32x4.add(b, c30); c31 = f32x4.add(b, c31);
          }
          v128.store(r0, c00); v128.store(r0, c01, 16); v128.store(r1, c10); v128.store(r1, c11, 16);
          v128.store(r2, c20); v128.store(r2, c21, 16); v128.store(r3, c30); v128.store(r3, c31, 16);
        }
        for (; j + 4 <= Wo; j += 4) {
          let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
          let q: usize = 0;
          for (let c = 0; c < C; c++) {
            for (let u = 0; u < kh; u++) {
              const row = x + <usize>c * plane + <usize>(i + u) * ldw + (<usize>j << 2);
              for (let v = 0; v < kw; v++, q += 4) {
                const a = v128.load(row + (<usize>v << 2));
                c0 = madd(a, v128.load32_splat(w + q), c0);
                c1 = madd(a, v128.load32_splat(w + ldr + q), c1);
                c2 = madd(a, v128.load32_splat(w + 2 * ldr + q), c2);
                c3 = madd(a, v128.load32_splat(w + 3 * ldr + q), c3);
              }
            }
          }
          const r0 = o + <usize>k * ldo + (<usize>(i * Wo + j) << 2);
          if (bias) {
            const bk = bias + (<usize>k << 2);
            c0 = f32x4.add(v128.load32_splat(bk), c0); c1 = f32x4.add(v128.load32_splat(bk + 4), c1);
            c2 = f32x4.add(v128.load32_splat(bk + 8), c2); c3 = f32x4.add(v128.load32_splat(bk + 12), c3);
          }
          v128.store(r0, c0); v128.store(r0 + ldo, c1); v128.store(r0 + 2 * ldo, c2); v128.store(r0 + 3 * ldo, c3);
        }
        if (j < Wo) {
          // 1–3 columns left (maps 13, 15 or 30 wide): one 4-wide tile whose extra lanes read up to 3 values past the
          // row (the next row, or the arena's slack after the input: operands are followed by others) and are dropped
          let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
          let q: usize = 0;
          for (let c = 0; c < C; c++) {
            for (let u = 0; u < kh; u++) {
              const row = x + <usize>c * plane + <usize>(i + u) * ldw + (<usize>j << 2);
              for (let v = 0; v < kw; v++, q += 4) {
                const a = v128.load(row + (<usize>v << 2));
                c0 = madd(a, v128.load32_splat(w + q), c0);
                c1 = madd(a, v128.load32_splat(w + ldr + q), c1);
                c2 = madd(a, v128.load32_splat(w + 2 * ldr + q), c2);
                c3 = madd(a, v128.load32_splat(w + 3 * ldr + q), c3);
              }
            }
          }
          const r0 = o + <usize>k * ldo + (<usize>(i * Wo + j) << 2), left = Wo - j;
          if (bias) {
            const bk = bias + (<usize>k << 2);
            c0 = f32x4.add(v128.load32_splat(bk), c0); c1 = f32x4.add(v128.load32_splat(bk + 4), c1);
            c2 = f32x4.add(v128.load32_splat(bk + 8), c2); c3 = f32x4.add(v128.load32_splat(bk + 12), c3);
          }
          storeLanes(r0, c0, left); storeLanes(r0 + ldo, c1, left); storeLanes(r0 + 2 * ldo, c2, left); storeLanes(r0 + 3 * ldo, c3, left);
        }
      }
    }
    for (; k < K; k++) {
      const w = kernels + <usize>k * ldr;
      for (let i = 0; i < Ho; i++) {
        let j = 0;
        for (; j + 8 <= Wo; j += 8) {
          let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
          let q: usize = 0;
          for (let c = 0; c < C; c++) {
            for (let u = 0; u < kh; u++) {
              const row = x + <usize>c * plane + <usize>(i + u) * ldw + (<usize>j << 2);
              for (let v = 0; v < kw; v++, q += 4) {
                const s = v128.load32_splat(w + q);
                c0 = madd(v128.load(row + (<usize>v << 2)), s, c0);
                c1 = madd(v128.load(row + (<usize>v << 2), 16), s, c1);
              }
            }
          }
          const r0 = o + <usize>k * ldo + (<usize>(i * Wo + j) << 2);
          if (bias) { const b = v128.load32_splat(bias + (<usize>k << 2)); c0 = f32x4.add(b, c0); c1 = f32x4.add(b, c1); }
          v128.store(r0, c0); v128.store(r0, c1, 16);
        }
        for (; j < Wo; j++) directOne(o, x, kernels, bias, k, i, j, C, kh, kw, plane, ldw, ldr, ldo, Wo);
      }
    }
  }
}

/** convForwardDirect's sums through a table of taps: one loop over the window's C·kh·kw taps (c,u,v) per tile, each
 *  tap's byte offset from the window's corner read from the table, so the inner loop is as long as the window and has
 *  the shape of gemmXN's 4×8 tile (two input loads, four weight splats, sixteen lane products per tap). taps: room
 *  for R = C·kh·kw ints (rounded up to 16 bytes) and then 4·⌊K/4⌋·R floats, where kernels k…k+3 are interleaved tap by
 *  tap (one pointer, immediate offsets). Rows of outputs in 8-wide tiles; the last tile of a row whose width is not a
 *  multiple of 8 computes all eight lanes (reading up to 7 values past the row: the next row, or the memory after the
 *  input, which the callers' arenas always have) and stores the ones in the map. Each output is summed over (c,u,v) in
 *  order from zero and the bias added last, as convForwardDirect and im2col + gemmXN do: the same bits. The last K mod 4
 *  kernels, and windows of fewer than 12 taps, go through convForwardDirect. */
export function convForwardTaps(out: usize, input: usize, kernels: usize, bias: usize, N: i32, C: i32, H: i32, W: i32, K: i32,
  kh: i32, kw: i32, Ho: i32, Wo: i32, taps: usize): void {
  if (tapsPrepare(taps, kernels, C, H, W, K, kh, kw)) tapsRun(out, input, kernels, bias, taps, N, C, H, W, K, kh, kw, Ho, Wo);
  else convForwardDirect(out, input, kernels, bias, N, C, H, W, K, kh, kw, Ho, Wo);
}

/** convForwardTaps's table in `taps` (its offsets, then the kernels interleaved by four); false (nothing written) for a
 *  window of fewer than 12 taps (one input channel, 3×3), whose tiles hold too few products for the table to pay. */
function tapsPrepare(taps: usize, kernels: usize, C: i32, H: i32, W: i32, K: i32, kh: i32, kw: i32): bool {
  const R = C * kh * kw, K4 = K & ~3;
  if (R < 12) return false;
  const ldr = <usize>R << 2, plane = <usize>(H * W) << 2, ldw = <usize>W << 2;
  let t = taps;
  for (let c = 0; c < C; c++) {
    for (let u = 0; u < kh; u++) {
      for (let v = 0; v < kw; v++, t += 4) store<i32>(t, <i32>(<usize>c * plane + <usize>u * ldw + (<usize>v << 2)));
    }
  }
  let p = taps + ((ldr + 15) & ~15);
  for (let k = 0; k < K4; k += 4) {
    const w = kernels + <usize>k * ldr;
    for (let q: usize = 0; q < ldr; q += 4, p += 16) {
      store<f32>(p, load<f32>(w + q)); store<f32>(p, load<f32>(w + ldr + q), 4);
      store<f32>(p, load<f32>(w + 2 * ldr + q), 8); store<f32>(p, load<f32>(w + 3 * ldr + q), 12);
    }
  }
  return true;
}

/** convForwardTaps over N samples with the table tapsPrepare wrote. */
function tapsRun(out: usize, input: usize, kernels: usize, bias: usize, taps: usize, N: i32, C: i32, H: i32, W: i32, K: i32,
  kh: i32, kw: i32, Ho: i32, Wo: i32): void {
  const R = C * kh * kw, P = Ho * Wo, K4 = K & ~3;
  const ldr = <usize>R << 2, plane = <usize>(H * W) << 2, ldw = <usize>W << 2, ldo = <usize>P << 2;
  const packed = taps + ((ldr + 15) & ~15), end = taps + ldr;
  for (let n = 0; n < N; n++) {
    const x = input + <usize>n * <usize>C * plane;
    const o = out + <usize>n * <usize>K * ldo;
    for (let k = 0; k < K4; k += 4) {
      const wk = packed + <usize>k * ldr, bk = bias ? bias + (<usize>k << 2) : 0;
      const r0 = o + <usize>k * ldo;
      for (let i = 0; i < Ho; i++) {
        for (let j = 0; j < Wo; j += 8) {
          tapsTileStore(x + <usize>i * ldw + (<usize>j << 2), wk, taps, end, bk, r0 + (<usize>(i * Wo + j) << 2), ldo, Wo - j);
        }
      }
    }
    if (K4 < K) {
      convForwardDirect(o + <usize>K4 * ldo, x, kernels + <usize>K4 * ldr, bias ? bias + (<usize>K4 << 2) : 0, 1, C, H, W, K - K4,
        kh, kw, Ho, Wo);
    }
  }
}

/** tapsTile storing its tile (TILE_STORE), as a function of its own that is never inlined (exported: Binaryen keeps an
 *  exported function's body and does not copy a body this large into its caller), called once per tile by tapsRun. The
 *  same tile inlined into tapsRun's loops ran 17–23 % slower on one thread (V8's machine code for the tap loop depends
 *  on the loops around it: with the tile's width fixed at 8 it was slower still); as its own function the tap loop's
 *  code is the tile's alone. Measured in one process, the kernel alone at batch 64 (the bench's two convolutions):
 *  29.1 → 34.1 and 31.2 → 40.1 GFLOP/s, with the matrix product's 4×8 tile at 40.6. The same sums, the same bits. */
export function tapsTileStore(corner: usize, wk: usize, taps: usize, end: usize, bk: usize, r0: usize, ld: usize, left: i32): void {
  tapsTile(corner, wk, taps, end, bk, r0, ld, left, TILE_STORE);
}

/** The inference path's fused convolution (nn/model.ts inferBatch): convForwardTaps one sample at a time, then while
 *  that sample's output is still in cache, ReLU (relu ≠ 0: max(·, 0), as `relu` below) and, with pool ≠ 0, a 2×2 max
 *  pool with stride 2 over the ReLU's output (Ho/2 × Wo/2 maps, an odd last row or column dropped, as ops/maxPool.ts).
 *  pool needs relu: every value pooled is then ≥ +0 or NaN, so f32x4.max gives the bits of maxPool's first-maximum
 *  rule (no −0 left to tie with +0), and the max of the ReLUs equals the ReLU of the max. The sums are
 *  convForwardTaps's, so the output is the same bits as the separate passes. scratch: K·Ho·Wo floats (pool only); taps:
 *  convForwardTaps's table. */
export function convForwardFused(out: usize, input: usize, kernels: usize, bias: usize, N: i32, C: i32, H: i32, W: i32,
  K: i32, kh: i32, kw: i32, Ho: i32, Wo: i32, scratch: usize, relu: i32, pool: i32, taps: usize): void {
  const sample = <usize>(C * H * W) << 2, P = Ho * Wo;
  const Hq = Ho >> 1, Wq = Wo >> 1, per = <usize>(pool ? K * Hq * Wq : K * P) << 2;
  const tabled = tapsPrepare(taps, kernels, C, H, W, K, kh, kw);
  for (let n = 0; n < N; n++) {
    const x = input + <usize>n * sample, o = out + <usize>n * per, to = pool ? scratch : o;
    if (tabled && pool && (K & 3) == 0 && (Wq & 3) == 0) { tapsReluPool(o, x, bias, taps, C, H, W, K, kh, kw, Hq, Wq); continue; }
    if (tabled) tapsRun(to, x, kernels, bias, taps, 1, C, H, W, K, kh, kw, Ho, Wo);
    else convForwardDirect(to, x, kernels, bias, 1, C, H, W, K, kh, kw, Ho, Wo);
    if (!pool) {
      if (relu) reluInPlace(o, K * P);
      continue;
    }
    reluPool2(o, scratch, K, Ho, Wo);
  }
}

/** max of lanes (0, 1), (2, 3) of a and of b: four neighbouring pairs of columns pooled. */
@inline function pairMax(a: v128, b: v128): v128 {
  return f32x4.max(v128.shuffle<f32>(a, b, 0, 2, 4, 6), v128.shuffle<f32>(a, b, 1, 3, 5, 7));
}

/** What tapsTile does with its finished 4-kernel × 8-column tile: stores it (its first `left` columns, kernels `ld`
 *  bytes apart: tapsRun), or pools neighbouring columns for tapsReluPool: the first row of a pooled row stores the four
 *  kernels' pairs (pooled maps `ld` bytes apart), the second joins them and applies the ReLU. */
const TILE_STORE = 0, TILE_POOL_FIRST = 1, TILE_POOL_LAST = 2;

/** The table of taps' 4-kernel × 8-column tile at `corner`, the one home of its sums (tapsRun, tapsReluPool): each
 *  output summed over the taps in order from zero, the bias (bk ≠ 0) added last; then `mode` (TILE_STORE, TILE_POOL_*,
 *  a constant at every call, so each caller's copy keeps only its own epilogue) says where the tile goes, at r0. */
@inline function tapsTile(corner: usize, wk: usize, taps: usize, end: usize, bk: usize, r0: usize, ld: usize, left: i32, mode: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let wp = wk;
  for (let tp = taps; tp < end; tp += 4, wp += 16) {
    const at = corner + <usize>load<i32>(tp);
    const a0 = v128.load(at), a1 = v128.load(at, 16);
    let s = v128.load32_splat(wp);
    c00 = madd(a0, s, c00); c01 = madd(a1, s, c01);
    s = v128.load32_splat(wp, 4);
    c10 = madd(a0, s, c10); c11 = madd(a1, s, c11);
    s = v128.load32_splat(wp, 8);
    c20 = madd(a0, s, c20); c21 = madd(a1, s, c21);
    s = v128.load32_splat(wp, 12);
    c30 = madd(a0, s, c30); c31 = madd(a1, s, c31);
  }
  if (bk) {
    let b = v128.load32_splat(bk); c00 = f32x4.add(b, c00); c01 = f32x4.add(b, c01);
    b = v128.load32_splat(bk, 4); c10 = f32x4.add(b, c10); c11 = f32x4.add(b, c11);
    b = v128.load32_splat(bk, 8); c20 = f32x4.add(b, c20); c21 = f32x4.add(b, c21);
    b = v128.load32_splat(bk, 12); c30 = f32x4.add(b, c30); c31 = f32x4.add(b, c31);
  }
  const q0 = r0, q1 = q0 + ld, q2 = q1 + ld, q3 = q2 + ld;
  if (mode == TILE_POOL_FIRST) {
    v128.store(q0, pairMax(c00, c01)); v128.store(q1, pairMax(c10, c11));
    v128.store(q2, pairMax(c20, c21)); v128.store(q3, pairMax(c30, c31));
  } else if (mode == TILE_POOL_LAST) {
    const zero = f32x4.splat(0);
    v128.store(q0, f32x4.max(f32x4.max(v128.load(q0), pairMax(c00, c01)), zero));
    v128.store(q1, f32x4.max(f32x4.max(v128.load(q1), pairMax(c10, c11)), zero));
    v128.store(q2, f32x4.max(f32x4.max(v128.load(q2), pairMax(c20, c21)), zero));
    v128.store(q3, f32x4.max(f32x4.max(v128.load(q3), pairMax(c30, c31)), zero));
  } else if (left >= 8) {
    v128.store(q0, c00); v128.store(q0, c01, 16); v128.store(q1, c10); v128.store(q1, c11, 16);
    v128.store(q2, c20); v128.store(q2, c21, 16); v128.store(q3, c30); v128.store(q3, c31, 16);
  } else if (left >= 4) {
    v128.store(q0, c00); v128.store(q1, c10); v128.store(q2, c20); v128.store(q3, c30);
    if (left > 4) {
      storeLanes(q0 + 16, c01, left - 4); storeLanes(q1 + 16, c11, left - 4);
      storeLanes(q2 + 16, c21, left - 4); storeLanes(q3 + 16, c31, left - 4);
    }
  } else {
    storeLanes(q0, c00, left); storeLanes(q1, c10, left); storeLanes(q2, c20, left); storeLanes(q3, c30, left);
  }
}

/** convForwardFused's pool for one sample through tapsPrepare's table, when K and the pooled width Wq are multiples of 4:
 *  output rows 2i and 2i + 1 in turn (tapsTile), pooled as each row's tile is done and the ReLU applied to the
 *  pooled value, with no pass over a scratch copy: the same bits as the passes apart (max is exact, and max(·, +0)
 *  turns a −0 into +0 as the ReLU before the pool does). An odd last row or column is not computed (the pool drops it). */
function tapsReluPool(o: usize, x: usize, bias: usize, taps: usize, C: i32, H: i32, W: i32, K: i32, kh: i32, kw: i32,
  Hq: i32, Wq: i32): void {
  const R = C * kh * kw, ldr = <usize>R << 2, ldw = <usize>W << 2, ldq = <usize>(Hq * Wq) << 2;
  const packed = taps + ((ldr + 15) & ~15), end = taps + ldr;
  for (let k = 0; k < K; k += 4) {
    const wk = packed + <usize>k * ldr, bk = bias ? bias + (<usize>k << 2) : 0;
    for (let iq = 0; iq < Hq; iq++) {
      for (let jq = 0; jq < Wq; jq += 4) {
        const r0 = o + <usize>k * ldq + (<usize>(iq * Wq + jq) << 2), corner = x + <usize>(2 * iq) * ldw + (<usize>jq << 3);
        tapsTile(corner, wk, taps, end, bk, r0, ldq, 8, TILE_POOL_FIRST);
        tapsTile(corner + ldw, wk, taps, end, bk, r0, ldq, 8, TILE_POOL_LAST);
      }
    }
  }
}

@inline function reluInPlace(p: usize, n: i32): void {
  const zero = f32x4.splat(0), end = p + (<usize>n << 2);
  let q = p;
  for (; q + 16 <= end; q += 16) v128.store(q, f32x4.max(v128.load(q), zero));
  for (; q < end; q += 4) store<f32>(q, f32x4.extract_lane(f32x4.max(f32x4.splat(load<f32>(q)), zero), 0));
}

/** out[m, i, j] = max(0, max of x[m, 2i..2i+1, 2j..2j+1]) over maps Ho×Wo → (Ho/2)×(Wo/2). */
function reluPool2(out: usize, x: usize, maps: i32, Ho: i32, Wo: i32): void {
  const zero = f32x4.splat(0), Hq = Ho >> 1, Wq = Wo >> 1, Wq4 = Wq & ~3, ldx = <usize>Wo << 2;
  let o = out;
  for (let m = 0; m < maps; m++) {
    const plane = x + (<usize>(m * Ho * Wo) << 2);
    for (let i = 0; i < Hq; i++) {
      const r0 = plane + <usize>(2 * i) * ldx, r1 = r0 + ldx;
      let j = 0;
      for (; j < Wq4; j += 4, o += 16) {
        const at = <usize>j << 3;
        const a = f32x4.max(v128.load(r0 + at), v128.load(r1 + at)), b = f32x4.max(v128.load(r0 + at, 16), v128.load(r1 + at, 16));
        const m4 = f32x4.max(v128.shuffle<f32>(a, b, 0, 2, 4, 6), v128.shuffle<f32>(a, b, 1, 3, 5, 7));
        v128.store(o, f32x4.max(m4, zero));
      }
      for (; j < Wq; j++, o += 4) {
        const at = <usize>j << 3;
        const v = f32x4.max(f32x4.max(f32x4.splat(load<f32>(r0 + at)), f32x4.splat(load<f32>(r0 + at, 4))),
          f32x4.max(f32x4.splat(load<f32>(r1 + at)), f32x4.splat(load<f32>(r1 + at, 4))));
        store<f32>(o, f32x4.extract_lane(f32x4.max(v, zero), 0));
      }
    }
  }
}

/** The first n (1–3) lanes of v to p, p + 4, p + 8. */
@inline function storeLanes(p: usize, v: v128, n: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** One output of convForwardDirect, scalar (edges: the last Wo mod 8 columns, the last K mod 4 kernels). */
function directOne(o: usize, x: usize, kernels: usize, bias: usize, k: i32, i: i32, j: i32, C: i32, kh: i32, kw: i32,
  plane: usize, ldw: usize, ldr: usize, ldo: usize, Wo: i32): void {
  const w = kernels + <usize>k * ldr;
  let s: f32 = 0;
  let q: usize = 0;
  for (let c = 0; c < C; c++) {
    for (let u = 0; u < kh; u++) {
      const row = x + <usize>c * plane + <usize>(i + u) * ldw + (<usize>j << 2);
      for (let v = 0; v < kw; v++, q += 4) s += load<f32>(w + q) * load<f32>(row + (<usize>v << 2));
    }
  }
  if (bias) s = load<f32>(bias + (<usize>k << 2)) + s;
  store<f32>(o + <usize>k * ldo + (<usize>(i * Wo + j) << 2), s);
}

/** dst[n,c] = src[n,c] with pt/pl zero rows/columns before and enough after to make Hp×Wp maps. */
export function pad(dst: usize, src: usize, maps: i32, H: i32, W: i32, Hp: i32, Wp: i32, pt: i32, pl: i32): void {
  memory.fill(dst, 0, <usize>(maps * Hp * Wp) << 2);
  for (let m = 0; m < maps; m++) {
    for (let y = 0; y < H; y++) {
      copyRow(dst + (<usize>((m * Hp + y + pt) * Wp + pl) << 2), src + (<usize>((m * H + y) * W) << 2), W);
    }
  }
}

// ---- parameter updates (nn/optimizers.ts) ----------------------------------------------------------------
// The same arithmetic as the TypeScript loop, in the same precision: every float32 value is widened to f64, the
// expression is evaluated in f64 in the same order and each stored value rounded to float32 once, so the weights
// are the same bits as the TypeScript optimizer's (WebAssembly never fuses a multiply and an add). Two values at
// a time (f64x2); n is a multiple of 4 here, the caller runs the rest.

@inline function lo(v: v128): v128 { return f64x2.promote_low_f32x4(v); }
@inline function hi(v: v128): v128 { return f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1)); }
@inline function narrow(l: v128, h: v128): v128 {
  return v128.shuffle<i32>(f32x4.demote_f64x2_zero(l), f32x4.demote_f64x2_zero(h), 0, 1, 4, 5);
}

/** rule 0 sgd: w ← w − lr·g';  1 momentum: a ← μ·a − lr·g', w ← w + a;  2 adam (a = m, b = s):
 *  m ← β1·m + (1−β1)·g', s ← β2·s + (1−β2)·g'·g', w ← w − lr·(m/c1) / (sqrt(s/c2) + ε);  with g' = g + decay·w.
 *  With clear ≠ 0, g is zeroed once read (the next step's gradients accumulate from zero; one pass instead of two). */
export function optimizerStep(rule: i32, w: usize, g: usize, a: usize, b: usize, n: i32, lr: f64, decay: f64,
  momentum: f64, beta1: f64, beta2: f64, c1: f64, c2: f64, epsilon: f64, clear: i32): void {
  const vlr = f64x2.splat(lr), vdecay = f64x2.splat(decay), vmom = f64x2.splat(momentum);
  const vb1 = f64x2.splat(beta1), vb2 = f64x2.splat(beta2), vone1 = f64x2.splat(1 - beta1), vone2 = f64x2.splat(1 - beta2);
  const vc1 = f64x2.splat(c1), vc2 = f64x2.splat(c2), veps = f64x2.splat(epsilon);
  const decays = decay != 0; // without decay g' = g (nn/optimizers.ts skips the term the same way)
  const end = <usize>n << 2;
  for (let q: usize = 0; q < end; q += 16) {
    const wv = v128.load(w + q), gv = v128.load(g + q);
    if (clear) v128.store(g + q, f32x4.splat(0));
    let wl = lo(wv), wh = hi(wv);
    let gl = lo(gv), gh = hi(gv);
    if (decays) { gl = f64x2.add(gl, f64x2.mul(vdecay, wl)); gh = f64x2.add(gh, f64x2.mul(vdecay, wh)); }
    if (rule == 0) {
      wl = f64x2.sub(wl, f64x2.mul(vlr, gl)); wh = f64x2.sub(wh, f64x2.mul(vlr, gh));
    } else if (rule == 1) {
      const av = v128.load(a + q);
      // a[i] = μ·a[i] − lr·g' stored as float32, then w[i] += a[i] reads the stored (rounded) value back: the sum of two
      // float32 values rounded to float32 is the same whether it is first rounded to f64 or not (53 ≥ 2·24 + 2 bits), so
      // it is one float32 add
      const an = narrow(f64x2.sub(f64x2.mul(vmom, lo(av)), f64x2.mul(vlr, gl)), f64x2.sub(f64x2.mul(vmom, hi(av)), f64x2.mul(vlr, gh)));
      v128.store(a + q, an);
      v128.store(w + q, f32x4.add(wv, an));
      continue;
    } else {
      const mv = v128.load(a + q), sv = v128.load(b + q);
      const mn = narrow(f64x2.add(f64x2.mul(vb1, lo(mv)), f64x2.mul(vone1, gl)), f64x2.add(f64x2.mul(vb1, hi(mv)), f64x2.mul(vone1, gh)));
      const sn = narrow(f64x2.add(f64x2.mul(vb2, lo(sv)), f64x2.mul(f64x2.mul(vone2, gl), gl)),
        f64x2.add(f64x2.mul(vb2, hi(sv)), f64x2.mul(f64x2.mul(vone2, gh), gh)));
      v128.store(a + q, mn); v128.store(b + q, sn);
      wl = f64x2.sub(wl, f64x2.div(f64x2.mul(vlr, f64x2.div(lo(mn), vc1)), f64x2.add(f64x2.sqrt(f64x2.div(lo(sn), vc2)), veps)));
      wh = f64x2.sub(wh, f64x2.div(f64x2.mul(vlr, f64x2.div(hi(mn), vc1)), f64x2.add(f64x2.sqrt(f64x2.div(hi(sn), vc2)), veps)));
    }
    v128.store(w + q, narrow(wl, wh));
  }
}

/** dst[i] += src[i] for i < n (float32; the sum of two float32 values rounds the same in any precision); with clear ≠ 0
 *  src[i] = 0 afterwards (one pass instead of two). */
export function addInto(dst: usize, src: usize, n: i32, clear: i32): void {
  const end = <usize>n << 2, zero = f32x4.splat(0);
  let q: usize = 0;
  for (; q + 16 <= end; q += 16) {
    v128.store(dst + q, f32x4.add(v128.load(dst + q), v128.load(src + q)));
    if (clear) v128.store(src + q, zero);
  }
  for (; q < end; q += 4) {
    store<f32>(dst + q, load<f32>(dst + q) + load<f32>(src + q));
    if (clear) store<f32>(src + q, 0);
  }
}

/** dst[k·size + i] = src[rows[k]·size + i] for k < count, i < size (rows: i32 sample numbers): a training batch gathered
 *  from a data set that lives in this memory (nn/trainer.ts), each sample one contiguous copy. */
export function gatherRows(dst: usize, src: usize, rows: usize, count: i32, size: i32): void {
  const bytes = <usize>size << 2, vectors = bytes & ~15;
  for (let k = 0; k < count; k++, dst += bytes) {
    const from = src + <usize>load<i32>(rows + (<usize>k << 2)) * bytes;
    let q: usize = 0;
    for (; q < vectors; q += 16) v128.store(dst + q, v128.load(from + q));
    for (; q < bytes; q += 4) store<f32>(dst + q, load<f32>(from + q));
  }
}

/** 1 in the relaxed-SIMD build (fused multiply-adds), 0 in the strict one. */
export function relaxed(): i32 { return ASC_FEATURE_RELAXED_SIMD ? 1 : 0; }
