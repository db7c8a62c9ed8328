// attempt: |x| instead of max(x, 0)
// verdict: fail
// hint: that is |x|
export function relu(x: number[][][]): number[][][] {
  return x.map((map) => map.map((row) => row.map((v) => Math.abs(v))));
}
