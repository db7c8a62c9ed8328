// attempt: −log(softmax(z)[target]) with a stable softmax: finite for [−200, 0] in float64, ∞ for [−1000, 0]
// verdict: fail
// hint: softmax(z)[target] underflows to 0
const softmax = (z: number[]) => { const m = Math.max(...z); const e = z.map((v) => Math.exp(v - m)); const s = e.reduce((a, b) => a + b, 0); return e.map((v) => v / s); };
export function softmaxCrossEntropy(z: number[], target: number): number {
  return -Math.log(softmax(z)[target]);
}
export function softmaxCrossEntropyGradient(z: number[], target: number): number[] {
  return softmax(z).map((p, i) => p - (i === target ? 1 : 0));
}
