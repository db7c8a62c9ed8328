// Exercise 03: max pooling. See README.md.
/** x [C][H][W] → [C][Ho][Wo], Ho = floor((H − size)/stride) + 1: the max of each window. */
export function maxPool(x: number[][][], size: number, stride: number): number[][][] {
  // TODO
  throw new Error('not implemented');
}
