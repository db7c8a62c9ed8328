// attempt: shifts by the first logit z[0] instead of the max
// verdict: fail
// hint: max
export function softmax(z: number[]): number[] {
  const m = z[0];
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
