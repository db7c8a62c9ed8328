// attempt: Math.min where Math.max belongs
// verdict: fail
// hint: that is min(x, 0)
/** max(x, 0) for every value of a [C][H][W] stack. */
export function relu(x: number[][][]): number[][][] {
  return x.map((map) => map.map((row) => row.map((v) => Math.min(v, 0))));
}
