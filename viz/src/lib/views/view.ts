// What every op view receives: the layer's explanation (from core's explainLayer), the settings it was made
// with, the step, the colour-scale choice, every layer's values (for the network-wide scale), and one
// callback that writes a change into the link.
import type { LayerExplanation, LayerSettings, Sequential, Tensor } from '../../../../core/index.js';
import type { ScaleMode } from '../color';

export interface ViewProps<K extends LayerExplanation['kind']> {
  model: Sequential;
  e: Extract<LayerExplanation, { kind: K }>;
  settings: LayerSettings;
  /** The link's own settings as written (view-only ones such as flatten's `pos` or dropout's `mode`). */
  raw: Record<string, string>;
  step: number;
  scale: ScaleMode;
  /** inputs[i] is what layer i reads; inputs[i + 1] what it gives. */
  inputs: Tensor[];
  onChange: (change: Record<string, string>) => void;
}

/** Map c of a contiguous [C,H,W] tensor (a vector is one 1×n map). */
export function mapOf(t: Tensor, c: number): Float32Array {
  const [, H, W] = t.dimension === 3 ? t.shape : [1, 1, t.size];
  return t.data.subarray(t.offset + c * H * W, t.offset + (c + 1) * H * W);
}
export const dims = (t: Tensor | number[]): [number, number, number] => {
  const shape = Array.isArray(t) ? t : t.shape;
  return shape.length === 3 ? [shape[0], shape[1], shape[2]] : [1, 1, shape.reduce((a, b) => a * b, 1)];
};
/** A cell size that draws a map about `target` pixels wide. */
export const cellFor = (width: number, target = 200) => Math.max(2, Math.min(24, Math.floor(target / width)));
export const allValues = (inputs: Tensor[]) => inputs.slice(1).map((t) => t.data);
