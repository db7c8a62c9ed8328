// PCA against float64 references: numpy's eigh of the covariance (test/fixtures/pca.json, make_pca.py), numpy's SVD
// of layers wider than they have points (pca-wide.json: dense, and mostly zeros so core's sparse path runs; the data
// come from an integer generator repeated here), and the eigenvectors of the Gram matrix X Xᵀ computed here.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { pca, jacobiEigen, embedLayer, seeded } from '../../../core/index.js';
import { loadModel, loadDigits } from '../../../core/node.js';

const cases = JSON.parse(readFileSync(new URL('../../fixtures/pca.json', import.meta.url), 'utf8')) as
  { name: string; rows: number; cols: number; data: number[]; mean: number[]; vectors: number[]; variances: number[]; explained: number[]; projections: number[] }[];
const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) if (!(Math.abs(actual[i] - expected[i]) <= tolerance * (1 + Math.abs(expected[i])))) throw new Error(`value ${i}: ${actual[i]} vs ${expected[i]}`);
};

const wide = JSON.parse(readFileSync(new URL('../../fixtures/pca-wide.json', import.meta.url), 'utf8')) as
  { name: string; seed: number; rows: number; cols: number; weights: number[]; floor: number | null; vectors: number[]; variances: number[]; explained: number[] }[];

/** make_pca.py's wide(): Park–Miller draws (exact in float64), x = Σ_r w_r a_nr b_rd + noise, over 16, floored. */
function wideData(c: (typeof wide)[number]): Float32Array {
  let state = c.seed;
  const draw = (m: number) => { state = (state * 48271) % 2147483647; return state % m; };
  const a = Array.from({ length: c.rows }, () => c.weights.map(() => draw(17) - 8));
  const b = c.weights.map(() => Array.from({ length: c.cols }, () => draw(9) - 4));
  const x = new Float32Array(c.rows * c.cols);
  for (let n = 0; n < c.rows; n++) for (let d = 0; d < c.cols; d++) {
    let v = draw(5) - 2;
    c.weights.forEach((w, r) => { v += w * a[n][r] * b[r][d]; });
    x[n * c.cols + d] = c.floor === null ? v / 16 : Math.max(v / 16 - c.floor, 0);
  }
  return x;
}

describe('pca', () => {
  it.each(wide)('matches numpy\'s SVD on $name, fewer points than dimensions, to 1e-6 on the directions', (c) => {
    const data = wideData(c), result = pca(data, c.rows, c.cols);
    for (let j = 0; j < 2; j++) { // each direction up to its sign (both sides use the same sign rule, checked too)
      const got = result.vectors.subarray(j * c.cols, (j + 1) * c.cols), want = c.vectors.slice(j * c.cols, (j + 1) * c.cols);
      const sign = got[0] * want[0] < 0 ? -1 : 1;
      expect(sign).toBe(1);
      close(Array.from(got, (v) => sign * v), want, 1e-6);
    }
    close(result.variances, c.variances, 1e-9);
    close(result.explained, c.explained, 1e-9);
    expect(result.products).toBeLessThan(200); // the Krylov steps, not a plain power iteration's hundreds
  });

  it.each(cases)('matches numpy on $name', (c) => {
    for (const data of [Float64Array.from(c.data), Float32Array.from(c.data)]) { // the values are float32-exact
      const result = pca(data, c.rows, c.cols);
      close(result.mean, c.mean, 1e-12);
      close(result.vectors, c.vectors, 1e-8);
      close(result.variances, c.variances, 1e-10);
      close(result.explained, c.explained, 1e-10);
      close(result.projections, c.projections, 1e-8);
    }
  });

  it('on a layer wider than it has points matches the eigenvectors of the Gram matrix (float64, here)', () => {
    const random = seeded(4), N = 30, D = 1500;
    const data = new Float32Array(N * D);
    for (let n = 0; n < N; n++) { const a = 4 * random.normal(), b = 2 * random.normal(); for (let d = 0; d < D; d++) data[n * D + d] = a * Math.sin(d / 50) + b * Math.cos(d / 17) + 0.3 * random.normal(); }
    const result = pca(data, N, D);
    const mean = new Float64Array(D);
    for (let n = 0; n < N; n++) for (let d = 0; d < D; d++) mean[d] += data[n * D + d] / N;
    const G = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) { let s = 0; for (let d = 0; d < D; d++) s += (data[i * D + d] - mean[d]) * (data[j * D + d] - mean[d]); G[i * N + j] = s; }
    const { values, vectors } = jacobiEigen(G, N);
    for (let j = 0; j < 2; j++) {
      expect(result.variances[j]).toBeCloseTo(values[j] / (N - 1), 6);
      // v_j ∝ Xcᵀ u_j; the projections are Xc v_j = √λ u_j (up to the sign)
      const u = Array.from({ length: N }, (_, n) => vectors[n * N + j]), scale = Math.sqrt(values[j]);
      const sign = Math.sign(result.projections[j]) === Math.sign(u[0] * scale) ? 1 : -1;
      for (let n = 0; n < N; n++) expect(result.projections[n * 2 + j]).toBeCloseTo(sign * u[n] * scale, 5);
    }
  });

  it('handles no variance, one column and a repeated eigenvalue (a block of vectors finds both copies)', () => {
    const flat = pca(new Float32Array(20).fill(3), 4, 5);
    expect(Array.from(flat.variances)).toEqual([0, 0]);
    expect(Array.from(flat.projections).every((v) => v === 0)).toBe(true);
    const line = pca(Float32Array.from([1, 2, 3, 4]), 4, 1);
    expect(line.components).toBe(1);
    close(line.variances, [5 / 3], 1e-14);
    const D = 50, axes = new Float32Array(2 * D * D); // ±e_i: Σ = 2I/(2D − 1), every eigenvalue the same
    for (let i = 0; i < D; i++) { axes[2 * i * D + i] = 1; axes[(2 * i + 1) * D + i] = -1; }
    close(pca(axes, 2 * D, D).variances, [2 / (2 * D - 1), 2 / (2 * D - 1)], 1e-12);
  });

  it('finds the eigenvalues of a small symmetric matrix (Jacobi)', () => {
    const { values, vectors } = jacobiEigen(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]), 3);
    close(values, [5, 3, 1], 1e-14);
    expect(Math.abs(vectors[0 * 3 + 1])).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('refuses bad shapes and too much data, before it allocates', () => {
    expect(() => pca(new Float32Array(10), 3, 4)).toThrow(/pca: data holds 10 values but 3×4 needs 12/);
    expect(() => pca(new Float32Array(10), 1, 10)).toThrow(/pca: rows must be an integer 2…/);
    expect(() => pca(new Float32Array(4), 2, 2, { components: 3 })).toThrow(/components must be an integer 1…2/);
    expect(() => pca(new Float32Array(0), 2 ** 14, 2 ** 13)).toThrow(/more than the limit of 16777216/);
    expect(() => pca([1, 2] as unknown as Float32Array, 1, 2)).toThrow(TypeError);
  });
});

describe('embedLayer', () => {
  const cnn = loadModel(new URL('../../../viz/public/cnn.json', import.meta.url).pathname).model;
  const { test } = loadDigits();
  it('projects the shipped CNN\'s last hidden layer of 2,000 test digits and marks the predictions', () => {
    const result = embedLayer(cnn, test.inputs, 2000, 7);
    expect(result.dims).toBe(256);
    expect(result.pca!.projections.length).toBe(4000);
    expect(result.xy).toBe(result.pca!.projections);
    const wrong = Array.from(result.predicted).filter((p, n) => p !== test.labels[n]).length;
    expect(wrong).toBeGreaterThan(0);
    expect(wrong).toBeLessThan(100); // the shipped model is right on more than 95 %
    expect(result.pca!.explained[0]).toBeGreaterThan(result.pca!.explained[1]);
    expect(() => embedLayer(cnn, test.inputs, 20, 7, { method: 'tsne' as 'pca' })).toThrow(/embedLayer: method must be one of pca, umap, got "tsne"/);
    expect(() => embedLayer(cnn, test.inputs, 2000, 10)).toThrow(/embedLayer: at must be an integer 0…9/);
  });

  it('draws 300 test digits at the last hidden layer by UMAP, where most digits\' nearest neighbour is of their class', () => {
    const result = embedLayer(cnn, test.inputs, 300, 7, { method: 'umap' });
    expect(result.pca).toBeNull();
    expect(result.umap!.reducedTo).toBe(64);
    let same = 0;
    for (let n = 0; n < 300; n++) {
      let best = -1, distance = Infinity;
      for (let m = 0; m < 300; m++) { const d = Math.hypot(result.xy[2 * m] - result.xy[2 * n], result.xy[2 * m + 1] - result.xy[2 * n + 1]); if (m !== n && d < distance) { distance = d; best = m; } }
      if (test.labels[best] === test.labels[n]) same++;
    }
    expect(same / 300).toBeGreaterThan(0.8); // chance: 0.1
  });
});
