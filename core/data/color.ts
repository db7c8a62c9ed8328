// core/data/color.ts: a colour picture → the [3,H,W] input of a colour model, as CIFAR-10's samples are:
// red, green and blue planes one after another, values in [0,1] (byte / 255), no mean subtracted.
// Browser-safe (no Node APIs): the CLI's predict and the explainer both call it with RGBA bytes.
//   1. transparency is laid over white (a PNG's transparent background reads as paper);
//   2. the largest centred square is kept (CIFAR's pictures are square; stretching would distort the object);
//   3. that square is resampled to H×W by area averaging: each output pixel is the mean of the source area
//      it covers, fractions of pixels weighted by their share (exact for whole-number factors: 64→32 averages 2×2).
import { rgbaToInk, toMnistDigit } from './preprocess.js';

/** The most pixels an image may have (checked before anything is allocated). */
export const MAX_IMAGE_PIXELS = 50_000_000;

function checkImage(op: string, rgba: ArrayLike<number>, width: number, height: number): void {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`${op}: width and height must be positive integers, got ${width}×${height}`);
  }
  if (width * height > MAX_IMAGE_PIXELS) throw new RangeError(`${op}: ${width}×${height} is more than ${MAX_IMAGE_PIXELS.toLocaleString('en')} pixels`);
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`${op}: a ${width}×${height} RGBA image has ${width * height * 4} bytes, got ${rgba.length}`);
  }
}

/** RGBA bytes (row-major, 4 per pixel) → planes [3, height, width] in [0,1]: R, then G, then B; alpha over white. */
export function rgbaToPlanes(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  checkImage('rgbaToPlanes', rgba, width, height);
  const size = width * height, planes = new Float32Array(3 * size);
  for (let p = 0; p < size; p++) {
    const alpha = rgba[p * 4 + 3] / 255;
    for (let c = 0; c < 3; c++) planes[c * size + p] = (rgba[p * 4 + c] / 255) * alpha + (1 - alpha);
  }
  return planes;
}

/** Planes [C, height, width] → [C, outHeight, outWidth] by area averaging over the source box
 *  (top, left, boxHeight, boxWidth) — by default the whole picture. */
export function resizePlanes(planes: Float32Array, channels: number, height: number, width: number, outHeight: number, outWidth: number,
  box: { top: number; left: number; height: number; width: number } = { top: 0, left: 0, height, width }): Float32Array {
  if (planes.length !== channels * height * width) {
    throw new RangeError(`resizePlanes: [${channels},${height},${width}] needs ${channels * height * width} values, got ${planes.length}`);
  }
  if (!(Number.isInteger(outHeight) && outHeight > 0 && Number.isInteger(outWidth) && outWidth > 0)) {
    throw new RangeError(`resizePlanes: the output size must be positive integers, got ${outHeight}×${outWidth}`);
  }
  const out = new Float32Array(channels * outHeight * outWidth);
  for (let y = 0; y < outHeight; y++) {
    const y0 = box.top + (y * box.height) / outHeight, y1 = box.top + ((y + 1) * box.height) / outHeight;
    for (let x = 0; x < outWidth; x++) {
      const x0 = box.left + (x * box.width) / outWidth, x1 = box.left + ((x + 1) * box.width) / outWidth;
      for (let c = 0; c < channels; c++) {
        const plane = c * height * width;
        let sum = 0, area = 0;
        for (let sy = Math.floor(y0); sy < Math.ceil(y1); sy++) {
          const wy = Math.min(y1, sy + 1) - Math.max(y0, sy); // the share of source row sy inside [y0, y1)
          for (let sx = Math.floor(x0); sx < Math.ceil(x1); sx++) {
            const wx = Math.min(x1, sx + 1) - Math.max(x0, sx);
            sum += planes[plane + sy * width + sx] * wx * wy; area += wx * wy;
          }
        }
        out[(c * outHeight + y) * outWidth + x] = sum / area;
      }
    }
  }
  return out;
}

/** A colour picture (RGBA bytes, any size) → [3, outHeight, outWidth] in [0,1]: centred square, area-averaged. */
export function toColorInput(rgba: ArrayLike<number>, width: number, height: number, outHeight = 32, outWidth = 32): Float32Array {
  checkImage('toColorInput', rgba, width, height);
  const planes = rgbaToPlanes(rgba, width, height);
  // the largest centred box with the output's aspect (a square for CIFAR)
  const aspect = outWidth / outHeight;
  const boxWidth = Math.min(width, height * aspect), boxHeight = boxWidth / aspect;
  return resizePlanes(planes, 3, height, width, outHeight, outWidth,
    { top: (height - boxHeight) / 2, left: (width - boxWidth) / 2, height: boxHeight, width: boxWidth });
}

/** A picture → the input a model takes: a 28×28 digit (MNIST-style: ink centred by mass) for [1,28,28] or [784],
 *  colour planes for [3,H,W]. Anything else is refused, naming the shape. */
export function imageToModelInput(rgba: ArrayLike<number>, width: number, height: number, inputShape: readonly number[]): Float32Array {
  checkImage('imageToModelInput', rgba, width, height);
  const size = inputShape.reduce((a, b) => a * b, 1);
  if (inputShape.length === 3 && inputShape[0] === 3) return toColorInput(rgba, width, height, inputShape[1], inputShape[2]);
  if (size === 784 && (inputShape.length === 1 || inputShape[0] === 1)) return toMnistDigit(rgbaToInk(rgba, width, height), width, height);
  throw new RangeError(`imageToModelInput: the model takes [${inputShape.join(',')}]; an image can feed a 28×28 digit model ([1,28,28]) ` +
    'or a colour model ([3,H,W])');
}

/** Planes [3, H, W] in [0,1] → RGBA bytes, to draw a colour input as the picture it is (values clamped). */
export function planesToRgba(planes: ArrayLike<number>, height: number, width: number): Uint8ClampedArray {
  const size = height * width;
  if (planes.length !== 3 * size) throw new RangeError(`planesToRgba: [3,${height},${width}] needs ${3 * size} values, got ${planes.length}`);
  const rgba = new Uint8ClampedArray(4 * size);
  for (let p = 0; p < size; p++) {
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = Math.round(planes[c * size + p] * 255);
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

/** The names of a colour input's channels, in plane order. */
export const COLOR_CHANNELS = ['red', 'green', 'blue'] as const;

/** One channel plane [H,W] in [0,1] → RGBA bytes tinted in its own colour: 0 white, 1 the full red, green or blue
 *  (how much of that colour each pixel has, drawn on paper like the grey maps). */
export function tintPlane(plane: ArrayLike<number>, channel: 0 | 1 | 2): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(4 * plane.length);
  for (let p = 0; p < plane.length; p++) {
    const v = Math.max(0, Math.min(1, plane[p]));
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = c === channel ? 255 : Math.round(255 * (1 - v));
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}
