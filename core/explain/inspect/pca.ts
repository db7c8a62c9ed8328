// core/explain/inspect/pca.ts: principal component analysis of N points in D dimensions, in float64.
//   μ = (1/N) Σ_n x_n,   Σ = (1/(N−1)) Σ_n (x_n − μ)(x_n − μ)ᵀ                                          (1)
//   Σ v_j = λ_j v_j, λ_1 ≥ λ_2 ≥ …, ‖v_j‖ = 1, the entry of v_j largest in |·| positive (a fixed sign)         (2)
//   y_n,j = (x_n − μ) · v_j  (the projection),   explained_j = λ_j / trace Σ                                 (3)
// The top eigenvectors by subspace iteration with Rayleigh–Ritz (Golub & Van Loan §8.2.4), started from a seeded
// random block and stopped when every wanted Ritz pair has ‖Σu − λu‖ ≤ 1e-10·λ_1. Σ is never formed: it is applied
// as Σv = Xᵀ(Xv)/(N−1) over X's non-zero values, the mean subtracted on the fly (no centred copy).
import { seeded } from '../../random.js';
import { integerOption } from './common.js';

export interface Pca {
  rows: number; cols: number; components: number;
  mean: Float64Array;
  /** (2): components × cols, row j is v_j. */
  vectors: Float64Array;
  /** λ_j, and (3)'s explained fraction of the total variance. */
  variances: Float64Array; explained: Float64Array; total: number;
  /** (3): rows × components. */
  projections: Float64Array;
  iterations: number;
}

/** Limits: at most 2²⁴ values (N·D; the sparse copy takes at most 12 bytes each) and 2¹⁶ columns. */
export const PCA_LIMITS = { values: 2 ** 24, cols: 2 ** 16 } as const;

/** (1)–(3) for data [rows, cols] row-major (float32 or float64); `components` 1…min(8, cols). */
export function pca(data: Float32Array | Float64Array, rows: number, cols: number, options: { components?: number | null; seed?: number | null } = {}): Pca {
  const op = 'pca';
  if (!(data instanceof Float32Array || data instanceof Float64Array)) throw new TypeError(`${op}: data must be a Float32Array or Float64Array`);
  rows = integerOption(op, 'rows', rows, 0, 2, PCA_LIMITS.values);
  cols = integerOption(op, 'cols', cols, 0, 1, PCA_LIMITS.cols);
  if (rows * cols > PCA_LIMITS.values) throw new RangeError(`${op}: ${rows}×${cols} values, more than the limit of ${PCA_LIMITS.values}`);
  if (data.length !== rows * cols) throw new RangeError(`${op}: data holds ${data.length} values but ${rows}×${cols} needs ${rows * cols}`);
  const k = integerOption(op, 'components', options.components, 2, 1, Math.min(8, cols));
  const random = seeded(options.seed ?? 1);
  const N = rows, D = cols;
  const mean = new Float64Array(D);
  for (let n = 0; n < N; n++) for (let d = 0; d < D; d++) mean[d] += data[n * D + d];
  for (let d = 0; d < D; d++) mean[d] /= N;
  let total = 0;
  for (let n = 0; n < N; n++) for (let d = 0; d < D; d++) { const v = data[n * D + d] - mean[d]; total += v * v; }
  total /= N - 1;

  // Σ·V for a block V of b columns (each Float64Array(D)) as Xᵀ(X V)/(N−1) with the mean taken off on the fly:
  // Xc V = X V − 1 (μᵀV),  Xcᵀ Y = Xᵀ Y − μ (1ᵀY). X is kept sparse (pixels and ReLU outputs are mostly 0).
  let nonzero = 0;
  for (let p = 0; p < data.length; p++) if (data[p] !== 0) nonzero++;
  const rowStart = new Int32Array(N + 1), columns = new Int32Array(nonzero), values = new Float64Array(nonzero);
  for (let n = 0, at = 0; n < N; n++) {
    rowStart[n] = at;
    for (let d = 0; d < D; d++) { const v = data[n * D + d]; if (v !== 0) { columns[at] = d; values[at++] = v; } }
    rowStart[n + 1] = at;
  }
  const apply = (block: Float64Array[]): Float64Array[] => {
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
    return block.map((_, j) => Float64Array.from({ length: D }, (_, d) => (Z[d * b + j] - mean[d] * sums[j]) / (N - 1)));
  };

  const b = Math.min(D, k + 8);
  let Q = orthonormalize(Array.from({ length: b }, () => Float64Array.from({ length: D }, () => random.normal())));
  let iterations = 0, ritz: { values: Float64Array; vectors: Float64Array } | null = null, Z: Float64Array[] = [];
  for (; iterations < 500; iterations++) {
    Z = apply(Q);
    ritz = jacobiEigen(project(Q, Z), b);
    let converged = true;
    for (let j = 0; j < k && converged; j++) {
      const u = combine(Q, ritz.vectors, j, b), su = combine(Z, ritz.vectors, j, b);
      let r = 0;
      for (let d = 0; d < D; d++) { const e = su[d] - ritz.values[j] * u[d]; r += e * e; }
      converged = Math.sqrt(r) <= 1e-10 * Math.max(ritz.values[0], 1e-300);
    }
    if (converged) break;
    Q = orthonormalize(Z);
  }
  const vectors = new Float64Array(k * D), variances = new Float64Array(k), explained = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const v = combine(Q, ritz!.vectors, j, b);
    let norm = 0, largest = 0;
    for (let d = 0; d < D; d++) { norm += v[d] * v[d]; if (Math.abs(v[d]) > Math.abs(largest)) largest = v[d]; }
    const scale = (largest < 0 ? -1 : 1) / Math.sqrt(norm);
    for (let d = 0; d < D; d++) vectors[j * D + d] = v[d] * scale;
    variances[j] = Math.max(0, ritz!.values[j]);
    explained[j] = total > 0 ? variances[j] / total : 0;
  }
  const projections = new Float64Array(N * k);
  for (let n = 0; n < N; n++) for (let j = 0; j < k; j++) {
    let s = 0;
    for (let d = 0; d < D; d++) s += (data[n * D + d] - mean[d]) * vectors[j * D + d];
    projections[n * k + j] = s;
  }
  return { rows: N, cols: D, components: k, mean, vectors, variances, explained, total, projections, iterations: iterations + 1 };
}

/** Columns made orthonormal: modified Gram–Schmidt, twice (a dependent column becomes a fresh unit vector). */
function orthonormalize(columns: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = [];
  columns.forEach((column, index) => {
    const v = Float64Array.from(column);
    for (let pass = 0; pass < 2; pass++) for (const q of out) {
      let dot = 0;
      for (let d = 0; d < v.length; d++) dot += q[d] * v[d];
      for (let d = 0; d < v.length; d++) v[d] -= dot * q[d];
    }
    let norm = 0;
    for (let d = 0; d < v.length; d++) norm += v[d] * v[d];
    norm = Math.sqrt(norm);
    if (norm < 1e-300) { v.fill(0); v[index % v.length] = 1; out.push(v); return; }
    for (let d = 0; d < v.length; d++) v[d] /= norm;
    out.push(v);
  });
  return out;
}

/** Qᵀ Z (b×b, row-major), symmetrised. */
function project(Q: Float64Array[], Z: Float64Array[]): Float64Array {
  const b = Q.length, T = new Float64Array(b * b);
  for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) {
    let s = 0;
    for (let d = 0; d < Q[i].length; d++) s += Q[i][d] * Z[j][d];
    T[i * b + j] = s;
  }
  for (let i = 0; i < b; i++) for (let j = i + 1; j < b; j++) { const m = (T[i * b + j] + T[j * b + i]) / 2; T[i * b + j] = m; T[j * b + i] = m; }
  return T;
}

/** Σ_i V[i, j] · columns[i]: the j-th Ritz vector. */
function combine(columns: Float64Array[], V: Float64Array, j: number, b: number): Float64Array {
  const out = new Float64Array(columns[0].length);
  for (let i = 0; i < b; i++) { const w = V[i * b + j]; for (let d = 0; d < out.length; d++) out[d] += w * columns[i][d]; }
  return out;
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
