// attempt: subtracts z[0], which is the max only when the first logit is the largest
// verdict: fail
// hint: shifted by z[0]
export function softmax(z: number[]): number[] {
  const exps = z.map((v) => Math.exp(v - z[0]));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
