// Image → ink: the polarity and the role of alpha come from the image's dominant appearance (its background), so a
// stray semi-transparent pixel, a transparent frame or a grey background do not flip a digit; blank images have no ink.
import { describe, it, expect } from 'vitest';
import { rgbaToInk, inkFound, toMnistDigit } from '../../core/index.js';
import { loadDigits } from '../../core/node.js';

const { test } = loadDigits();
const digit = test.inputs.subarray(0, 784); // a real test digit, ink in [0,1]

/** The digit drawn 28×28 with `paint(ink) → [r,g,b,a]`, inside an optional frame of `frame` pixels painted `border`. */
function render(paint: (ink: number) => number[], frame = 0, border: number[] = [0, 0, 0, 0]): { rgba: Uint8Array; size: number } {
  const size = 28 + 2 * frame, rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const inside = y >= frame && y < frame + 28 && x >= frame && x < frame + 28;
    rgba.set(inside ? paint(digit[(y - frame) * 28 + (x - frame)]) : border, (y * size + x) * 4);
  }
  return { rgba, size };
}
const inkOf = ({ rgba, size }: { rgba: Uint8Array; size: number }) => rgbaToInk(rgba, size, size);
const inside = (ink: Float32Array, frame: number) => Array.from({ length: 784 }, (_, p) => ink[(Math.floor(p / 28) + frame) * (28 + 2 * frame) + (p % 28) + frame]);
const closeToDigit = (values: ArrayLike<number>, tolerance = 0.01) => Array.from(values).every((v, p) => Math.abs(v - digit[p]) <= tolerance);
const blackOnWhite = (v: number) => { const g = Math.round(255 * (1 - v)); return [g, g, g, 255]; };

describe('rgbaToInk decides polarity and alpha from the background', () => {
  it('black on white and white on black give the same ink', () => {
    expect(closeToDigit(inkOf(render(blackOnWhite)))).toBe(true);
    expect(closeToDigit(inkOf(render((v) => { const g = Math.round(255 * v); return [g, g, g, 255]; })))).toBe(true);
  });
  it('one ink pixel at alpha 254 does not turn the whole image into "alpha is ink"', () => {
    const image = render(blackOnWhite);
    const p = digit.findIndex((v) => v > 0.9);
    image.rgba[p * 4 + 3] = 254;
    expect(closeToDigit(inkOf(image))).toBe(true);
  });
  it('a transparent 1-px frame around an opaque black-on-white digit changes nothing inside', () => {
    const ink = inkOf(render(blackOnWhite, 1, [0, 0, 0, 0]));
    expect(closeToDigit(inside(ink, 1))).toBe(true);
    expect(Math.max(...Array.from(ink).filter((_, p) => p < 30))).toBeLessThan(1e-6); // the frame is background
  });
  it('a mid-grey background is background, not ink', () => {
    const ink = inkOf(render((v) => { const g = Math.round(128 * (1 - v)); return [g, g, g, 255]; }));
    expect(closeToDigit(ink, 0.02)).toBe(true);
  });
  it('a transparent canvas with strokes (of any colour) reads the strokes from alpha', () => {
    expect(closeToDigit(inkOf(render((v) => [0, 0, 0, Math.round(255 * v)])))).toBe(true);
    expect(closeToDigit(inkOf(render((v) => [255, 255, 255, Math.round(255 * v)])))).toBe(true);
  });
  it('blank, fully transparent and flat grey images have no ink', () => {
    for (const colour of [[255, 255, 255, 255], [0, 0, 0, 255], [0, 0, 0, 0], [255, 255, 255, 0], [128, 128, 128, 255]]) {
      const ink = inkOf(render(() => colour));
      expect(inkFound(ink)).toBe(false);
      expect(Array.from(toMnistDigit(ink, 28, 28)).every((v) => v < 0.2)).toBe(true);
    }
    expect(inkFound(inkOf(render(blackOnWhite)))).toBe(true);
  });
  it('refuses an RGBA buffer that does not match the size', () => {
    expect(() => rgbaToInk(new Uint8Array(10), 28, 28)).toThrow(/rgbaToInk: a 28×28 image needs 3136 RGBA bytes, got 10/);
  });
});
