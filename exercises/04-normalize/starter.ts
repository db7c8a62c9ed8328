// Exercise 04: per-map normalisation. See README.md.
/** Each map of x [C][H][W] to (x − mean) / sqrt(variance + eps), population variance. */
export function normalize(x: number[][][], eps = 1e-5): number[][][] {
  // TODO: mean and variance per map, then normalise; think about a constant map
  throw new Error('not implemented');
}
