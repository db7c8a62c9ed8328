// attempt: logsumexp with the max subtracted; gradient as exp(z_i − lse) minus one-hot
// verdict: pass
function lse(z: number[]): number {
  const m = Math.max(...z);
  return m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
}

export function softmaxCrossEntropy(z: number[], target: number): number {
  return lse(z) - z[target];
}

export function softmaxCrossEntropyGradient(z: number[], target: number): number[] {
  const l = lse(z);
  return z.map((v, i) => Math.exp(v - l) - (i === target ? 1 : 0));
}
