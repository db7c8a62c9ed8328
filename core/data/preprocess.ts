// core/data/preprocess.ts: any grey image → a 28×28 digit like MNIST's: white ink on black,
// the ink's bounding box scaled to fit 20×20 (aspect kept), then centred by its centre of mass.

/** RGBA bytes → grey in [0,1] with the ink bright: transparent counts as background; dark-on-light is inverted. */
export function rgbaToInk(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const grey = new Float32Array(width * height);
  let border = 0, borderCount = 0;
  for (let p = 0; p < width * height; p++) {
    const alpha = rgba[p * 4 + 3] / 255;
    const luminance = (0.299 * rgba[p * 4] + 0.587 * rgba[p * 4 + 1] + 0.114 * rgba[p * 4 + 2]) / 255;
    grey[p] = alpha < 1 ? luminance * alpha + (1 - alpha) * -1 : luminance; // −1 marks transparency for now
  }
  const transparent = grey.some((v) => v < 0);
  if (transparent) {
    // a transparent background: the ink is whatever is opaque
    for (let p = 0; p < grey.length; p++) grey[p] = rgba[p * 4 + 3] / 255;
    return grey;
  }
  for (let x = 0; x < width; x++) { border += grey[x] + grey[(height - 1) * width + x]; borderCount += 2; }
  for (let y = 0; y < height; y++) { border += grey[y * width] + grey[y * width + width - 1]; borderCount += 2; }
  if (border / borderCount > 0.5) for (let p = 0; p < grey.length; p++) grey[p] = 1 - grey[p];
  return grey;
}

/** Ink image (bright = ink) of any size → 784 values in [0,1], MNIST style. All-blank input gives all zeros. */
export function toMnistDigit(ink: Float32Array, width: number, height: number): Float32Array {
  if (ink.length !== width * height) throw new RangeError(`toMnistDigit: ${width}×${height} needs ${width * height} values, got ${ink.length}`);
  const out = new Float32Array(784);
  let top = height, bottom = -1, left = width, right = -1, max = 0;
  for (let p = 0; p < ink.length; p++) max = Math.max(max, ink[p]);
  if (max <= 0) return out;
  const threshold = max * 0.1;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (ink[y * width + x] > threshold) {
    top = Math.min(top, y); bottom = Math.max(bottom, y); left = Math.min(left, x); right = Math.max(right, x);
  }
  const boxW = right - left + 1, boxH = bottom - top + 1;
  const scale = 20 / Math.max(boxW, boxH);
  const outW = Math.max(1, Math.round(boxW * scale)), outH = Math.max(1, Math.round(boxH * scale));
  // area-average resample of the box into outW×outH
  const small = new Float32Array(outW * outH);
  for (let y = 0; y < outH; y++) for (let x = 0; x < outW; x++) {
    const y0 = top + (y * boxH) / outH, y1 = top + ((y + 1) * boxH) / outH;
    const x0 = left + (x * boxW) / outW, x1 = left + ((x + 1) * boxW) / outW;
    let sum = 0, area = 0;
    for (let sy = Math.floor(y0); sy < Math.ceil(y1); sy++) {
      const wy = Math.min(y1, sy + 1) - Math.max(y0, sy);
      for (let sx = Math.floor(x0); sx < Math.ceil(x1); sx++) {
        const wx = Math.min(x1, sx + 1) - Math.max(x0, sx);
        sum += ink[sy * width + sx] * wx * wy; area += wx * wy;
      }
    }
    small[y * outW + x] = area > 0 ? sum / area / max : 0;
  }
  // centre of mass to the middle of the 28×28 frame
  let mass = 0, cy = 0, cx = 0;
  for (let y = 0; y < outH; y++) for (let x = 0; x < outW; x++) { const v = small[y * outW + x]; mass += v; cy += v * y; cx += v * x; }
  const offsetY = Math.round(14 - (mass > 0 ? cy / mass : outH / 2) - 0.5);
  const offsetX = Math.round(14 - (mass > 0 ? cx / mass : outW / 2) - 0.5);
  for (let y = 0; y < outH; y++) for (let x = 0; x < outW; x++) {
    const ty = y + offsetY, tx = x + offsetX;
    if (ty >= 0 && ty < 28 && tx >= 0 && tx < 28) out[ty * 28 + tx] = Math.min(1, small[y * outW + x]);
  }
  return out;
}
