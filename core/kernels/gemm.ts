// core/kernels/gemm.ts: row-major float32 matrix products, the hot loops behind conv3d and dense.
// No allocation; offsets let callers address one sample of a batch in place. Each product keeps a
// 4×4 tile of C in 16 local accumulators while it walks the shared dimension p in order, so every
// eight loads feed sixteen multiply-adds; edges fall back to one dot product per element. One copy
// per layout keeps the index arithmetic simple for the JIT (the sums are the same in every copy).
//   gemmNN: C[M,N] (+)= A[M,K] · B[K,N]
//   gemmNT: C[M,N] (+)= A[M,K] · B[N,K]ᵀ
//   gemmTN: C[M,N] (+)= A[K,M]ᵀ · B[K,N]

/** C[M,N] = (accumulate ? C : 0) + A[M,K]·B[K,N]. */
export function gemmNN(M: number, N: number, K: number, A: Float32Array, aOff: number, B: Float32Array, bOff: number,
  C: Float32Array, cOff: number, accumulate: boolean): void {
  const M4 = M - (M % 4), N4 = N - (N % 4);
  for (let i = 0; i < M4; i += 4) {
    const a0 = aOff + (i + 0) * K; const a1 = aOff + (i + 1) * K; const a2 = aOff + (i + 2) * K; const a3 = aOff + (i + 3) * K;
    for (let j = 0; j < N4; j += 4) {
      
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0, c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let pb = bOff + j;
      for (let p = 0; p < K; p++, pb += N) {
        const x0 = A[a0 + p], x1 = A[a1 + p], x2 = A[a2 + p], x3 = A[a3 + p];
        const y0 = B[pb + 0], y1 = B[pb + 1], y2 = B[pb + 2], y3 = B[pb + 3];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const r0 = cOff + i * N + j, r1 = r0 + N, r2 = r1 + N, r3 = r2 + N;
      if (accumulate) {
          C[r0 + 0] += c00; C[r0 + 1] += c01; C[r0 + 2] += c02; C[r0 + 3] += c03;
          C[r1 + 0] += c10; C[r1 + 1] += c11; C[r1 + 2] += c12; C[r1 + 3] += c13;
          C[r2 + 0] += c20; C[r2 + 1] += c21; C[r2 + 2] += c22; C[r2 + 3] += c23;
          C[r3 + 0] += c30; C[r3 + 1] += c31; C[r3 + 2] += c32; C[r3 + 3] += c33;
      } else {
          C[r0 + 0] = c00; C[r0 + 1] = c01; C[r0 + 2] = c02; C[r0 + 3] = c03;
          C[r1 + 0] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
          C[r2 + 0] = c20; C[r2 + 1] = c21; C[r2 + 2] = c22; C[r2 + 3] = c23;
          C[r3 + 0] = c30; C[r3 + 1] = c31; C[r3 + 2] = c32; C[r3 + 3] = c33;
      }
    }
    for (let j = N4; j < N; j++) for (let r = 0; r < 4; r++) edgeNN(i + r, j, K, M, N, A, aOff, B, bOff, C, cOff, accumulate);
  }
  for (let i = M4; i < M; i++) for (let j = 0; j < N; j++) edgeNN(i, j, K, M, N, A, aOff, B, bOff, C, cOff, accumulate);
}

function edgeNN(i: number, j: number, K: number, M: number, N: number, A: Float32Array, aOff: number, B: Float32Array, bOff: number,
  C: Float32Array, cOff: number, accumulate: boolean): void {
  let s = 0;
  for (let p = 0; p < K; p++) s += A[aOff + i * K + p] * B[bOff + p * N + j];
  const c = cOff + i * N + j;
  C[c] = accumulate ? C[c] + s : s;
}

/** C[M,N] = (accumulate ? C : 0) + A[M,K]·B[N,K]ᵀ. */
export function gemmNT(M: number, N: number, K: number, A: Float32Array, aOff: number, B: Float32Array, bOff: number,
  C: Float32Array, cOff: number, accumulate: boolean): void {
  const M4 = M - (M % 4), N4 = N - (N % 4);
  for (let i = 0; i < M4; i += 4) {
    const a0 = aOff + (i + 0) * K; const a1 = aOff + (i + 1) * K; const a2 = aOff + (i + 2) * K; const a3 = aOff + (i + 3) * K;
    for (let j = 0; j < N4; j += 4) {
      const b0 = bOff + (j + 0) * K; const b1 = bOff + (j + 1) * K; const b2 = bOff + (j + 2) * K; const b3 = bOff + (j + 3) * K;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0, c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      
      for (let p = 0; p < K; p++) {
        const x0 = A[a0 + p], x1 = A[a1 + p], x2 = A[a2 + p], x3 = A[a3 + p];
        const y0 = B[b0 + p], y1 = B[b1 + p], y2 = B[b2 + p], y3 = B[b3 + p];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const r0 = cOff + i * N + j, r1 = r0 + N, r2 = r1 + N, r3 = r2 + N;
      if (accumulate) {
          C[r0 + 0] += c00; C[r0 + 1] += c01; C[r0 + 2] += c02; C[r0 + 3] += c03;
          C[r1 + 0] += c10; C[r1 + 1] += c11; C[r1 + 2] += c12; C[r1 + 3] += c13;
          C[r2 + 0] += c20; C[r2 + 1] += c21; C[r2 + 2] += c22; C[r2 + 3] += c23;
          C[r3 + 0] += c30; C[r3 + 1] += c31; C[r3 + 2] += c32; C[r3 + 3] += c33;
      } else {
          C[r0 + 0] = c00; C[r0 + 1] = c01; C[r0 + 2] = c02; C[r0 + 3] = c03;
          C[r1 + 0] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
          C[r2 + 0] = c20; C[r2 + 1] = c21; C[r2 + 2] = c22; C[r2 + 3] = c23;
          C[r3 + 0] = c30; C[r3 + 1] = c31; C[r3 + 2] = c32; C[r3 + 3] = c33;
      }
    }
    for (let j = N4; j < N; j++) for (let r = 0; r < 4; r++) edgeNT(i + r, j, K, M, N, A, aOff, B, bOff, C, cOff, accumulate);
  }
  for (let i = M4; i < M; i++) for (let j = 0; j < N; j++) edgeNT(i, j, K, M, N, A, aOff, B, bOff, C, cOff, accumulate);
}

function edgeNT(i: number, j: number, K: number, M: number, N: number, A: Float32Array, aOff: number, B: Float32Array, bOff: number,
  C: Float32Array, cOff: number, accumulate: boolean): void {
  let s = 0;
  for (let p = 0; p < K; p++) s += A[aOff + i * K + p] * B[bOff + j * K + p];
  const c = cOff + i * N + j;
  C[c] = accumulate ? C[c] + s : s;
}

/** C[M,N] = (accumulate ? C : 0) + A[K,M]ᵀ·B[K,N]. */
export function gemmTN(M: number, N: number, K: number, A: Float32Array, aOff: number, B: Float32Array, bOff: number,
  C: Float32Array, cOff: number, accumulate: boolean): void {
  const M4 = M - (M % 4), N4 = N - (N % 4);
  for (let i = 0; i < M4; i += 4) {
    
    for (let j = 0; j < N4; j += 4) {
      
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0, c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let pa = aOff + i; let pb = bOff + j;
      for (let p = 0; p < K; p++, pa += M, pb += N) {
        const x0 = A[pa + 0], x1 = A[pa + 1], x2 = A[pa + 2], x3 = A[pa + 3];
        const y0 = B[pb + 0], y1 = B[pb + 1], y2 = B[pb + 2], y3 = B[pb + 3];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const r0 = cOff + i * N + j, r1 = r0 + N, r2 = r1 + N, r3 = r2 + N;
      if (accumulate) {
          C[r0 + 0] += c00; C[r0 + 1] += c01; C[r0 + 2] += c02; C[r0 + 3] += c03;
          C[r1 + 0] += c10; C[r1 + 1] += c11; C[r1 + 2] += c12; C[r1 + 3] += c13;
          C[r2 + 0] += c20; C[r2 + 1] += c21; C[r2 + 2] += c22; C[r2 + 3] += c23;
          C[r3 + 0] += c30; C[r3 + 1] += c31; C[r3 + 2] += c32; C[r3 + 3] += c33;
      } else {
          C[r0 + 0] = c00; C[r0 + 1] = c01; C[r0 + 2] = c02; C[r0 + 3] = c03;
          C[r1 + 0] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
          C[r2 + 0] = c20; C[r2 + 1] = c21; C[r2 + 2] = c22; C[r2 + 3] = c23;
          C[r3 + 0] = c30; C[r3 + 1] = c31; C[r3 + 2] = c32; C[r3 + 3] = c33;
      }
    }
    for (let j = N4; j < N; j++) for (let r = 0; r < 4; r++) edgeTN(i + r, j, K, M, N, A, aOff, B, bOff, C, cOff, accumulate);
  }
  for (let i = M4; i < M; i++) for (let j = 0; j < N; j++) edgeTN(i, j, K, M, N, A, aOff, B, bOff, C, cOff, accumulate);
}

function edgeTN(i: number, j: number, K: number, M: number, N: number, A: Float32Array, aOff: number, B: Float32Array, bOff: number,
  C: Float32Array, cOff: number, accumulate: boolean): void {
  let s = 0;
  for (let p = 0; p < K; p++) s += A[aOff + p * M + i] * B[bOff + p * N + j];
  const c = cOff + i * N + j;
  C[c] = accumulate ? C[c] + s : s;
}
