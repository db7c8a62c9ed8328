// Exercise 03: max pooling. See README.md.
export type Pair = number | [number, number]; // n means [n, n]; a pair is [rows, columns]

/** x [C][H][W] → [C][Ho][Wo], Ho = floor((H − size_h)/stride_h) + 1, Wo = floor((W − size_w)/stride_w) + 1: the max of each window. */
export function maxPool(x: number[][][], size: Pair, stride: Pair = size): number[][][] {
  // TODO
  throw new Error('not implemented');
}
