// attempt: writes the derivative (1 for positive, else 0) instead of ReLU
// verdict: fail
// hint: that is the derivative
/** max(x, 0) for every value of a [C][H][W] stack. */
export function relu(x: number[][][]): number[][][] {
  return x.map((map) => map.map((row) => row.map((v) => (v > 0 ? 1 : 0))));
}
