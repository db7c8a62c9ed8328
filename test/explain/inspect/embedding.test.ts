// neighbourPurity (how well a 2-D picture separates the classes) against a plain sort of every distance, on points
// with many exact ties (small integer coordinates), on separated and on mixed classes; and its refusals.
import { describe, it, expect } from 'vitest';
import { neighbourPurity, alignSigns, seeded, PURITY_LIMITS } from '../../../core/index.js';

/** The reference: for each point, all others sorted by (squared distance, index), the first k counted. */
function reference(xy: Float64Array, labels: number[], k: number): number {
  const N = labels.length;
  let total = 0;
  for (let n = 0; n < N; n++) {
    const others = [...Array(N).keys()].filter((m) => m !== n)
      .map((m) => ({ m, d: (xy[2 * m] - xy[2 * n]) ** 2 + (xy[2 * m + 1] - xy[2 * n + 1]) ** 2 }))
      .sort((a, b) => a.d - b.d || a.m - b.m);
    total += others.slice(0, k).filter((o) => labels[o.m] === labels[n]).length / k;
  }
  return total / N;
}

describe('neighbourPurity', () => {
  it('equals a plain sort of all distances, ties broken by index (integer grid: many exact ties)', () => {
    const random = seeded(3);
    for (const [N, k, classes] of [[40, 1, 3], [60, 5, 4], [120, 10, 10], [7, 6, 2]]) {
      const xy = Float64Array.from({ length: 2 * N }, () => random.int(6));
      const labels = Array.from({ length: N }, () => random.int(classes));
      expect(neighbourPurity(xy, labels, k)).toBeCloseTo(reference(xy, labels, k), 12);
    }
  });

  it('is 1 for classes drawn apart and near Σ(N_c/N)² for classes drawn on top of each other', () => {
    const random = seeded(9), N = 600;
    const labels = Array.from({ length: N }, (_, n) => n % 3);
    const apart = Float64Array.from({ length: 2 * N }, (_, i) => 100 * labels[i >> 1] + random.normal());
    expect(neighbourPurity(apart, labels)).toBe(1);
    const mixed = Float64Array.from({ length: 2 * N }, () => random.normal());
    expect(Math.abs(neighbourPurity(mixed, labels) - 1 / 3)).toBeLessThan(0.05);
  });

  it('refuses what it cannot measure, naming it', () => {
    expect(() => neighbourPurity(new Float64Array(6), [0, 1])).toThrow(/neighbourPurity: xy holds 6 values but 2 labels need 4/);
    expect(() => neighbourPurity(Float64Array.of(0, 0, 1, NaN), [0, 1], 1)).toThrow(/neighbourPurity: value 3 \(point 1\) is NaN/);
    expect(() => neighbourPurity(new Float64Array(6), [0, 1, 2], 3)).toThrow(/neighbourPurity: k must be an integer 1…2, got 3/);
    expect(() => neighbourPurity(new Float64Array(2), [0])).toThrow(/neighbourPurity: points must be an integer 2…/);
    const many = PURITY_LIMITS.points + 1;
    expect(() => neighbourPurity(new Float64Array(2 * many), new Uint8Array(many))).toThrow(/points must be an integer 2…10000, got 10001/);
    expect(() => neighbourPurity(new Float32Array(4) as unknown as Float64Array, [0, 1])).toThrow(TypeError);
  });
});

describe('alignSigns', () => {
  it('undoes a mirrored axis (and only that), keeps an agreeing picture as it is', () => {
    const random = seeded(4), N = 50;
    const previous = Float64Array.from({ length: 2 * N }, () => random.normal());
    // the next picture: the same points moved a little, x mirrored
    const moved = previous.map((v) => v + 0.1 * random.normal());
    const mirrored = moved.map((v, i) => (i % 2 === 0 ? -v : v));
    const { xy, signs } = alignSigns(previous, mirrored);
    expect(signs).toEqual([-1, 1]);
    expect(Array.from(xy)).toEqual(Array.from(moved));
    expect(alignSigns(previous, moved).signs).toEqual([1, 1]);
    const both = moved.map((v) => -v);
    expect(Array.from(alignSigns(previous, both).xy)).toEqual(Array.from(moved));
  });
  it('refuses pictures of different points', () => {
    expect(() => alignSigns(new Float64Array(4), new Float64Array(6))).toThrow(/alignSigns: the pictures hold 4 and 6 values/);
    expect(() => alignSigns(new Float64Array(3), new Float64Array(3))).toThrow(RangeError);
  });
});
