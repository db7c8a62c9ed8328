// The diverging colour scale of the backward views: blue (negative) – white (0) – red (positive), clipped at ±limit.
// A gradient's sign is what matters to a learner: red means "the loss grows when this value grows".

/** RGB of value v on the scale ±limit; NaN is magenta. */
export function divergingColor(v: number, limit: number): [number, number, number] {
  if (!Number.isFinite(v)) return [255, 0, 255];
  const t = Math.max(-1, Math.min(1, v / (limit || 1e-12)));
  return t >= 0 ? [255, Math.round(255 - 210 * t), Math.round(255 - 210 * t)] : [Math.round(255 + 210 * t), Math.round(255 + 210 * t), 255];
}

/** The largest |v| (at least a tiny positive floor), the limit a group of maps shares. */
export function absMax(...arrays: ArrayLike<number>[]): number {
  let limit = 1e-12;
  for (const values of arrays) for (let i = 0; i < values.length; i++) { const a = Math.abs(values[i]); if (a > limit) limit = a; }
  return limit;
}

/** A number as the formulas print it: 4 significant digits, exponent for tiny or huge values. */
export function num(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
}

/** [C,H,W] (or a vector as [1,1,n]) maps of a flat array. */
export function mapsOf(values: Float32Array, shape: number[]): { values: Float32Array; height: number; width: number }[] {
  const [C, H, W] = shape.length === 3 ? shape : shape.length === 2 ? [1, shape[0], shape[1]] : [1, 1, values.length];
  return Array.from({ length: C }, (_, c) => ({ values: values.subarray(c * H * W, (c + 1) * H * W), height: H, width: W }));
}

/** A cell size that draws an h×w map about `target` pixels wide. */
export const cellFor = (width: number, target = 150) => Math.max(2, Math.min(24, Math.floor(target / width)));
