// attempt: forgets the bias
// verdict: fail
// hint: the bias is missing
export function dense(x: number[][][], W: number[][], b: number[]): number[] {
  const flat = x.flat(2);
  return W.map((row) => row.reduce((s, weight, i) => s + weight * flat[i], 0));
}
