// core/kernels/gemm.ts: row-major float32 matrix products, the hot loops behind conv3d and dense.
// No allocation; offsets let callers address one sample of a batch in place.
//   gemmNN: C[M,N] (+)= A[M,K] · B[K,N]
//   gemmNT: C[M,N] (+)= A[M,K] · B[N,K]ᵀ
//   gemmTN: C[M,N] (+)= A[K,M]ᵀ · B[K,N]

/** C[M,N] = (accumulate ? C : 0) + A[M,K]·B[K,N]; four rows of C per pass over a row of B. */
export function gemmNN(M: number, N: number, K: number,
  A: Float32Array, aOff: number, B: Float32Array, bOff: number,
  C: Float32Array, cOff: number, accumulate: boolean): void {
  if (!accumulate) C.fill(0, cOff, cOff + M * N);
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const c0 = cOff + i * N, c1 = c0 + N, c2 = c1 + N, c3 = c2 + N;
    const a0 = aOff + i * K, a1 = a0 + K, a2 = a1 + K, a3 = a2 + K;
    for (let p = 0; p < K; p++) {
      const x0 = A[a0 + p], x1 = A[a1 + p], x2 = A[a2 + p], x3 = A[a3 + p];
      const b = bOff + p * N;
      for (let j = 0; j < N; j++) {
        const y = B[b + j];
        C[c0 + j] += x0 * y;
        C[c1 + j] += x1 * y;
        C[c2 + j] += x2 * y;
        C[c3 + j] += x3 * y;
      }
    }
  }
  for (; i < M; i++) {
    const c0 = cOff + i * N, a0 = aOff + i * K;
    for (let p = 0; p < K; p++) {
      const x0 = A[a0 + p];
      const b = bOff + p * N;
      for (let j = 0; j < N; j++) C[c0 + j] += x0 * B[b + j];
    }
  }
}

/** C[M,N] = (accumulate ? C : 0) + A[M,K]·B[N,K]ᵀ: dot products of rows, 2×2 at a time. */
export function gemmNT(M: number, N: number, K: number,
  A: Float32Array, aOff: number, B: Float32Array, bOff: number,
  C: Float32Array, cOff: number, accumulate: boolean): void {
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a0 = aOff + i * K, a1 = a0 + K;
    let j = 0;
    for (; j + 2 <= N; j += 2) {
      const b0 = bOff + j * K, b1 = b0 + K;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let p = 0; p < K; p++) {
        const x0 = A[a0 + p], x1 = A[a1 + p], y0 = B[b0 + p], y1 = B[b1 + p];
        s00 += x0 * y0; s01 += x0 * y1; s10 += x1 * y0; s11 += x1 * y1;
      }
      const c0 = cOff + i * N + j, c1 = c0 + N;
      if (accumulate) { C[c0] += s00; C[c0 + 1] += s01; C[c1] += s10; C[c1 + 1] += s11; }
      else { C[c0] = s00; C[c0 + 1] = s01; C[c1] = s10; C[c1 + 1] = s11; }
    }
    for (; j < N; j++) {
      const b0 = bOff + j * K;
      let s0 = 0, s1 = 0;
      for (let p = 0; p < K; p++) { const y = B[b0 + p]; s0 += A[a0 + p] * y; s1 += A[a1 + p] * y; }
      const c0 = cOff + i * N + j;
      if (accumulate) { C[c0] += s0; C[c0 + N] += s1; } else { C[c0] = s0; C[c0 + N] = s1; }
    }
  }
  for (; i < M; i++) {
    const a0 = aOff + i * K;
    for (let j = 0; j < N; j++) {
      const b0 = bOff + j * K;
      let s = 0;
      for (let p = 0; p < K; p++) s += A[a0 + p] * B[b0 + p];
      const c = cOff + i * N + j;
      C[c] = accumulate ? C[c] + s : s;
    }
  }
}

/** C[M,N] = (accumulate ? C : 0) + A[K,M]ᵀ·B[K,N]: rank-1 updates, four rows of C at a time. */
export function gemmTN(M: number, N: number, K: number,
  A: Float32Array, aOff: number, B: Float32Array, bOff: number,
  C: Float32Array, cOff: number, accumulate: boolean): void {
  if (!accumulate) C.fill(0, cOff, cOff + M * N);
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const c0 = cOff + i * N, c1 = c0 + N, c2 = c1 + N, c3 = c2 + N;
    for (let p = 0; p < K; p++) {
      const a = aOff + p * M + i;
      const x0 = A[a], x1 = A[a + 1], x2 = A[a + 2], x3 = A[a + 3];
      const b = bOff + p * N;
      for (let j = 0; j < N; j++) {
        const y = B[b + j];
        C[c0 + j] += x0 * y;
        C[c1 + j] += x1 * y;
        C[c2 + j] += x2 * y;
        C[c3 + j] += x3 * y;
      }
    }
  }
  for (; i < M; i++) {
    const c0 = cOff + i * N;
    for (let p = 0; p < K; p++) {
      const x0 = A[aOff + p * M + i];
      const b = bOff + p * N;
      for (let j = 0; j < N; j++) C[c0 + j] += x0 * B[b + j];
    }
  }
}
