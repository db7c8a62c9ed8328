// Colour pictures → [3,H,W] inputs (core/data/color.ts): plane order, alpha, centred square, area averaging.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { rgbaToPlanes, resizePlanes, toColorInput, imageToModelInput, planesToRgba, tintPlane, COLOR_CHANNELS, rgbaToInk, toMnistDigit } from '../../core/index.js';

/** An RGBA image whose pixel (x, y) is given by colour(x, y) = [r, g, b, a]. */
function image(width: number, height: number, colour: (x: number, y: number) => number[]): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set(colour(x, y), (y * width + x) * 4);
  return rgba;
}

describe('rgbaToPlanes', () => {
  it('writes red, then green, then blue planes, row-major, as byte / 255', () => {
    const rgba = image(2, 2, (x, y) => [10 * (y * 2 + x), 100 + y, 200 + x, 255]);
    const planes = rgbaToPlanes(rgba, 2, 2);
    expect(Array.from(planes).map((v) => Math.round(v * 255))).toEqual([0, 10, 20, 30, 100, 100, 101, 101, 200, 201, 200, 201]);
  });

  it('lays transparency over white', () => {
    const planes = rgbaToPlanes(Uint8Array.from([0, 0, 0, 0, 255, 0, 0, 51]), 2, 1);
    // transparent black → white; red at alpha 0.2 → 0.2·(1,0,0) + 0.8·(1,1,1)
    expect(Array.from(planes)).toEqual([1, 1, 1, 0.8, 1, 0.8].map(Math.fround));
  });

  it('refuses sizes that do not match the bytes, before allocating', () => {
    expect(() => rgbaToPlanes(new Uint8Array(12), 2, 2)).toThrow(/rgbaToPlanes: a 2×2 RGBA image has 16 bytes, got 12/);
    expect(() => rgbaToPlanes(new Uint8Array(0), 0, 3)).toThrow(/positive integers, got 0×3/);
    expect(() => rgbaToPlanes(new Uint8Array(4), 1e5, 1e5)).toThrow(/more than 50,000,000 pixels/);
  });
});

describe('resizePlanes (area averaging)', () => {
  it('averages 2×2 blocks when halving, per channel', () => {
    const planes = Float32Array.from([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, // channel 0, 4×4
      ...new Array(16).fill(0.5)]);
    const out = resizePlanes(planes, 2, 4, 4, 2, 2);
    expect(Array.from(out)).toEqual([3.5, 5.5, 11.5, 13.5, 0.5, 0.5, 0.5, 0.5]);
  });

  it('weights partly covered pixels by their share (3 → 2 columns)', () => {
    // output column 0 covers source [0, 1.5): 1·a + 0.5·b over 1.5
    const out = resizePlanes(Float32Array.from([3, 6, 9]), 1, 1, 3, 1, 2);
    expect(out[0]).toBeCloseTo((3 + 0.5 * 6) / 1.5, 6);
    expect(out[1]).toBeCloseTo((0.5 * 6 + 9) / 1.5, 6);
  });

  it('keeps the mean of every channel for whole-number factors', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }),
      fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 1 }), (h, w, factor, [seed]) => {
        const H = h * factor, W = w * factor;
        const planes = Float32Array.from({ length: 3 * H * W }, (_, i) => Math.fround(((i * 7919 + seed * 1000) % 97) / 97));
        const out = resizePlanes(planes, 3, H, W, h, w);
        for (let c = 0; c < 3; c++) {
          const mean = (a: Float32Array, n: number) => a.subarray(c * n, (c + 1) * n).reduce((s, v) => s + v, 0) / n;
          if (Math.abs(mean(planes, H * W) - mean(out, h * w)) > 1e-5) return false;
        }
        return true;
      }));
  });
});

describe('toColorInput', () => {
  it('keeps the centred square of a wide picture and scales it to 32×32', () => {
    // 64 wide, 32 high: the left and right 16 columns are red, the middle 32 are blue
    const rgba = image(64, 32, (x) => (x < 16 || x >= 48 ? [255, 0, 0, 255] : [0, 0, 255, 255]));
    const input = toColorInput(rgba, 64, 32);
    expect(input.length).toBe(3 * 32 * 32);
    expect(Math.max(...input.subarray(0, 1024))).toBe(0); // no red left
    expect(Math.min(...input.subarray(2048))).toBe(1); // all blue
  });

  it('halves a 64×64 picture by averaging 2×2 blocks', () => {
    const rgba = image(64, 64, (x, y) => [(x + y) % 2 ? 255 : 0, 128, 0, 255]);
    const input = toColorInput(rgba, 64, 64);
    expect(new Set(input.subarray(0, 1024))).toEqual(new Set([Math.fround(0.5)]));
    expect(input[1024]).toBeCloseTo(128 / 255, 6);
  });
});

describe('imageToModelInput picks the pipeline by the model\'s input shape', () => {
  const rgba = image(40, 40, (x, y) => (Math.abs(x - 20) < 4 && y > 8 && y < 32 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
  it('a digit model gets the MNIST-style digit', () => {
    expect(imageToModelInput(rgba, 40, 40, [1, 28, 28])).toEqual(toMnistDigit(rgbaToInk(rgba, 40, 40), 40, 40));
    expect(imageToModelInput(rgba, 40, 40, [784])).toHaveLength(784);
  });
  it('a colour model gets colour planes of its size', () => {
    expect(imageToModelInput(rgba, 40, 40, [3, 32, 32])).toEqual(toColorInput(rgba, 40, 40, 32, 32));
    expect(imageToModelInput(rgba, 40, 40, [3, 8, 16])).toHaveLength(3 * 8 * 16);
  });
  it('refuses a shape an image cannot feed, naming it', () => {
    expect(() => imageToModelInput(rgba, 40, 40, [4])).toThrow(/the model takes \[4\]; an image can feed a 28×28 digit model/);
    expect(() => imageToModelInput(rgba, 40, 40, [2, 28, 28])).toThrow(/takes \[2,28,28\]/);
  });
});

describe('planesToRgba', () => {
  it('is the inverse of rgbaToPlanes for opaque pictures', () => {
    const rgba = image(3, 2, (x, y) => [x * 80, y * 200, 7 * x + y, 255]);
    expect(Array.from(planesToRgba(rgbaToPlanes(rgba, 3, 2), 2, 3))).toEqual(Array.from(rgba));
  });
});

describe('tintPlane', () => {
  it('draws 0 as white and 1 as the channel\'s full colour', () => {
    expect(Array.from(tintPlane([0, 1, 0.5], 0))).toEqual([255, 255, 255, 255, 255, 0, 0, 255, 255, 128, 128, 255]);
    expect(Array.from(tintPlane([1], 2))).toEqual([0, 0, 255, 255]);
    expect(COLOR_CHANNELS).toEqual(['red', 'green', 'blue']);
  });
});
