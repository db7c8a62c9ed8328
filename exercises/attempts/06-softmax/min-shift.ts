// attempt: subtracts min(z) instead of max(z)
// verdict: fail
// hint: shifted by min(z)
export function softmax(z: number[]): number[] {
  const min = Math.min(...z);
  const exps = z.map((v) => Math.exp(v - min));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
