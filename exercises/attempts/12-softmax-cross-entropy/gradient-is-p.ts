// attempt: the gradient returns p and forgets the one-hot target
// verdict: fail
// hint: that is p alone
export function softmaxCrossEntropy(z: number[], target: number): number {
  const m = Math.max(...z);
  return m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)) - z[target];
}
export function softmaxCrossEntropyGradient(z: number[], target: number): number[] {
  const m = Math.max(...z), e = z.map((v) => Math.exp(v - m)), s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
