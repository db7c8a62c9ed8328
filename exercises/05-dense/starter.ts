// Exercise 05: fully-connected layer. See README.md.
/** x [C][H][W], W [out][C·H·W], b [out] → [out]. */
export function dense(x: number[][][], W: number[][], b: number[]): number[] {
  // TODO: flatten x row-major, then one dot product per output
  throw new Error('not implemented');
}
