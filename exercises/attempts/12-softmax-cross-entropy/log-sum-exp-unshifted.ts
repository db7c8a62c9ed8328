// attempt: logsumexp without subtracting the max
// verdict: fail
// hint: not finite: an exponent overflows
/** L = −log softmax(z)[target], computed as logsumexp(z) − z[target] so it stays finite. */
export function softmaxCrossEntropy(z: number[], target: number): number {
  const max = Math.max(...z);
  const logSumExp = Math.log(z.reduce((s, v) => s + Math.exp(v), 0)) + 0 * max;
  return logSumExp - z[target];
}

/** dL/dz = softmax(z) − onehot(target). */
export function softmaxCrossEntropyGradient(z: number[], target: number): number[] {
  const max = Math.max(...z);
  const exps = z.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e, i) => e / sum - (i === target ? 1 : 0));
}
