// core/explain/inspect/umap.ts: the class map's second projection: UMAP (McInnes, Healy & Melville 2018) by the
// umap-js library (PAIR), its every random choice drawn from core's seeded generator, so one link draws one picture.
//   x_n ∈ ℝᴰ → (if D > 64) z_n = Rᵀ x_n / √64, R_dj ~ N(0, 1) seeded (a random projection: every distance kept to a   (1)
//     few per cent, Johnson–Lindenstrauss), so the neighbour search costs 64 values per distance, not D
//   UMAP on z: each point's k nearest neighbours (exact, here: itself first, as UMAP expects) → a fuzzy graph → a 2-D layout whose near points are    (2)
//     those neighbours; then centred and scaled to unit RMS radius (UMAP's axes and scale mean nothing)
// Unlike PCA, the picture keeps who is near whom, not distances: far-apart clusters may be drawn near, and a cluster's
// size says nothing about its spread.
import { UMAP } from 'umap-js';
import { seeded } from '../../random.js';
import { integerOption, numberOption, matrixArguments } from './common.js';

export interface Umap { rows: number; cols: number; reducedTo: number; neighbors: number; epochs: number; projections: Float64Array }

/** Limits: at most 5,000 points (the layout is O(N·k·epochs), the neighbour search O(N·k²·64)) and 2²⁴ values. */
export const UMAP_LIMITS = { rows: 5000, values: 2 ** 24, reduced: 64 } as const;

/** (1)–(2) for data [rows, cols] row-major; `neighbors` 2…100 (15), `epochs` 10…1000 (200), `minDist` 0…1 (0.1). */
export function umap(data: Float32Array | Float64Array, rows: number, cols: number,
  options: { seed?: number | null; neighbors?: number | null; epochs?: number | null; minDist?: number | null } = {}): Umap {
  const op = 'umap';
  ({ rows, cols } = matrixArguments(op, data, rows, cols, { minRows: 3, maxRows: UMAP_LIMITS.rows, maxCols: UMAP_LIMITS.values, maxValues: UMAP_LIMITS.values }));
  const neighbors = integerOption(op, 'neighbors', options.neighbors, Math.min(15, rows - 1), 2, Math.min(100, rows - 1));
  const epochs = integerOption(op, 'epochs', options.epochs, 200, 10, 1000);
  const minDist = numberOption(op, 'minDist', options.minDist, 0.1, 0, 1);
  for (let p = 0; p < data.length; p++) if (!Number.isFinite(data[p])) throw new RangeError(`${op}: value ${p} (row ${Math.floor(p / cols)}) is ${data[p]}, not a finite number`);
  const random = seeded(options.seed ?? 1);
  const reducedTo = Math.min(cols, UMAP_LIMITS.reduced);
  const points: number[][] = [];
  if (reducedTo === cols) {
    for (let n = 0; n < rows; n++) points.push(Array.from(data.subarray(n * cols, (n + 1) * cols)));
  } else {
    const R = new Float64Array(cols * reducedTo); // (1), row d holds R_d·
    for (let i = 0; i < R.length; i++) R[i] = random.normal() / Math.sqrt(reducedTo);
    for (let n = 0; n < rows; n++) {
      const z = new Array<number>(reducedTo).fill(0), row = n * cols;
      for (let d = 0; d < cols; d++) { const x = data[row + d]; if (x !== 0) for (let j = 0, r = d * reducedTo; j < reducedTo; j++) z[j] += x * R[r + j]; }
      points.push(z);
    }
  }
  const layout = new UMAP({ nComponents: 2, nNeighbors: neighbors, nEpochs: epochs, minDist, random: () => random.next() });
  const { indices, distances } = nearestNeighbors(points, neighbors);
  layout.setPrecomputedKNN(indices, distances);
  const xy = layout.fit(points);
  const projections = new Float64Array(rows * 2);
  let cx = 0, cy = 0;
  for (let n = 0; n < rows; n++) { cx += xy[n][0] / rows; cy += xy[n][1] / rows; }
  let spread = 0;
  for (let n = 0; n < rows; n++) spread += ((xy[n][0] - cx) ** 2 + (xy[n][1] - cy) ** 2) / rows;
  const scale = spread > 0 ? 1 / Math.sqrt(spread) : 1;
  for (let n = 0; n < rows; n++) { projections[2 * n] = (xy[n][0] - cx) * scale; projections[2 * n + 1] = (xy[n][1] - cy) * scale; }
  return { rows, cols, reducedTo, neighbors, epochs, projections };
}

/** Each point's k nearest (Euclidean) among all, itself first at distance 0: exact, N²·D/2 multiply-adds. */
export function nearestNeighbors(points: number[][], k: number): { indices: number[][]; distances: number[][] } {
  const N = points.length, D = points[0].length;
  const flat = new Float64Array(N * D);
  points.forEach((p, n) => flat.set(p, n * D));
  const squared = new Float64Array(N * N);
  for (let a = 0; a < N; a++) for (let b = a + 1; b < N; b++) {
    let s = 0;
    for (let d = 0, i = a * D, j = b * D; d < D; d++) { const e = flat[i + d] - flat[j + d]; s += e * e; }
    squared[a * N + b] = s; squared[b * N + a] = s;
  }
  const indices: number[][] = [], distances: number[][] = [];
  for (let a = 0; a < N; a++) {
    const best: number[] = [a]; // sorted by distance, then index (ties broken the same way every time)
    const row = a * N;
    for (let b = 0; b < N; b++) {
      if (b === a) continue;
      const s = squared[row + b];
      if (best.length === k && s >= squared[row + best[k - 1]]) continue;
      let at = best.length < k ? best.length : k - 1;
      while (at > 1 && squared[row + best[at - 1]] > s) at--;
      best.splice(at, 0, b);
      if (best.length > k) best.pop();
    }
    indices.push(best);
    distances.push(best.map((b) => (b === a ? 0 : Math.sqrt(squared[row + b]))));
  }
  return { indices, distances };
}
