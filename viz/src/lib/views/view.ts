// The view contract, one for every view the app shows (forward op views, backward, graph, activations,
// optimizers, the playground):
//   - props: what the view shows, already checked by lib/route.ts (resolveRoute snaps every link setting to
//     what the view's controls offer, with a notice), `step` (where its player starts) and one callback, `onChange`;
//   - `onChange(change)` names the link parameters to change ('' removes one). `{ step }` alone is written into
//     the link silently (no history entry, no new view); anything else is a new link, which the app resolves and
//     answers by making the view anew from it (App.svelte keys each view on its route);
//   - a view makes its Player once, `new Player(count, step, (i) => onChange({ step: String(i) }))`: the Player
//     calls back on seek. No `$effect` copies a view's state into the link or the link into a view.
import type { LayerExplanation, LayerSettings, Sequential, Tensor } from '../../../../core/index.js';
import type { ScaleMode } from '../color.js';

/** The one callback every view writes its changes with (see above). */
export type OnChange = (change: Record<string, string>) => void;
/** What every view gets besides what it shows. */
export interface LinkedProps { step: number; onChange: OnChange }

/** What every op view receives: the layer's explanation (from core's explainLayer), the settings it was made
 *  with, the step, the colour-scale choice, every layer's values (for the network-wide scale), and onChange. */
export interface ViewProps<K extends LayerExplanation['kind']> extends LinkedProps {
  model: Sequential;
  e: Extract<LayerExplanation, { kind: K }>;
  settings: LayerSettings;
  /** The link's own settings as written (view-only ones such as flatten's `pos` or dropout's `mode`), checked by the router. */
  raw: Record<string, string>;
  scale: ScaleMode;
  /** inputs[i] is what layer i reads; inputs[i + 1] what it gives. */
  inputs: Tensor[];
}

/** Map c of a contiguous [C,H,W] tensor (a vector is one 1×n map). */
export function mapOf(t: Tensor, c: number): Float32Array {
  const [, H, W] = t.dimension === 3 ? t.shape : [1, 1, t.size];
  return t.data.subarray(t.offset + c * H * W, t.offset + (c + 1) * H * W);
}
/** The [C,H,W] maps of a flat array (an [H,W] array is one map, a vector one 1×n map): every view's, forward and backward. */
export function mapsOf(values: Float32Array, shape: number[]): { values: Float32Array; height: number; width: number }[] {
  const [C, H, W] = shape.length === 3 ? shape : shape.length === 2 ? [1, shape[0], shape[1]] : [1, 1, values.length];
  return Array.from({ length: C }, (_, c) => ({ values: values.subarray(c * H * W, (c + 1) * H * W), height: H, width: W }));
}
/** The maps of a tensor. */
export const tensorMaps = (t: Tensor) => mapsOf(t.data.subarray(t.offset, t.offset + t.size), t.shape);
export const dims = (t: Tensor | number[]): [number, number, number] => {
  const shape = Array.isArray(t) ? t : t.shape;
  return shape.length === 3 ? [shape[0], shape[1], shape[2]] : [1, 1, shape.reduce((a, b) => a * b, 1)];
};
/** A cell size that draws a map about `target` pixels wide (every view's maps, forward and backward). */
export const cellFor = (width: number, target: number) => Math.max(2, Math.min(24, Math.floor(target / width)));
/** The overview's cell size for a map of `size` columns (the forward overview and its gradients alike). */
export const overviewCell = (size: number) => (size >= 24 ? 3 : size >= 8 ? 5 : 10);
export const allValues = (inputs: Tensor[]) => inputs.slice(1).map((t) => t.data);
