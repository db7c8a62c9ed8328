// The text colour on a coloured cell (color.ts textOn): against the WCAG contrast formula, every background of
// the diverging scale gets black or white text at ≥ 4.5:1, and it is the better of the two.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { textOn, luminance, diverging } from '../../viz/src/lib/color.js';

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
