// attempt: the gradient as onehot − p
// verdict: fail
// hint: the sign: dL/dz = p − t
/** L = −log softmax(z)[target], computed as logsumexp(z) − z[target] so it stays finite. */
export function softmaxCrossEntropy(z: number[], target: number): number {
  const max = Math.max(...z);
  const logSumExp = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
  return logSumExp - z[target];
}

/** dL/dz = softmax(z) − onehot(target). */
export function softmaxCrossEntropyGradient(z: number[], target: number): number[] {
  const max = Math.max(...z);
  const exps = z.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e, i) => (i === target ? 1 : 0) - e / sum);
}
