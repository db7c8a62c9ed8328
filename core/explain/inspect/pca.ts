// core/explain/inspect/pca.ts: principal component analysis of N points in D dimensions, in float64.
//   μ = (1/N) Σ_n x_n,   Σ = (1/(N−1)) Σ_n (x_n − μ)(x_n − μ)ᵀ                                          (1)
//   Σ v_j = λ_j v_j, λ_1 ≥ λ_2 ≥ …, ‖v_j‖ = 1, the entry of v_j largest in |·| positive (a fixed sign)         (2)
//   y_n,j = (x_n − μ) · v_j  (the projection),   explained_j = λ_j / trace Σ                                 (3)
// The top eigenvectors by a thick-restarted block Krylov method with Rayleigh–Ritz (block Lanczos/Davidson, Golub &
// Van Loan §10.3): a seeded random start block of b = k + 2 vectors; each step adds the top b Ritz pairs' residuals
// Σu − θu (orthonormalised twice against the basis), so the basis spans a Krylov space; at 60 vectors it restarts
// from its 20 best Ritz vectors. Stopped when every wanted Ritz pair has ‖Σu − θu‖ ≤ 1e-10·θ_1 (an exact residual:
// Σ of every basis vector is kept), or when the basis spans all of ℝᴰ. Σ is never formed: it is applied as
// Σv = Xᵀ(Xv)/(N−1) over X as given (dense) or over its non-zero values (sparse, when under half are non-zero),
// the mean subtracted on the fly (no centred copy). Neither the covariance (D²) nor the Gram matrix (N²) is formed:
// at the shipped CNN's first conv layer (2,000 × 4,608) either would cost ~10¹⁰ multiply-adds, the Krylov method
// ~40 products Σv of ~2·10⁷ each (the earlier plain subspace iteration took ~210).
import { seeded } from '../../random.js';
import { integerOption, matrixArguments } from './common.js';

export interface Pca {
  rows: number; cols: number; components: number;
  mean: Float64Array;
  /** (2): components × cols, row j is v_j. */
  vectors: Float64Array;
  /** λ_j, and (3)'s explained fraction of the total variance. */
  variances: Float64Array; explained: Float64Array; total: number;
  /** (3): rows × components. */
  projections: Float64Array;
  /** Block steps taken, and products Σv computed. */
  iterations: number; products: number;
}

/** Limits: at most 2²⁴ values (N·D; a sparse copy takes at most 12 bytes each) and 2¹⁶ columns (the basis holds
 *  at most 2·60 vectors of D float64s: 63 MB at 2¹⁶). */
export const PCA_LIMITS = { values: 2 ** 24, cols: 2 ** 16 } as const;

/** (1)–(3) for data [rows, cols] row-major (float32 or float64); `components` 1…min(8, cols), by default min(2, cols). */
export function pca(data: Float32Array | Float64Array, rows: number, cols: number, options: { components?: number | null; seed?: number | null } = {}): Pca {
  const op = 'pca';
  ({ rows, cols } = matrixArguments(op, data, rows, cols, { minRows: 2, maxRows: PCA_LIMITS.values, maxCols: PCA_LIMITS.cols, maxValues: PCA_LIMITS.values }));
  const k = integerOption(op, 'components', options.components, Math.min(2, cols), 1, Math.min(8, cols));
  const random = seeded(options.seed ?? 1);
  const N = rows, D = cols;
  const mean = new Float64Array(D);
  for (let n = 0; n < N; n++) for (let d = 0; d < D; d++) mean[d] += data[n * D + d];
  for (let d = 0; d < D; d++) mean[d] /= N;
  let total = 0;
  for (let n = 0; n < N; n++) for (let d = 0; d < D; d++) { const v = data[n * D + d] - mean[d]; total += v * v; }
  total /= N - 1;

  const sigma = covarianceOperator(data, N, D, mean);

  const b = Math.min(D, k + 2), maxBasis = Math.min(D, 60), keep = Math.max(b, 20);
  const Q: Float64Array[] = [], W: Float64Array[] = []; // orthonormal basis, and Σ of each of its vectors
  let T = new Float64Array(maxBasis * maxBasis); // T[i, j] = q_i · Σ q_j (symmetric), for i, j < Q.length
  let next: Float64Array[] = Array.from({ length: b }, () => Float64Array.from({ length: D }, () => random.normal()));
  let iterations = 0, products = 0;
  let ritz: { values: Float64Array; vectors: Float64Array } = { values: new Float64Array(0), vectors: new Float64Array(0) }, m = 0;
  const ritzVector = (columns: Float64Array[], j: number): Float64Array => {
    const out = new Float64Array(D);
    for (let i = 0; i < m; i++) { const w = ritz.vectors[i * m + j]; if (w !== 0) for (let d = 0; d < D; d++) out[d] += w * columns[i][d]; }
    return out;
  };
  for (; ; iterations++) {
    if (Q.length + b > maxBasis && Q.length > keep) { // thick restart: keep the best `keep` Ritz vectors (and Σ of them)
      const U = Array.from({ length: keep }, (_, j) => ritzVector(Q, j)), SU = Array.from({ length: keep }, (_, j) => ritzVector(W, j));
      Q.length = 0; W.length = 0; T = new Float64Array(maxBasis * maxBasis);
      // re-orthonormalised (they are orthonormal to rounding), T = Uᵀ Σ U recomputed rather than assumed diagonal
      for (let j = 0; j < keep; j++) { Q.push(U[j]); W.push(SU[j]); }
      for (let i = 0; i < keep; i++) for (let j = 0; j <= i; j++) T[i * maxBasis + j] = T[j * maxBasis + i] = dot(Q[i], W[j], D);
    }
    const fresh = extend(Q, next, D, maxBasis, random);
    if (fresh.length > 0) {
      const images = sigma(fresh); products += fresh.length;
      for (let f = 0; f < fresh.length; f++) {
        const i = Q.length - fresh.length + f;
        W.push(images[f]);
        for (let j = 0; j <= i; j++) { const s = (dot(Q[j], W[i], D) + dot(Q[i], W[j], D)) / 2; T[i * maxBasis + j] = s; T[j * maxBasis + i] = s; }
      }
    }
    m = Q.length;
    const small = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) small[i * m + j] = T[i * maxBasis + j];
    ritz = jacobiEigen(small, m);
    const top = Math.max(ritz.values[0], 1e-300);
    let converged = true;
    next = [];
    for (let j = 0; j < Math.min(b, m); j++) {
      const u = ritzVector(Q, j), r = ritzVector(W, j);
      let norm = 0;
      for (let d = 0; d < D; d++) { r[d] -= ritz.values[j] * u[d]; norm += r[d] * r[d]; }
      if (j < k && Math.sqrt(norm) > 1e-10 * top) converged = false;
      next.push(r);
    }
    if (converged || m === D || fresh.length === 0 || products >= 5000) break;
  }
  const vectors = new Float64Array(k * D), variances = new Float64Array(k), explained = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const v = ritzVector(Q, j);
    let norm = 0, largest = 0;
    for (let d = 0; d < D; d++) { norm += v[d] * v[d]; if (Math.abs(v[d]) > Math.abs(largest)) largest = v[d]; }
    const scale = (largest < 0 ? -1 : 1) / Math.sqrt(norm);
    for (let d = 0; d < D; d++) vectors[j * D + d] = v[d] * scale;
    variances[j] = Math.max(0, ritz.values[j]);
    explained[j] = total > 0 ? variances[j] / total : 0;
  }
  const projections = new Float64Array(N * k);
  for (let n = 0; n < N; n++) for (let j = 0; j < k; j++) {
    let s = 0;
    for (let d = 0; d < D; d++) s += (data[n * D + d] - mean[d]) * vectors[j * D + d];
    projections[n * k + j] = s;
  }
  return { rows: N, cols: D, components: k, mean, vectors, variances, explained, total, projections, iterations: iterations + 1, products };
}

/** Σ·V for a block of vectors (each Float64Array(D)) as Xᵀ(X V)/(N−1) with the mean taken off on the fly:
 *  Xc V = X V − 1 (μᵀV),  Xcᵀ Y = Xᵀ Y − μ (1ᵀY). X is read in place when dense, or copied to compressed rows when
 *  fewer than half its values are non-zero (pixels and ReLU outputs). */
function covarianceOperator(data: Float32Array | Float64Array, N: number, D: number, mean: Float64Array): (block: Float64Array[]) => Float64Array[] {
  let nonzero = 0;
  for (let p = 0; p < data.length; p++) if (data[p] !== 0) nonzero++;
  const sparse = nonzero < data.length / 2;
  const rowStart = new Int32Array(sparse ? N + 1 : 0), columns = new Int32Array(sparse ? nonzero : 0), values = new Float64Array(sparse ? nonzero : 0);
  if (sparse) {
    for (let n = 0, at = 0; n < N; n++) {
      rowStart[n] = at;
      for (let d = 0; d < D; d++) { const v = data[n * D + d]; if (v !== 0) { columns[at] = d; values[at++] = v; } }
      rowStart[n + 1] = at;
    }
  }
  if (!sparse) { // dense: each row's dot products and updates run along the row (long, contiguous loops)
    return (block) => {
      const b = block.length, shift = block.map((v) => dot(mean, v, D)), sums = new Float64Array(b);
      const Z = block.map(() => new Float64Array(D)), y = new Float64Array(b);
      for (let n = 0; n < N; n++) {
        const row = n * D;
        for (let j = 0; j < b; j++) {
          const v = block[j];
          let s = -shift[j];
          for (let d = 0; d < D; d++) s += data[row + d] * v[d];
          y[j] = s; sums[j] += s;
        }
        for (let j = 0; j < b; j++) { const z = Z[j], s = y[j]; for (let d = 0; d < D; d++) z[d] += data[row + d] * s; }
      }
      return Z.map((z, j) => { for (let d = 0; d < D; d++) z[d] = (z[d] - mean[d] * sums[j]) / (N - 1); return z; });
    };
  }
  return (block) => {
    const b = block.length, V = new Float64Array(D * b), shift = new Float64Array(b);
    block.forEach((column, j) => { for (let d = 0; d < D; d++) { V[d * b + j] = column[d]; shift[j] += mean[d] * column[d]; } });
    const Y = new Float64Array(N * b), sums = new Float64Array(b), Z = new Float64Array(D * b);
    for (let n = 0; n < N; n++) {
      const y = n * b;
      for (let j = 0; j < b; j++) Y[y + j] = -shift[j];
      for (let at = rowStart[n]; at < rowStart[n + 1]; at++) { const x = values[at], v = columns[at] * b; for (let j = 0; j < b; j++) Y[y + j] += x * V[v + j]; }
      for (let j = 0; j < b; j++) sums[j] += Y[y + j];
    }
    for (let n = 0; n < N; n++) {
      const y = n * b;
      for (let at = rowStart[n]; at < rowStart[n + 1]; at++) { const x = values[at], z = columns[at] * b; for (let j = 0; j < b; j++) Z[z + j] += x * Y[y + j]; }
    }
    return block.map((_, j) => { const out = new Float64Array(D); for (let d = 0; d < D; d++) out[d] = (Z[d * b + j] - mean[d] * sums[j]) / (N - 1); return out; });
  };
}

function dot(a: Float64Array, b: Float64Array, D: number): number {
  let s = 0;
  for (let d = 0; d < D; d++) s += a[d] * b[d];
  return s;
}

/** Appends to the orthonormal `basis` the candidates made orthonormal to it (modified Gram–Schmidt, twice), at most up
 *  to `limit` vectors; a candidate that vanishes (its direction already spanned) is replaced by a seeded random one.
 *  Returns the vectors added. */
function extend(basis: Float64Array[], candidates: Float64Array[], D: number, limit: number, random: { normal(): number }): Float64Array[] {
  const added: Float64Array[] = [];
  for (const candidate of candidates) {
    for (let attempt = 0; attempt < 3 && basis.length < Math.min(limit, D); attempt++) {
      const v = attempt === 0 ? Float64Array.from(candidate) : Float64Array.from({ length: D }, () => random.normal());
      const before = Math.sqrt(dot(v, v, D));
      for (let pass = 0; pass < 2; pass++) for (const q of basis) {
        const s = dot(q, v, D);
        for (let d = 0; d < D; d++) v[d] -= s * q[d];
      }
      const norm = Math.sqrt(dot(v, v, D));
      if (!(norm > 1e-8 * before) || norm === 0) continue;
      for (let d = 0; d < D; d++) v[d] /= norm;
      basis.push(v); added.push(v);
      break;
    }
  }
  return added;
}

/** Eigenvalues (descending) and eigenvectors (columns of V, row-major n×n) of a small symmetric matrix: cyclic Jacobi. */
export function jacobiEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(matrix), V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, diag = 0;
    for (let i = 0; i < n; i++) { diag += A[i * n + i] ** 2; for (let j = i + 1; j < n; j++) off += A[i * n + j] ** 2; }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      const apq = A[p * n + q];
      if (apq === 0) continue;
      const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let r = 0; r < n; r++) { // A ← Jᵀ A J, V ← V J
        const arp = A[r * n + p], arq = A[r * n + q];
        A[r * n + p] = c * arp - s * arq; A[r * n + q] = s * arp + c * arq;
      }
      for (let r = 0; r < n; r++) {
        const apr = A[p * n + r], aqr = A[q * n + r];
        A[p * n + r] = c * apr - s * aqr; A[q * n + r] = s * apr + c * aqr;
      }
      for (let r = 0; r < n; r++) {
        const vrp = V[r * n + p], vrq = V[r * n + q];
        V[r * n + p] = c * vrp - s * vrq; V[r * n + q] = s * vrp + c * vrq;
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => A[b * n + b] - A[a * n + a]);
  const values = Float64Array.from(order, (i) => A[i * n + i]), vectors = new Float64Array(n * n);
  for (let r = 0; r < n; r++) order.forEach((i, j) => { vectors[r * n + j] = V[r * n + i]; });
  return { values, vectors };
}
