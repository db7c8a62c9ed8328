// Colours of the playground (TF Playground's): orange for −1 / class 0, white for 0, blue for +1 / class 1;
// classes 2 and 3 green and purple. paintValues/paintClasses fill an ImageData from grid values. The scale is the
// app's one diverging blend (color.ts) with TF Playground's ends.
import { blend } from '../color.js';
export const CLASS_COLORS: [number, number, number][] = [[245, 147, 34], [8, 119, 189], [44, 160, 44], [148, 103, 189]];
export const classColor = (k: number) => `rgb(${CLASS_COLORS[k % CLASS_COLORS.length].join(',')})`;

/** The colour of a value in [−1, 1] (clamped): orange → white → blue; discrete: only the two ends. */
export function valueColor(v: number, discrete = false): [number, number, number] {
  if (v !== v) return [200, 200, 200];
  return blend(discrete ? (v >= 0 ? 1 : -1) : v, CLASS_COLORS[0], CLASS_COLORS[1]);
}
export const valueCss = (v: number) => `rgb(${valueColor(v).join(',')})`;

/** values [G] (one per grid cell, row-major) into image (side × side), lighter so points stay visible. */
export function paintValues(image: ImageData, values: ArrayLike<number>, discrete = false, fade = 1): void {
  const data = image.data;
  for (let g = 0; g < values.length; g++) {
    const [r, gr, b] = valueColor(values[g], discrete);
    data[4 * g] = 255 - (255 - r) * fade; data[4 * g + 1] = 255 - (255 - gr) * fade; data[4 * g + 2] = 255 - (255 - b) * fade; data[4 * g + 3] = 255;
  }
}

/** probabilities [G, K] into image: the class colours mixed by probability (discrete: the most probable class). */
export function paintClasses(image: ImageData, probabilities: ArrayLike<number>, classes: number, discrete = false, fade = 1): void {
  const data = image.data, cells = probabilities.length / classes;
  for (let g = 0; g < cells; g++) {
    let r = 0, gr = 0, b = 0, best = 0;
    for (let k = 0; k < classes; k++) if (probabilities[g * classes + k] > probabilities[g * classes + best]) best = k;
    for (let k = 0; k < classes; k++) {
      const p = discrete ? (k === best ? 1 : 0) : probabilities[g * classes + k], c = CLASS_COLORS[k];
      r += p * c[0]; gr += p * c[1]; b += p * c[2];
    }
    data[4 * g] = 255 - (255 - r) * fade; data[4 * g + 1] = 255 - (255 - gr) * fade; data[4 * g + 2] = 255 - (255 - b) * fade; data[4 * g + 3] = 255;
  }
}
