// The backward path's printing rules (viz/src/lib/views/backward/path.ts, scale.ts): the loss table from float64,
// one number format per grid, and the digit the path opens on.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { lossRows, unsureSample, targetReason } from '../../viz/src/lib/views/backward/path.js';
import { gridFormat, bracket, equalsPrinted, parsePrinted } from '../../core/index.js';

describe('lossRows', () => {
  it('a confident target: p − 1 is −Σ of the others (not the 0 or −1.19e−7 float32 gives), p printed as 1 − ε, the column sums to 0', () => {
    const logits = [14.835, -15.754, -1.704, -4.3806, -18.202, -5.7621, -7.4324, -11.5657, 0.5794, -2.4475];
    const rows = lossRows(logits, 0);
    const others = logits.slice(1).reduce((s, z) => s + Math.exp(z - 14.835), 0) / (1 + logits.slice(1).reduce((s, z) => s + Math.exp(z - 14.835), 0));
    expect(rows.gradient[0]).toBeCloseTo(-others, 20);
    expect(Math.abs(rows.gradient[0] + others) / others).toBeLessThan(1e-12);
    expect(rows.printP(0)).toMatch(/^1 − 7\.4\d\de−7$/);
    expect(Math.abs(rows.sum)).toBeLessThan(1e-15);
    expect(rows.loss / others).toBeCloseTo(1, 6); // −log(1 − ε) ≈ ε
    expect(rows.printP(1)).toMatch(/e−14$/);
  });
  it('an unsure target: L = −log p[t] and the gradients are p − onehot', () => {
    const rows = lossRows([1, 2, 0.5], 0);
    const e = [1, 2, 0.5].map(Math.exp), total = e[0] + e[1] + e[2];
    expect(rows.loss).toBeCloseTo(-Math.log(e[0] / total), 14);
    expect(rows.gradient[1]).toBeCloseTo(e[1] / total, 14);
    expect(rows.gradient[0]).toBeCloseTo(e[0] / total - 1, 14);
  });
});

describe('gridFormat', () => {
  it('one format per grid: every value fixed with the same decimals, or every value in exponent form', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -1e5, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 20 }), (values) => {
      const f = gridFormat(values);
      const printed: string[] = values.filter((v) => v !== 0).map((v) => f(v));
      const exponent = printed.filter((t) => /e/.test(t)).length;
      expect(exponent === 0 || exponent === printed.length).toBe(true);
      if (exponent === 0) expect(new Set(printed.map((t) => t.split('.')[1]?.length ?? 0)).size).toBeLessThanOrEqual(1);
      for (const [i, v] of values.filter((x) => x !== 0).entries()) expect(Math.abs(parsePrinted(printed[i]) - v)).toBeLessThanOrEqual(Math.abs(v) * 1e-3 + 1e-300);
      for (const t of printed) expect(t).not.toMatch(/-/); // a true minus
    }));
  });
  it('brackets negatives, marks rounding with ≈', () => {
    const f = gridFormat([0.5, -0.25]);
    expect(bracket(f(-0.25))).toBe('(−0.2500)');
    expect(equalsPrinted(0.25, f(0.25))).toBe('=');
    expect(equalsPrinted(1 / 3, gridFormat([1 / 3])(1 / 3))).toBe('≈');
  });
});

describe('the digit the path opens on', () => {
  const samples = [{ label: 0, pixels: [0.99, 0.01] }, { label: 1, pixels: [0.3, 0.7] }, { label: 0, pixels: [0.2, 0.8] }];
  it('the first one the model gets wrong, else the least sure', () => {
    expect(unsureSample(samples, (p: ArrayLike<number>) => p)).toBe(2);
    expect(unsureSample(samples.slice(0, 2), (p: ArrayLike<number>) => p)).toBe(1);
    expect(unsureSample([], (p: ArrayLike<number>) => p)).toBe(null);
  });
  it('the reason names the target and what the probability means', () => {
    expect(targetReason([0.2, 0.8], 0, 0, true, String)).toMatch(/answers 1 instead/);
    expect(targetReason([0.999, 0.001], 0, 0, true, String)).toMatch(/already sure/);
    expect(targetReason([0.6, 0.4], 0, 1, true, String)).toMatch(/chosen by you/);
    expect(targetReason([0.6, 0.4], 0, 0, false, String)).toMatch(/a drawing has no label/);
  });
});
