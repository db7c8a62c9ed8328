// One colour scale for every map of a view: diverging around 0 (blue below, white at 0, red above), its
// limit chosen as CNN Explainer offers — this map (local), the whole layer, or the whole network.
export type ScaleMode = 'local' | 'layer' | 'network';
export const scaleModes: ScaleMode[] = ['local', 'layer', 'network'];

/** The largest |value| (at least a tiny positive number, so an all-zero map still draws). */
export function maxAbs(...lists: ArrayLike<number>[]): number {
  let limit = 1e-9;
  for (const values of lists) for (let p = 0; p < values.length; p++) { const v = Math.abs(values[p]); if (v > limit && Number.isFinite(v)) limit = v; }
  return limit;
}

/** The limit of the scale for `mode`: the map's own values, the layer's, or every layer's. */
export function scaleLimit(mode: ScaleMode, map: ArrayLike<number>, layer: ArrayLike<number>, network: ArrayLike<number>[]): number {
  return mode === 'local' ? maxAbs(map) : mode === 'layer' ? maxAbs(layer) : maxAbs(...network);
}

export type Rgb = [number, number, number];
/** The ends of the views' scale: blue below 0, red above. */
export const BELOW: Rgb = [40, 95, 255], ABOVE: Rgb = [255, 50, 40];

/** Every diverging scale of the app: white at t = 0, blending linearly to `above` at t = 1 and to `below` at
 *  t = −1 (t clamped to [−1, 1]; −0 is white). The views use BELOW/ABOVE, the playground TF Playground's ends. */
export function blend(t: number, below: Rgb, above: Rgb): Rgb {
  const c = Math.max(-1, Math.min(1, t)), end = c >= 0 ? above : below, a = Math.abs(c);
  return [Math.round(255 + (end[0] - 255) * a), Math.round(255 + (end[1] - 255) * a), Math.round(255 + (end[2] - 255) * a)];
}

/** RGB of `v` on the diverging scale [−limit, limit]; NaN/±∞ magenta. */
export function diverging(v: number, limit: number): Rgb {
  if (!Number.isFinite(v)) return [255, 0, 255];
  return blend(v / limit, BELOW, ABOVE);
}

/** RGB of an ink value in [0, 1]: white paper, black ink. */
export function ink(v: number): [number, number, number] {
  if (!Number.isFinite(v)) return [255, 0, 255];
  const g = Math.round(255 * (1 - Math.max(0, Math.min(1, v))));
  return [g, g, g];
}

export const css = ([r, g, b]: [number, number, number]) => `rgb(${r},${g},${b})`;
export const asScaleMode = (s: string | undefined): ScaleMode => (s === 'layer' || s === 'network' ? s : 'local');

/** WCAG relative luminance of an sRGB colour (0 black … 1 white). */
export function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => { const s = c / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The text colour for a cell painted `background`: black or white, whichever contrasts more (at least 4.58:1
 *  for any background, so a number printed on a coloured cell always passes WCAG AA). */
export function textOn(background: [number, number, number]): string {
  const l = luminance(background);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000' : '#fff';
}
