// Dropout's mask (Random.keepMask): the same values as the per-draw loop it replaced (mask[i] = next() < keep ? scale : 0),
// the generator left where that loop leaves it, and the dropout layer's output and gradient as the loop's.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { seeded } from '../../core/random.js';
import { createLayer } from '../../core/nn/layers.js';

const seed = Number(process.env.FC_SEED ?? 20261205);

describe('dropout mask (Random.keepMask)', () => {
  it('gives the per-draw loop\'s mask bit for bit and leaves the generator at the same draw', () => {
    fc.assert(fc.property(fc.integer(), fc.integer({ min: 0, max: 300 }), fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.5, 0.75, 1)),
      fc.integer({ min: 0, max: 5 }), (s, n, keep, before) => {
        const a = seeded(s), b = seeded(s);
        for (let i = 0; i < before; i++) { a.next(); b.next(); }
        const scale = keep > 0 ? 1 / keep : 0, mask = new Float32Array(n), loop = new Float32Array(n);
        a.keepMask(mask, keep, scale);
        for (let i = 0; i < n; i++) loop[i] = b.next() < keep ? scale : 0;
        expect(mask).toEqual(loop);
        expect(a.state()).toEqual(b.state());
        expect(a.next()).toBe(b.next());
      }), { seed, numRuns: 200 });
  });

  it('keeps about 1 − rate of the values (rate .25 over 40,000 draws)', () => {
    const mask = new Float32Array(40000);
    seeded(3).keepMask(mask, 0.75, 1 / 0.75);
    const kept = mask.filter((m) => m !== 0).length / mask.length;
    expect(Math.abs(kept - 0.75)).toBeLessThan(0.01);
    expect(new Set(mask)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
  });

  it('the dropout layer: output x·mask and gradient dOut·mask with the loop\'s mask', () => {
    const layer = createLayer({ type: 'dropout', rate: 0.25 });
    layer.build([3, 5, 5]);
    const batch = 4, n = batch * 75, random = seeded(9);
    const x = Float32Array.from({ length: n }, () => random.uniform(-1, 1)), dOut = Float32Array.from({ length: n }, () => random.uniform(-1, 1));
    const out = layer.forward(x, batch, true, seeded(5)).slice(), dx = layer.backward(dOut, batch, true)!.slice();
    const draws = seeded(5), keep = 0.75, scale = 1 / keep;
    for (let i = 0; i < n; i++) {
      const m = Math.fround(draws.next() < keep ? scale : 0);
      expect(out[i]).toBe(Math.fround(x[i] * m));
      expect(dx[i]).toBe(Math.fround(dOut[i] * m));
    }
    expect(layer.forward(x, batch, false, null)).toBe(x);
  });
});
