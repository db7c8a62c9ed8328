// core/explain/flatten.ts: flatten moves no number — it reads the [C,H,W] maps in row-major order, so value
// (c, h, w) lands at position c·H·W + h·W + w of the vector the next (dense) layer reads.
import { type Tensor, contiguousData } from '../tensor.js';
import { expectTensor } from '../check.js';

export interface FlattenExplanation {
  channels: number; height: number; width: number;
  /** The input read in row-major order: exactly the vector the next layer sees. */
  vector: Float32Array;
}

/** The flatten of one sample [C,H,W] (a vector passes through as [1,1,n]). */
export function explainFlatten(x: Tensor): FlattenExplanation {
  expectTensor('explainFlatten', 'x', x, [1, 3]);
  const [C, H, W] = x.dimension === 3 ? x.shape : [1, 1, x.size];
  return { channels: C, height: H, width: W, vector: Float32Array.from(contiguousData(x)) };
}

/** Position of (c, h, w) in the flattened vector: c·H·W + h·W + w. */
export function flatIndex(shape: readonly number[], c: number, h: number, w: number): number {
  const [, H, W] = shape;
  return c * H * W + h * W + w;
}

/** The (c, h, w) a position of the flattened vector came from. */
export function unflatIndex(shape: readonly number[], index: number): [number, number, number] {
  const [, H, W] = shape;
  return [Math.floor(index / (H * W)), Math.floor(index / W) % H, index % W];
}
