// UMAP (umap-js, seeded by core): no float64 reference exists for a stochastic layout, so its properties are tested:
// the same seed draws the same picture, separated clusters stay apart and keep their neighbours, a wide input goes
// through the random projection with its clusters intact, and the exact neighbour search agrees with a plain sort.
import { describe, it, expect } from 'vitest';
import { umap, nearestNeighbors, seeded } from '../../../core/index.js';

/** `perCluster` points around each of `clusters` far-apart centres in D dimensions. */
function blobs(clusters: number, perCluster: number, D: number, seed: number): { data: Float32Array; labels: number[] } {
  const random = seeded(seed), centres = Array.from({ length: clusters }, () => Array.from({ length: D }, () => 6 * random.normal()));
  const data = new Float32Array(clusters * perCluster * D), labels: number[] = [];
  for (let n = 0; n < clusters * perCluster; n++) {
    const c = n % clusters;
    labels.push(c);
    for (let d = 0; d < D; d++) data[n * D + d] = centres[c][d] + random.normal();
  }
  return { data, labels };
}

/** The fraction of points whose 10 nearest in the picture share their cluster. */
function neighbourPurity(xy: Float64Array, labels: number[]): number {
  const N = labels.length;
  let same = 0;
  for (let n = 0; n < N; n++) {
    const order = Array.from({ length: N }, (_, m) => m).filter((m) => m !== n)
      .sort((a, b) => Math.hypot(xy[2 * a] - xy[2 * n], xy[2 * a + 1] - xy[2 * n + 1]) - Math.hypot(xy[2 * b] - xy[2 * n], xy[2 * b + 1] - xy[2 * n + 1]));
    same += order.slice(0, 10).filter((m) => labels[m] === labels[n]).length / 10;
  }
  return same / N;
}

describe('umap', () => {
  const { data, labels } = blobs(4, 50, 20, 3);
  const first = umap(data, 200, 20, { seed: 7, epochs: 100 });

  it('draws the same picture for the same seed, another for another seed, centred at unit RMS radius', () => {
    expect(Array.from(umap(data, 200, 20, { seed: 7, epochs: 100 }).projections)).toEqual(Array.from(first.projections));
    expect(Array.from(umap(data, 200, 20, { seed: 8, epochs: 100 }).projections)).not.toEqual(Array.from(first.projections));
    let cx = 0, cy = 0, r2 = 0;
    for (let n = 0; n < 200; n++) { cx += first.projections[2 * n] / 200; cy += first.projections[2 * n + 1] / 200; r2 += (first.projections[2 * n] ** 2 + first.projections[2 * n + 1] ** 2) / 200; }
    expect(Math.abs(cx) + Math.abs(cy)).toBeLessThan(1e-9);
    expect(r2).toBeCloseTo(1, 9);
    expect(first.reducedTo).toBe(20);
  });

  it('keeps separated clusters apart: each point\'s 10 nearest in the picture are of its own cluster', () => {
    expect(neighbourPurity(first.projections, labels)).toBeGreaterThan(0.97);
    // and a layout of noise (labels assigned at random) does not: the check can fail
    const random = seeded(5);
    expect(neighbourPurity(first.projections, labels.map(() => random.int(4)))).toBeLessThan(0.5);
  });

  it('projects a wide input to 64 values first (seeded) and still keeps its clusters', () => {
    const wide = blobs(3, 40, 500, 9), result = umap(wide.data, 120, 500, { seed: 2, epochs: 100 });
    expect(result.reducedTo).toBe(64);
    expect(neighbourPurity(result.projections, wide.labels)).toBeGreaterThan(0.97);
  });

  it('finds the exact nearest neighbours, itself first', () => {
    const random = seeded(11), points = Array.from({ length: 60 }, () => Array.from({ length: 5 }, () => random.normal()));
    const { indices, distances } = nearestNeighbors(points, 6);
    points.forEach((p, a) => {
      const sorted = points.map((q, b) => ({ b, d: Math.hypot(...p.map((v, i) => v - q[i])) })).sort((x, y) => x.d - y.d || x.b - y.b);
      expect(indices[a]).toEqual(sorted.slice(0, 6).map((s) => s.b));
      distances[a].forEach((d, i) => expect(d).toBeCloseTo(sorted[i].d, 12));
    });
  });

  it('refuses bad input before it allocates, naming it', () => {
    expect(() => umap(new Float32Array(10), 3, 4)).toThrow(/umap: data holds 10 values but 3×4 needs 12/);
    expect(() => umap(new Float32Array(4), 2, 2)).toThrow(/umap: rows must be an integer 3…5000/);
    expect(() => umap(new Float32Array(0), 6000, 2)).toThrow(/rows must be an integer 3…5000, got 6000/);
    expect(() => umap(new Float32Array(0), 5000, 4000)).toThrow(/more than the limit of 16777216/);
    expect(() => umap(Float32Array.from([1, 2, NaN, 4, 5, 6]), 3, 2)).toThrow(/value 2 \(row 1\) is NaN/);
    expect(() => umap(new Float32Array(40), 20, 2, { neighbors: 20 })).toThrow(/neighbors must be an integer 2…19/);
    expect(() => umap(new Float32Array(40), 20, 2, { epochs: 5 })).toThrow(/epochs must be an integer 10…1000/);
  });
});
