// core/data/augment.ts: random affine distortions of image samples [C,H,W] (shift, rotation, scale), drawn by the
// trainer from its one seeded generator and applied by whichever thread computes the sample (same bits anywhere).
import type { Random } from '../random.js';

export interface Augmentation { shift?: number; rotate?: number; scale?: number }

/** The distortions the lab's CNN recipe draws (and `--augment shift,rotate,scale` takes when given no amounts):
 *  shifts up to 1.5 pixels, rotations up to 10°, zoom up to ±10 %. */
export const DEFAULT_DISTORTIONS = { shift: 1.5, rotate: 10, scale: 0.1 } as const;

/** `--augment SPEC`: 'none', or a comma list of shift[=pixels], rotate[=degrees], scale[=fraction] (amounts default to
 *  DEFAULT_DISTORTIONS). Returns null for 'none'. */
export function parseAugmentation(spec: string): Augmentation | null {
  if (spec === 'none') return null;
  const result: Augmentation = {};
  for (const part of spec.split(',')) {
    const match = /^(shift|rotate|scale)(?:=(\d+(?:\.\d+)?|\.\d+))?$/.exec(part.trim());
    if (!match) throw new RangeError(`--augment takes 'none' or a comma list of shift[=pixels], rotate[=degrees], scale[=fraction], got '${part}'`);
    const key = match[1] as keyof typeof DEFAULT_DISTORTIONS;
    const value = match[2] === undefined ? DEFAULT_DISTORTIONS[key] : Number(match[2]);
    if (key === 'scale' && value >= 1) throw new RangeError(`--augment scale must be below 1 (a fraction of the size), got ${value}`);
    if (key === 'rotate' && value > 180) throw new RangeError(`--augment rotate must be at most 180 degrees, got ${value}`);
    result[key] = value;
  }
  return result;
}

/** Draw one sample's distortion: [cos θ / zoom, sin θ / zoom, dy, dx] into params at 4·index. */
export function drawDistortion(params: Float64Array, index: number, augment: Augmentation, random: Random): void {
  const { shift = 0, rotate = 0, scale = 0 } = augment;
  const degrees = random.uniform(-rotate, rotate);
  const zoom = 1 + random.uniform(-scale, scale);
  const dy = random.uniform(-shift, shift), dx = random.uniform(-shift, shift);
  params.set(distortionParams(degrees, zoom, dy, dx), 4 * index);
}

/** One distortion as warpSamples reads it: [cos θ / zoom, sin θ / zoom, dy, dx] (θ in degrees, zoom > 0). */
export function distortionParams(degrees: number, zoom: number, dy: number, dx: number): [number, number, number, number] {
  const angle = (degrees * Math.PI) / 180;
  return [Math.cos(angle) / zoom, Math.sin(angle) / zoom, dy, dx];
}

/** `count` samples [C,H,W] from `source` distorted by their drawn parameters into `target` (same layout).
 *  Only +, ×, floor: the same bits on any thread. */
export function warpSamples(target: Float32Array, source: Float32Array, params: Float64Array, count: number, shape: number[]): void {
  const size = shape[0] * shape[1] * shape[2];
  for (let n = 0; n < count; n++) {
    warpInto(target, n * size, source.subarray(n * size, (n + 1) * size), shape,
      params[4 * n], params[4 * n + 1], params[4 * n + 2], params[4 * n + 3]);
  }
}

/** The sample under a rotation, scale and shift about its centre, bilinear, zero outside. */
function warpInto(target: Float32Array, offset: number, source: Float32Array, shape: number[], cos: number, sin: number, dy: number, dx: number): void {
  const [C, H, W] = shape;
  // inverse map: output (y, x) reads source at R⁻¹(p − centre − d)/zoom + centre
  const cy = (H - 1) / 2, cx = (W - 1) / 2;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const py = y - cy - dy, px = x - cx - dx;
    const sy = cos * py - sin * px + cy, sx = sin * py + cos * px + cx;
    const y0 = Math.floor(sy), x0 = Math.floor(sx), fy = sy - y0, fx = sx - x0;
    // the four neighbours, 0 outside the map (written out: a closure per pixel costs more than the maths)
    const top = y0 >= 0 && y0 < H, bottom = y0 + 1 >= 0 && y0 + 1 < H, left = x0 >= 0 && x0 < W, right = x0 + 1 >= 0 && x0 + 1 < W;
    const at = y0 * W + x0;
    for (let c = 0; c < C; c++) {
      const p = c * H * W + at;
      const v00 = top && left ? source[p] : 0, v01 = top && right ? source[p + 1] : 0;
      const v10 = bottom && left ? source[p + W] : 0, v11 = bottom && right ? source[p + W + 1] : 0;
      target[offset + c * H * W + y * W + x] = (1 - fy) * ((1 - fx) * v00 + fx * v01) + fy * ((1 - fx) * v10 + fx * v11);
    }
  }
}
