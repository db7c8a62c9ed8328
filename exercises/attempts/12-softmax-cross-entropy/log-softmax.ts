// attempt: log-softmax first (z − logsumexp z), the loss is minus its target entry; the gradient from exp(log-softmax)
// verdict: pass
const logSoftmax = (z: number[]) => { const m = z.reduce((a, b) => Math.max(a, b)); const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)); return z.map((v) => v - lse); };
export function softmaxCrossEntropy(z: number[], target: number): number {
  return -logSoftmax(z)[target];
}
export function softmaxCrossEntropyGradient(z: number[], target: number): number[] {
  return logSoftmax(z).map((l, i) => Math.exp(l) - (i === target ? 1 : 0));
}
