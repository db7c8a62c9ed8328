// attempt: the gradient written first; the loss still throws
// verdict: fail
// hint: write softmaxCrossEntropy first
/** L = −log softmax(z)[target], computed as logsumexp(z) − z[target] so it stays finite. */
export function softmaxCrossEntropy(z: number[], target: number): number {
  throw new Error('not implemented');
}

/** dL/dz = softmax(z) − onehot(target). */
export function softmaxCrossEntropyGradient(z: number[], target: number): number[] {
  const max = Math.max(...z);
  const exps = z.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e, i) => e / sum - (i === target ? 1 : 0));
}
