// core/kernels/gemm.ts: row-major float32 matrix products, the hot loops behind conv3d and dense.
// No allocation; offsets let callers address one sample of a batch in place. Each product keeps a
// 4×4 tile of C in registers (16 accumulators) while it walks the shared dimension, so every pair of
// loads feeds several multiply-adds; edges fall back to plain loops.
//   gemmNN: C[M,N] (+)= A[M,K] · B[K,N]
//   gemmNT: C[M,N] (+)= A[M,K] · B[N,K]ᵀ
//   gemmTN: C[M,N] (+)= A[K,M]ᵀ · B[K,N]

/** A element (i, p) lives at aOff + i·aRow + p·aCol; B element (p, j) at bOff + p·bRow + j·bCol. */
function gemmStrided(M: number, N: number, K: number,
  A: Float32Array, aOff: number, aRow: number, aCol: number,
  B: Float32Array, bOff: number, bRow: number, bCol: number,
  C: Float32Array, cOff: number, accumulate: boolean): void {
  const M4 = M - (M % 4), N4 = N - (N % 4);
  for (let i = 0; i < M4; i += 4) {
    const a0 = aOff + i * aRow, a1 = a0 + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
    for (let j = 0; j < N4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let pa = 0, pb = bOff + j * bCol;
      for (let p = 0; p < K; p++, pa += aCol, pb += bRow) {
        const x0 = A[a0 + pa], x1 = A[a1 + pa], x2 = A[a2 + pa], x3 = A[a3 + pa];
        const y0 = B[pb], y1 = B[pb + bCol], y2 = B[pb + 2 * bCol], y3 = B[pb + 3 * bCol];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const r0 = cOff + i * N + j, r1 = r0 + N, r2 = r1 + N, r3 = r2 + N;
      if (accumulate) {
        C[r0] += c00; C[r0 + 1] += c01; C[r0 + 2] += c02; C[r0 + 3] += c03;
        C[r1] += c10; C[r1 + 1] += c11; C[r1 + 2] += c12; C[r1 + 3] += c13;
        C[r2] += c20; C[r2 + 1] += c21; C[r2 + 2] += c22; C[r2 + 3] += c23;
        C[r3] += c30; C[r3 + 1] += c31; C[r3 + 2] += c32; C[r3 + 3] += c33;
      } else {
        C[r0] = c00; C[r0 + 1] = c01; C[r0 + 2] = c02; C[r0 + 3] = c03;
        C[r1] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
        C[r2] = c20; C[r2 + 1] = c21; C[r2 + 2] = c22; C[r2 + 3] = c23;
        C[r3] = c30; C[r3 + 1] = c31; C[r3 + 2] = c32; C[r3 + 3] = c33;
      }
    }
    for (let j = N4; j < N; j++) edge(i, j);
    for (let j = N4; j < N; j++) { edge(i + 1, j); edge(i + 2, j); edge(i + 3, j); }
  }
  for (let i = M4; i < M; i++) for (let j = 0; j < N; j++) edge(i, j);

  function edge(i: number, j: number): void {
    let s = 0;
    const a = aOff + i * aRow, b = bOff + j * bCol;
    for (let p = 0; p < K; p++) s += A[a + p * aCol] * B[b + p * bRow];
    const c = cOff + i * N + j;
    C[c] = accumulate ? C[c] + s : s;
  }
}

/** C[M,N] = (accumulate ? C : 0) + A[M,K]·B[K,N]. */
export function gemmNN(M: number, N: number, K: number, A: Float32Array, aOff: number, B: Float32Array, bOff: number,
  C: Float32Array, cOff: number, accumulate: boolean): void {
  gemmStrided(M, N, K, A, aOff, K, 1, B, bOff, N, 1, C, cOff, accumulate);
}

/** C[M,N] = (accumulate ? C : 0) + A[M,K]·B[N,K]ᵀ. */
export function gemmNT(M: number, N: number, K: number, A: Float32Array, aOff: number, B: Float32Array, bOff: number,
  C: Float32Array, cOff: number, accumulate: boolean): void {
  gemmStrided(M, N, K, A, aOff, K, 1, B, bOff, 1, K, C, cOff, accumulate);
}

/** C[M,N] = (accumulate ? C : 0) + A[K,M]ᵀ·B[K,N]. */
export function gemmTN(M: number, N: number, K: number, A: Float32Array, aOff: number, B: Float32Array, bOff: number,
  C: Float32Array, cOff: number, accumulate: boolean): void {
  gemmStrided(M, N, K, A, aOff, 1, M, B, bOff, N, 1, C, cOff, accumulate);
}
