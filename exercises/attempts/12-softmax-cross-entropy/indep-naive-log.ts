// attempt: stable softmax, then the loss as −log(p[target]) (infinite when p[target] underflows to 0)
// verdict: fail
// hint: underflow
function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export function softmaxCrossEntropy(z: number[], target: number): number {
  return -Math.log(softmax(z)[target]);
}

export function softmaxCrossEntropyGradient(z: number[], target: number): number[] {
  return softmax(z).map((p, i) => p - (i === target ? 1 : 0));
}
