// attempt: the textbook formula with no shift
// verdict: fail
// hint: NaN
export function softmax(z: number[]): number[] {
  const exps = z.map(Math.exp);
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
