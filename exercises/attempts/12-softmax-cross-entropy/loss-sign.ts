// attempt: the loss as z[target] − logsumexp(z), i.e. log p
// verdict: fail
// hint: the sign: the loss is −log p
/** L = −log softmax(z)[target], computed as logsumexp(z) − z[target] so it stays finite. */
export function softmaxCrossEntropy(z: number[], target: number): number {
  const max = Math.max(...z);
  const logSumExp = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
  return z[target] - logSumExp;
}

/** dL/dz = softmax(z) − onehot(target). */
export function softmaxCrossEntropyGradient(z: number[], target: number): number[] {
  const max = Math.max(...z);
  const exps = z.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e, i) => e / sum - (i === target ? 1 : 0));
}
