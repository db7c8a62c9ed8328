// Reference solution: ReLU over a stack of maps.
/** max(x, 0) for every value of a [C][H][W] stack. */
export function relu(x: number[][][]): number[][][] {
  return x.map((map) => map.map((row) => row.map((v) => Math.max(v, 0))));
}
