// Reference solution: a fully-connected layer over a flattened stack of maps.
/** y[o] = b[o] + Σ_i W[o][i] · flatten(x)[i], flatten in row-major [C][H][W] order. */
export function dense(x: number[][][], W: number[][], b: number[]): number[] {
  const flat = x.flat(2);
  return W.map((row, o) => row.reduce((sum, w, i) => sum + w * flat[i], b[o]));
}
