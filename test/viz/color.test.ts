// The text colour on a coloured cell (color.ts textOn): against the WCAG contrast formula, every background of
// the diverging scale gets black or white text at ≥ 4.5:1, and it is the better of the two.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { textOn, luminance, diverging, blend, BELOW, ABOVE } from '../../viz/src/lib/color.js';
import { valueColor } from '../../viz/src/lib/playground/colors.js';

const ratio = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

describe('textOn', () => {
  it('luminance: black 0, white 1, pure green 0.7152 (WCAG weights)', () => {
    expect(luminance([0, 0, 0])).toBe(0);
    expect(luminance([255, 255, 255])).toBeCloseTo(1, 12);
    expect(luminance([0, 255, 0])).toBeCloseTo(0.7152, 12);
    expect(luminance([128, 128, 128])).toBeCloseTo(0.2158605, 6); // the sRGB curve, not a straight line
  });
  it('white text on dark blue, black on white and on light red', () => {
    expect(textOn([40, 95, 255])).toBe('#fff');
    expect(textOn([255, 255, 255])).toBe('#000');
    expect(textOn([255, 180, 170])).toBe('#000');
  });
  it('any colour of the scale: the chosen text has ≥ 4.5:1 contrast and at least the other one\'s', () => {
    fc.assert(fc.property(fc.double({ min: -2, max: 2, noNaN: true }), (t) => {
      const rgb = diverging(t, 1);
      const l = luminance(rgb);
      const black = ratio(l, 0), white = ratio(l, 1);
      const chosen = textOn(rgb) === '#000' ? black : white;
      expect(chosen).toBeGreaterThanOrEqual(4.5);
      expect(chosen).toBe(Math.max(black, white));
    }));
  });
});

describe('one diverging blend (color.ts blend) for the views and the playground', () => {
  // the two scales as they were written before they shared blend (#26 item 7): the same colours, bit for bit
  const viewsBefore = (v: number, limit: number) => {
    const t = Math.max(-1, Math.min(1, v / limit));
    return t >= 0 ? [255, Math.round(255 - 205 * t), Math.round(255 - 215 * t)] : [Math.round(255 + 215 * t), Math.round(255 + 160 * t), 255];
  };
  const playgroundBefore = (v: number, discrete: boolean) => {
    const t = discrete ? (v >= 0 ? 1 : -1) : Math.max(-1, Math.min(1, v));
    const end = t >= 0 ? [8, 119, 189] : [245, 147, 34], a = Math.abs(t);
    return [0, 1, 2].map((c) => Math.round(255 + (end[c] - 255) * a));
  };
  it('gives the colours each scale gave on its own', () => {
    fc.assert(fc.property(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 1e-6, max: 10, noNaN: true }), fc.boolean(), (v, limit, discrete) => {
      expect(diverging(v, limit)).toEqual(viewsBefore(v, limit));
      expect(valueColor(v, discrete)).toEqual(playgroundBefore(v, discrete));
    }));
    expect(blend(0, BELOW, ABOVE)).toEqual([255, 255, 255]);
    expect(blend(-0, BELOW, ABOVE)).toEqual([255, 255, 255]);
    expect(blend(-5, BELOW, ABOVE)).toEqual(BELOW);
    expect(blend(Infinity, BELOW, ABOVE)).toEqual(ABOVE);
    expect(diverging(NaN, 1)).toEqual([255, 0, 255]);
    expect(valueColor(NaN)).toEqual([200, 200, 200]);
  });
});
